//! nOps under `/nops`: the API key (query `api_key` or `X-Nops-Api-Key`) and, when a
//! public key is configured, `x-nops-signature` over the UTC date. In memory: AWS
//! projects, Essentials schedulers, and fixed data behind the cost summary, the
//! EventBridge configurations and one MAP migration project. Errors in Django REST
//! framework's shape, `{"detail": …}` or `{"field": ["message"]}`.
//!
//! A key that names another client (the part before its first `.`) gets a sign-in page:
//! status 200 and HTML. nOps' own SDK reads such an answer as a bad key, so that is how
//! the real API is taken to answer a key it cannot place. A key for this client with a
//! wrong secret, a missing key and a bad signature get JSON 401/403 answers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use signed_api_runtime::schemes::NopsVerifier;
use signed_api_runtime::verify::{ReceivedRequest, Verifier, VerifyError};

use super::{MockApi, Refusal, lock};
use crate::NopsMockCredentials;
use crate::reply::{is_date, json, ok, parse_body, query_param, store_full};

/// Project fields a client may set.
const WRITABLE: &[&str] = &[
    "name",
    "account_number",
    "master_payer_account_number",
    "arn",
    "bucket",
    "external_id",
    "role_name",
    "access_type",
    "cloud_type",
    "report_name",
    "report_path_prefix",
];

/// The page nOps serves instead of JSON when it does not know the key.
const SIGN_IN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>nOps</title></head><body><div id=\"root\">Sign in to nOps</div></body></html>\n";

/// The EventBridge configuration the mock's schedulers act through.
const EVENTBRIDGE_ID: &str = "4288edde-fe34-4d6f-b5cb-e7ca9ce823ed";
const DEMO_ACCOUNT: &str = "123456789012";
const OTHER_ACCOUNT: &str = "210987654321";
const MAP_PROJECT_ID: u64 = 1;

const COST_TYPES: &[&str] = &[
    "line_item_unblended_cost",
    "line_item_amortized_cost",
    "line_item_blended_cost",
];

/// One line of the fixed cost data behind the cost summary.
struct CostLine {
    account_id: &'static str,
    region: &'static str,
    product: &'static str,
    /// A charge for a resource (an instance, a bucket), not a fee or support plan.
    resource: bool,
    tags: &'static [(&'static str, &'static str)],
    /// Unblended, amortized and blended cost, in the order of [`COST_TYPES`].
    costs: [f64; 3],
}

const COST_LINES: &[CostLine] = &[
    CostLine {
        account_id: DEMO_ACCOUNT,
        region: "us-east-1",
        product: "Amazon Elastic Compute Cloud",
        resource: true,
        tags: &[("App", "web"), ("Environment", "prod")],
        costs: [120.0, 110.0, 115.0],
    },
    CostLine {
        account_id: DEMO_ACCOUNT,
        region: "us-west-2",
        product: "Amazon Simple Storage Service",
        resource: true,
        tags: &[("App", "data")],
        costs: [30.0, 30.0, 29.5],
    },
    CostLine {
        account_id: OTHER_ACCOUNT,
        region: "us-east-1",
        product: "Amazon Relational Database Service",
        resource: true,
        tags: &[("App", "web"), ("Environment", "dev")],
        costs: [80.0, 64.0, 78.0],
    },
    CostLine {
        account_id: OTHER_ACCOUNT,
        region: "us-east-1",
        product: "AWS Support (Business)",
        resource: false,
        tags: &[],
        costs: [25.0, 25.0, 25.0],
    },
];

/// One resource of the mock's MAP project.
struct MapLine {
    resource_id: &'static str,
    region: &'static str,
    account_id: &'static str,
    name: Option<&'static str>,
    product: &'static str,
    entity: &'static str,
    tagged: bool,
    cost: f64,
}

