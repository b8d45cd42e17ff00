//! The consumer-key flow (`/auth/*`: the server's time, a credential asked for with the
//! application key alone, the caller's own credential, logging out) and the account's
//! credentials under `/me/api/credential`.

use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;
use signed_api_runtime::nonce::{AlphanumericNonce, NonceSource};

use super::credentials::{AccessRule, Credential};
use super::{Shared, credential_request_too_large, error, invalid_credential, lock, no_object};
use crate::Api;
use crate::context::{Context, iso8601};
use crate::reply::{ok, parse_body, query_param};

/// The largest `POST /auth/credential` body read. Anyone who knows the application key
/// may ask for credentials, and each one keeps its access rules: this, with
/// [`MAX_ACCESS_RULES`], bounds what one holds. A real request has a few rules.
pub(super) const CREDENTIAL_REQUEST_LIMIT: usize = 4096;

/// Access rules, and allowed IP ranges, per credential at most.
const MAX_ACCESS_RULES: usize = 64;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialRequest {
    access_rules: Vec<AccessRule>,
    redirection: Option<String>,
    #[serde(rename = "allowedIPs")]
    allowed_ips: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct CredentialUpdate {
    #[serde(rename = "allowedIPs")]
    allowed_ips: Option<Vec<String>>,
}

pub(super) async fn time(Extension(context): Extension<Context>) -> Response {
    ok(&json!(context.now))
}

pub(super) async fn create_credential(
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
pub(super) async fn current_credential(
    State(api): Shared,
    Extension(context): Extension<Context>,
) -> Response {
    let caller = context.caller.unwrap_or_default();
    match lock(&api.store).credentials.get(&caller) {
        Some(credential) => ok(&json!(credential)),
        None => *invalid_credential(),
    }
}

pub(super) async fn auth_details() -> Response {
    ok(&json!({ "method": "account", "roles": [] }))
}

/// Expires the caller's credential: later calls with it are refused.
pub(super) async fn logout(State(api): Shared, Extension(context): Extension<Context>) -> Response {
    let caller = context.caller.unwrap_or_default();
    let expiration = iso8601(context.now);
    lock(&api.store).credentials.update(&caller, |credential| {
        credential.status = "expired";
        credential.expiration = Some(expiration);
    });
    ok(&serde_json::Value::Null)
}

pub(super) async fn list_credentials(State(api): Shared, RawQuery(query): RawQuery) -> Response {
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

pub(super) async fn get_credential(State(api): Shared, Path(id): Path<String>) -> Response {
    let store = lock(&api.store);
    let credentials = &store.credentials;
    match credentials.key_of(&id).and_then(|key| credentials.get(key)) {
        Some(credential) => ok(&json!(credential)),
        None => no_object(&id),
    }
}

pub(super) async fn update_credential(
    State(api): Shared,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
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
pub(super) async fn delete_credential(State(api): Shared, Path(id): Path<String>) -> Response {
    let mut verifier = api.verifier_mut();
    let mut store = lock(&api.store);
    let Some(key) = store.credentials.key_of(&id).map(str::to_owned) else {
        return no_object(&id);
    };
    store.credentials.revoke(&mut verifier, &key);
    ok(&serde_json::Value::Null)
}
