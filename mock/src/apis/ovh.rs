//! OVH under `/ovh/1.0`: `$1$` SHA-1 signatures, `X-Ovh-Application` on every call,
//! `GET /auth/time` unsigned, the consumer-key flow with the account's credentials
//! (listed, updated, revoked, logged out), bills, domains and a small DNS zone store.

use std::collections::{BTreeMap, BTreeSet, HashMap};
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
use signed_api_runtime::verify::{check_window, parse_unix_seconds};
use signed_api_runtime::{AlphanumericNonce, NonceSource, ReceivedRequest, Verifier, VerifyError};

use super::{MockApi, Refusal, lock};
use crate::context::{Context, iso8601};
use crate::reply::{is_date, json, ok, parse_body, query_param, store_full};
use crate::server::declared_length;
use crate::{Api, OvhMockCredentials};

/// Record types the fake DNS accepts.
const FIELD_TYPES: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "DKIM", "MX", "NAPTR", "NS", "SPF", "SRV", "TXT",
];

pub(crate) struct OvhApi {
    verifier: RwLock<OvhVerifier>,
    /// How far from server time `X-Ovh-Timestamp` may be, in seconds.
    window: i64,
    store: Mutex<Store>,
    query_ids: AtomicU64,
}

/// What OVH remembers: the account's credentials, bills, domains and DNS zones.
struct Store {
    credentials: Credentials,
    /// Bill ids and dates, oldest first.
    bills: Vec<(String, String)>,
    domains: BTreeMap<String, Domain>,
    zones: BTreeMap<String, BTreeMap<u64, Record>>,
    next_record_id: u64,
    /// DNS records kept at most, all zones together.
    max_records: usize,
}

/// The id of the credential configured at start.
const CONFIGURED_CREDENTIAL_ID: u64 = 1;

/// The largest `POST /auth/credential` body read. Anyone who knows the application key
/// may ask for credentials, and each one keeps its access rules: this, with
/// [`MAX_ACCESS_RULES`], bounds what one holds. A real request has a few rules.
const CREDENTIAL_REQUEST_LIMIT: usize = 4096;

/// Access rules, and allowed IP ranges, per credential at most.
const MAX_ACCESS_RULES: usize = 64;

/// The account's credentials: the one configured at start (kept from its first use, with
/// full access) and those issued by `POST /auth/credential`.
///
/// That call needs only the application key, so issued credentials are bounded: past
/// `max_issued` one is evicted ([`Standing`] says which), and its consumer key is removed
/// from the verifier in the same step, so that the verifier accepts exactly the issued
/// keys kept here (and the configured one). Every change that touches the verifier is made
/// with its write lock held, taken before the store's lock, as everywhere in this API.
/// Lookups by consumer key are one hash lookup, by id and for eviction O(log n).
struct Credentials {
    by_key: HashMap<String, Credential>,
    /// Consumer keys by credential id (`/me/api/credential/{id}`), in id order.
    keys_by_id: BTreeMap<u64, String>,
    /// The issued credentials, in the order they are evicted.
    eviction: BTreeSet<(Standing, u64)>,
    max_issued: usize,
    next_id: u64,
}

/// Which issued credentials go first when the store is full: those logged out (nobody
/// can use them again), then those never used, then those in use; the oldest first within
/// each. The mock validates a credential when it issues it; one that has signed nothing
/// stands for OVH's `pendingValidation`, which is what a flood of requests leaves behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Expired,
    Unused,
    Used,
}

impl Credentials {
    fn new(max_issued: usize) -> Self {
        Credentials {
            by_key: HashMap::new(),
            keys_by_id: BTreeMap::new(),
            eviction: BTreeSet::new(),
            max_issued: max_issued.max(1),
            next_id: CONFIGURED_CREDENTIAL_ID + 1,
        }
    }

    fn get(&self, consumer_key: &str) -> Option<&Credential> {
        self.by_key.get(consumer_key)
    }

