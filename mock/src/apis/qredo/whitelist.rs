//! A fund's whitelist: the addresses its wallets may withdraw to, per asset.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::json;

use super::assets::is_known_asset;
use super::store::WhitelistEntry;
use super::{Shared, bad_body, bad_request, lock, ok_response};
use crate::reply::{ok, parse_body, query_param};

pub(super) async fn get_whitelist(
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

pub(super) async fn add_to_whitelist(
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
