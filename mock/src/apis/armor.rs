//! Armor under `/armor`: `ARMOR-PSK` HMAC-SHA512 signatures within ±5 minutes, nonces
//! never accepted twice, `X-Account-Context` when an account is configured. VMs (rename,
//! delete, power actions), tickets (paged through `nextPageToken`) and their comments live
//! in memory; accounts, users, roles, workloads and locations are derived from that state.
//! Errors as `{"Message": …}`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use signed_api_runtime::schemes::ArmorVerifier;
use signed_api_runtime::verify::{ReceivedRequest, Verifier, VerifyError};
use signed_api_runtime::verify::{check_window, parse_unix_seconds};

use super::{MockApi, Refusal, lock, same_secret};
use crate::ArmorMockCredentials;
use crate::context::{Context, iso8601};
use crate::reply::{json, ok, parse_body, query_param, store_full};

/// The power actions Armor takes, and the status each leaves a VM in.
const POWER_ACTIONS: &[(&str, &str)] = &[
    ("on", "Running"),
    ("off", "Stopped"),
    ("forceOff", "Stopped"),
    ("reset", "Running"),
    ("reboot", "Running"),
    ("shutdown", "Stopped"),
];

/// Tickets per page when the caller does not say.
const DEFAULT_PAGE_SIZE: usize = 50;

/// The user the mock's API key belongs to (the first of `/users`, `links.userId` of `/me`).
const DEMO_EMAIL: &str = "demo@example.com";

pub(crate) struct ArmorApi {
    verifier: ArmorVerifier,
    /// For the checks made before the body is read: the key id and the account that
    /// `X-Account-Context` must name, when one is configured.
    key_id: String,
    account: Option<String>,
    window: i64,
    account_id: u64,
    seen_nonces: Mutex<SeenNonces>,
    /// The signatures of accepted requests, for as long as their nonces are kept. Armor's
    /// string to sign joins path and nonce with no separator, so a captured request can be
    /// re-cut (`/vms/10` + nonce `1n` is `/vms/101` + nonce `n`) into another path with a
    /// nonce never seen; its signature is the one already used, and is refused here.
    seen_signatures: Mutex<SeenNonces>,
    store: Mutex<Store>,
}

/// The nonces of accepted requests whose timestamp is still within the window.
///
/// A nonce must be remembered for as long as its timestamp passes the window check: a
/// replay is refused by this store until then, by the timestamp check after. So nonces
/// are forgotten by timestamp, oldest first, and never because the store is full: when
/// `max` nonces are still within the window, a new request is refused (503 with
/// `Retry-After`) rather than a nonce forgotten early, which would let it be replayed.
/// Lookups are one hash lookup; forgetting is O(log n) per nonce.
///
/// A clock moved backwards (a smaller clock-offset fault, or the system clock stepped
/// back) can bring a forgotten timestamp back into the window, for as long as it moved.
///
/// Nonces (up to 128 characters) and signatures (88) are kept as 64-bit keyed hashes: a
/// few dozen bytes an entry instead of a few hundred, with keys an attacker cannot know,
/// so colliding on purpose is out of reach and by chance (about 10⁻¹⁰ when full) would
/// refuse one request, never accept a replay.
struct SeenNonces {
    by_nonce: HashMap<u64, i64>,
    /// The same nonces, by the timestamp they were signed at.
    by_time: BTreeSet<(i64, u64)>,
    keys: std::hash::RandomState,
    max: usize,
}

/// Why a nonce was not remembered.
enum NotRemembered {
    /// It was used before.
    Replayed,
    /// The store is full of nonces still in the window; the first leaves it in this many
    /// seconds.
    Full { retry_after: i64 },
}

impl SeenNonces {
    fn new(max: usize) -> Self {
        SeenNonces {
            by_nonce: HashMap::new(),
            by_time: BTreeSet::new(),
            keys: std::hash::RandomState::new(),
            max: max.max(1),
        }
    }

    fn digest(&self, nonce: &str) -> u64 {
        use std::hash::BuildHasher;
        self.keys.hash_one(nonce)
    }

