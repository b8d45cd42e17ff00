//! The assets served, fees, deposit addresses, and a company's holdings per asset.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use signed_api_runtime::nonce::{AlphanumericNonce, NonceSource};

use super::{Shared, bad_body, bad_request, lock, not_found};
use crate::reply::{ok, parse_body};

#[derive(Deserialize)]
struct FeeRequest {
    #[serde(rename = "type")]
    kind: String,
    asset: String,
    amount: u64,
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

/// `len` random lowercase hexadecimal digits.
fn random_hex(len: usize) -> String {
    AlphanumericNonce::new(len)
        .nonce(0)
        .bytes()
        .filter_map(|byte| char::from_digit(u32::from(byte) % 16, 16))
        .collect()
}

/// A deposit address in the format of the asset's chain.
pub(super) fn deposit_address(asset: &str) -> String {
    match asset {
        "BTC" => format!("bc1q{}", random_hex(38)),
        "BTC-TESTNET" => format!("tb1q{}", random_hex(38)),
        _ => format!("0x{}", random_hex(40)),
    }
}

pub(super) fn is_known_asset(code: &str) -> bool {
    ASSETS.iter().any(|(known, ..)| *known == code)
}

/// The fee of moving `amount` base units: 0.1 %, rounded up (the swagger's sample
/// charges 200 on 200000; its transfer sample 1 on 800).
pub(super) fn fee(amount: u64) -> u64 {
    amount.div_ceil(1000)
}

pub(super) async fn assets() -> Response {
    let assets: Vec<Value> = ASSETS
        .iter()
        .map(|(code, name, unit, scale, test)| {
            json!({ "code": code, "name": name, "unitCode": unit, "scale": scale,
                    "enabled": true, "testAsset": test })
        })
        .collect();
    ok(&json!({ "assets": assets }))
}

pub(super) async fn fees(body: Bytes) -> Response {
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

pub(super) async fn holdings(State(api): Shared, Path(company_id): Path<String>) -> Response {
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
