//! Qredo Partner API under `/qredo/api/v1/p`: `x-api-key`, `x-timestamp` within the
//! window (or a strictly increasing `x-nonce`), unpadded base64url `x-sign`. Errors as
//! `{"code","msg","detail":{"reason"}}`.
//!
//! In memory: companies, their trusted parties and funds; each fund's wallets (one
//! deposit address each), whitelist and ledger; transfers and withdrawals. Custodians
//! must be trusted parties of the company, withdrawals must go to an address the fund
//! whitelisted for the wallet's asset, and a `partner_txID` used twice returns the first
//! transaction. Nobody approves anything here: transactions stay `pending`, so balances
//! never move (they start at zero and are not checked). Wallets are not connected to
//! outside counterparties (`connect` is accepted and ignored).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use signed_api_runtime::schemes::QredoTimeMode;
use signed_api_runtime::schemes::QredoVerifier;
use signed_api_runtime::verify::{check_window, parse_canonical_u64, parse_unix_seconds};
use signed_api_runtime::{
    AlphanumericNonce, NonceSource, ReceivedRequest, Secret, Verifier, VerifyError,
};

use super::{MockApi, Refusal, lock, same_secret};
use crate::QredoMockCredentials;
use crate::context::Context;
use crate::reply::{BadBody, json, ok, parse_body, query_param, store_full};

pub(crate) struct QredoApi {
    verifier: QredoVerifier,
    /// For the checks made before the body is read.
    api_key: Secret,
    window: i64,
    mode: QredoTimeMode,
    /// The last `x-nonce` accepted: the next must be greater.
    last_nonce: Mutex<Option<u64>>,
    store: Mutex<Store>,
}

/// What the partner API remembers. Each kind of item a client creates (companies,
/// trusted parties, funds, wallets, whitelist entries, transactions) is kept up to
/// `max_items`, then refused with 507; ledger lines (two per transaction at most) and
/// `partner_txID`s follow the transactions. Lookups by id are map lookups, never scans.
#[derive(Default)]
struct Store {
    max_items: usize,
    companies: BTreeMap<String, Value>,
    /// Trusted parties by company id, then trusted-party id.
    trusted_parties: BTreeMap<String, BTreeMap<String, TrustedParty>>,
    /// Trusted-party ids by company id and address: adding an address twice finds the
    /// party without a scan.
    party_by_address: BTreeMap<(String, String), String>,
    trusted_party_count: usize,
    /// Funds by company id, then fund id.
    funds: BTreeMap<String, BTreeMap<String, Fund>>,
    fund_count: usize,
    /// Where each wallet is: company id, fund id, index in the fund's wallets (wallets are
    /// never removed).
    wallet_index: HashMap<String, (String, String, usize)>,
    whitelist_count: usize,
    /// Transfers and withdrawals by transaction id.
    transactions: BTreeMap<String, Transaction>,
    /// Transaction ids by (company id, `partner_txID`).
    partner_tx_ids: BTreeMap<(String, String), String>,
}

struct TrustedParty {
    address: String,
    kind: String,
    name: String,
    created: i64,
}

#[derive(Clone)]
struct Policy {
    id: String,
    name: &'static str,
    threshold: u64,
    /// Trusted-party ids.
    members: Vec<String>,
}

struct Wallet {
    id: String,
    name: String,
    asset: String,
    kind: u64,
    address: String,
    balance: u64,
    withdraw: Policy,
    tx: Policy,
}

struct Fund {
    name: String,
    description: String,
    withdraw: Policy,
    tx: Policy,
    wallets: Vec<Wallet>,
    whitelist: Vec<WhitelistEntry>,
    /// Index in `whitelist` by address and asset.
    whitelisted: HashMap<(String, String), usize>,
    /// Oldest first.
    ledger: Vec<LedgerEntry>,
}

#[derive(Clone, Deserialize, serde::Serialize)]
struct WhitelistEntry {
    name: String,
    asset: String,
    address: String,
}

