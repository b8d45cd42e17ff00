//! The DNS zones and their records: listed, created, read, changed, deleted, and zones
//! refreshed.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Shared, error, lock, no_object, no_zone};
use crate::reply::{ok, parse_body, query_param, store_full};

/// Record types the fake DNS accepts.
const FIELD_TYPES: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "DKIM", "MX", "NAPTR", "NS", "SPF", "SRV", "TXT",
];

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Record {
    pub(super) id: u64,
    pub(super) zone: String,
    pub(super) field_type: String,
    pub(super) sub_domain: String,
    pub(super) target: String,
    pub(super) ttl: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordUpdate {
    sub_domain: Option<String>,
    target: Option<String>,
    ttl: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewRecord {
    field_type: String,
    #[serde(default)]
    sub_domain: String,
    target: String,
    ttl: Option<u64>,
}

pub(super) async fn zones(State(api): Shared) -> Response {
    let names: Vec<String> = lock(&api.store).zones.keys().cloned().collect();
    ok(&json!(names))
}

pub(super) async fn list_records(
    State(api): Shared,
    Path(zone): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let field_type = query_param(query.as_deref(), "fieldType");
    let sub_domain = query_param(query.as_deref(), "subDomain");
    let store = lock(&api.store);
    let Some(records) = store.zones.get(&zone) else {
        return no_zone(&zone);
    };
    let ids: Vec<u64> = records
        .values()
        .filter(|record| field_type.as_ref().is_none_or(|t| *t == record.field_type))
        .filter(|record| sub_domain.as_ref().is_none_or(|s| *s == record.sub_domain))
        .map(|record| record.id)
        .collect();
    ok(&json!(ids))
}

pub(super) async fn create_record(
    State(api): Shared,
    Path(zone): Path<String>,
    body: Bytes,
) -> Response {
    let new: NewRecord = match parse_body(&body) {
        Ok(new) => new,
        Err(bad) => return error(bad.status, &bad.message),
    };
    if !FIELD_TYPES.contains(&new.field_type.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("Invalid fieldType {:?}", new.field_type),
        );
    }
    let mut store = lock(&api.store);
    let id = store.next_record_id;
    // The zones are fixed (two): counting their records is not a scan of the store.
    let kept: usize = store.zones.values().map(BTreeMap::len).sum();
    let max = store.max_records;
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    if kept >= max {
        return error(
            StatusCode::INSUFFICIENT_STORAGE,
            &store_full("DNS records", max),
        );
    }
    let record = Record {
        id,
        zone: zone.clone(),
        field_type: new.field_type,
        sub_domain: new.sub_domain,
        target: new.target,
        ttl: new.ttl.unwrap_or(0),
    };
    records.insert(id, record.clone());
    store.next_record_id += 1;
    ok(&json!(record))
}

pub(super) async fn get_record(
    State(api): Shared,
    Path((zone, id)): Path<(String, String)>,
) -> Response {
    let store = lock(&api.store);
    let Some(records) = store.zones.get(&zone) else {
        return no_zone(&zone);
    };
    match id.parse().ok().and_then(|id: u64| records.get(&id)) {
        Some(record) => ok(&json!(record)),
        None => no_object(&id),
    }
}

pub(super) async fn update_record(
    State(api): Shared,
    Path((zone, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let update: RecordUpdate = match parse_body(&body) {
        Ok(update) => update,
        Err(bad) => return error(bad.status, &bad.message),
    };
    let mut store = lock(&api.store);
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    let Some(record) = id.parse().ok().and_then(|id: u64| records.get_mut(&id)) else {
        return no_object(&id);
    };
    if let Some(sub_domain) = update.sub_domain {
        record.sub_domain = sub_domain;
    }
    if let Some(target) = update.target {
        record.target = target;
    }
    if let Some(ttl) = update.ttl {
        record.ttl = ttl;
    }
    ok(&serde_json::Value::Null)
}

/// Publishing a zone: the mock's records are served at once, so only the zone must exist.
pub(super) async fn refresh_zone(State(api): Shared, Path(zone): Path<String>) -> Response {
    if lock(&api.store).zones.contains_key(&zone) {
        ok(&serde_json::Value::Null)
    } else {
        no_zone(&zone)
    }
}

pub(super) async fn delete_record(
    State(api): Shared,
    Path((zone, id)): Path<(String, String)>,
) -> Response {
    let mut store = lock(&api.store);
    let Some(records) = store.zones.get_mut(&zone) else {
        return no_zone(&zone);
    };
    match id.parse().ok().and_then(|id: u64| records.remove(&id)) {
        Some(_) => ok(&serde_json::Value::Null),
        None => no_object(&id),
    }
}
