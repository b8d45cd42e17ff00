//! Funds and their wallets: custody groups checked against the trusted parties, one
//! deposit address per wallet.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::assets::{deposit_address, is_known_asset};
use super::store::{Fund, Policy, Store, Wallet};
use super::{Refused, Shared, bad_body, bad_request, lock, new_id, not_found};
use crate::reply::{ok, parse_body, query_param};

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

impl Store {
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

pub(super) async fn create_fund(
    State(api): Shared,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
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

pub(super) async fn get_fund(
    State(api): Shared,
    Path((company_id, fund_id)): Path<(String, String)>,
) -> Response {
    let store = lock(&api.store);
    match store.fund(&company_id, &fund_id) {
        Ok(fund) => ok(&store.render_fund(&company_id, &fund_id, fund)),
        Err(refused) => refused.into(),
    }
}

pub(super) async fn search_funds(
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

pub(super) async fn deposit_addresses(
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

pub(super) async fn get_wallet(State(api): Shared, Path(wallet_id): Path<String>) -> Response {
    let store = lock(&api.store);
    match store.find_wallet(&wallet_id) {
        Some((company_id, _, wallet)) => ok(&store.render_wallet(company_id, wallet)),
        None => not_found("wallet not found"),
    }
}