    fn contains(&self, nonce: &str) -> bool {
        self.by_nonce.contains_key(&self.digest(nonce))
    }

    /// Forgets the nonces signed more than `window` seconds before `now`: a replay of
    /// them fails the timestamp check.
    fn forget_expired(&mut self, now: i64, window: i64) {
        let oldest_valid = now.saturating_sub(window);
        while let Some(entry) = self.by_time.first() {
            if entry.0 >= oldest_valid {
                break;
            }
            if let Some((_, nonce)) = self.by_time.pop_first() {
                self.by_nonce.remove(&nonce);
            }
        }
    }

    /// Remembers the nonce of an accepted request signed at `timestamp`.
    fn remember(
        &mut self,
        nonce: &str,
        timestamp: i64,
        now: i64,
        window: i64,
    ) -> Result<(), NotRemembered> {
        if self.contains(nonce) {
            return Err(NotRemembered::Replayed);
        }
        self.forget_expired(now, window);
        if self.by_nonce.len() >= self.max {
            let first_out = self.by_time.first().map_or(now, |entry| entry.0);
            let retry_after = first_out
                .saturating_add(window)
                .saturating_add(1)
                .saturating_sub(now)
                .clamp(1, window.saturating_mul(2).saturating_add(1).max(1));
            return Err(NotRemembered::Full { retry_after });
        }
        let digest = self.digest(nonce);
        self.by_time.insert((timestamp, digest));
        self.by_nonce.insert(digest, timestamp);
        Ok(())
    }
}

struct Store {
    vms: BTreeMap<u64, Value>,
    /// Tickets in creation order, in the shape `/tickets/list` answers.
    tickets: Vec<Value>,
    /// Comments by issue key, oldest first.
    comments: BTreeMap<String, Vec<Value>>,
    /// Comments kept, all tickets together, and the most kept.
    comment_count: usize,
    max_comments: usize,
}

impl ArmorApi {
    /// `max_comments`: ticket comments kept, all tickets together.
    pub(crate) fn new(
        credentials: &ArmorMockCredentials,
        window: i64,
        max_nonces: usize,
        max_comments: usize,
    ) -> Self {
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
                    "accountId": account_id, "workLoadId": 1, "workLoadName": "Demo workload",
                    "tags": [] })
        };
        let ticket = |key: &str, summary: &str, status: &str, type_id: u64, type_name: &str| {
            json!({ "issueKeyId": key, "summary": summary, "currentStatus": status,
                    "requestType": { "id": type_id, "name": type_name,
                                     "description": format!("{type_name} tickets") },
                    "reporter": { "name": "demo", "emailAddress": DEMO_EMAIL,
                                  "displayName": "Demo User" },
                    "assignee": null })
        };
        let store = Store {
            vms: BTreeMap::from([
                (101, vm(101, "web-01", "Running")),
                (102, vm(102, "db-01", "Stopped")),
            ]),
            tickets: vec![
                ticket(
                    "SUP-1001",
                    "Agent offline on web-01",
                    "Open",
                    10,
                    "Incident",
                ),
                ticket(
                    "SUP-1002",
                    "Firewall rule request",
                    "Resolved",
                    11,
                    "Service Request",
                ),
            ],
            comments: BTreeMap::from([(
                "SUP-1001".to_owned(),
                vec![
                    json!({ "creator": "Armor Support", "createdDate": "2024-01-15T10:05:00Z",
                             "comment": "We are looking into it.", "visibility": "public" }),
                ],
            )]),
            comment_count: 1,
            max_comments,
        };
        ArmorApi {
            verifier: ArmorVerifier::new(credentials.credentials.clone(), window),
            key_id: credentials.key_id().to_owned(),
            account: credentials.account_id.clone(),
            window,
            account_id,
            seen_nonces: Mutex::new(SeenNonces::new(max_nonces)),
            seen_signatures: Mutex::new(SeenNonces::new(max_nonces)),
            store: Mutex::new(store),
        }
    }

    /// Refuses a nonce seen before, and any request when the window holds as many nonces
    /// as the mock remembers.
    fn check_replay(
        &self,
        seen: &Mutex<SeenNonces>,
        nonce: &str,
        timestamp: i64,
        now: i64,
    ) -> Result<(), Refusal> {
        let remembered = lock(seen).remember(nonce, timestamp, now, self.window);
        match remembered {
            Ok(()) => Ok(()),
            Err(NotRemembered::Replayed) => Err(replayed()),
            Err(NotRemembered::Full { retry_after }) => {
                let mut response = message(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Too many requests within the replay window; retry later",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                Err(Box::new(response))
            }
        }
    }

    fn account(&self) -> Value {
        json!({ "id": self.account_id, "currency": "USD", "name": "Demo account",
                "status": "Claimed", "parent": null, "products": ["Armor Anywhere"],
                "accountType": "Direct", "isSynced": true, "isFreeTrial": false })
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    json(status, &json!({ "Message": text }))
}

impl ArmorApi {
    /// The header checks of [`ArmorVerifier`], without the HMAC: the `Authorization`
    /// shape, the key id, the account, the timestamp in the window. Returns the nonce and
    /// the signature.
    fn check_head<'a>(
        &self,
        request: &ReceivedRequest<'a>,
        now: i64,
    ) -> Result<(&'a str, &'a str), VerifyError> {
        let malformed = |why: &str| VerifyError::Malformed {
            what: "Authorization",
            why: why.to_owned(),
        };
        let fields = request
            .require("authorization")?
            .strip_prefix("ARMOR-PSK ")
            .ok_or_else(|| malformed("expected `ARMOR-PSK key_id:signature:nonce:timestamp`"))?;
        let mut fields = fields.split(':');
        let (Some(key_id), Some(signature), Some(nonce), Some(timestamp), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(malformed("expected four `:`-separated fields"));
        };
        if !same_secret(key_id, &self.key_id) {
            return Err(VerifyError::UnknownKey("API key id"));
        }
        if let Some(account) = &self.account
            && request.require("x-account-context")? != account
        {
            return Err(VerifyError::UnknownKey("account (X-Account-Context)"));
        }
        if signature.is_empty() || nonce.is_empty() {
            return Err(malformed("an empty signature or nonce"));
        }
        let timestamp = parse_unix_seconds("Authorization timestamp", timestamp)?;
        check_window(timestamp, now, self.window)?;
        Ok((nonce, signature))
    }
}