const MAP_LINES: &[MapLine] = &[
    MapLine {
        resource_id: "arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718",
        region: "us-east-1",
        account_id: DEMO_ACCOUNT,
        name: Some("sap-app-1"),
        product: "Amazon Elastic Compute Cloud",
        entity: "sap_entity",
        tagged: true,
        cost: 40.5,
    },
    MapLine {
        resource_id: "arn:aws:ec2:us-east-1:210987654321:instance/i-0f9e8d7c6b5a40312",
        region: "us-east-1",
        account_id: OTHER_ACCOUNT,
        name: None,
        product: "Amazon Elastic Compute Cloud",
        entity: "ec2_commercial_db_entity",
        tagged: false,
        cost: 12.25,
    },
    MapLine {
        resource_id: "arn:aws:s3:::migration-landing",
        region: "us-west-2",
        account_id: DEMO_ACCOUNT,
        name: Some("migration-landing"),
        product: "Amazon Simple Storage Service",
        entity: "baseline_s3_entity",
        tagged: true,
        cost: 10.0,
    },
];

pub(crate) struct NopsApi {
    verifier: NopsVerifier,
    /// The same API key without the public key: checks the key alone (where it travels,
    /// that it travels once, in constant time) before the body is read.
    key_check: NopsVerifier,
    /// Whether `x-nops-signature` is required (a public key is configured).
    signs: bool,
    /// The API key up to its first `.`: the client the mock serves.
    key_client: String,
    client_id: u64,
    store: Mutex<Store>,
}

struct Store {
    /// Projects and schedulers kept at most, each.
    max_items: usize,
    projects: BTreeMap<u64, Map<String, Value>>,
    next_id: u64,
    schedulers: BTreeMap<u64, Map<String, Value>>,
    next_scheduler_id: u64,
}

impl NopsApi {
    /// `max_items`: projects and schedulers kept, each.
    pub(crate) fn new(
        credentials: &NopsMockCredentials,
        midnight_grace: i64,
        max_items: usize,
    ) -> Self {
        let key_client = credentials
            .api_key
            .expose()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned();
        let client_id = key_client.parse().unwrap_or(1);
        let mut first = Map::new();
        first.insert("id".into(), json!(1));
        first.insert("client".into(), json!(client_id));
        first.insert("name".into(), json!("demo-project"));
        first.insert("account_number".into(), json!(DEMO_ACCOUNT));
        first.insert(
            "arn".into(),
            json!("arn:aws:iam::123456789012:role/NopsIntegrationRole"),
        );
        first.insert("bucket".into(), json!("nops-demo-cur"));
        first.insert("external_id".into(), json!("demo-external-id"));
        first.insert("role_name".into(), json!("NopsIntegrationRole"));
        NopsApi {
            verifier: NopsVerifier::new(
                credentials.api_key.clone(),
                credentials.public_key.clone(),
                midnight_grace,
            ),
            key_check: NopsVerifier::new(credentials.api_key.clone(), None, midnight_grace),
            signs: credentials.public_key.is_some(),
            key_client,
            client_id,
            store: Mutex::new(Store {
                max_items,
                projects: BTreeMap::from([(1, first)]),
                next_id: 2,
                schedulers: BTreeMap::new(),
                next_scheduler_id: 1,
            }),
        }
    }

    /// Whether the request's key names another client than the mock's.
    fn names_another_client(&self, request: &ReceivedRequest<'_>) -> bool {
        let from_query = query_param(request.query(), "api_key");
        let presented = from_query.or_else(|| {
            request
                .header("x-nops-api-key")
                .ok()
                .flatten()
                .map(str::to_owned)
        });
        presented.is_some_and(|key| key.split('.').next() != Some(self.key_client.as_str()))
    }
}

fn detail(status: StatusCode, message: &str) -> Response {
    json(status, &json!({ "detail": message }))
}

