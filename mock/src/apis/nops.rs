//! nOps under `/nops`: the API key (query `api_key` or `X-Nops-Api-Key`) and, when a
//! public key is configured, `x-nops-signature` over the UTC date; AWS projects in memory.
//! Errors in Django REST framework's shape, `{"detail": …}`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};
use signed_api_runtime::schemes::NopsVerifier;
use signed_api_runtime::{ReceivedRequest, Verifier, VerifyError};

use super::{MockApi, Refusal, lock};
use crate::NopsMockCredentials;
use crate::reply::{json, ok, parse_body};

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

pub(crate) struct NopsApi {
    verifier: NopsVerifier,
    client_id: u64,
    store: Mutex<Store>,
}

struct Store {
    projects: BTreeMap<u64, Map<String, Value>>,
    next_id: u64,
}

impl NopsApi {
    pub(crate) fn new(credentials: &NopsMockCredentials, midnight_grace: i64) -> Self {
        let client_id = credentials
            .api_key
            .expose()
            .split('.')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(1);
        let mut first = Map::new();
        first.insert("id".into(), json!(1));
        first.insert("client".into(), json!(client_id));
        first.insert("name".into(), json!("demo-project"));
        first.insert("account_number".into(), json!("123456789012"));
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
            client_id,
            store: Mutex::new(Store {
                projects: BTreeMap::from([(1, first)]),
                next_id: 2,
            }),
        }
    }
}

fn detail(status: StatusCode, message: &str) -> Response {
    json(status, &json!({ "detail": message }))
}

impl MockApi for NopsApi {
    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        self.verifier.verify(request, now).map_err(|error| {
            let status = match error {
                VerifyError::MissingHeader(name) if name.starts_with("x-nops-api-key") => {
                    StatusCode::UNAUTHORIZED
                }
                VerifyError::UnknownKey(_) => StatusCode::UNAUTHORIZED,
                _ => StatusCode::FORBIDDEN,
            };
            Box::new(detail(status, &format!("Authentication failed: {error}")))
        })?;
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
            .fallback(|| async { detail(StatusCode::NOT_FOUND, "Not found.") })
            .method_not_allowed_fallback(|method: Method| async move {
                detail(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &format!("Method \"{method}\" not allowed."),
                )
            })
            .with_state(self)
    }
}

type Api = State<Arc<NopsApi>>;

async fn current_client(State(api): Api) -> Response {
    ok(&json!([{ "id": api.client_id, "name": "Demo client" }]))
}

async fn list_projects(State(api): Api) -> Response {
    let projects: Vec<Value> = lock(&api.store)
        .projects
        .values()
        .cloned()
        .map(Value::Object)
        .collect();
    ok(&json!(projects))
}

/// The writable fields of a JSON object body, or the 400 answer DRF would give.
fn writable_fields(body: &Bytes) -> Result<Map<String, Value>, Refusal> {
    let fields: Map<String, Value> = parse_body(body).map_err(|message| {
        Box::new(json(
            StatusCode::BAD_REQUEST,
            &json!({ "non_field_errors": [message] }),
        ))
    })?;
    Ok(fields
        .into_iter()
        .filter(|(name, _)| WRITABLE.contains(&name.as_str()))
        .collect())
}

async fn create_project(State(api): Api, body: Bytes) -> Response {
    let fields = match writable_fields(&body) {
        Ok(fields) => fields,
        Err(response) => return *response,
    };
    let missing: Map<String, Value> = ["name", "account_number"]
        .iter()
        .filter(|name| {
            fields
                .get(**name)
                .is_none_or(|value| value.is_null() || value.as_str() == Some(""))
        })
        .map(|name| ((*name).to_owned(), json!(["This field is required."])))
        .collect();
    if !missing.is_empty() {
        return json(StatusCode::BAD_REQUEST, &Value::Object(missing));
    }
    let mut store = lock(&api.store);
    let id = store.next_id;
    store.next_id += 1;
    let mut project = fields;
    project.insert("id".into(), json!(id));
    project.insert("client".into(), json!(api.client_id));
    store.projects.insert(id, project.clone());
    json(StatusCode::CREATED, &Value::Object(project))
}

fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not found.")
}

async fn get_project(State(api): Api, Path(id): Path<String>) -> Response {
    let store = lock(&api.store);
    match id.parse().ok().and_then(|id: u64| store.projects.get(&id)) {
        Some(project) => ok(&Value::Object(project.clone())),
        None => not_found(),
    }
}

async fn update_project(State(api): Api, Path(id): Path<String>, body: Bytes) -> Response {
    let fields = match writable_fields(&body) {
        Ok(fields) => fields,
        Err(response) => return *response,
    };
    let mut store = lock(&api.store);
    let Some(project) = id
        .parse()
        .ok()
        .and_then(|id: u64| store.projects.get_mut(&id))
    else {
        return not_found();
    };
    project.extend(fields);
    ok(&Value::Object(project.clone()))
}

async fn delete_project(State(api): Api, Path(id): Path<String>) -> Response {
    let mut store = lock(&api.store);
    match id
        .parse()
        .ok()
        .and_then(|id: u64| store.projects.remove(&id))
    {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => not_found(),
    }
}