/// The answer to a request that failed verification, as Armor gives it: 403 for an
/// account the key may not act in, 401 otherwise.
fn refusal(error: &VerifyError) -> Refusal {
    let status = match error {
        VerifyError::MissingHeader("x-account-context")
        | VerifyError::UnknownKey("account (X-Account-Context)") => StatusCode::FORBIDDEN,
        _ => StatusCode::UNAUTHORIZED,
    };
    let text = match status {
        StatusCode::FORBIDDEN => format!("Permission Denied to requested resource: {error}"),
        _ => format!("Invalid signature or expired timestamp: {error}"),
    };
    Box::new(message(status, &text))
}

fn replayed() -> Refusal {
    Box::new(message(
        StatusCode::UNAUTHORIZED,
        "Nonce already used: every request needs a new nonce",
    ))
}

impl MockApi for ArmorApi {
    fn pre_authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<(), Refusal> {
        let (nonce, signature) = self.check_head(request, now).map_err(|e| refusal(&e))?;
        if lock(&self.seen_nonces).contains(nonce)
            || lock(&self.seen_signatures).contains(signature)
        {
            return Err(replayed());
        }
        Ok(())
    }

    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        let verified = self
            .verifier
            .verify(request, now)
            .map_err(|e| refusal(&e))?;
        if let (Some(nonce), Some(timestamp)) = (verified.nonce, verified.timestamp) {
            // The verifier accepted the header, so its second field is the signature.
            let signature = request
                .header("authorization")
                .ok()
                .flatten()
                .and_then(|value| value.split(':').nth(1))
                .unwrap_or_default();
            self.check_replay(&self.seen_signatures, signature, timestamp, now)?;
            self.check_replay(&self.seen_nonces, &nonce, timestamp, now)?;
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
            .route("/accounts/{id}", get(account))
            .route("/users", get(users))
            .route("/roles", get(roles))
            .route("/vms", get(list_vms))
            .route("/vms/{id}", get(get_vm).put(rename_vm).delete(delete_vm))
            .route("/vms/{id}/power/{action}", post(power))
            .route("/apps", get(apps))
            .route("/locations", get(locations))
            .route("/tickets/list", get(tickets))
            .route(
                "/tickets/{key}/comments",
                get(list_comments).post(add_comment),
            )
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

/// The `State` extractor of this API's handlers (named so as not to shadow [`crate::Api`]).
type Shared = State<Arc<ArmorApi>>;

async fn me(State(api): Shared) -> Response {
    let mut permissions = serde_json::Map::new();
    permissions.insert(
        api.account_id.to_string(),
        json!(["READ_VMS", "WRITE_VMS", "READ_TICKETS"]),
    );
    ok(&json!({
        "user": { "type": "User", "username": DEMO_EMAIL, "firstName": "Demo",
                  "lastName": "User", "links": { "userId": 1 } },
        "accounts": [{ "id": api.account_id, "name": "Demo account", "currency": "USD",
                       "status": "Claimed", "accountType": "Direct" }],
        "permissions": permissions,
        "features": [],
    }))
}

async fn accounts(State(api): Shared) -> Response {
    ok(&json!([api.account()]))
}

async fn account(State(api): Shared, Path(id): Path<String>) -> Response {
    if id.parse::<u64>().ok() == Some(api.account_id) {
        ok(&api.account())
    } else {
        message(
            StatusCode::NOT_FOUND,
            &format!("Account {id} was not found."),
        )
    }
}

async fn users(Extension(context): Extension<Context>) -> Response {
    ok(&json!([
        { "id": 1, "firstName": "Demo", "lastName": "User", "email": DEMO_EMAIL,
          "title": "Administrator", "status": "enabled", "isMfaEnabled": true,
          "mfaMode": "PhoneApp", "timezone": "Central Standard Time", "culture": "en-US",
          "lastLogin": iso8601(context.now), "mustChangePassword": false },
        { "id": 2, "firstName": "Read", "lastName": "Only", "email": "readonly@example.com",
          "title": "Auditor", "status": "enabled", "isMfaEnabled": false,
          "timezone": "UTC", "culture": "en-GB", "lastLogin": null,
          "mustChangePassword": true },
    ]))
}

async fn roles() -> Response {
    ok(&json!([
        { "id": 1, "name": "Account Administrator",
          "description": "Full access to the account" },
        { "id": 2, "name": "Read Only", "description": "Sees everything, changes nothing" },
    ]))
}

async fn list_vms(State(api): Shared) -> Response {
    let vms: Vec<Value> = lock(&api.store).vms.values().cloned().collect();
    ok(&json!(vms))
}

fn no_vm(id: &str) -> Response {
    message(StatusCode::NOT_FOUND, &format!("VM {id} was not found."))
}

async fn get_vm(State(api): Shared, Path(id): Path<String>) -> Response {
    let store = lock(&api.store);
    match id.parse().ok().and_then(|id: u64| store.vms.get(&id)) {
        Some(vm) => ok(vm),
        None => no_vm(&id),
    }
}

/// `PUT /vms/{id}` with `{id, name}`.
#[derive(Deserialize)]
struct Rename {
    id: Option<u64>,
    name: String,
}

async fn rename_vm(State(api): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    let rename: Rename = match parse_body(&body) {
        Ok(rename) => rename,
        Err(bad) => return message(bad.status, &bad.message),
    };
    if rename.name.trim().is_empty() {
        return message(StatusCode::BAD_REQUEST, "The VM name cannot be empty.");
    }
    let Ok(vm_id) = id.parse::<u64>() else {
        return no_vm(&id);
    };
    if rename.id.is_some_and(|body_id| body_id != vm_id) {
        return message(
            StatusCode::BAD_REQUEST,
            "The id in the body does not match the VM in the path.",
        );
    }
    let mut store = lock(&api.store);
    let Some(vm) = store.vms.get_mut(&vm_id) else {
        return no_vm(&id);
    };
    vm["name"] = json!(rename.name);
    ok(vm)
}

async fn delete_vm(State(api): Shared, Path(id): Path<String>) -> Response {
    let mut store = lock(&api.store);
    match id.parse().ok().and_then(|id: u64| store.vms.remove(&id)) {
        Some(vm) => ok(&vm),
        None => no_vm(&id),
    }
}

async fn power(State(api): Shared, Path((id, action)): Path<(String, String)>) -> Response {
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
    let mut store = lock(&api.store);
    match id.parse().ok().and_then(|id: u64| store.vms.get_mut(&id)) {
        Some(vm) => {
            vm["status"] = json!(status);
            ok(vm)
        }
        None => no_vm(&id),
    }
}

/// One workload holding every VM, so that renames, deletions and power actions show.
async fn apps(State(api): Shared) -> Response {
    let vms: Vec<Value> = lock(&api.store).vms.values().cloned().collect();
    let total = |field: &str| -> u64 { vms.iter().filter_map(|vm| vm[field].as_u64()).sum() };
    ok(&json!([{
        "id": 1, "name": "Demo workload", "location": "DFW01", "zone": "DFW01-Z1",
        "status": "Deployed", "deployed": true, "tierCount": 1, "vmCount": vms.len(),
        "totalCpu": total("cpu"), "totalMemory": total("memory"),
        "totalStorage": total("storage"), "notes": null, "tags": [],
        "tiers": [{ "id": 1, "name": "All", "vms": vms }],
    }]))
}

async fn locations(RawQuery(query): RawQuery) -> Response {
    let require_zone = match query_param(query.as_deref(), "requireZone").as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return message(
                StatusCode::BAD_REQUEST,
                &format!("requireZone must be true or false, not '{other}'."),
            );
        }
    };
    let all = [
        json!({ "id": 1, "location": "DFW01", "name": "US Central",
                "zones": ["DFW01-Z1", "DFW01-Z2"] }),
        json!({ "id": 2, "location": "PHX01", "name": "US West", "zones": ["PHX01-Z1"] }),
        json!({ "id": 3, "location": "SIN01", "name": "Asia East", "zones": [] }),
    ];
    let chosen: Vec<&Value> = all
        .iter()
        .filter(|location| {
            !require_zone || location["zones"].as_array().is_some_and(|z| !z.is_empty())
        })
        .collect();
    ok(&json!(chosen))
}