fn sign_in_page() -> Response {
    let mut response = (StatusCode::OK, SIGN_IN_PAGE).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

impl NopsApi {
    /// The answer to a request that failed verification, as nOps gives it.
    fn refusal(&self, request: &ReceivedRequest<'_>, error: &VerifyError) -> Refusal {
        let status = match error {
            VerifyError::UnknownKey(_) if self.names_another_client(request) => {
                return Box::new(sign_in_page());
            }
            VerifyError::MissingHeader(name) if name.starts_with("x-nops-api-key") => {
                StatusCode::UNAUTHORIZED
            }
            VerifyError::UnknownKey(_) => StatusCode::UNAUTHORIZED,
            _ => StatusCode::FORBIDDEN,
        };
        Box::new(detail(status, &format!("Authentication failed: {error}")))
    }
}

impl MockApi for NopsApi {
    fn pre_authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<(), Refusal> {
        self.key_check
            .verify(request, now)
            .map_err(|error| self.refusal(request, &error))?;
        if self.signs {
            request
                .require("x-nops-signature")
                .map_err(|error| self.refusal(request, &error))?;
        }
        Ok(())
    }

    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        self.verifier
            .verify(request, now)
            .map_err(|error| self.refusal(request, &error))?;
        Ok(None)
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        detail(status, message)
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/c/admin/current_client/", get(current_client))
            .route(
                "/c/admin/projectaws/",
                get(list_projects).post(create_project),
            )
            .route(
                "/c/admin/projectaws/{id}/",
                get(get_project)
                    .patch(update_project)
                    .delete(delete_project),
            )
            .route("/c/cost_page/cost_summary/", get(cost_summary))
            .route(
                "/svc/notifications/scheduler/nops_scheduler",
                get(list_schedulers).post(create_scheduler),
            )
            .route(
                "/svc/notifications/scheduler/{id}/enable",
                post(enable_scheduler),
            )
            .route(
                "/svc/notifications/scheduler/{id}/disable",
                post(disable_scheduler),
            )
            .route(
                "/svc/notifications/scheduler/{id}/trigger",
                post(trigger_scheduler),
            )
            .route("/svc/notifications/eventbridge", get(eventbridge))
            .route("/c/v3/map-migration/", get(map_projects))
            .route("/c/v3/map-migration/{id}/", get(map_project))
            .route("/c/v3/map-migration/{id}/products/", get(map_products))
            .route("/c/v3/map-migration/{id}/resources/", get(map_resources))
            .route("/sp/v3/map-projects/", get(map_projects))
            .fallback(|| async { not_found() })
            .method_not_allowed_fallback(|method: Method| async move {
                detail(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &format!("Method \"{method}\" not allowed."),
                )
            })
            .with_state(self)
    }
}

/// The `State` extractor of this API's handlers (named so as not to shadow [`crate::Api`]).
type Shared = State<Arc<NopsApi>>;

fn store_full_answer(what: &str, max: usize) -> Response {
    detail(StatusCode::INSUFFICIENT_STORAGE, &store_full(what, max))
}

fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not found.")
}

/// A 400 answer naming the fields at fault, as Django REST framework words it.
fn field_errors(errors: Map<String, Value>) -> Response {
    json(StatusCode::BAD_REQUEST, &Value::Object(errors))
}

fn field_error(field: &str, message: &str) -> Response {
    field_errors(Map::from_iter([(field.to_owned(), json!([message]))]))
}

