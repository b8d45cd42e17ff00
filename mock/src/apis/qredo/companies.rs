//! Companies: created, updated, searched by name or domain, read.

use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Shared, bad_body, bad_request, lock, new_id, not_found};
use crate::context::Context;
use crate::reply::{ok, parse_body, query_param};

#[derive(Deserialize)]
struct NewCompany {
    name: String,
    city: Option<String>,
    country: Option<String>,
    domain: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
}

pub(super) async fn create_company(
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

pub(super) async fn update_company(
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

pub(super) async fn search_companies(State(api): Shared, RawQuery(query): RawQuery) -> Response {
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

pub(super) async fn get_company(State(api): Shared, Path(company_id): Path<String>) -> Response {
    match lock(&api.store).companies.get(&company_id) {
        Some(company) => ok(company),
        None => not_found("company not found"),
    }
}