/// Page tokens say where the next page starts; they are opaque to callers.
fn page_token(offset: usize) -> String {
    format!("page-{offset}")
}

fn parse_page_token(token: &str) -> Option<usize> {
    token.strip_prefix("page-")?.parse().ok()
}

async fn tickets(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let param = |name: &str| query_param(query.as_deref(), name);
    let bad = |text: String| message(StatusCode::BAD_REQUEST, &text);
    let page_size = match param("maxResults") {
        None => DEFAULT_PAGE_SIZE,
        Some(text) => match text.parse::<usize>() {
            Ok(size) if size > 0 => size,
            _ => {
                return bad(format!(
                    "maxResults must be a positive integer, not '{text}'."
                ));
            }
        },
    };
    let descending = match param("orderByDirection").as_deref() {
        None | Some("0") => false,
        Some("1") => true,
        Some(other) => return bad(format!("orderByDirection must be 0 or 1, not '{other}'.")),
    };
    let offset = match param("nextPageToken") {
        None => 0,
        Some(token) => match parse_page_token(&token) {
            Some(offset) => offset,
            None => return bad(format!("Invalid nextPageToken '{token}'.")),
        },
    };
    let request_type = param("requestType");
    let mut matching: Vec<Value> = lock(&api.store)
        .tickets
        .iter()
        .filter(|ticket| match &request_type {
            Some(wanted) => {
                let kind = &ticket["requestType"];
                kind["name"].as_str() == Some(wanted)
                    || kind["id"].as_u64().map(|id| id.to_string()).as_ref() == Some(wanted)
            }
            None => true,
        })
        .cloned()
        .collect();
    // Fields Armor sorts on; any other `orderBy` keeps creation order, as the server does
    // for fields it does not know.
    let sort_field = match param("orderBy").as_deref() {
        Some("key") => Some("issueKeyId"),
        Some("status") => Some("currentStatus"),
        Some("summary") => Some("summary"),
        _ => None,
    };
    if let Some(field) = sort_field {
        matching.sort_by(|a, b| a[field].as_str().cmp(&b[field].as_str()));
    }
    if descending {
        matching.reverse();
    }
    let total = matching.len();
    let page: Vec<Value> = matching.into_iter().skip(offset).take(page_size).collect();
    let next = offset + page.len();
    let next_token = (next < total).then(|| page_token(next));
    ok(&json!({
        "nextPageToken": next_token,
        "maxResults": page_size,
        "total": total,
        "items": page,
    }))
}

