//! A fund's ledger: its pages, entries and filters.

use serde::{Deserialize, Serialize};

use super::list;
use super::transactions::TxStatus;

text_enum! {
    /// Which side of a fund's ledger to list.
    pub enum LedgerDirection {
        /// Both.
        All = "all",
        /// Money coming in (deposits, incoming transfers).
        In = "in",
        /// Money going out (withdrawals, outgoing transfers).
        Out = "out",
    }
}

/// A page of a fund's transaction ledger (`Total` and `List`, capitalised in JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// How many entries match, over all pages.
    #[serde(rename = "Total")]
    pub total: u64,
    /// This page's entries.
    #[serde(rename = "List", default, deserialize_with = "list")]
    pub list: Vec<LedgerEntry>,
}

text_enum! {
    /// What a ledger entry records.
    pub enum LedgerEntryType {
        /// No type given.
        Unspecified = "none",
        /// A deposit from outside.
        Deposit = "deposit",
        /// A withdrawal to outside.
        Withdraw = "withdraw",
        /// A transfer received.
        TransferIn = "transferIn",
        /// A transfer sent.
        TransferOut = "transferOut",
        /// A swap.
        Swap = "swap",
        /// The incoming leg of a swap.
        SwapIn = "swapIn",
        /// The outgoing leg of a swap.
        SwapOut = "swapOut",
    }
}

/// One transaction in a fund's ledger. Amounts are signed base units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    /// The transaction id (empty for deposits).
    #[serde(rename = "TxID")]
    pub tx_id: Option<String>,
    /// The transaction's id on the asset's chain.
    #[serde(rename = "chainTxID")]
    pub chain_tx_id: Option<String>,
    /// The fund.
    #[serde(rename = "fundID")]
    pub fund_id: Option<String>,
    /// When, in Unix seconds.
    pub timestamp: Option<i64>,
    /// When it expires if not approved, in Unix seconds (0: never).
    pub expire_time: Option<i64>,
    /// Where it stands (empty for deposits).
    pub status: Option<TxStatus>,
    /// What it records.
    #[serde(rename = "type")]
    pub kind: Option<LedgerEntryType>,
    /// The asset code.
    pub asset: Option<String>,
    /// The amount, fees included.
    pub amount: Option<i64>,
    /// The fees.
    pub fees: Option<i64>,
    /// The amount without fees.
    pub net_amount: Option<i64>,
    /// The other party's id.
    #[serde(rename = "counterpartyID")]
    pub counterparty_id: Option<String>,
    /// The other party's name.
    pub counterparty_name: Option<String>,
    /// The outside address, for deposits and withdrawals.
    pub address: Option<String>,
    /// Your reference.
    pub reference: Option<String>,
    /// The beneficiary.
    pub benefit_of: Option<String>,
    /// The beneficiary's account number.
    pub account_no: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

    #[test]
    fn the_swagger_ledger_sample_decodes() {
        let ledger: Ledger = decode(json!({ "Total": 2, "List": [
            { "TxID": "1kEe4G9mopRzQk3HKnnebfCj5Dh",
              "chainTxID": "8frWYAHJL6wvpY7ioT35sKZ5kyqaSt6kLdTaSShZ11Gb",
              "fundID": "1kEYnRGrYmuhNLFvVhwiiqj6XcM", "timestamp": 1605269988,
              "expireTime": 1640998800, "status": "approved", "type": "transferOut",
              "asset": "BTC-TESTNET", "amount": 2803, "fees": 3, "netAmount": 2800,
              "counterpartyID": "1kEY6PBbhiseE7RfifsMCDusXL8", "counterpartyName": "ACME Corp",
              "address": "", "reference": "CX15R99XX", "benefitOf": "John Smith",
              "accountNo": "123-XX" },
            { "TxID": "", "chainTxID": "EX79B14iusvPjnBaZzaEunxQppdBayGW7KEd2Y8hWtQ8",
              "fundID": "1kEYnRGrYmuhNLFvVhwiiqj6XcM", "timestamp": 1605267445,
              "expireTime": 0, "status": "", "type": "deposit", "asset": "BTC-TESTNET",
              "amount": 10000, "fees": 0, "netAmount": 10000, "counterpartyID": "",
              "counterpartyName": "", "address": "mjyWz5ZAXAeG9FFbigDyt3WqebrGohuemk",
              "reference": "", "benefitOf": "", "accountNo": "" },
        ]}));
        assert_eq!(ledger.total, 2);
        let sent = &ledger.list[0];
        assert_eq!(sent.tx_id.as_deref(), Some("1kEe4G9mopRzQk3HKnnebfCj5Dh"));
        assert_eq!(sent.status, Some(TxStatus::Approved));
        assert_eq!(sent.kind, Some(LedgerEntryType::TransferOut));
        assert_eq!(
            sent.counterparty_id.as_deref(),
            Some("1kEY6PBbhiseE7RfifsMCDusXL8")
        );
        assert_eq!(
            (sent.amount, sent.fees, sent.net_amount),
            (Some(2803), Some(3), Some(2800))
        );
        let deposit = &ledger.list[1];
        assert_eq!(deposit.kind, Some(LedgerEntryType::Deposit));
        assert_eq!(deposit.status, Some(TxStatus::Other(String::new())));

        let empty: Ledger = decode(json!({ "Total": 0, "List": null }));
        assert!(empty.list.is_empty());
        assert_eq!(LedgerDirection::Out.to_string(), "out");
    }
}
