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

mod assets;
mod companies;
mod funds;
mod ledger;
mod store;
mod transactions;
mod trusted_parties;
mod whitelist;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, post};
use serde_json::json;
use signed_api_runtime::Secret;
use signed_api_runtime::nonce::{AlphanumericNonce, NonceSource};
use signed_api_runtime::schemes::QredoTimeMode;
use signed_api_runtime::schemes::QredoVerifier;
use signed_api_runtime::verify::{ReceivedRequest, Verifier, VerifyError};
use signed_api_runtime::verify::{check_window, parse_canonical_u64, parse_unix_seconds};

use self::store::Store;
use super::{MockApi, Refusal, lock, same_secret};
use crate::QredoMockCredentials;
use crate::reply::{BadBody, json, ok};

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
            .route("/assets", get(assets::assets))
            .route("/fees", post(assets::fees))
            .route("/company", post(companies::create_company))
            .route("/company/search", get(companies::search_companies))
            .route(
                "/company/{company_id}",
                get(companies::get_company).put(companies::update_company),
            )
            .route(
                "/company/{company_id}/trustedparty",
                get(trusted_parties::list_trusted_parties).post(trusted_parties::add_trusted_party),
            )
            .route(
                "/company/{company_id}/trustedparty/{trustedparty_id}",
                delete(trusted_parties::remove_trusted_party),
            )
            .route("/company/{company_id}/holding", get(assets::holdings))
            .route("/company/{company_id}/fund", post(funds::create_fund))
            .route(
                "/company/{company_id}/fund/search",
                get(funds::search_funds),
            )
            .route("/company/{company_id}/fund/{fund_id}", get(funds::get_fund))
            .route(
                "/company/{company_id}/fund/{fund_id}/deposit",
                get(funds::deposit_addresses),
            )
            .route(
                "/company/{company_id}/fund/{fund_id}/whitelist",
                get(whitelist::get_whitelist).post(whitelist::add_to_whitelist),
            )
            .route(
                "/company/{company_id}/fund/{fund_id}/ledger",
                get(ledger::ledger),
            )
            .route("/wallet/{wallet_id}", get(funds::get_wallet))
            .route(
                "/company/{company_id}/transfer",
                post(transactions::create_transfer),
            )
            .route(
                "/company/{company_id}/transfer/{tx_id}",
                get(transactions::get_transfer),
            )
            .route(
                "/company/{company_id}/withdraw",
                post(transactions::create_withdrawal),
            )
            .route(
                "/company/{company_id}/withdraw/{tx_id}",
                get(transactions::get_withdrawal),
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