fn no_ticket(key: &str) -> Response {
    message(
        StatusCode::NOT_FOUND,
        &format!("Ticket {key} was not found."),
    )
}

fn has_ticket(store: &Store, key: &str) -> bool {
    store
        .tickets
        .iter()
        .any(|ticket| ticket["issueKeyId"].as_str() == Some(key))
}

async fn list_comments(State(api): Shared, Path(key): Path<String>) -> Response {
    let store = lock(&api.store);
    if !has_ticket(&store, &key) {
        return no_ticket(&key);
    }
    let comments = store.comments.get(&key).cloned().unwrap_or_default();
    ok(&json!(comments))
}

/// `POST /tickets/{key}/comments`, as Armor's example: `{comment, isPublic, issueKeyId}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewComment {
    comment: String,
    is_public: Option<bool>,
    issue_key_id: Option<String>,
}

async fn add_comment(
    State(api): Shared,
    Extension(context): Extension<Context>,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    let new: NewComment = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return message(bad.status, &bad.message),
    };
    if new.comment.trim().is_empty() {
        return message(StatusCode::BAD_REQUEST, "The comment cannot be empty.");
    }
    if new
        .issue_key_id
        .as_ref()
        .is_some_and(|body_key| *body_key != key)
    {
        return message(
            StatusCode::BAD_REQUEST,
            "The issueKeyId in the body does not match the ticket in the path.",
        );
    }
    let mut store = lock(&api.store);
    if !has_ticket(&store, &key) {
        return no_ticket(&key);
    }
    if store.comment_count >= store.max_comments {
        return message(
            StatusCode::INSUFFICIENT_STORAGE,
            &store_full("ticket comments", store.max_comments),
        );
    }
    store.comment_count += 1;
    let visibility = if new.is_public == Some(false) {
        "internal"
    } else {
        "public"
    };
    store.comments.entry(key).or_default().push(json!({
        "creator": DEMO_EMAIL,
        "comment": new.comment,
        "createdDate": iso8601(context.now),
        "visibility": visibility,
    }));
    ok(&json!(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_forgotten_by_timestamp_never_by_size() {
        let mut seen = SeenNonces::new(2);
        assert!(seen.remember("a", 1000, 1000, 300).is_ok());
        assert!(seen.remember("b", 1100, 1100, 300).is_ok());
        assert!(matches!(
            seen.remember("a", 1000, 1100, 300),
            Err(NotRemembered::Replayed)
        ));
        // Full: "a" leaves the window after 1300, so in 201 s from 1100.
        match seen.remember("c", 1100, 1100, 300) {
            Err(NotRemembered::Full { retry_after }) => assert_eq!(retry_after, 201),
            _ => panic!("expected a full store"),
        }
        assert!(seen.contains("a") && seen.contains("b"));
        assert!(seen.remember("c", 1301, 1301, 300).is_ok());
        assert!(!seen.contains("a"), "forgotten once out of the window");
        assert!(seen.contains("b") && seen.contains("c"));
        assert_eq!(seen.by_time.len(), seen.by_nonce.len());
        // Extreme clocks neither overflow nor panic.
        let mut extreme = SeenNonces::new(1);
        assert!(extreme.remember("x", i64::MAX, i64::MAX, i64::MAX).is_ok());
        assert!(extreme.remember("y", i64::MIN, i64::MIN, i64::MAX).is_err());
        extreme.forget_expired(i64::MIN, i64::MAX);
    }
}