    /// The consumer key of the credential with this id, as a path gives it.
    fn key_of(&self, id: &str) -> Option<&str> {
        let id: u64 = id.parse().ok()?;
        self.keys_by_id.get(&id).map(String::as_str)
    }

    /// Every credential, in id order.
    fn all(&self) -> impl Iterator<Item = &Credential> {
        self.keys_by_id
            .values()
            .filter_map(|consumer_key| self.by_key.get(consumer_key))
    }

    /// Issues a credential to `consumer_key` and has the verifier accept it, first
    /// evicting as many as it takes to stay within `max_issued`.
    fn issue(
        &mut self,
        verifier: &mut OvhVerifier,
        consumer_key: String,
        make: impl FnOnce(u64) -> Credential,
    ) {
        while self.eviction.len() >= self.max_issued {
            let Some((_, id)) = self.eviction.pop_first() else {
                break;
            };
            if let Some(evicted) = self.keys_by_id.remove(&id) {
                self.by_key.remove(&evicted);
                verifier.remove_consumer_key(&evicted);
            }
        }
        let credential = make(self.next_id);
        self.next_id += 1;
        self.eviction
            .insert((credential.standing(), credential.credential_id));
        self.keys_by_id
            .insert(credential.credential_id, consumer_key.clone());
        verifier.add_consumer_key(consumer_key.clone());
        self.by_key.insert(consumer_key, credential);
    }

    /// Keeps the configured credential under `consumer_key` if no credential is kept
    /// under it: called with a key the verifier has just accepted, under its read lock,
    /// when no credential can be issued, evicted or revoked, so such a key is the
    /// configured one, on its first use.
    fn keep_configured(&mut self, consumer_key: &str, now: i64) {
        if !self.by_key.contains_key(consumer_key) {
            self.keys_by_id
                .insert(CONFIGURED_CREDENTIAL_ID, consumer_key.to_owned());
            self.by_key
                .insert(consumer_key.to_owned(), Credential::configured(now));
        }
    }

    /// Changes a credential, keeping its place in the eviction order right.
    fn update(
        &mut self,
        consumer_key: &str,
        change: impl FnOnce(&mut Credential),
    ) -> Option<&Credential> {
        let credential = self.by_key.get_mut(consumer_key)?;
        let before = credential.standing();
        change(credential);
        let after = credential.standing();
        let id = credential.credential_id;
        if before != after && self.eviction.remove(&(before, id)) {
            self.eviction.insert((after, id));
        }
        Some(credential)
    }

