//! Qredo Partner API under `/qredo/api/v1/p`: `x-api-key`, `x-timestamp` within the
//! window (or a strictly increasing `x-nonce`), unpadded base64url `x-sign`; companies and
//! funds in memory. Errors as `{"code","msg","detail":{"reason"}}`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use signed_api_runtime::schemes::QredoVerifier;
use signed_api_runtime::{AlphanumericNonce, NonceSource, ReceivedRequest, Verifier};

use super::{MockApi, Refusal, lock};
use crate::QredoMockCredentials;
use crate::context::Context;
use crate::reply::{json, ok, parse_body, query_param};

pub(crate) struct QredoApi {
    verifier: QredoVerifier,
    /// The last `x-nonce` accepted: the next must be greater.
    last_nonce: Mutex<Option<u64>>,
    store: Mutex<Store>,
}

#[derive(Default)]
struct Store {
    companies: BTreeMap<String, Value>,
    /// Funds by company id, then fund id.
    funds: BTreeMap<String, BTreeMap<String, Value>>,
    /// Trusted parties by company id, then trusted-party id.
    trusted_parties: BTreeMap<String, BTreeMap<String, Value>>,
}

#[derive(Deserialize)]
struct NewTrustedParty {
    address: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct NewCompany {
    name: String,
    city: Option<String>,
    country: Option<String>,
    domain: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
}

#[derive(Deserialize)]
struct NewFund {
    name: String,
    description: Option<String>,
    #[serde(default)]
    wallets: Vec<Value>,
    #[serde(default)]
    custodygroup_withdraw: Value,
    #[serde(default)]
    custodygroup_tx: Value,
}

impl QredoApi {
    pub(crate) fn new(credentials: &QredoMockCredentials, window: i64) -> Self {
        QredoApi {
            verifier: QredoVerifier::new(
                credentials.api_key.clone(),
                credentials.public_key.clone(),
                window,
            ),
            last_nonce: Mutex::new(None),
            store: Mutex::default(),
        }
    }
}

fn error(status: StatusCode, msg: &str, reason: &str) -> Response {
    json(
        status,
        &json!({ "code": status.as_u16(), "msg": msg, "detail": { "reason": reason } }),
    )
}

fn refusal(reason: &str) -> Refusal {
    Box::new(error(StatusCode::UNAUTHORIZED, "errPartnerAuth", reason))
}

/// A new id in the style of Qredo's (27 letters and digits).
fn new_id() -> String {
    AlphanumericNonce::new(27).nonce(0)
}

impl MockApi for QredoApi {
    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        let verified = self
            .verifier
            .verify(request, now)
            .map_err(|e| refusal(&e.to_string()))?;
        if let Some(nonce) = verified.nonce.and_then(|nonce| nonce.parse::<u64>().ok()) {
            let mut last = lock(&self.last_nonce);
            if last.is_some_and(|last| nonce <= last) {
                return Err(refusal("x-nonce must be greater than the last one used"));
            }
            *last = Some(nonce);
        }
        Ok(None)
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        error(
            status,
            status.canonical_reason().unwrap_or("error"),
            message,
        )
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/assets", get(assets))
            .route("/company", post(create_company))
            .route("/company/search", get(search_companies))
            .route("/company/{company_id}", get(get_company))
            .route("/company/{company_id}/fund", post(create_fund))
            .route("/company/{company_id}/fund/{fund_id}", get(get_fund))
            .route(
                "/company/{company_id}/trustedparty",
                get(list_trusted_parties).post(add_trusted_party),
            )
            .route(
                "/company/{company_id}/trustedparty/{trustedparty_id}",
                delete(remove_trusted_party),
            )
            .fallback(|| async { error(StatusCode::NOT_FOUND, "Not Found", "no such endpoint") })
            .method_not_allowed_fallback(|method: Method| async move {
                error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "Method Not Allowed",
                    &format!("{method} is not allowed here"),
                )
            })
            .with_state(self)
    }
}

type Api = State<Arc<QredoApi>>;

fn bad_request(reason: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "Bad Request", reason)
}

fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, "Not Found", what)
}

async fn assets() -> Response {
    let asset = |code: &str, name: &str, unit: &str, scale: u32, test: bool| {
        json!({ "code": code, "name": name, "unitCode": unit, "scale": scale,
                "enabled": true, "testAsset": test })
    };
    ok(&json!({ "assets": [
        asset("BTC", "Bitcoin", "sats", 8, false),
        asset("ETH", "Ethereum", "gwei", 9, false),
        asset("USDC", "USD Coin", "", 6, false),
        asset("ETH-TEST", "Ethereum Goerli", "gwei", 9, true),
    ]}))
}

