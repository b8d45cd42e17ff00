//! OVH under `/ovh/1.0`: `$1$` SHA-1 signatures, `X-Ovh-Application` on every call,
//! `GET /auth/time` unsigned, the consumer-key flow with the account's credentials
//! (listed, updated, revoked, logged out), bills, domains and a small DNS zone store.

mod account;
mod auth;
mod credentials;
mod dns;
mod domains;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;
use signed_api_runtime::schemes::OvhVerifier;
use signed_api_runtime::verify::{ReceivedRequest, Verifier, VerifyError};
use signed_api_runtime::verify::{check_window, parse_unix_seconds};

use self::auth::CREDENTIAL_REQUEST_LIMIT;
use self::credentials::Credentials;
use self::dns::Record;
use self::domains::Domain;
use super::{MockApi, Refusal, lock};
use crate::OvhMockCredentials;
use crate::context::iso8601;
use crate::reply::json;
use crate::server::declared_length;

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
            .route("/auth/time", get(auth::time))
            .route("/auth/credential", post(auth::create_credential))
            .route("/auth/currentCredential", get(auth::current_credential))
            .route("/auth/details", get(auth::auth_details))
            .route("/auth/logout", post(auth::logout))
            .route("/me", get(account::me))
            .route("/me/api/credential", get(auth::list_credentials))
            .route(
                "/me/api/credential/{id}",
                get(auth::get_credential)
                    .put(auth::update_credential)
                    .delete(auth::delete_credential),
            )
            .route("/me/bill", get(account::bills))
            .route("/domain", get(domains::domains))
            .route("/domain/{service}", get(domains::domain))
            .route("/domain/zone", get(dns::zones))
            .route(
                "/domain/zone/{zone}/record",
                get(dns::list_records).post(dns::create_record),
            )
            .route(
                "/domain/zone/{zone}/record/{id}",
                get(dns::get_record)
                    .put(dns::update_record)
                    .delete(dns::delete_record),
            )
            .route("/domain/zone/{zone}/refresh", post(dns::refresh_zone))
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

fn no_zone(zone: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("This service does not exist: {zone}"),
    )
}

fn no_object(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("The requested object (id = {id}) does not exist"),
    )
}