/// Every value of a repeated query parameter; each may also hold several, comma-separated.
fn query_values(query: Option<&str>, names: &[&str]) -> Vec<String> {
    let Some(query) = query else {
        return Vec::new();
    };
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| names.contains(&name.as_ref()))
        .flat_map(|(_, value)| {
            value
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `true`/`false` (any case) as DRF's boolean filters read them; `Err` is the 400 answer.
fn boolean_param(query: Option<&str>, name: &str) -> Result<Option<bool>, Refusal> {
    match query_param(query, name).map(|value| value.to_ascii_lowercase()) {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) if value == "true" => Ok(Some(true)),
        Some(value) if value == "false" => Ok(Some(false)),
        Some(_) => Err(Box::new(field_error(name, "Must be true or false."))),
    }
}

fn parse_id(id: &str) -> Option<u64> {
    id.parse().ok()
}

// ---------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------

async fn current_client(State(api): Shared) -> Response {
    ok(&json!([{ "id": api.client_id, "name": "Demo client" }]))
}

async fn list_projects(State(api): Shared) -> Response {
    let projects: Vec<Value> = lock(&api.store)
        .projects
        .values()
        .cloned()
        .map(Value::Object)
        .collect();
    ok(&json!(projects))
}

/// A JSON object body, or the 400 answer DRF would give.
fn object_body(body: &Bytes) -> Result<Map<String, Value>, Refusal> {
    parse_body(body).map_err(|bad| {
        Box::new(json(
            bad.status,
            &json!({ "non_field_errors": [bad.message] }),
        ))
    })
}

/// The writable fields of a JSON object body, or the 400 answer DRF would give.
fn writable_fields(body: &Bytes) -> Result<Map<String, Value>, Refusal> {
    Ok(object_body(body)?
        .into_iter()
        .filter(|(name, _)| WRITABLE.contains(&name.as_str()))
        .collect())
}

fn is_blank(value: Option<&Value>) -> bool {
    value.is_none_or(|value| value.is_null() || value.as_str() == Some(""))
}

async fn create_project(State(api): Shared, body: Bytes) -> Response {
    let fields = match writable_fields(&body) {
        Ok(fields) => fields,
        Err(response) => return *response,
    };
    let missing: Map<String, Value> = ["name", "account_number"]
        .iter()
        .filter(|name| is_blank(fields.get(**name)))
        .map(|name| ((*name).to_owned(), json!(["This field is required."])))
        .collect();
    if !missing.is_empty() {
        return field_errors(missing);
    }
    let mut store = lock(&api.store);
    if store.projects.len() >= store.max_items {
        return store_full_answer("projects", store.max_items);
    }
    let id = store.next_id;
    store.next_id += 1;
    let mut project = fields;
    project.insert("id".into(), json!(id));
    project.insert("client".into(), json!(api.client_id));
    store.projects.insert(id, project.clone());
    json(StatusCode::CREATED, &Value::Object(project))
}

async fn get_project(State(api): Shared, Path(id): Path<String>) -> Response {
    let store = lock(&api.store);
    match parse_id(&id).and_then(|id| store.projects.get(&id)) {
        Some(project) => ok(&Value::Object(project.clone())),
        None => not_found(),
    }
}

async fn update_project(State(api): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    let fields = match writable_fields(&body) {
        Ok(fields) => fields,
        Err(response) => return *response,
    };
    let mut store = lock(&api.store);
    let Some(project) = parse_id(&id).and_then(|id| store.projects.get_mut(&id)) else {
        return not_found();
    };
    project.extend(fields);
    ok(&Value::Object(project.clone()))
}

async fn delete_project(State(api): Shared, Path(id): Path<String>) -> Response {
    let mut store = lock(&api.store);
    match parse_id(&id).and_then(|id| store.projects.remove(&id)) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => not_found(),
    }
}

// ---------------------------------------------------------------------------------------
// Cost summary
// ---------------------------------------------------------------------------------------

/// The cost summary's parameters, checked.
struct CostQuery {
    date_start: String,
    date_end: String,
    /// The index of the cost type in [`COST_TYPES`] and in [`CostLine::costs`].
    column: usize,
    accounts: Vec<String>,
    regions: Vec<String>,
    products: Vec<String>,
    /// Tag keys and the values they must have.
    tag: Map<String, Value>,
    /// `Some(true)`: only charges that are not resources; `Some(false)`: only resources.
    non_resources: Option<bool>,
}

impl CostQuery {
    /// Reads the query; `Err` is the 400 answer naming every field at fault.
    fn parse(query: Option<&str>) -> Result<Self, Refusal> {
        let mut errors = Map::new();
        let mut date = |name: &str| match query_param(query, name) {
            Some(date) if is_date(&date) => date,
            found => {
                let message = match found {
                    Some(_) => "Date has wrong format. Use YYYY-MM-DD.",
                    None => "This field is required.",
                };
                errors.insert(name.into(), json!([message]));
                String::new()
            }
        };
        let (date_start, date_end) = (date("date_start"), date("date_end"));
        let cost_type = query_param(query, "cost_type").unwrap_or_else(|| COST_TYPES[0].into());
        let column = COST_TYPES.iter().position(|known| *known == cost_type);
        if column.is_none() {
            let message = format!("\"{cost_type}\" is not a valid choice.");
            errors.insert("cost_type".into(), json!([message]));
        }
        let tag = match query_param(query, "tag").map(|text| serde_json::from_str(&text)) {
            None => Map::new(),
            Some(Ok(tag)) => tag,
            Some(Err(_)) => {
                errors.insert("tag".into(), json!(["Must be a JSON object."]));
                Map::new()
            }
        };
        let non_resources = boolean_param(query, "non_resources")?;
        if date_start > date_end && errors.is_empty() {
            errors.insert("date_end".into(), json!(["Must not be before date_start."]));
        }
        match column {
            Some(column) if errors.is_empty() => Ok(CostQuery {
                date_start,
                date_end,
                column,
                accounts: query_values(query, &["account_id[]", "account_id"]),
                regions: query_values(query, &["region[]", "region"]),
                products: query_values(query, &["product[]", "product"]),
                tag,
                non_resources,
            }),
            _ => Err(Box::new(field_errors(errors))),
        }
    }

