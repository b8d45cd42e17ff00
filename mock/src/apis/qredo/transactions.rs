//! Transfers (to another wallet) and withdrawals (to a whitelisted address): checked,
//! written to the ledgers, kept `pending`, found again by `partner_txID`.

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::assets::fee;
use super::store::{LedgerEntry, Transaction, TxKind};
use super::{QredoApi, Shared, bad_body, bad_request, lock, new_id, not_found};
use crate::context::Context;
use crate::reply::{ok, parse_body};

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

pub(super) async fn create_transfer(
    State(api): Shared,
    Extension(context): Extension<Context>,
    Path(company_id): Path<String>,
    body: Bytes,
) -> Response {
    create_transaction(&api, context.now, company_id, &body, TxKind::Transfer)
}

pub(super) async fn create_withdrawal(
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

pub(super) async fn get_transfer(
    State(api): Shared,
    Path((company_id, tx_id)): Path<(String, String)>,
) -> Response {
    get_transaction(&api, &company_id, &tx_id, TxKind::Transfer)
}

pub(super) async fn get_withdrawal(
    State(api): Shared,
    Path((company_id, tx_id)): Path<(String, String)>,
) -> Response {
    get_transaction(&api, &company_id, &tx_id, TxKind::Withdrawal)
}
