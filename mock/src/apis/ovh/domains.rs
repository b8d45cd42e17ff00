//! The account's domains.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Serialize;
use serde_json::json;

use super::{Shared, lock, no_zone};
use crate::reply::{ok, query_param};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Domain {
    pub(super) domain: String,
    pub(super) offer: &'static str,
    pub(super) name_server_type: &'static str,
    pub(super) transfer_lock_status: &'static str,
    pub(super) whois_owner: &'static str,
    pub(super) dnssec_supported: bool,
    pub(super) owo_supported: bool,
    pub(super) host_supported: bool,
    pub(super) glue_record_ipv6_supported: bool,
    pub(super) glue_record_multi_ip_supported: bool,
    pub(super) last_update: &'static str,
    pub(super) parent_service: Option<serde_json::Value>,
    pub(super) iam: serde_json::Value,
}

impl Domain {
    pub(super) fn new(
        domain: &str,
        name_server_type: &'static str,
        whois_owner: &'static str,
    ) -> Self {
        Domain {
            domain: domain.to_owned(),
            offer: "gold",
            name_server_type,
            transfer_lock_status: "locked",
            whois_owner,
            dnssec_supported: true,
            owo_supported: true,
            host_supported: true,
            glue_record_ipv6_supported: true,
            glue_record_multi_ip_supported: true,
            last_update: "2024-01-02T10:00:00+01:00",
            parent_service: None,
            iam: json!({
                "id": format!("mock-{domain}"),
                "urn": format!("urn:v1:eu:resource:domain:{domain}"),
                "displayName": domain,
            }),
        }
    }
}

pub(super) async fn domains(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let owner = query_param(query.as_deref(), "whoisOwner");
    let names: Vec<String> = lock(&api.store)
        .domains
        .values()
        .filter(|domain| owner.as_ref().is_none_or(|o| o == domain.whois_owner))
        .map(|domain| domain.domain.clone())
        .collect();
    ok(&json!(names))
}

pub(super) async fn domain(State(api): Shared, Path(service): Path<String>) -> Response {
    match lock(&api.store).domains.get(&service) {
        Some(domain) => ok(&json!(domain)),
        None => no_zone(&service),
    }
}
