//! OVH under `/ovh/1.0`: `$1$` SHA-1 signatures, `X-Ovh-Application` on every call,
//! `GET /auth/time` unsigned, the consumer-key flow, and a small DNS zone store.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Router, body::Bytes};
use serde::{Deserialize, Serialize};
use serde_json::json;
use signed_api_runtime::schemes::OvhVerifier;
use signed_api_runtime::{AlphanumericNonce, NonceSource, ReceivedRequest, Verifier, VerifyError};

use super::{MockApi, Refusal, lock};
use crate::OvhMockCredentials;
use crate::context::{Context, iso8601};
use crate::reply::{json, ok, parse_body, query_param};

/// Record types the fake DNS accepts.
const FIELD_TYPES: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "DKIM", "MX", "NAPTR", "NS", "SPF", "SRV", "TXT",
];

pub(crate) struct OvhApi {
    verifier: RwLock<OvhVerifier>,
    store: Mutex<Store>,
    query_ids: AtomicU64,
}

/// What OVH remembers: issued credentials and DNS zones.
struct Store {
    /// Credentials issued by `POST /auth/credential`, by consumer key.
    credentials: HashMap<String, Credential>,
    next_credential_id: u64,
    zones: BTreeMap<String, BTreeMap<u64, Record>>,
    next_record_id: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct AccessRule {
    method: String,
    path: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Credential {
    credential_id: u64,
    application_id: u64,
    creation: String,
    expiration: Option<String>,
    last_use: Option<String>,
    ovh_support: bool,
    #[serde(rename = "allowedIPs")]
    allowed_ips: Option<Vec<String>>,
    rules: Vec<AccessRule>,
    status: &'static str,
}

impl Credential {
    fn allows(&self, method: &str, path: &str) -> bool {
        self.rules.iter().any(|rule| {
            rule.method.eq_ignore_ascii_case(method) && wildcard_match(&rule.path, path)
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialRequest {
    access_rules: Vec<AccessRule>,
    redirection: Option<String>,
    #[serde(rename = "allowedIPs")]
    allowed_ips: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    id: u64,
    zone: String,
    field_type: String,
    sub_domain: String,
    target: String,
    ttl: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewRecord {
    field_type: String,
    #[serde(default)]
    sub_domain: String,
    target: String,
    ttl: Option<u64>,
}

/// Whether `path` matches an access-rule pattern, where `*` stands for any text.
fn wildcard_match(pattern: &str, path: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == path,
        Some((head, tail)) => path.strip_prefix(head).is_some_and(|rest| {
            (0..=rest.len())
                .filter(|at| rest.is_char_boundary(*at))
                .any(|at| wildcard_match(tail, &rest[at..]))
        }),
    }
}

impl OvhApi {
    pub(crate) fn new(credentials: &OvhMockCredentials, window: i64) -> Self {
        let mut zones = BTreeMap::new();
        let seed = |id, field_type: &str, sub_domain: &str, target: &str| Record {
            id,
            zone: "example.com".into(),
            field_type: field_type.into(),
            sub_domain: sub_domain.into(),
            target: target.into(),
            ttl: 3600,
        };
        zones.insert(
            "example.com".to_owned(),
            BTreeMap::from([
                (1, seed(1, "A", "", "192.0.2.1")),
                (2, seed(2, "CNAME", "www", "example.com.")),
            ]),
        );
        zones.insert("example.org".to_owned(), BTreeMap::new());
        OvhApi {
            verifier: RwLock::new(OvhVerifier::new(credentials.credentials.clone(), window)),
            store: Mutex::new(Store {
                credentials: HashMap::new(),
                next_credential_id: 2,
                zones,
                next_record_id: 3,
            }),
            query_ids: AtomicU64::new(1),
        }
    }

    fn verifier(&self) -> std::sync::RwLockReadGuard<'_, OvhVerifier> {
        self.verifier
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A refusal as OVH words it: `{"errorCode","httpCode","message"}`; 403 for an unknown
/// application or credential (as OVH), 401 for a missing credential, a bad signature or
/// a timestamp out of the window.
fn refusal(error: &VerifyError) -> Response {
    let (status, code) = match error {
        VerifyError::MissingHeader("x-ovh-application") => (StatusCode::FORBIDDEN, "INVALID_KEY"),
        VerifyError::UnknownKey("application key") => (StatusCode::FORBIDDEN, "INVALID_KEY"),
        VerifyError::UnknownKey(_) => (StatusCode::FORBIDDEN, "INVALID_CREDENTIAL"),
        VerifyError::MissingHeader("x-ovh-consumer") => {
            (StatusCode::UNAUTHORIZED, "NOT_CREDENTIAL")
        }
        VerifyError::Expired { .. } => (StatusCode::UNAUTHORIZED, "QUERY_TIME_OUT"),
        _ => (StatusCode::UNAUTHORIZED, "INVALID_SIGNATURE"),
    };
    auth_error(status, code, &error.to_string())
}

fn auth_error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        &json!({ "errorCode": code, "httpCode": http_code(status), "message": message }),
    )
}

fn http_code(status: StatusCode) -> String {
    format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    )
}

fn error(status: StatusCode, message: &str) -> Response {
    let class = match status {
        StatusCode::NOT_FOUND => "Client::NotFound",
        StatusCode::BAD_REQUEST => "Client::BadRequest",
        StatusCode::CONFLICT => "Client::Conflict",
        StatusCode::METHOD_NOT_ALLOWED => "Client::BadRequest::MethodNotAllowed",
        StatusCode::TOO_MANY_REQUESTS => "Client::TooManyRequests",
        _ if status.is_server_error() => "Server::ServiceUnavailable",
        _ => "Client::Error",
    };
    json(
        status,
        &json!({ "class": class, "httpCode": http_code(status), "message": message }),
    )
}

impl MockApi for OvhApi {
    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        match (request.method, path) {
            ("GET", "/auth/time") => return Ok(None),
            ("POST", "/auth/credential") => {
                self.verifier()
                    .verify_application(request)
                    .map_err(|e| Box::new(refusal(&e)))?;
                return Ok(None);
            }
            _ => {}
        }
        self.verifier()
            .verify(request, now)
            .map_err(|e| Box::new(refusal(&e)))?;
        let consumer = request
            .header("x-ovh-consumer")
            .unwrap_or_default()
            .to_owned();
        let store = lock(&self.store);
        let granted = store
            .credentials
            .get(&consumer)
            .is_none_or(|credential| credential.allows(request.method, path));
        if !granted {
            return Err(Box::new(auth_error(
                StatusCode::FORBIDDEN,
                "NOT_GRANTED_CALL",
                "This call has not been granted",
            )));
        }
        Ok(Some(consumer))
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        error(status, message)
    }

    fn finish(&self, response: &mut Response) {
        let id = self.query_ids.fetch_add(1, Ordering::Relaxed);
        if let Ok(value) = HeaderValue::from_str(&format!("MOCK.ovh-{id}")) {
            response.headers_mut().insert("x-ovh-queryid", value);
        }
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/auth/time", get(time))
            .route("/auth/credential", post(create_credential))
            .route("/auth/currentCredential", get(current_credential))
            .route("/me", get(me))
            .route("/domain", get(domains))
            .route("/domain/zone", get(domains))
            .route(
                "/domain/zone/{zone}/record",
                get(list_records).post(create_record),
            )
            .route(
                "/domain/zone/{zone}/record/{id}",
                get(get_record).delete(delete_record),
            )
            .fallback(|| async { error(StatusCode::NOT_FOUND, "Got an invalid (or empty) URL") })
            .method_not_allowed_fallback(|method: Method| async move {
                error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &format!("Method {method} is not allowed on this path"),
                )
            })
            .with_state(self)
    }
}

type Api = State<Arc<OvhApi>>;

async fn time(Extension(context): Extension<Context>) -> Response {
    ok(&json!(context.now))
}

async fn create_credential(
    State(api): Api,
    Extension(context): Extension<Context>,
    body: Bytes,
) -> Response {
    let request: CredentialRequest = match parse_body(&body) {
        Ok(request) => request,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE"];
    if let Some(rule) = request.access_rules.iter().find(|rule| {
        !METHODS.contains(&rule.method.to_ascii_uppercase().as_str()) || !rule.path.starts_with('/')
    }) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!(
                "Invalid access rule {} {}: the method must be one of GET, POST, PUT, DELETE and the path start with /",
                rule.method, rule.path
            ),
        );
    }
    let consumer_key = AlphanumericNonce::new(32).nonce(context.now);
    let token = AlphanumericNonce::new(16).nonce(context.now);
    let mut store = lock(&api.store);
    let credential_id = store.next_credential_id;
    store.next_credential_id += 1;
    store.credentials.insert(
        consumer_key.clone(),
        Credential {
            credential_id,
            application_id: 1,
            creation: iso8601(context.now),
            expiration: None,
            last_use: None,
            ovh_support: false,
            allowed_ips: request.allowed_ips,
            rules: request.access_rules,
            status: "validated",
        },
    );
    drop(store);
    // The mock validates at once: there is no user to log in and approve.
    api.verifier
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .add_consumer_key(consumer_key.clone());
    let mut validation_url = format!(
        "{}/ovh/1.0/auth/validate?credentialToken={token}",
        context.origin
    );
    if let Some(redirection) = &request.redirection {
        validation_url.push_str("&redirection=");
        validation_url.push_str(&encode(redirection));
    }
    ok(&json!({
        "validationUrl": validation_url,
        "consumerKey": consumer_key,
        "state": "pendingValidation",
    }))
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

async fn current_credential(State(api): Api, Extension(context): Extension<Context>) -> Response {
    let caller = context.caller.unwrap_or_default();
    let mut store = lock(&api.store);
    let credential = match store.credentials.get_mut(&caller) {
        Some(credential) => {
            credential.last_use = Some(iso8601(context.now));
            credential.clone()
        }
        // The consumer key configured at start: full access, as a test key usually has.
        None => Credential {
            credential_id: 1,
            application_id: 1,
            creation: iso8601(0),
            expiration: None,
            last_use: Some(iso8601(context.now)),
            ovh_support: false,
            allowed_ips: None,
            rules: ["GET", "POST", "PUT", "DELETE"]
                .iter()
                .map(|method| AccessRule {
                    method: (*method).to_owned(),
                    path: "/*".to_owned(),
                })
                .collect(),
            status: "validated",
        },
    };
    ok(&json!(credential))
}

async fn me() -> Response {
    ok(&json!({
        "nichandle": "xx1111-ovh",
        "email": "demo@example.com",
        "firstname": "Demo",
        "name": "User",
        "country": "FR",
        "currency": { "code": "EUR", "symbol": "EURO" },
        "language": "fr_FR",
        "legalform": "individual",
        "ovhCompany": "ovh",
        "ovhSubsidiary": "FR",
        "state": "complete",
    }))
}

async fn domains(State(api): Api) -> Response {
    let names: Vec<String> = lock(&api.store).zones.keys().cloned().collect();
    ok(&json!(names))
}

fn no_zone(zone: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("This service does not exist: {zone}"),
    )
}

async fn list_records(
    State(api): Api,
    Path(zone): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let field_type = query_param(query.as_deref(), "fieldType");
    let sub_domain = query_param(query.as_deref(), "subDomain");
    let store = lock(&api.store);
    let Some(records) = store.zones.get(&zone) else {
        return no_zone(&zone);
    };
    let ids: Vec<u64> = records
        .values()
        .filter(|record| field_type.as_ref().is_none_or(|t| *t == record.field_type))
        .filter(|record| sub_domain.as_ref().is_none_or(|s| *s == record.sub_domain))
        .map(|record| record.id)
        .collect();
    ok(&json!(ids))
}

async fn create_record(State(api): Api, Path(zone): Path<String>, body: Bytes) -> Response {
    let new: NewRecord = match parse_body(&body) {
        Ok(new) => new,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    if !FIELD_TYPES.contains(&new.field_type.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid fieldType {:?}", new.field_type),
        );
    }
    let mut store = lock(&api.store);
    let id = store.next_record_id;
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    let record = Record {
        id,
        zone: zone.clone(),
        field_type: new.field_type,
        sub_domain: new.sub_domain,
        target: new.target,
        ttl: new.ttl.unwrap_or(0),
    };
    records.insert(id, record.clone());
    store.next_record_id += 1;
    ok(&json!(record))
}

async fn get_record(State(api): Api, Path((zone, id)): Path<(String, String)>) -> Response {
    let store = lock(&api.store);
    let Some(records) = store.zones.get(&zone) else {
        return no_zone(&zone);
    };
    match id.parse().ok().and_then(|id: u64| records.get(&id)) {
        Some(record) => ok(&json!(record)),
        None => no_record(&id),
    }
}

async fn delete_record(State(api): Api, Path((zone, id)): Path<(String, String)>) -> Response {
    let mut store = lock(&api.store);
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    match id.parse().ok().and_then(|id: u64| records.remove(&id)) {
        Some(_) => ok(&serde_json::Value::Null),
        None => no_record(&id),
    }
}

fn no_record(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("The requested object (id = {id}) does not exist"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_rule_patterns_match_with_wildcards() {
        assert!(wildcard_match("/*", "/me"));
        assert!(wildcard_match("/domain/*", "/domain/zone/x/record"));
        assert!(!wildcard_match("/domain/*", "/me"));
        assert!(wildcard_match("/me", "/me"));
        assert!(!wildcard_match("/me", "/me/bill"));
        assert!(wildcard_match("/a/*/c", "/a/b/c"));
        assert!(!wildcard_match("/a/*/c", "/a/b/d"));
    }
}
