//! Armor under `/armor`: `ARMOR-PSK` HMAC-SHA512 signatures within ±5 minutes, nonces
//! never accepted twice, `X-Account-Context` when an account is configured; VMs and
//! tickets in memory. Errors as `{"Message": …}`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};
use signed_api_runtime::schemes::ArmorVerifier;
use signed_api_runtime::{ReceivedRequest, Verifier, VerifyError};

use super::{MockApi, Refusal, lock};
use crate::ArmorMockCredentials;
use crate::reply::{json, ok};

/// The power actions Armor takes, and the status each leaves a VM in.
const POWER_ACTIONS: &[(&str, &str)] = &[
    ("on", "Running"),
    ("off", "Stopped"),
    ("forceOff", "Stopped"),
    ("reset", "Running"),
    ("reboot", "Running"),
    ("shutdown", "Stopped"),
];

pub(crate) struct ArmorApi {
    verifier: ArmorVerifier,
    window: i64,
    account_id: u64,
    /// Nonces seen within the window, with the timestamp they were signed at.
    seen_nonces: Mutex<HashMap<String, i64>>,
    vms: Mutex<BTreeMap<u64, Value>>,
}

impl ArmorApi {
    pub(crate) fn new(credentials: &ArmorMockCredentials, window: i64) -> Self {
        let account_id = credentials
            .account_id
            .as_deref()
            .and_then(|id| id.parse().ok())
            .unwrap_or(1024);
        let vm = |id: u64, name: &str, status: &str| {
            json!({ "id": id, "vmId": id, "name": name, "hostName": format!("{name}.example.net"),
                    "status": status, "provider": "Armor", "location": "DFW01", "zone": "DFW01-Z1",
                    "operatingSystem": "Ubuntu 22.04", "ipAddress": format!("10.0.0.{id}"),
                    "cpu": 2, "memory": 4096, "storage": 80, "isCore": false, "isArmor": true,
                    "accountId": account_id })
        };
        ArmorApi {
            verifier: ArmorVerifier::new(credentials.credentials.clone(), window),
            window,
            account_id,
            seen_nonces: Mutex::new(HashMap::new()),
            vms: Mutex::new(BTreeMap::from([
                (101, vm(101, "web-01", "Running")),
                (102, vm(102, "db-01", "Stopped")),
            ])),
        }
    }

    /// Refuses a nonce seen before; forgets nonces whose timestamp has left the window
    /// (a replay of those fails the timestamp check anyway).
    fn check_replay(&self, nonce: String, timestamp: i64, now: i64) -> Result<(), Refusal> {
        let mut seen = lock(&self.seen_nonces);
        if seen.contains_key(&nonce) {
            return Err(Box::new(message(
                StatusCode::UNAUTHORIZED,
                "Nonce already used: every request needs a new nonce",
            )));
        }
        if seen.len() % 256 == 255 {
            seen.retain(|_, signed_at| (now - *signed_at).abs() <= self.window);
        }
        seen.insert(nonce, timestamp);
        Ok(())
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    json(status, &json!({ "Message": text }))
}

impl MockApi for ArmorApi {
    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        let verified = self.verifier.verify(request, now).map_err(|error| {
            let status = match error {
                VerifyError::MissingHeader("x-account-context")
                | VerifyError::UnknownKey("account (X-Account-Context)") => StatusCode::FORBIDDEN,
                _ => StatusCode::UNAUTHORIZED,
            };
            let text = match status {
                StatusCode::FORBIDDEN => {
                    format!("Permission Denied to requested resource: {error}")
                }
                _ => format!("Invalid signature or expired timestamp: {error}"),
            };
            Box::new(message(status, &text))
        })?;
        if let (Some(nonce), Some(timestamp)) = (verified.nonce, verified.timestamp) {
            self.check_replay(nonce, timestamp, now)?;
        }
        Ok(None)
    }

    fn error(&self, status: StatusCode, text: &str) -> Response {
        message(status, text)
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/me", get(me))
            .route("/accounts", get(accounts))
            .route("/vms", get(list_vms))
            .route("/vms/{id}", get(get_vm).delete(delete_vm))
            .route("/vms/{id}/power/{action}", post(power))
            .route("/tickets/list", get(tickets))
            .fallback(|| async {
                message(
                    StatusCode::NOT_FOUND,
                    "The requested resource was not found.",
                )
            })
            .method_not_allowed_fallback(|method: Method| async move {
                message(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &format!("The requested resource does not support http method '{method}'."),
                )
            })
            .with_state(self)
    }
}

type Api = State<Arc<ArmorApi>>;

async fn me(State(api): Api) -> Response {
    let mut permissions = serde_json::Map::new();
    permissions.insert(
        api.account_id.to_string(),
        json!(["READ_VMS", "WRITE_VMS", "READ_TICKETS"]),
    );
    ok(&json!({
        "user": { "type": "User", "username": "demo@example.com", "firstName": "Demo",
                  "lastName": "User", "links": { "userId": 1 } },
        "accounts": [{ "id": api.account_id, "name": "Demo account", "currency": "USD",
                       "status": "Claimed", "accountType": "Direct" }],
        "permissions": permissions,
        "features": [],
    }))
}

async fn accounts(State(api): Api) -> Response {
    ok(
        &json!([{ "id": api.account_id, "currency": "USD", "name": "Demo account",
                 "status": "Claimed", "parent": null, "products": ["Armor Anywhere"],
                 "accountType": "Direct", "isSynced": true, "isFreeTrial": false }]),
    )
}

async fn list_vms(State(api): Api) -> Response {
    let vms: Vec<Value> = lock(&api.vms).values().cloned().collect();
    ok(&json!(vms))
}

fn no_vm(id: &str) -> Response {
    message(StatusCode::NOT_FOUND, &format!("VM {id} was not found."))
}

async fn get_vm(State(api): Api, Path(id): Path<String>) -> Response {
    let vms = lock(&api.vms);
    match id.parse().ok().and_then(|id: u64| vms.get(&id)) {
        Some(vm) => ok(vm),
        None => no_vm(&id),
    }
}

async fn delete_vm(State(api): Api, Path(id): Path<String>) -> Response {
    let mut vms = lock(&api.vms);
    match id.parse().ok().and_then(|id: u64| vms.remove(&id)) {
        Some(vm) => ok(&vm),
        None => no_vm(&id),
    }
}

async fn power(State(api): Api, Path((id, action)): Path<(String, String)>) -> Response {
    let Some((_, status)) = POWER_ACTIONS.iter().find(|(name, _)| *name == action) else {
        let known: Vec<&str> = POWER_ACTIONS.iter().map(|(name, _)| *name).collect();
        return message(
            StatusCode::BAD_REQUEST,
            &format!(
                "Unknown power action '{action}'; use one of {}",
                known.join(", ")
            ),
        );
    };
    let mut vms = lock(&api.vms);
    match id.parse().ok().and_then(|id: u64| vms.get_mut(&id)) {
        Some(vm) => {
            vm["status"] = json!(status);
            ok(vm)
        }
        None => no_vm(&id),
    }
}

async fn tickets() -> Response {
    ok(&json!({
        "issues": [
            { "issueKeyId": "SUP-1001", "summary": "Agent offline on web-01", "status": "Open",
              "requestType": "Incident", "created": "2024-01-15T10:00:00Z" },
            { "issueKeyId": "SUP-1002", "summary": "Firewall rule request", "status": "Resolved",
              "requestType": "Service Request", "created": "2024-02-02T08:30:00Z" },
        ],
        "nextPageToken": null,
        "total": 2,
    }))
}