    fn matches(&self, line: &CostLine) -> bool {
        let allows =
            |wanted: &[String], value: &str| wanted.is_empty() || wanted.iter().any(|w| w == value);
        allows(&self.accounts, line.account_id)
            && allows(&self.regions, line.region)
            && allows(&self.products, line.product)
            && self
                .non_resources
                .is_none_or(|non_resources| non_resources != line.resource)
            && self.tag.iter().all(|(key, value)| {
                line.tags
                    .iter()
                    .any(|(k, v)| k == key && value.as_str() == Some(*v))
            })
    }
}

/// The mock's answer: the fixed cost lines that pass the filters, and their total in the
/// chosen cost column.
async fn cost_summary(RawQuery(query): RawQuery) -> Response {
    let query = match CostQuery::parse(query.as_deref()) {
        Ok(query) => query,
        Err(response) => return *response,
    };
    let lines: Vec<&CostLine> = COST_LINES
        .iter()
        .filter(|line| query.matches(line))
        .collect();
    let items: Vec<Value> = lines
        .iter()
        .map(|line| {
            json!({
                "account_id": line.account_id,
                "region": line.region,
                "product": line.product,
                "cost": line.costs[query.column],
            })
        })
        .collect();
    ok(&json!({
        "date_start": query.date_start,
        "date_end": query.date_end,
        "cost_type": COST_TYPES[query.column],
        "total_cost": lines.iter().map(|line| line.costs[query.column]).sum::<f64>(),
        "items": items,
    }))
}

// ---------------------------------------------------------------------------------------
// Essentials scheduler
// ---------------------------------------------------------------------------------------

async fn eventbridge() -> Response {
    ok(&json!([{
        "id": EVENTBRIDGE_ID,
        "account_number": DEMO_ACCOUNT,
        "region": "us-east-1",
    }]))
}

async fn list_schedulers(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let Some(kind) = query_param(query.as_deref(), "scheduler_for") else {
        return field_error("scheduler_for", "This field is required.");
    };
    let schedulers: Vec<Value> = lock(&api.store)
        .schedulers
        .values()
        .filter(|scheduler| scheduler.get("scheduler_for").and_then(Value::as_str) == Some(&kind))
        .cloned()
        .map(Value::Object)
        .collect();
    ok(&json!(schedulers))
}

/// An integer field of `object` within `range`, or the message saying what is wrong.
fn bounded(object: &Map<String, Value>, field: &str, max: u64) -> Result<u64, String> {
    match object.get(field) {
        None | Some(Value::Null) => Err("This field is required.".into()),
        Some(value) => value
            .as_u64()
            .filter(|number| *number <= max)
            .ok_or_else(|| format!("Ensure this value is an integer from 0 to {max}.")),
    }
}

