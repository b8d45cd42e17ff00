//! A company's trusted parties: the only members its custody groups may have.

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::store::TrustedParty;
use super::{Shared, bad_body, bad_request, lock, new_id, not_found};
use crate::context::Context;
use crate::reply::{json, ok, parse_body};

#[derive(Deserialize)]
struct NewTrustedParty {
    address: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
}

pub(super) async fn list_trusted_parties(
    State(api): Shared,
    Path(company_id): Path<String>,
) -> Response {
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

pub(super) async fn add_trusted_party(
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

pub(super) async fn remove_trusted_party(
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
