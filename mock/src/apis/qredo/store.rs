//! What the partner API remembers, and the lookups every resource makes in it.

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;

use super::{Refused, error};
use crate::reply::store_full;

/// What the partner API remembers. Each kind of item a client creates (companies,
/// trusted parties, funds, wallets, whitelist entries, transactions) is kept up to
/// `max_items`, then refused with 507; ledger lines (two per transaction at most) and
/// `partner_txID`s follow the transactions. Lookups by id are map lookups, never scans.
#[derive(Default)]
pub(super) struct Store {
    pub(super) max_items: usize,
    pub(super) companies: BTreeMap<String, Value>,
    /// Trusted parties by company id, then trusted-party id.
    pub(super) trusted_parties: BTreeMap<String, BTreeMap<String, TrustedParty>>,
    /// Trusted-party ids by company id and address: adding an address twice finds the
    /// party without a scan.
    pub(super) party_by_address: BTreeMap<(String, String), String>,
    pub(super) trusted_party_count: usize,
    /// Funds by company id, then fund id.
    pub(super) funds: BTreeMap<String, BTreeMap<String, Fund>>,
    pub(super) fund_count: usize,
    /// Where each wallet is: company id, fund id, index in the fund's wallets (wallets are
    /// never removed).
    pub(super) wallet_index: HashMap<String, (String, String, usize)>,
    pub(super) whitelist_count: usize,
    /// Transfers and withdrawals by transaction id.
    pub(super) transactions: BTreeMap<String, Transaction>,
    /// Transaction ids by (company id, `partner_txID`).
    pub(super) partner_tx_ids: BTreeMap<(String, String), String>,
}

pub(super) struct TrustedParty {
    pub(super) address: String,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) created: i64,
}

#[derive(Clone)]
pub(super) struct Policy {
    pub(super) id: String,
    pub(super) name: &'static str,
    pub(super) threshold: u64,
    /// Trusted-party ids.
    pub(super) members: Vec<String>,
}

pub(super) struct Wallet {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) asset: String,
    pub(super) kind: u64,
    pub(super) address: String,
    pub(super) balance: u64,
    pub(super) withdraw: Policy,
    pub(super) tx: Policy,
}

pub(super) struct Fund {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) withdraw: Policy,
    pub(super) tx: Policy,
    pub(super) wallets: Vec<Wallet>,
    pub(super) whitelist: Vec<WhitelistEntry>,
    /// Index in `whitelist` by address and asset.
    pub(super) whitelisted: HashMap<(String, String), usize>,
    /// Oldest first.
    pub(super) ledger: Vec<LedgerEntry>,
}

#[derive(Clone, Deserialize, serde::Serialize)]
pub(super) struct WhitelistEntry {
    pub(super) name: String,
    pub(super) asset: String,
    pub(super) address: String,
}

pub(super) struct LedgerEntry {
    pub(super) wallet_id: String,
    pub(super) incoming: bool,
    pub(super) entry: Value,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TxKind {
    Transfer,
    Withdrawal,
}

pub(super) struct Transaction {
    pub(super) company_id: String,
    pub(super) kind: TxKind,
    pub(super) info: Value,
}

impl Store {
    pub(super) fn fund(&self, company_id: &str, fund_id: &str) -> Result<&Fund, Refused> {
        if !self.companies.contains_key(company_id) {
            return Err(Refused::NotFound("company not found"));
        }
        self.funds
            .get(company_id)
            .and_then(|funds| funds.get(fund_id))
            .ok_or(Refused::NotFound("fund not found"))
    }

    pub(super) fn fund_mut(
        &mut self,
        company_id: &str,
        fund_id: &str,
    ) -> Result<&mut Fund, Refused> {
        if !self.companies.contains_key(company_id) {
            return Err(Refused::NotFound("company not found"));
        }
        self.funds
            .get_mut(company_id)
            .and_then(|funds| funds.get_mut(fund_id))
            .ok_or(Refused::NotFound("fund not found"))
    }

    pub(super) fn company_name(&self, company_id: &str) -> &str {
        self.companies
            .get(company_id)
            .and_then(|company| company["name"].as_str())
            .unwrap_or_default()
    }

    /// The company, fund id and wallet of a wallet id, whatever the company.
    pub(super) fn find_wallet(&self, wallet_id: &str) -> Option<(&str, &str, &Wallet)> {
        let (company_id, fund_id, index) = self.wallet_index.get(wallet_id)?;
        let wallet = self
            .funds
            .get(company_id)?
            .get(fund_id)?
            .wallets
            .get(*index)?;
        Some((company_id.as_str(), fund_id.as_str(), wallet))
    }

    /// The 507 answer when `what` are at `max_items`.
    pub(super) fn full(&self, what: &str) -> Response {
        error(
            StatusCode::INSUFFICIENT_STORAGE,
            "Insufficient Storage",
            &store_full(what, self.max_items),
        )
    }
}