/// What is wrong with the scheduler's actions, by field.
fn action_errors(actions: &[Value]) -> Vec<Value> {
    actions
        .iter()
        .map(|action| {
            let mut errors = Map::new();
            let Some(action) = action.as_object() else {
                return json!({ "non_field_errors": ["Must be an object."] });
            };
            if !matches!(
                action.get("action").and_then(Value::as_str),
                Some("start" | "stop")
            ) {
                errors.insert("action".into(), json!(["Must be start or stop."]));
            }
            if action.get("action_type").and_then(Value::as_str).is_none() {
                errors.insert("action_type".into(), json!(["This field is required."]));
            }
            for (field, max) in [("day_of_week", 6), ("hour", 23), ("minute", 59)] {
                if let Err(message) = bounded(action, field, max) {
                    errors.insert(field.into(), json!([message]));
                }
            }
            Value::Object(errors)
        })
        .collect()
}

async fn create_scheduler(State(api): Shared, body: Bytes) -> Response {
    let mut scheduler = match object_body(&body) {
        Ok(fields) => fields,
        Err(response) => return *response,
    };
    let mut errors = Map::new();
    for field in [
        "project",
        "account_number",
        "eventbridge_configuration",
        "scheduler_for",
    ] {
        if is_blank(scheduler.get(field)) {
            errors.insert(field.into(), json!(["This field is required."]));
        }
    }
    if let Err(message) = bounded(&scheduler, "hours_down", 167) {
        errors.insert("hours_down".into(), json!([message]));
    }
    let resources = scheduler.get("resources").and_then(Value::as_array);
    if resources.is_none() {
        errors.insert("resources".into(), json!(["Expected a list of items."]));
    }
    match scheduler.get("actions").and_then(Value::as_array) {
        None => {
            errors.insert("actions".into(), json!(["Expected a list of items."]));
        }
        Some(actions) => {
            let found = action_errors(actions);
            if found
                .iter()
                .any(|e| e.as_object().is_some_and(|e| !e.is_empty()))
            {
                errors.insert("actions".into(), Value::Array(found));
            }
        }
    }
    let eventbridge = scheduler.get("eventbridge_configuration");
    if !is_blank(eventbridge) && eventbridge.and_then(Value::as_str) != Some(EVENTBRIDGE_ID) {
        errors.insert(
            "eventbridge_configuration".into(),
            json!(["No EventBridge configuration with this id."]),
        );
    }
    let project = match scheduler.get("project") {
        Some(Value::String(text)) => text.parse().ok(),
        Some(value) => value.as_u64(),
        None => None,
    };
    let untagged = resources.is_some_and(Vec::is_empty);
    let mut store = lock(&api.store);
    if !is_blank(scheduler.get("project"))
        && project.is_none_or(|project| !store.projects.contains_key(&project))
    {
        errors.insert("project".into(), json!(["No project with this id."]));
    }
    if !errors.is_empty() {
        return field_errors(errors);
    }
    if store.schedulers.len() >= store.max_items {
        return store_full_answer("schedulers", store.max_items);
    }
    let id = store.next_scheduler_id;
    store.next_scheduler_id += 1;
    scheduler.insert("id".into(), json!(id));
    scheduler.insert("enabled".into(), json!(true));
    if untagged {
        // nOps makes up a tag and schedules whatever resources carry it.
        scheduler.insert("scheduled_by_tag_key".into(), json!("nops-scheduler"));
        scheduler.insert(
            "scheduled_by_tag_value".into(),
            json!(format!("scheduler-{id}")),
        );
    }
    store.schedulers.insert(id, scheduler.clone());
    json(StatusCode::CREATED, &Value::Object(scheduler))
}

fn set_enabled(api: &NopsApi, id: &str, enabled: bool) -> Response {
    let mut store = lock(&api.store);
    match parse_id(id).and_then(|id| store.schedulers.get_mut(&id)) {
        Some(scheduler) => {
            scheduler.insert("enabled".into(), json!(enabled));
            StatusCode::ACCEPTED.into_response()
        }
        None => not_found(),
    }
}

async fn enable_scheduler(State(api): Shared, Path(id): Path<String>) -> Response {
    set_enabled(&api, &id, true)
}

async fn disable_scheduler(State(api): Shared, Path(id): Path<String>) -> Response {
    set_enabled(&api, &id, false)
}