    /// Forgets a credential and has the verifier refuse its key; whether there was one.
    fn revoke(&mut self, verifier: &mut OvhVerifier, consumer_key: &str) -> bool {
        let Some(credential) = self.by_key.remove(consumer_key) else {
            return false;
        };
        let id = credential.credential_id;
        self.keys_by_id.remove(&id);
        self.eviction.remove(&(credential.standing(), id));
        verifier.remove_consumer_key(consumer_key);
        true
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Domain {
    domain: String,
    offer: &'static str,
    name_server_type: &'static str,
    transfer_lock_status: &'static str,
    whois_owner: &'static str,
    dnssec_supported: bool,
    owo_supported: bool,
    host_supported: bool,
    glue_record_ipv6_supported: bool,
    glue_record_multi_ip_supported: bool,
    last_update: &'static str,
    parent_service: Option<serde_json::Value>,
    iam: serde_json::Value,
}

impl Domain {
    fn new(domain: &str, name_server_type: &'static str, whois_owner: &'static str) -> Self {
        Domain {
            domain: domain.to_owned(),
            offer: "gold",
            name_server_type,
            transfer_lock_status: "locked",
            whois_owner,
            dnssec_supported: true,
            owo_supported: true,
            host_supported: true,
            glue_record_ipv6_supported: true,
            glue_record_multi_ip_supported: true,
            last_update: "2024-01-02T10:00:00+01:00",
            parent_service: None,
            iam: json!({
                "id": format!("mock-{domain}"),
                "urn": format!("urn:v1:eu:resource:domain:{domain}"),
                "displayName": domain,
            }),
        }
    }
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
    /// The credential configured at start: every verb on every path, as a test key
    /// usually has.
    fn configured(now: i64) -> Self {
        Credential {
            credential_id: CONFIGURED_CREDENTIAL_ID,
            application_id: 1,
            creation: iso8601(now),
            expiration: None,
            last_use: None,
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
        }
    }

    fn standing(&self) -> Standing {
        match (self.status, &self.last_use) {
            ("validated", None) => Standing::Unused,
            ("validated", Some(_)) => Standing::Used,
            _ => Standing::Expired,
        }
    }

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
struct CredentialUpdate {
    #[serde(rename = "allowedIPs")]
    allowed_ips: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordUpdate {
    sub_domain: Option<String>,
    target: Option<String>,
    ttl: Option<u64>,
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
///
/// Patterns come from callers (`POST /auth/credential`), so the match never backtracks
/// further than the last `*`: at most length × length steps, whatever the pattern (a
/// recursive split on every `*` is exponential in their number). Bytes are compared:
/// a literal, valid UTF-8, can only match at a character boundary.
fn wildcard_match(pattern: &str, path: &str) -> bool {
    let (pattern, path) = (pattern.as_bytes(), path.as_bytes());
    let (mut p, mut s) = (0, 0);
    // Just after the last `*` seen, and where in the path the text after it was last tried.
    let mut retry: Option<(usize, usize)> = None;
    while s < path.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                retry = Some((p, s));
            }
            Some(byte) if *byte == path[s] => {
                p += 1;
                s += 1;
            }
            _ => match retry {
                Some((after_star, end)) => {
                    (p, s) = (after_star, end + 1);
                    retry = Some((after_star, end + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|byte| *byte == b'*')
}

impl OvhApi {
    /// `max_items`: issued credentials kept, and DNS records.
    pub(crate) fn new(credentials: &OvhMockCredentials, window: i64, max_items: usize) -> Self {
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
        let bills = [
            ("FR00000001", "2024-01-15T10:00:00+01:00"),
            ("FR00000002", "2024-02-15T10:00:00+01:00"),
            ("FR00000003", "2024-03-15T10:00:00+01:00"),
        ]
        .iter()
        .map(|(id, date)| ((*id).to_owned(), (*date).to_owned()))
        .collect();
        let domains = [
            Domain::new("example.com", "hosted", "1234567"),
            Domain {
                transfer_lock_status: "unlocked",
                ..Domain::new("example.org", "external", "7654321")
            },
        ]
        .into_iter()
        .map(|domain| (domain.domain.clone(), domain))
        .collect();
        OvhApi {
            verifier: RwLock::new(OvhVerifier::new(credentials.credentials.clone(), window)),
            window,
            store: Mutex::new(Store {
                credentials: Credentials::new(max_items),
                bills,
                domains,
                zones,
                next_record_id: 3,
                max_records: max_items,
            }),
            query_ids: AtomicU64::new(1),
        }
    }

    fn verifier(&self) -> std::sync::RwLockReadGuard<'_, OvhVerifier> {
        self.verifier
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The verifier, to change the keys it accepts; take it before the store's lock.
    fn verifier_mut(&self) -> std::sync::RwLockWriteGuard<'_, OvhVerifier> {
        self.verifier
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The checks of a signed call that need no body: the application, the consumer,
    /// timestamp and signature headers, the timestamp in the window. Whether the consumer
    /// key is known is left to the verifier: it keeps the keys, and answers only as part
    /// of a full verification.
    fn check_signed_head(
        &self,
        request: &ReceivedRequest<'_>,
        now: i64,
    ) -> Result<(), VerifyError> {
        let verifier = self.verifier();
        verifier.verify_application(request)?;
        if !verifier.accepts_consumer_key(request.require("x-ovh-consumer")?) {
            return Err(VerifyError::UnknownKey("consumer key"));
        }
        drop(verifier);
        let timestamp = parse_unix_seconds("X-Ovh-Timestamp", request.require("x-ovh-timestamp")?)?;
        check_window(timestamp, now, self.window)?;
        request.require("x-ovh-signature")?;
        Ok(())
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

fn credential_request_too_large() -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("A credential request is at most {CREDENTIAL_REQUEST_LIMIT} bytes"),
    )
}

/// OVH's answer to a consumer key that was revoked or logged out.
fn invalid_credential() -> Refusal {
    Box::new(auth_error(
        StatusCode::FORBIDDEN,
        "INVALID_CREDENTIAL",
        "This credential is not valid",
    ))
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
    fn pre_authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<(), Refusal> {
        let checked = match (request.method(), path) {
            ("GET", "/auth/time") => Ok(()),
            ("POST", "/auth/credential") => {
                if declared_length(request.headers())
                    .is_some_and(|length| length > CREDENTIAL_REQUEST_LIMIT as u64)
                {
                    return Err(Box::new(credential_request_too_large()));
                }
                self.verifier().verify_application(request)
            }
            _ => self.check_signed_head(request, now),
        };
        checked.map_err(|e| Box::new(refusal(&e)))
    }

    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        match (request.method(), path) {
            ("GET", "/auth/time") => return Ok(None),
            ("POST", "/auth/credential") => {
                self.verifier()
                    .verify_application(request)
                    .map_err(|e| Box::new(refusal(&e)))?;
                return Ok(None);
            }
            _ => {}
        }
        // The read lock is held to the end: while it is, no credential is issued,
        // evicted or revoked, so the store agrees with what the verifier accepted.
        let verifier = self.verifier();
        verifier
            .verify(request, now)
            .map_err(|e| Box::new(refusal(&e)))?;
        let consumer = request
            .require("x-ovh-consumer")
            .map_err(|e| Box::new(refusal(&e)))?;
        let mut store = lock(&self.store);
        store.credentials.keep_configured(consumer, now);
        let last_use = iso8601(now);
        let credential = store.credentials.update(consumer, |credential| {
            if credential.status == "validated" {
                credential.last_use = Some(last_use);
            }
        });
        let Some(credential) = credential.filter(|c| c.status == "validated") else {
            return Err(invalid_credential());
        };
        if !credential.allows(request.method(), path) {
            return Err(Box::new(auth_error(
                StatusCode::FORBIDDEN,
                "NOT_GRANTED_CALL",
                "This call has not been granted",
            )));
        }
        Ok(Some(consumer.to_owned()))
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
            .route("/auth/details", get(auth_details))
            .route("/auth/logout", post(logout))
            .route("/me", get(me))
            .route("/me/api/credential", get(list_credentials))
            .route(
                "/me/api/credential/{id}",
                get(get_credential)
                    .put(update_credential)
                    .delete(delete_credential),
            )
            .route("/me/bill", get(bills))
            .route("/domain", get(domains))
            .route("/domain/{service}", get(domain))
            .route("/domain/zone", get(zones))
            .route(
                "/domain/zone/{zone}/record",
                get(list_records).post(create_record),
            )
            .route(
                "/domain/zone/{zone}/record/{id}",
                get(get_record).put(update_record).delete(delete_record),
            )
            .route("/domain/zone/{zone}/refresh", post(refresh_zone))
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

/// The `State` extractor of this API's handlers (named so as not to shadow [`crate::Api`]).
type Shared = State<Arc<OvhApi>>;

async fn time(Extension(context): Extension<Context>) -> Response {
    ok(&json!(context.now))
}

async fn create_credential(
    State(api): Shared,
    Extension(context): Extension<Context>,
    body: Bytes,
) -> Response {
    if body.len() > CREDENTIAL_REQUEST_LIMIT {
        return credential_request_too_large();
    }
    let request: CredentialRequest = match parse_body(&body) {
        Ok(request) => request,
        Err(bad) => return error(bad.status, &bad.message),
    };
    if let Err(message) = check_credential_request(&request) {
        return error(StatusCode::BAD_REQUEST, &message);
    }
    let consumer_key = AlphanumericNonce::new(32).nonce(context.now);
    let token = AlphanumericNonce::new(16).nonce(context.now);
    let creation = iso8601(context.now);
    // The mock validates at once: there is no user to log in and approve.
    let issued = |credential_id| Credential {
        credential_id,
        application_id: 1,
        creation,
        expiration: None,
        last_use: None,
        ovh_support: false,
        allowed_ips: request.allowed_ips,
        rules: request.access_rules,
        status: "validated",
    };
    {
        let mut verifier = api.verifier_mut();
        lock(&api.store)
            .credentials
            .issue(&mut verifier, consumer_key.clone(), issued);
    }
    let mut validation_url = format!(
        "{}{}/auth/validate?credentialToken={token}",
        context.origin,
        Api::Ovh.prefix()
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

/// What OVH accepts in a credential request: known methods, paths from the root, and (in
/// the mock) at most [`MAX_ACCESS_RULES`] rules and IP ranges.
fn check_credential_request(request: &CredentialRequest) -> Result<(), String> {
    const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE"];
    if let Some(rule) = request.access_rules.iter().find(|rule| {
        !METHODS.contains(&rule.method.to_ascii_uppercase().as_str()) || !rule.path.starts_with('/')
    }) {
        return Err(format!(
            "Invalid access rule {} {}: the method must be one of GET, POST, PUT, DELETE and the path start with /",
            rule.method, rule.path
        ));
    }
    check_allowed_ips(request.allowed_ips.as_deref())?;
    if request.access_rules.len() > MAX_ACCESS_RULES {
        return Err(format!(
            "At most {MAX_ACCESS_RULES} access rules per credential"
        ));
    }
    Ok(())
}

fn check_allowed_ips(allowed_ips: Option<&[String]>) -> Result<(), String> {
    match allowed_ips {
        Some(ips) if ips.len() > MAX_ACCESS_RULES => Err(format!(
            "At most {MAX_ACCESS_RULES} allowed IP ranges per credential"
        )),
        _ => Ok(()),
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The caller's credential (signed routes only: `authenticate` registered it).
async fn current_credential(
    State(api): Shared,
    Extension(context): Extension<Context>,
) -> Response {
    let caller = context.caller.unwrap_or_default();
    match lock(&api.store).credentials.get(&caller) {
        Some(credential) => ok(&json!(credential)),
        None => *invalid_credential(),
    }
}

async fn auth_details() -> Response {
    ok(&json!({ "method": "account", "roles": [] }))
}

/// Expires the caller's credential: later calls with it are refused.
async fn logout(State(api): Shared, Extension(context): Extension<Context>) -> Response {
    let caller = context.caller.unwrap_or_default();
    let expiration = iso8601(context.now);
    lock(&api.store).credentials.update(&caller, |credential| {
        credential.status = "expired";
        credential.expiration = Some(expiration);
    });
    ok(&serde_json::Value::Null)
}

async fn list_credentials(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let status = query_param(query.as_deref(), "status");
    let store = lock(&api.store);
    let ids: Vec<u64> = store
        .credentials
        .all()
        .filter(|credential| status.as_ref().is_none_or(|s| s == credential.status))
        .map(|credential| credential.credential_id)
        .collect();
    ok(&json!(ids))
}

async fn get_credential(State(api): Shared, Path(id): Path<String>) -> Response {
    let store = lock(&api.store);
    let credentials = &store.credentials;
    match credentials.key_of(&id).and_then(|key| credentials.get(key)) {
        Some(credential) => ok(&json!(credential)),
        None => no_object(&id),
    }
}

async fn update_credential(State(api): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    let update: CredentialUpdate = match parse_body(&body) {
        Ok(update) => update,
        Err(bad) => return error(bad.status, &bad.message),
    };
    if let Err(message) = check_allowed_ips(update.allowed_ips.as_deref()) {
        return error(StatusCode::BAD_REQUEST, &message);
    }
    let mut store = lock(&api.store);
    let Some(key) = store.credentials.key_of(&id).map(str::to_owned) else {
        return no_object(&id);
    };
    if let Some(allowed_ips) = update.allowed_ips {
        store.credentials.update(&key, |credential| {
            credential.allowed_ips = Some(allowed_ips);
        });
    }
    ok(&serde_json::Value::Null)
}

/// Revokes a credential: the verifier refuses its consumer key from then on.
async fn delete_credential(State(api): Shared, Path(id): Path<String>) -> Response {
    let mut verifier = api.verifier_mut();
    let mut store = lock(&api.store);
    let Some(key) = store.credentials.key_of(&id).map(str::to_owned) else {
        return no_object(&id);
    };
    store.credentials.revoke(&mut verifier, &key);
    ok(&serde_json::Value::Null)
}

/// The date part (`YYYY-MM-DD`) of a date or date-time filter, if it has one.
fn date_part(value: &str) -> Option<&str> {
    value.get(..10).filter(|date| is_date(date))
}

/// Bill ids, filtered by `date.from` and `date.to` (inclusive, compared by day).
async fn bills(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let mut bounds = [None, None];
    for (bound, name) in bounds.iter_mut().zip(["date.from", "date.to"]) {
        if let Some(value) = query_param(query.as_deref(), name) {
            match date_part(&value) {
                Some(date) => *bound = Some(date.to_owned()),
                None => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        &format!("Invalid {name} {value:?}: expected a date (YYYY-MM-DD)"),
                    );
                }
            }
        }
    }
    let [from, to] = bounds;
    let store = lock(&api.store);
    let ids: Vec<&str> = store
        .bills
        .iter()
        .filter(|(_, date)| {
            let day = &date[..10];
            from.as_deref().is_none_or(|from| day >= from)
                && to.as_deref().is_none_or(|to| day <= to)
        })
        .map(|(id, _)| id.as_str())
        .collect();
    ok(&json!(ids))
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

async fn domains(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let owner = query_param(query.as_deref(), "whoisOwner");
    let names: Vec<String> = lock(&api.store)
        .domains
        .values()
        .filter(|domain| owner.as_ref().is_none_or(|o| o == domain.whois_owner))
        .map(|domain| domain.domain.clone())
        .collect();
    ok(&json!(names))
}

async fn domain(State(api): Shared, Path(service): Path<String>) -> Response {
    match lock(&api.store).domains.get(&service) {
        Some(domain) => ok(&json!(domain)),
        None => no_zone(&service),
    }
}

async fn zones(State(api): Shared) -> Response {
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
    State(api): Shared,
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

async fn create_record(State(api): Shared, Path(zone): Path<String>, body: Bytes) -> Response {
    let new: NewRecord = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return error(bad.status, &bad.message),
    };
    if !FIELD_TYPES.contains(&new.field_type.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid fieldType {:?}", new.field_type),
        );
    }
    let mut store = lock(&api.store);
    let id = store.next_record_id;
    // The zones are fixed (two): counting their records is not a scan of the store.
    let kept: usize = store.zones.values().map(BTreeMap::len).sum();
    let max = store.max_records;
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    if kept >= max {
        return error(
            StatusCode::INSUFFICIENT_STORAGE,
            &store_full("DNS records", max),
        );
    }
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

async fn get_record(State(api): Shared, Path((zone, id)): Path<(String, String)>) -> Response {
    let store = lock(&api.store);
    let Some(records) = store.zones.get(&zone) else {
        return no_zone(&zone);
    };
    match id.parse().ok().and_then(|id: u64| records.get(&id)) {
        Some(record) => ok(&json!(record)),
        None => no_object(&id),
    }
}

async fn update_record(
    State(api): Shared,
    Path((zone, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let update: RecordUpdate = match parse_body(&body) {
        Ok(update) => update,
        Err(bad) => return error(bad.status, &bad.message),
    };
    let mut store = lock(&api.store);
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    let Some(record) = id.parse().ok().and_then(|id: u64| records.get_mut(&id)) else {
        return no_object(&id);
    };
    if let Some(sub_domain) = update.sub_domain {
        record.sub_domain = sub_domain;
    }
    if let Some(target) = update.target {
        record.target = target;
    }
    if let Some(ttl) = update.ttl {
        record.ttl = ttl;
    }
    ok(&serde_json::Value::Null)
}

/// Publishing a zone: the mock's records are served at once, so only the zone must exist.
async fn refresh_zone(State(api): Shared, Path(zone): Path<String>) -> Response {
    if lock(&api.store).zones.contains_key(&zone) {
        ok(&serde_json::Value::Null)
    } else {
        no_zone(&zone)
    }
}

async fn delete_record(State(api): Shared, Path((zone, id)): Path<(String, String)>) -> Response {
    let mut store = lock(&api.store);
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    match id.parse().ok().and_then(|id: u64| records.remove(&id)) {
        Some(_) => ok(&serde_json::Value::Null),
        None => no_object(&id),
    }
}

fn no_object(id: &str) -> Response {
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
        assert!(wildcard_match("/a*", "/a"));
        assert!(wildcard_match("/*é*", "/xéy"));
        assert!(!wildcard_match("/*é", "/xé/"));
        assert!(wildcard_match("/*/record/*", "/domain/zone/x/record/1"));
        // A caller's pattern with many stars takes no time, match or not.
        let stars = format!("/{}b", "*a".repeat(40));
        let path = format!("/{}", "a".repeat(200));
        assert!(!wildcard_match(&stars, &path));
        assert!(wildcard_match(&stars, &format!("{path}b")));
    }

    /// Issued credentials stay within the bound, the verifier accepts exactly the keys
    /// kept, and eviction takes logged-out credentials first, then unused ones, the
    /// oldest first.
    #[test]
    fn issued_credentials_are_bounded_and_the_verifier_agrees() {
        use signed_api_runtime::schemes::OvhCredentials;
        let configured = OvhCredentials::new("ak", "as")
            .unwrap()
            .with_consumer_key("configured")
            .unwrap();
        let mut verifier = OvhVerifier::new(configured, 300);
        let mut credentials = Credentials::new(3);
        let issue = |credentials: &mut Credentials, verifier: &mut OvhVerifier, key: &str| {
            credentials.issue(verifier, key.to_owned(), |id| Credential {
                credential_id: id,
                ..Credential::configured(0)
            });
        };
        credentials.keep_configured("configured", 0);
        for key in ["a", "b", "c"] {
            issue(&mut credentials, &mut verifier, key);
        }
        credentials.update("a", |c| c.last_use = Some("now".into()));
        credentials.update("c", |c| c.status = "expired");
        issue(&mut credentials, &mut verifier, "d"); // evicts c (logged out)
        issue(&mut credentials, &mut verifier, "e"); // evicts b (unused, oldest)
        issue(&mut credentials, &mut verifier, "f"); // evicts d (unused, oldest)
        let kept: Vec<&str> = credentials
            .keys_by_id
            .values()
            .map(String::as_str)
            .collect();
        assert_eq!(kept, ["configured", "a", "e", "f"]);
        assert_eq!(verifier.consumer_key_count(), kept.len());
        for gone in ["b", "c", "d"] {
            assert!(!verifier.remove_consumer_key(gone), "{gone}");
        }
        for _ in 0..100 {
            let key = AlphanumericNonce::new(8).nonce(0);
            issue(&mut credentials, &mut verifier, &key);
            assert_eq!(verifier.consumer_key_count(), credentials.by_key.len());
            assert_eq!(credentials.keys_by_id.len(), credentials.by_key.len());
            assert_eq!(credentials.eviction.len(), 3);
        }
        assert!(credentials.revoke(&mut verifier, "configured"));
        assert_eq!(verifier.consumer_key_count(), 3);
    }

    #[test]
    fn bill_filters_take_the_day_of_a_date_or_date_time() {
        assert_eq!(date_part("2024-02-01"), Some("2024-02-01"));
        assert_eq!(date_part("2024-02-01T10:00:00+01:00"), Some("2024-02-01"));
        assert_eq!(date_part("2024-2-1"), None);
        assert_eq!(date_part("last week"), None);
        assert_eq!(date_part("2024-02-0é"), None);
    }
}
