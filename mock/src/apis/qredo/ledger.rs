//! A fund's ledger: the lines its transfers and withdrawals wrote, newest first, filtered
//! and paged.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Refused, Shared, bad_request, lock};
use crate::reply::{ok, query_param};

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

pub(super) async fn ledger(
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