async fn trigger_scheduler(State(api): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    let body = match object_body(&body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let known = parse_id(&id).is_some_and(|id| lock(&api.store).schedulers.contains_key(&id));
    if !known {
        return not_found();
    }
    match body.get("action_name").and_then(Value::as_str) {
        Some("start" | "stop") => StatusCode::ACCEPTED.into_response(),
        _ => field_error("action_name", "Must be start or stop."),
    }
}

// ---------------------------------------------------------------------------------------
// MAP migration
// ---------------------------------------------------------------------------------------

/// Count and cost of the MAP resources tagged (or not).
fn resource_summary(tagged: bool) -> Value {
    let lines: Vec<&MapLine> = MAP_LINES.iter().filter(|l| l.tagged == tagged).collect();
    json!({
        "resources_count": lines.len(),
        "cost": lines.iter().map(|line| line.cost).sum::<f64>(),
    })
}

fn map_project_value(client_id: u64) -> Value {
    json!({
        "id": MAP_PROJECT_ID,
        "name": "Datacenter exit",
        "migration_id": "MPE12345",
        "tag_key": "migMPE12345",
        "server_id": null,
        "credit_percent": "25.00",
        "map_credit_cap": "1000000.00",
        "workload_pk": null,
        "date_start": "2025-01-01",
        "date_end": "2027-12-31",
        "migration_period": 36,
        "windows_optimization": false,
        "client": client_id,
        "created": "2025-01-02T09:30:00Z",
        "modified": "2025-06-01T12:00:00Z",
        "on_prem_non_commercial_db_entity": null,
        "on_prem_commercial_db_entity": null,
        "ec2_non_commercial_db_entity": null,
        "ec2_commercial_db_entity": { "credit_percent": "25.00" },
        "sap_entity": { "credit_percent": "50.00" },
        "baseline_s3_entity": { "credit_percent": "25.00" },
        "speciality_services_entity": null,
        "private_equity_entity": null,
        "tagged_resources": resource_summary(true),
        "untagged_resources": resource_summary(false),
        "credits": [],
    })
}

/// The MAP projects, as both `/c/v3/map-migration/` and `/sp/v3/map-projects/` list them.
async fn map_projects(State(api): Shared) -> Response {
    ok(&json!([map_project_value(api.client_id)]))
}

async fn map_project(State(api): Shared, Path(id): Path<String>) -> Response {
    match parse_id(&id) {
        Some(MAP_PROJECT_ID) => ok(&map_project_value(api.client_id)),
        _ => not_found(),
    }
}

async fn map_products(Path(id): Path<String>) -> Response {
    if parse_id(&id) != Some(MAP_PROJECT_ID) {
        return not_found();
    }
    let mut products: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
    for line in MAP_LINES {
        let entry = products.entry(line.product).or_default();
        entry.0 += 1;
        entry.1 += line.cost;
    }
    let products: Vec<Value> = products
        .into_iter()
        .map(|(name, (count, cost))| {
            json!({
                "product_product_name": name,
                "resources_count": count as f64,
                "cost": cost,
            })
        })
        .collect();
    ok(&json!(products))
}

async fn map_resources(Path(id): Path<String>, RawQuery(query): RawQuery) -> Response {
    if parse_id(&id) != Some(MAP_PROJECT_ID) {
        return not_found();
    }
    let query = query.as_deref();
    let entity = query_param(query, "migration_entity").filter(|e| !e.is_empty());
    let tagged = match boolean_param(query, "tagged") {
        Ok(tagged) => tagged,
        Err(response) => return *response,
    };
    let accounts = query_values(query, &["account_ids"]);
    let products = query_values(query, &["product_names"]);
    let resources: Vec<Value> = MAP_LINES
        .iter()
        .filter(|line| {
            entity.as_deref().is_none_or(|entity| entity == line.entity)
                && tagged.is_none_or(|tagged| tagged == line.tagged)
                && (accounts.is_empty() || accounts.iter().any(|a| a == line.account_id))
                && (products.is_empty() || products.iter().any(|p| p == line.product))
        })
        .map(|line| {
            json!({
                "line_item_resource_id": line.resource_id,
                "region": line.region,
                "account_id": line.account_id,
                "resource_name": line.name,
                "cost": line.cost,
            })
        })
        .collect();
    ok(&json!(resources))
}