async fn create_company(
    State(api): Api,
    Extension(context): Extension<Context>,
    body: Bytes,
) -> Response {
    let new: NewCompany = match parse_body(&body) {
        Ok(new) => new,
        Err(reason) => return bad_request(&reason),
    };
    if new.name.trim().is_empty() {
        return bad_request("name is required");
    }
    let id = new_id();
    let reference = new.reference.unwrap_or_default();
    let company = json!({
        "company_id": id,
        "name": new.name,
        "city": new.city.unwrap_or_default(),
        "country": new.country.unwrap_or_default(),
        "domain": new.domain.unwrap_or_default(),
        "ref": reference,
        "created": context.now,
    });
    lock(&api.store).companies.insert(id.clone(), company);
    ok(&json!({ "company_id": id, "ref": reference }))
}

async fn search_companies(State(api): Api, RawQuery(query): RawQuery) -> Response {
    let needle = query_param(query.as_deref(), "query")
        .unwrap_or_default()
        .to_lowercase();
    let store = lock(&api.store);
    let matches: Vec<Value> = store
        .companies
        .values()
        .filter(|company| {
            ["name", "domain"].iter().any(|field| {
                company[*field]
                    .as_str()
                    .is_some_and(|text| text.to_lowercase().contains(&needle))
            })
        })
        .map(|company| {
            json!({ "company_id": company["company_id"], "name": company["name"],
                    "domain": company["domain"] })
        })
        .collect();
    ok(&json!({ "total_count": matches.len(), "matches": matches }))
}

async fn get_company(State(api): Api, Path(company_id): Path<String>) -> Response {
    match lock(&api.store).companies.get(&company_id) {
        Some(company) => ok(company),
        None => not_found("company not found"),
    }
}

async fn create_fund(
    State(api): Api,
    Extension(context): Extension<Context>,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    let new: NewFund = match parse_body(&body) {
        Ok(new) => new,
        Err(reason) => return bad_request(&reason),
    };
    if new.name.trim().is_empty() {
        return bad_request("name is required");
    }
    let mut store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let fund_id = new_id();
    let (withdraw, tx) = (new_id(), new_id());
    let wallets: Vec<Value> = new
        .wallets
        .into_iter()
        .map(|wallet| {
            json!({ "wallet_id": new_id(), "name": wallet["name"], "asset": wallet["asset"] })
        })
        .collect();
    let fund = json!({
        "fund_id": fund_id,
        "name": new.name,
        "description": new.description.unwrap_or_default(),
        "custodygroup_withdraw": { "id": withdraw, "policy": new.custodygroup_withdraw },
        "custodygroup_tx": { "id": tx, "policy": new.custodygroup_tx },
        "wallets": wallets,
        "created": context.now,
    });
    store
        .funds
        .entry(company_id)
        .or_default()
        .insert(fund_id.clone(), fund);
    ok(&json!({ "fund_id": fund_id, "custodygroup_withdraw": withdraw, "custodygroup_tx": tx }))
}

async fn get_fund(
    State(api): Api,
    Path((company_id, fund_id)): Path<(String, String)>,
) -> Response {
    let store = lock(&api.store);
    match store
        .funds
        .get(&company_id)
        .and_then(|funds| funds.get(&fund_id))
    {
        Some(fund) => ok(fund),
        None => not_found("fund not found"),
    }
}

async fn list_trusted_parties(State(api): Api, Path(company_id): Path<String>) -> Response {
    let store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let list: Vec<Value> = store
        .trusted_parties
        .get(&company_id)
        .map(|parties| parties.values().cloned().collect())
        .unwrap_or_default();
    ok(&json!({ "total_count": list.len(), "list": list }))
}

async fn add_trusted_party(
    State(api): Api,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    let new: NewTrustedParty = match parse_body(&body) {
        Ok(new) => new,
        Err(reason) => return bad_request(&reason),
    };
    if new.address.trim().is_empty() {
        return bad_request("address is required");
    }
    let mut store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let id = new_id();
    let party = json!({
        "trustedparty_id": id,
        "address": new.address,
        "type": new.kind.unwrap_or_else(|| "user".to_owned()),
        "name": new.name.unwrap_or_default(),
    });
    store
        .trusted_parties
        .entry(company_id)
        .or_default()
        .insert(id.clone(), party);
    ok(&json!({ "code": 200, "msg": "OK", "trustedparty_id": id }))
}

async fn remove_trusted_party(
    State(api): Api,
    Path((company_id, party_id)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&api.store);
    let removed = store
        .trusted_parties
        .get_mut(&company_id)
        .and_then(|parties| parties.remove(&party_id));
    match removed {
        Some(_) => json(
            StatusCode::ACCEPTED,
            &json!({ "code": 202, "msg": "Accepted" }),
        ),
        None => not_found("trusted party not found"),
    }
}