struct LedgerEntry {
    wallet_id: String,
    incoming: bool,
    entry: Value,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TxKind {
    Transfer,
    Withdrawal,
}

struct Transaction {
    company_id: String,
    kind: TxKind,
    info: Value,
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
struct NewCustodyGroup {
    threshold: u64,
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
struct NewWallet {
    name: String,
    asset: String,
    #[serde(rename = "type", default)]
    kind: u64,
    custodygroup_withdraw: Option<NewCustodyGroup>,
    custodygroup_tx: Option<NewCustodyGroup>,
}

#[derive(Deserialize)]
struct NewFund {
    name: String,
    description: Option<String>,
    #[serde(default)]
    wallets: Vec<NewWallet>,
    custodygroup_withdraw: Option<NewCustodyGroup>,
    custodygroup_tx: Option<NewCustodyGroup>,
}

#[derive(Deserialize)]
struct FeeRequest {
    #[serde(rename = "type")]
    kind: String,
    asset: String,
    amount: u64,
}

#[derive(Deserialize)]
struct AssetAmount {
    symbol: String,
    amount: u64,
}

/// The body of a transfer (`counterparty_wallet_address`) or a withdrawal (`address`).
#[derive(Deserialize)]
struct NewTransaction {
    wallet_id: String,
    counterparty_wallet_address: Option<String>,
    address: Option<String>,
    /// Unix seconds; the swagger types it as a string, its samples as a number.
    expires: Value,
    send: AssetAmount,
    benefit_of: Option<String>,
    account_no: Option<String>,
    reference: Option<String>,
    #[serde(rename = "partner_txID")]
    partner_tx_id: Option<String>,
}

/// The assets served: code, name, unit code, base units per coin, test network.
const ASSETS: &[(&str, &str, &str, u64, bool)] = &[
    ("BTC", "Bitcoin", "BTC", 100_000_000, false),
    ("ETH", "Ethereum", "ETH", 1_000_000_000, false),
    ("USDC", "USD Coin", "USDC", 1_000_000, false),
    (
        "BTC-TESTNET",
        "Bitcoin Testnet",
        "BTC-TEST",
        100_000_000,
        true,
    ),
    (
        "ETH-TESTNET",
        "Ethereum Testnet",
        "ETH-TEST",
        1_000_000_000,
        true,
    ),
];

const FEE_KINDS: &[&str] = &["withdraw", "transferOut", "swap"];

impl QredoApi {
    pub(crate) fn new(
        credentials: &QredoMockCredentials,
        window: i64,
        mode: QredoTimeMode,
        max_items: usize,
    ) -> Self {
        QredoApi {
            verifier: QredoVerifier::new(
                credentials.api_key.clone(),
                credentials.public_key.clone(),
                window,
            )
            .mode(mode),
            api_key: credentials.api_key.clone(),
            window,
            mode,
            last_nonce: Mutex::new(None),
            store: Mutex::new(Store {
                max_items,
                ..Store::default()
            }),
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

fn stale_nonce() -> Refusal {
    refusal("x-nonce must be greater than the last one used")
}

/// A new id in the style of Qredo's (27 letters and digits).
fn new_id() -> String {
    AlphanumericNonce::new(27).nonce(0)
}

/// `len` random lowercase hexadecimal digits.
fn random_hex(len: usize) -> String {
    AlphanumericNonce::new(len)
        .nonce(0)
        .bytes()
        .filter_map(|byte| char::from_digit(u32::from(byte) % 16, 16))
        .collect()
}

/// A deposit address in the format of the asset's chain.
fn deposit_address(asset: &str) -> String {
    match asset {
        "BTC" => format!("bc1q{}", random_hex(38)),
        "BTC-TESTNET" => format!("tb1q{}", random_hex(38)),
        _ => format!("0x{}", random_hex(40)),
    }
}

fn is_known_asset(code: &str) -> bool {
    ASSETS.iter().any(|(known, ..)| *known == code)
}

/// The fee of moving `amount` base units: 0.1 %, rounded up (the swagger's sample
/// charges 200 on 200000; its transfer sample 1 on 800).
fn fee(amount: u64) -> u64 {
    amount.div_ceil(1000)
}

impl QredoApi {
    /// The header checks of [`QredoVerifier`], without the signature: the API key, this
    /// mode's header (and not the other's) in canonical form, the timestamp in the window.
    /// Returns the nonce in nonce mode.
    fn check_head(
        &self,
        request: &ReceivedRequest<'_>,
        now: i64,
    ) -> Result<Option<u64>, VerifyError> {
        let api_key = request.require("x-api-key")?;
        if !same_secret(api_key, self.api_key.expose()) {
            return Err(VerifyError::UnknownKey("API key"));
        }
        let nonce = match self.mode {
            QredoTimeMode::Nonce => {
                request.forbid("x-timestamp", "this server takes nonce-mode requests only")?;
                Some(parse_canonical_u64("x-nonce", request.require("x-nonce")?)?)
            }
            QredoTimeMode::Timestamp => {
                request.forbid("x-nonce", "this server takes timestamp-mode requests only")?;
                let timestamp = parse_unix_seconds("x-timestamp", request.require("x-timestamp")?)?;
                check_window(timestamp, now, self.window)?;
                None
            }
        };
        request.require("x-sign")?;
        Ok(nonce)
    }
}

impl MockApi for QredoApi {
    fn pre_authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        _path: &str,
        now: i64,
    ) -> Result<(), Refusal> {
        let nonce = self
            .check_head(request, now)
            .map_err(|e| refusal(&e.to_string()))?;
        if nonce.is_some_and(|nonce| lock(&self.last_nonce).is_some_and(|last| nonce <= last)) {
            return Err(stale_nonce());
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
            .map_err(|e| refusal(&e.to_string()))?;
        if let Some(nonce) = verified.nonce.and_then(|nonce| nonce.parse::<u64>().ok()) {
            let mut last = lock(&self.last_nonce);
            if last.is_some_and(|last| nonce <= last) {
                return Err(stale_nonce());
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
            .route("/fees", post(fees))
            .route("/company", post(create_company))
            .route("/company/search", get(search_companies))
            .route(
                "/company/{company_id}",
                get(get_company).put(update_company),
            )
            .route(
                "/company/{company_id}/trustedparty",
                get(list_trusted_parties).post(add_trusted_party),
            )
            .route(
                "/company/{company_id}/trustedparty/{trustedparty_id}",
                delete(remove_trusted_party),
            )
            .route("/company/{company_id}/holding", get(holdings))
            .route("/company/{company_id}/fund", post(create_fund))
            .route("/company/{company_id}/fund/search", get(search_funds))
            .route("/company/{company_id}/fund/{fund_id}", get(get_fund))
            .route(
                "/company/{company_id}/fund/{fund_id}/deposit",
                get(deposit_addresses),
            )
            .route(
                "/company/{company_id}/fund/{fund_id}/whitelist",
                get(get_whitelist).post(add_to_whitelist),
            )
            .route("/company/{company_id}/fund/{fund_id}/ledger", get(ledger))
            .route("/wallet/{wallet_id}", get(get_wallet))
            .route("/company/{company_id}/transfer", post(create_transfer))
            .route("/company/{company_id}/transfer/{tx_id}", get(get_transfer))
            .route("/company/{company_id}/withdraw", post(create_withdrawal))
            .route(
                "/company/{company_id}/withdraw/{tx_id}",
                get(get_withdrawal),
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

/// The `State` extractor of this API's handlers (named so as not to shadow [`crate::Api`]).
type Shared = State<Arc<QredoApi>>;

fn bad_request(reason: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "Bad Request", reason)
}

fn bad_body(bad: &BadBody) -> Response {
    let msg = bad.status.canonical_reason().unwrap_or("Bad Request");
    error(bad.status, msg, &bad.message)
}

fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, "Not Found", what)
}

/// Why a helper refused a request; the handler answers it in Qredo's error shape.
enum Refused {
    BadRequest(String),
    NotFound(&'static str),
}

impl From<Refused> for Response {
    fn from(refused: Refused) -> Response {
        match refused {
            Refused::BadRequest(reason) => bad_request(&reason),
            Refused::NotFound(what) => not_found(what),
        }
    }
}

fn ok_response() -> Response {
    ok(&json!({ "code": 200, "msg": "OK" }))
}

// --- Assets and fees -------------------------------------------------------------------

async fn assets() -> Response {
    let assets: Vec<Value> = ASSETS
        .iter()
        .map(|(code, name, unit, scale, test)| {
            json!({ "code": code, "name": name, "unitCode": unit, "scale": scale,
                    "enabled": true, "testAsset": test })
        })
        .collect();
    ok(&json!({ "assets": assets }))
}

async fn fees(body: Bytes) -> Response {
    let request: FeeRequest = match parse_body(&body) {
        Ok(request) => request,
        Err(bad) => return bad_body(&bad),
    };
    if !FEE_KINDS.contains(&request.kind.as_str()) {
        return bad_request("type must be withdraw, transferOut or swap");
    }
    if !is_known_asset(&request.asset) {
        return bad_request(&format!("unknown asset {}", request.asset));
    }
    if request.amount == 0 {
        return bad_request("amount must be positive");
    }
    let fees = fee(request.amount);
    match request.amount.checked_add(fees) {
        Some(to_send) => ok(&json!({
            "netAmount": request.amount, "amountToSend": to_send, "fees": fees,
        })),
        None => bad_request("amount is too large"),
    }
}

// --- Companies -------------------------------------------------------------------------

async fn create_company(
    State(api): Shared,
    Extension(context): Extension<Context>,
    body: Bytes,
) -> Response {
    let new: NewCompany = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return bad_body(&bad),
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
    let mut store = lock(&api.store);
    if store.companies.len() >= store.max_items {
        return store.full("companies");
    }
    store.companies.insert(id.clone(), company);
    ok(&json!({ "company_id": id, "ref": reference }))
}

async fn update_company(
    State(api): Shared,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    let update: NewCompany = match parse_body(&body) {
        Ok(update) => update,
        Err(bad) => return bad_body(&bad),
    };
    if update.name.trim().is_empty() {
        return bad_request("name is required");
    }
    let mut store = lock(&api.store);
    let Some(company) = store.companies.get_mut(&company_id) else {
        return not_found("company not found");
    };
    company["name"] = json!(update.name);
    let optional = [
        ("city", update.city),
        ("country", update.country),
        ("domain", update.domain),
        ("ref", update.reference),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            company[field] = json!(value);
        }
    }
    ok(&json!({ "company_id": company_id, "ref": company["ref"] }))
}

async fn search_companies(State(api): Shared, RawQuery(query): RawQuery) -> Response {
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

async fn get_company(State(api): Shared, Path(company_id): Path<String>) -> Response {
    match lock(&api.store).companies.get(&company_id) {
        Some(company) => ok(company),
        None => not_found("company not found"),
    }
}

// --- Trusted parties -------------------------------------------------------------------

async fn list_trusted_parties(State(api): Shared, Path(company_id): Path<String>) -> Response {
    let store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let list: Vec<Value> = store
        .trusted_parties
        .get(&company_id)
        .into_iter()
        .flatten()
        .map(|(id, party)| {
            json!({ "trusted_entity_id": id, "name": party.name, "address": party.address,
                    "type": party.kind, "created": party.created })
        })
        .collect();
    ok(&json!({ "company_id": company_id, "total_count": list.len(), "list": list }))
}

async fn add_trusted_party(
    State(api): Shared,
    Extension(context): Extension<Context>,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    let new: NewTrustedParty = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return bad_body(&bad),
    };
    if new.address.trim().is_empty() {
        return bad_request("address is required");
    }
    let mut store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    // Adding an address twice leaves one party.
    let by_address = (company_id, new.address);
    let id = match store.party_by_address.get(&by_address) {
        Some(id) => id.clone(),
        None => {
            if store.trusted_party_count >= store.max_items {
                return store.full("trusted parties");
            }
            let (company_id, address) = by_address;
            let id = new_id();
            let party = TrustedParty {
                address: address.clone(),
                kind: new.kind.unwrap_or_else(|| "user".to_owned()),
                name: new.name.unwrap_or_default(),
                created: context.now,
            };
            store
                .trusted_parties
                .entry(company_id.clone())
                .or_default()
                .insert(id.clone(), party);
            store
                .party_by_address
                .insert((company_id, address), id.clone());
            store.trusted_party_count += 1;
            id
        }
    };
    // The id is an addition of the mock's (Qredo answers `OkResponse` only).
    ok(&json!({ "code": 200, "msg": "OK", "trustedparty_id": id }))
}

async fn remove_trusted_party(
    State(api): Shared,
    Path((company_id, party_id)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&api.store);
    let removed = store
        .trusted_parties
        .get_mut(&company_id)
        .and_then(|parties| parties.remove(&party_id));
    match removed {
        Some(party) => {
            store.party_by_address.remove(&(company_id, party.address));
            store.trusted_party_count = store.trusted_party_count.saturating_sub(1);
            json(
                StatusCode::ACCEPTED,
                &json!({ "code": 202, "msg": "Accepted" }),
            )
        }
        None => not_found("trusted party not found"),
    }
}

async fn holdings(State(api): Shared, Path(company_id): Path<String>) -> Response {
    let store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for wallet in store
        .funds
        .get(&company_id)
        .into_iter()
        .flat_map(BTreeMap::values)
        .flat_map(|fund| &fund.wallets)
    {
        let total = totals.entry(&wallet.asset).or_default();
        *total = total.saturating_add(wallet.balance);
    }
    let holdings: Vec<Value> = totals
        .into_iter()
        .map(|(code, amount)| json!({ "code": code, "amount": amount }))
        .collect();
    ok(&json!({ "total_count": holdings.len(), "holdings": holdings }))
}

// --- Funds -----------------------------------------------------------------------------

impl Store {
    fn fund(&self, company_id: &str, fund_id: &str) -> Result<&Fund, Refused> {
        if !self.companies.contains_key(company_id) {
            return Err(Refused::NotFound("company not found"));
        }
        self.funds
            .get(company_id)
            .and_then(|funds| funds.get(fund_id))
            .ok_or(Refused::NotFound("fund not found"))
    }

    fn fund_mut(&mut self, company_id: &str, fund_id: &str) -> Result<&mut Fund, Refused> {
        if !self.companies.contains_key(company_id) {
            return Err(Refused::NotFound("company not found"));
        }
        self.funds
            .get_mut(company_id)
            .and_then(|funds| funds.get_mut(fund_id))
            .ok_or(Refused::NotFound("fund not found"))
    }

    fn company_name(&self, company_id: &str) -> &str {
        self.companies
            .get(company_id)
            .and_then(|company| company["name"].as_str())
            .unwrap_or_default()
    }

    /// The company, fund id and wallet of a wallet id, whatever the company.
    fn find_wallet(&self, wallet_id: &str) -> Option<(&str, &str, &Wallet)> {
        let (company_id, fund_id, index) = self.wallet_index.get(wallet_id)?;
        let wallet = self
            .funds
            .get(company_id)?
            .get(fund_id)?
            .wallets
            .get(*index)?;
        Some((company_id.as_str(), fund_id.as_str(), wallet))
    }

    /// The 507 answer when `what` are at `max_items`.
    fn full(&self, what: &str) -> Response {
        error(
            StatusCode::INSUFFICIENT_STORAGE,
            "Insufficient Storage",
            &store_full(what, self.max_items),
        )
    }

    /// A custody group to create, checked: its members must be trusted parties.
    fn policy(
        &self,
        company_id: &str,
        group: Option<NewCustodyGroup>,
        what: &str,
        name: &'static str,
    ) -> Result<Policy, Refused> {
        let Some(group) = group else {
            return Err(Refused::BadRequest(format!("{what} is required")));
        };
        let parties = self.trusted_parties.get(company_id);
        if let Some(stranger) = group
            .members
            .iter()
            .find(|member| !parties.is_some_and(|parties| parties.contains_key(*member)))
        {
            return Err(Refused::BadRequest(format!(
                "{what}: {stranger} is not a trusted party of the company"
            )));
        }
        if group.threshold == 0 || group.threshold > group.members.len() as u64 {
            return Err(Refused::BadRequest(format!(
                "{what}: threshold must be between 1 and the number of members"
            )));
        }
        Ok(Policy {
            id: new_id(),
            name,
            threshold: group.threshold,
            members: group.members,
        })
    }

    fn render_policy(&self, company_id: &str, policy: &Policy) -> Value {
        let parties = self.trusted_parties.get(company_id);
        let members: Vec<Value> = policy
            .members
            .iter()
            .map(|id| {
                let party = parties.and_then(|parties| parties.get(id));
                json!({
                    "id": id,
                    "type": party.map_or("user", |party| party.kind.as_str()),
                    "name": party.map_or("", |party| party.name.as_str()),
                })
            })
            .collect();
        json!({ "id": policy.id, "name": policy.name, "threshold": policy.threshold,
                "members": members })
    }

    fn render_wallet(&self, company_id: &str, wallet: &Wallet) -> Value {
        json!({
            "wallet_id": wallet.id,
            "name": wallet.name,
            "asset": wallet.asset,
            "type": wallet.kind,
            "status": "ready",
            "address": wallet.address,
            "balance": wallet.balance,
            "custodygroup_withdraw": wallet.withdraw.id,
            "custodygroup_tx": wallet.tx.id,
            "policy_withdraw": self.render_policy(company_id, &wallet.withdraw),
            "policy_tx": self.render_policy(company_id, &wallet.tx),
            "connected": [],
        })
    }

    fn render_fund(&self, company_id: &str, fund_id: &str, fund: &Fund) -> Value {
        let company_name = self.company_name(company_id);
        let mut assets: Vec<&str> = fund
            .wallets
            .iter()
            .map(|wallet| wallet.asset.as_str())
            .collect();
        assets.sort_unstable();
        assets.dedup();
        let wallets: Vec<Value> = fund
            .wallets
            .iter()
            .map(|wallet| self.render_wallet(company_id, wallet))
            .collect();
        json!({
            "fund_id": fund_id,
            "name": fund.name,
            "description": fund.description,
            "custodygroup_withdraw": fund.withdraw.id,
            "custodygroup_tx": fund.tx.id,
            "policy_withdraw": self.render_policy(company_id, &fund.withdraw),
            "policy_tx": self.render_policy(company_id, &fund.tx),
            "members": [{
                "entity": { "id": company_id, "name": company_name, "type": "company",
                            "company": { "name": company_name } },
                "permissions": { "admin": true, "withdraw": true, "transfer": true,
                                 "swap": true },
            }],
            "assets": assets,
            "wallets": wallets,
        })
    }
}

async fn create_fund(State(api): Shared, Path(company_id): Path<String>, body: Bytes) -> Response {
    let new: NewFund = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return bad_body(&bad),
    };
    if new.name.trim().is_empty() {
        return bad_request("name is required");
    }
    let mut store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    if store.fund_count >= store.max_items {
        return store.full("funds");
    }
    if new.wallets.len() > store.max_items.saturating_sub(store.wallet_index.len()) {
        return store.full("wallets");
    }
    let fund = match build_fund(&store, &company_id, new) {
        Ok(fund) => fund,
        Err(refused) => return refused.into(),
    };
    let fund_id = new_id();
    let answer = json!({ "fund_id": fund_id, "custodygroup_withdraw": fund.withdraw.id,
                         "custodygroup_tx": fund.tx.id });
    for (index, wallet) in fund.wallets.iter().enumerate() {
        let place = (company_id.clone(), fund_id.clone(), index);
        store.wallet_index.insert(wallet.id.clone(), place);
    }
    store
        .funds
        .entry(company_id)
        .or_default()
        .insert(fund_id, fund);
    store.fund_count += 1;
    ok(&answer)
}

fn build_fund(store: &Store, company_id: &str, new: NewFund) -> Result<Fund, Refused> {
    let withdraw = store.policy(
        company_id,
        new.custodygroup_withdraw,
        "custodygroup_withdraw",
        "withdraw policy",
    )?;
    let tx = store.policy(
        company_id,
        new.custodygroup_tx,
        "custodygroup_tx",
        "tx policy",
    )?;
    let mut wallets = Vec::with_capacity(new.wallets.len());
    for wallet in new.wallets {
        if wallet.name.trim().is_empty() {
            return Err(Refused::BadRequest("a wallet needs a name".into()));
        }
        if !is_known_asset(&wallet.asset) {
            return Err(Refused::BadRequest(format!(
                "unknown asset {}",
                wallet.asset
            )));
        }
        let own_withdraw = match wallet.custodygroup_withdraw {
            Some(group) => store.policy(
                company_id,
                Some(group),
                "wallet custodygroup_withdraw",
                "withdraw policy",
            )?,
            None => withdraw.clone(),
        };
        let own_tx = match wallet.custodygroup_tx {
            Some(group) => store.policy(
                company_id,
                Some(group),
                "wallet custodygroup_tx",
                "tx policy",
            )?,
            None => tx.clone(),
        };
        wallets.push(Wallet {
            id: new_id(),
            address: deposit_address(&wallet.asset),
            name: wallet.name,
            asset: wallet.asset,
            kind: wallet.kind,
            balance: 0,
            withdraw: own_withdraw,
            tx: own_tx,
        });
    }
    Ok(Fund {
        name: new.name,
        description: new.description.unwrap_or_default(),
        withdraw,
        tx,
        wallets,
        whitelist: Vec::new(),
        whitelisted: HashMap::new(),
        ledger: Vec::new(),
    })
}

async fn get_fund(
    State(api): Shared,
    Path((company_id, fund_id)): Path<(String, String)>,
) -> Response {
    let store = lock(&api.store);
    match store.fund(&company_id, &fund_id) {
        Ok(fund) => ok(&store.render_fund(&company_id, &fund_id, fund)),
        Err(refused) => refused.into(),
    }
}

async fn search_funds(
    State(api): Shared,
    Path(company_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let needle = query_param(query.as_deref(), "query")
        .unwrap_or_default()
        .to_lowercase();
    let store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let list: Vec<Value> = store
        .funds
        .get(&company_id)
        .into_iter()
        .flatten()
        .filter(|(_, fund)| fund.name.to_lowercase().contains(&needle))
        .map(|(id, fund)| json!({ "name": fund.name, "id": id }))
        .collect();
    ok(&json!({ "total_count": list.len(), "list": list }))
}

async fn deposit_addresses(
    State(api): Shared,
    Path((company_id, fund_id)): Path<(String, String)>,
) -> Response {
    let store = lock(&api.store);
    let fund = match store.fund(&company_id, &fund_id) {
        Ok(fund) => fund,
        Err(refused) => return refused.into(),
    };
    let list: Vec<Value> = fund
        .wallets
        .iter()
        .map(|wallet| {
            json!({ "asset": wallet.asset, "address": wallet.address,
                    "balance": wallet.balance })
        })
        .collect();
    ok(&json!({ "total_count": list.len(), "list": list }))
}

async fn get_whitelist(
    State(api): Shared,
    Path((company_id, fund_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let address = query_param(query.as_deref(), "address");
    let asset = query_param(query.as_deref(), "asset");
    let store = lock(&api.store);
    let fund = match store.fund(&company_id, &fund_id) {
        Ok(fund) => fund,
        Err(refused) => return refused.into(),
    };
    let list: Vec<&WhitelistEntry> = fund
        .whitelist
        .iter()
        .filter(|entry| {
            address
                .as_ref()
                .is_none_or(|address| entry.address == *address)
        })
        .filter(|entry| asset.as_ref().is_none_or(|asset| entry.asset == *asset))
        .collect();
    ok(&json!({ "total_count": list.len(), "list": list }))
}

async fn add_to_whitelist(
    State(api): Shared,
    Path((company_id, fund_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let new: WhitelistEntry = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return bad_body(&bad),
    };
    if new.address.trim().is_empty() || new.name.trim().is_empty() {
        return bad_request("name and address are required");
    }
    if !is_known_asset(&new.asset) {
        return bad_request(&format!("unknown asset {}", new.asset));
    }
    let mut store = lock(&api.store);
    let full = store.whitelist_count >= store.max_items;
    let fund = match store.fund_mut(&company_id, &fund_id) {
        Ok(fund) => fund,
        Err(refused) => return refused.into(),
    };
    // Whitelisting an address again for the same asset only renames it.
    let key = (new.address.clone(), new.asset.clone());
    if let Some(entry) = fund
        .whitelisted
        .get(&key)
        .and_then(|index| fund.whitelist.get_mut(*index))
    {
        entry.name = new.name;
        return ok_response();
    }
    if full {
        return store.full("whitelist entries");
    }
    fund.whitelisted.insert(key, fund.whitelist.len());
    fund.whitelist.push(new);
    store.whitelist_count += 1;
    ok_response()
}

/// A query parameter that must be a whole number when present.
fn number_param(query: Option<&str>, name: &str) -> Result<Option<usize>, Refused> {
    query_param(query, name)
        .map(|value| {
            value
                .parse()
                .map_err(|_| Refused::BadRequest(format!("{name} must be a whole number")))
        })
        .transpose()
}

async fn ledger(
    State(api): Shared,
    Path((company_id, fund_id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.as_deref();
    let asset = query_param(query, "asset");
    let wallet_id = query_param(query, "wallet_id");
    let incoming = match query_param(query, "direction").as_deref() {
        None | Some("all") => None,
        Some("in") => Some(true),
        Some("out") => Some(false),
        Some(_) => return bad_request("direction must be all, in or out"),
    };
    let (offset, limit) = match (number_param(query, "offset"), number_param(query, "limit")) {
        (Ok(offset), Ok(limit)) => (offset.unwrap_or(0), limit.unwrap_or(usize::MAX)),
        (Err(refused), _) | (_, Err(refused)) => return refused.into(),
    };
    let store = lock(&api.store);
    let fund = match store.fund(&company_id, &fund_id) {
        Ok(fund) => fund,
        Err(refused) => return refused.into(),
    };
    let matching: Vec<&Value> = fund
        .ledger
        .iter()
        .rev()
        .filter(|line| incoming.is_none_or(|incoming| line.incoming == incoming))
        .filter(|line| wallet_id.as_ref().is_none_or(|id| line.wallet_id == *id))
        .filter(|line| {
            asset
                .as_deref()
                .is_none_or(|asset| line.entry["asset"].as_str() == Some(asset))
        })
        .map(|line| &line.entry)
        .collect();
    let page: Vec<&Value> = matching.iter().skip(offset).take(limit).copied().collect();
    ok(&json!({ "Total": matching.len(), "List": page }))
}

async fn get_wallet(State(api): Shared, Path(wallet_id): Path<String>) -> Response {
    let store = lock(&api.store);
    match store.find_wallet(&wallet_id) {
        Some((company_id, _, wallet)) => ok(&store.render_wallet(company_id, wallet)),
        None => not_found("wallet not found"),
    }
}

// --- Transfers and withdrawals ---------------------------------------------------------

async fn create_transfer(
    State(api): Shared,
    Extension(context): Extension<Context>,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    create_transaction(&api, context.now, company_id, &body, TxKind::Transfer)
}

async fn create_withdrawal(
    State(api): Shared,
    Extension(context): Extension<Context>,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    create_transaction(&api, context.now, company_id, &body, TxKind::Withdrawal)
}

/// `expires` as Unix seconds, from a number or a string of digits.
fn expiry(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

fn create_transaction(
    api: &QredoApi,
    now: i64,
    company_id: String,
    body: &Bytes,
    kind: TxKind,
) -> Response {
    let new: NewTransaction = match parse_body(body) {
        Ok(new) => new,
        Err(bad) => return bad_body(&bad),
    };
    let mut store = lock(&api.store);
    if !store.companies.contains_key(&company_id) {
        return not_found("company not found");
    }
    let company_name = store.company_name(&company_id).to_owned();
    let partner_key = new
        .partner_tx_id
        .clone()
        .filter(|id| !id.is_empty())
        .map(|id| (company_id.clone(), id));
    if let Some(tx_id) = partner_key
        .as_ref()
        .and_then(|key| store.partner_tx_ids.get(key))
    {
        return ok(&json!({ "tx_id": tx_id, "status": "existing" }));
    }
    if store.transactions.len() >= store.max_items {
        return store.full("transactions");
    }
    let (fund_id, wallet) = match store.find_wallet(&new.wallet_id) {
        Some((owner, fund_id, wallet)) if owner == company_id => (fund_id.to_owned(), wallet),
        _ => return not_found("wallet not found"),
    };
    if new.send.symbol != wallet.asset {
        return bad_request(&format!(
            "send.symbol {} is not the wallet's asset {}",
            new.send.symbol, wallet.asset
        ));
    }
    if new.send.amount == 0 {
        return bad_request("send.amount must be positive");
    }
    let Some(expires) = expiry(&new.expires) else {
        return bad_request("expires must be Unix seconds");
    };
    if expires <= now {
        return bad_request("expires is in the past");
    }
    let fees = fee(new.send.amount);
    let Some(amount) = new.send.amount.checked_add(fees) else {
        return bad_request("send.amount is too large");
    };
    // The recipient: another wallet (transfers) or a whitelisted address (withdrawals).
    let (recipient, recipient_wallet, policy) = match kind {
        TxKind::Transfer => {
            let Some(counterparty) = new.counterparty_wallet_address.filter(|c| !c.is_empty())
            else {
                return bad_request("counterparty_wallet_address is required");
            };
            let receiver = store
                .find_wallet(&counterparty)
                .map(|(owner, fund_id, receiver)| {
                    (owner.to_owned(), fund_id.to_owned(), receiver.asset.clone())
                });
            if receiver
                .as_ref()
                .is_some_and(|(_, _, asset)| *asset != wallet.asset)
            {
                return bad_request("the counterparty wallet holds another asset");
            }
            (counterparty, receiver, wallet.tx.clone())
        }
        TxKind::Withdrawal => {
            let Some(address) = new.address.filter(|a| !a.is_empty()) else {
                return bad_request("address is required");
            };
            let key = (address.clone(), wallet.asset.clone());
            let whitelisted = store
                .fund(&company_id, &fund_id)
                .is_ok_and(|fund| fund.whitelisted.contains_key(&key));
            if !whitelisted {
                return bad_request(&format!(
                    "address {address} is not whitelisted for {} in this fund",
                    wallet.asset
                ));
            }
            (address, None, wallet.withdraw.clone())
        }
    };
    let asset = wallet.asset.clone();
    let wallet_id = wallet.id.clone();
    let tx_id = new_id();
    let parties = store.trusted_parties.get(&company_id);
    let approvals: Vec<Value> = policy
        .members
        .iter()
        .map(|member| {
            let party = parties.and_then(|parties| parties.get(member));
            json!({
                "actionID": new_id(),
                "userID": member,
                "firstName": party.map_or("", |party| party.name.as_str()),
                "lastName": "",
                "username": party.map_or("", |party| party.address.as_str()),
                "status": "pending",
                "timestamp": 0,
            })
        })
        .collect();
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let info = json!({
        "txID": tx_id,
        "txStatus": "pending",
        "approvedCount": 0,
        "thresholdRequired": policy.threshold,
        "expires": expires,
        "initiatedTimestamp": now,
        "initiatorAuthorized": true,
        "initiatorName": company_name,
        "reference": text(&new.reference),
        "status": approvals,
        "statusDetails": {
            "asset": asset,
            "amount": amount,
            "fees": fees,
            "netAmount": new.send.amount,
            "fundID": fund_id,
            "recipientAddress": recipient,
            "benefitOf": text(&new.benefit_of),
            "accountNo": text(&new.account_no),
            "reference": text(&new.reference),
            "requestedBy": company_name,
            "expires": expires,
        },
    });
    let (counterparty_id, counterparty_name) = recipient_wallet
        .as_ref()
        .map(|(owner, ..)| (owner.clone(), store.company_name(owner).to_owned()))
        .unwrap_or_default();
    let line = |kind: &str, fund: &str, amount: u64, fees: u64, counterparty: (&str, &str)| {
        json!({
            "TxID": tx_id, "chainTxID": "", "fundID": fund, "timestamp": now,
            "expireTime": expires, "status": "pending", "type": kind, "asset": asset,
            "amount": amount, "fees": fees, "netAmount": new.send.amount,
            "counterpartyID": counterparty.0, "counterpartyName": counterparty.1,
            "address": if kind == "withdraw" { recipient.as_str() } else { "" },
            "reference": text(&new.reference), "benefitOf": text(&new.benefit_of),
            "accountNo": text(&new.account_no),
        })
    };
    let outgoing = LedgerEntry {
        wallet_id,
        incoming: false,
        entry: match kind {
            TxKind::Transfer => line(
                "transferOut",
                &fund_id,
                amount,
                fees,
                (&counterparty_id, &counterparty_name),
            ),
            TxKind::Withdrawal => line("withdraw", &fund_id, amount, fees, ("", "")),
        },
    };
    let incoming = recipient_wallet.map(|(owner, receiver_fund, _)| {
        let entry = line(
            "transferIn",
            &receiver_fund,
            new.send.amount,
            0,
            (&company_id, &company_name),
        );
        (owner, receiver_fund, entry)
    });
    if let Some(fund) = store
        .funds
        .get_mut(&company_id)
        .and_then(|funds| funds.get_mut(&fund_id))
    {
        fund.ledger.push(outgoing);
    }
    if let Some((owner, receiver_fund, entry)) = incoming {
        if let Some(fund) = store
            .funds
            .get_mut(&owner)
            .and_then(|funds| funds.get_mut(&receiver_fund))
        {
            fund.ledger.push(LedgerEntry {
                wallet_id: recipient.clone(),
                incoming: true,
                entry,
            });
        }
    }
    if let Some(key) = partner_key {
        store.partner_tx_ids.insert(key, tx_id.clone());
    }
    store.transactions.insert(
        tx_id.clone(),
        Transaction {
            company_id,
            kind,
            info,
        },
    );
    ok(&json!({ "tx_id": tx_id, "status": "new" }))
}

fn get_transaction(api: &QredoApi, company_id: &str, tx_id: &str, kind: TxKind) -> Response {
    let store = lock(&api.store);
    match store.transactions.get(tx_id) {
        Some(tx) if tx.company_id == company_id && tx.kind == kind => ok(&tx.info),
        _ => not_found(match kind {
            TxKind::Transfer => "transfer not found",
            TxKind::Withdrawal => "withdrawal not found",
        }),
    }
}

async fn get_transfer(
    State(api): Shared,
    Path((company_id, tx_id)): Path<(String, String)>,
) -> Response {
    get_transaction(&api, &company_id, &tx_id, TxKind::Transfer)
}

async fn get_withdrawal(
    State(api): Shared,
    Path((company_id, tx_id)): Path<(String, String)>,
) -> Response {
    get_transaction(&api, &company_id, &tx_id, TxKind::Withdrawal)
}
