//! Transfers and withdrawals: the bodies that start them and the transactions they
//! become.

use serde::{Deserialize, Serialize};

use super::list;

text_enum! {
    /// Where a transaction stands.
    pub enum TxStatus {
        /// Waiting for its initiator to authorise it.
        PendingInitiate = "pending_initiate",
        /// Waiting for custodians.
        Pending = "pending",
        /// Not approved in time.
        Expired = "expired",
        /// Approved and written to the Qredo chain.
        Approved = "approved",
        /// Refused by its initiator.
        InitiateRejected = "initiate_rejected",
        /// Refused by custodians.
        CustodyRejected = "custody_rejected",
        /// Refused by the Qredo chain.
        ChainRejected = "chain_rejected",
        /// A swap waiting for its taker.
        TakerPending = "taker_pending",
        /// A swap its taker approved.
        TakerApproved = "taker_approved",
    }
}

/// An asset and an amount of it, in base units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetAmount {
    /// The asset code.
    pub symbol: String,
    /// The amount, in base units.
    pub amount: u64,
}

/// The body of `POST /company/{company_id}/transfer`: from one Qredo wallet to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTransfer {
    /// The source wallet's id (or short code).
    pub wallet_id: String,
    /// The destination wallet's id or short code (not a chain address).
    pub counterparty_wallet_address: String,
    /// When the request lapses if custodians have not approved it, in Unix seconds
    /// (sent as a JSON number, as in every documented sample).
    pub expires: u64,
    /// What to send.
    pub send: AssetAmount,
    /// The beneficiary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefit_of: Option<String>,
    /// The beneficiary's account number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_no: Option<String>,
    /// Your reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Your unique id for it: sending the same one again returns the first transaction
    /// (with status `existing`) instead of making a second one.
    #[serde(rename = "partner_txID", skip_serializing_if = "Option::is_none")]
    pub partner_tx_id: Option<String>,
    /// A core client that must authorise it before the custodians.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorize_id: Option<String>,
}

/// The body of `POST /company/{company_id}/withdraw`: from a Qredo wallet to an outside
/// address, which must be on the fund's whitelist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWithdrawal {
    /// The source wallet's id.
    pub wallet_id: String,
    /// The whitelisted outside address.
    pub address: String,
    /// When the request lapses if custodians have not approved it, in Unix seconds.
    pub expires: u64,
    /// What to send.
    pub send: AssetAmount,
    /// The beneficiary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub benefit_of: Option<String>,
    /// The beneficiary's account number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_no: Option<String>,
    /// Your reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Your unique id for it, as for transfers.
    #[serde(rename = "partner_txID", skip_serializing_if = "Option::is_none")]
    pub partner_tx_id: Option<String>,
}

text_enum! {
    /// Whether a transaction request made a new transaction.
    pub enum TxRefStatus {
        /// A new transaction.
        New = "new",
        /// One made earlier with the same `partner_txID`.
        Existing = "existing",
    }
}

/// The id of a transaction just requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxRef {
    /// The transaction id, to read its status with.
    pub tx_id: String,
    /// New, or one made earlier with the same partner id.
    pub status: Option<TxRefStatus>,
}

text_enum! {
    /// A custodian's answer to a transaction.
    pub enum ApprovalStatus {
        /// Not answered yet.
        Pending = "pending",
        /// Approved.
        Approved = "approved",
        /// Refused.
        Rejected = "rejected",
        /// Not answered in time.
        Expired = "expired",
    }
}

/// Where a transfer or withdrawal stands, with its custodians' answers.
///
/// The guides write these fields in camelCase (`txStatus`), the swagger's property list
/// in snake case (`tx_status`); both decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// The transaction id.
    #[serde(rename = "txID", alias = "tx_id")]
    pub tx_id: String,
    /// Where it stands.
    #[serde(alias = "tx_status")]
    pub tx_status: Option<TxStatus>,
    /// How many custodians approved it.
    #[serde(alias = "approver_count")]
    pub approved_count: Option<u32>,
    /// How many approvals it needs.
    #[serde(alias = "threshold_required")]
    pub threshold_required: Option<u32>,
    /// When it lapses if not approved, in Unix seconds.
    pub expires: Option<i64>,
    /// When it was requested, in Unix seconds.
    #[serde(alias = "initiated_timestamp")]
    pub initiated_timestamp: Option<i64>,
    /// Whether its initiator authorised it.
    #[serde(alias = "initiator_authorized")]
    pub initiator_authorized: Option<bool>,
    /// Who requested it.
    #[serde(alias = "initiator_name")]
    pub initiator_name: Option<String>,
    /// Your reference.
    pub reference: Option<String>,
    /// Each custodian's answer.
    #[serde(default, deserialize_with = "list")]
    pub status: Vec<Approval>,
    /// Amounts, fees and parties.
    #[serde(alias = "status_details")]
    pub status_details: Option<TxDetails>,
}

/// One custodian's answer to a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Approval {
    /// The approval action's id.
    #[serde(rename = "actionID", alias = "action_id")]
    pub action_id: Option<String>,
    /// The custodian's user id (a core client's id for automated approvals).
    #[serde(rename = "userID", alias = "user_id")]
    pub user_id: Option<String>,
    /// The custodian's first name.
    #[serde(alias = "first_name")]
    pub first_name: Option<String>,
    /// The custodian's last name.
    #[serde(alias = "last_name")]
    pub last_name: Option<String>,
    /// The custodian's user name.
    pub username: Option<String>,
    /// The answer.
    pub status: Option<ApprovalStatus>,
    /// When it was given, in Unix seconds.
    pub timestamp: Option<i64>,
}

/// The amounts and parties of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TxDetails {
    /// The asset code.
    pub asset: Option<String>,
    /// The amount, fees included, in base units.
    pub amount: Option<u64>,
    /// The fees, in base units.
    pub fees: Option<u64>,
    /// What the recipient gets, in base units.
    #[serde(alias = "net_amount")]
    pub net_amount: Option<u64>,
    /// The source fund.
    #[serde(rename = "fundID", alias = "fund_id")]
    pub fund_id: Option<String>,
    /// The destination: a wallet id for transfers, an outside address for withdrawals.
    #[serde(alias = "recipient_address")]
    pub recipient_address: Option<String>,
    /// The recipient's e-mail address.
    #[serde(alias = "recipient_email")]
    pub recipient_email: Option<String>,
    /// The recipient's first name.
    #[serde(alias = "recipient_first_name")]
    pub recipient_first_name: Option<String>,
    /// The recipient's last name.
    #[serde(alias = "recipient_last_name")]
    pub recipient_last_name: Option<String>,
    /// The recipient's user name.
    #[serde(alias = "recipient_username")]
    pub recipient_username: Option<String>,
    /// The beneficiary.
    #[serde(alias = "benefit_of")]
    pub benefit_of: Option<String>,
    /// The beneficiary's account number.
    #[serde(alias = "account_no")]
    pub account_no: Option<String>,
    /// Your reference.
    pub reference: Option<String>,
    /// Who requested it.
    #[serde(alias = "requested_by")]
    pub requested_by: Option<String>,
    /// When it lapses, in Unix seconds (0: never).
    pub expires: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

    #[test]
    fn transfer_and_withdrawal_bodies_use_the_documented_names() {
        let transfer = NewTransfer {
            wallet_id: "HUnmEJEgYeNYj2pTH8DfikDcH5gjHqhj9iadgVQgRKMk".into(),
            counterparty_wallet_address: "D1h4cyu5MJWDSgo6UczEPmEPAHKZ3vDkNiPXVrs6QuSP".into(),
            expires: 1_640_998_800,
            send: AssetAmount {
                symbol: "BTC".into(),
                amount: 800,
            },
            benefit_of: Some("John Smith".into()),
            account_no: None,
            reference: None,
            partner_tx_id: Some("some-partner-txID".into()),
            authorize_id: None,
        };
        assert_eq!(
            serde_json::to_value(&transfer).unwrap(),
            json!({
                "wallet_id": "HUnmEJEgYeNYj2pTH8DfikDcH5gjHqhj9iadgVQgRKMk",
                "counterparty_wallet_address": "D1h4cyu5MJWDSgo6UczEPmEPAHKZ3vDkNiPXVrs6QuSP",
                "expires": 1640998800,
                "send": { "symbol": "BTC", "amount": 800 },
                "benefit_of": "John Smith",
                "partner_txID": "some-partner-txID",
            })
        );
        let withdrawal = NewWithdrawal {
            wallet_id: "HUnmEJEgYeNYj2pTH8DfikDcH5gjHqhj9iadgVQgRKMk".into(),
            address: "mkLaDxYkiaYWfmPf3NdnrMCTNu9ZcpHgd6".into(),
            expires: 1_640_998_800,
            send: AssetAmount {
                symbol: "BTC".into(),
                amount: 800,
            },
            benefit_of: None,
            account_no: Some("123-XX".into()),
            reference: Some("CX15R99XX".into()),
            partner_tx_id: None,
        };
        assert_eq!(
            serde_json::to_value(&withdrawal).unwrap(),
            json!({
                "wallet_id": "HUnmEJEgYeNYj2pTH8DfikDcH5gjHqhj9iadgVQgRKMk",
                "address": "mkLaDxYkiaYWfmPf3NdnrMCTNu9ZcpHgd6",
                "expires": 1640998800,
                "send": { "symbol": "BTC", "amount": 800 },
                "account_no": "123-XX",
                "reference": "CX15R99XX",
            })
        );
        let tx: TxRef = decode(json!({ "tx_id": "9827feec4eae4e80bda3daa7c3b97add",
                                       "status": "new" }));
        assert_eq!(tx.status, Some(TxRefStatus::New));
        let later: TxRef = decode(json!({ "tx_id": "x", "status": "queued" }));
        assert_eq!(later.status, Some(TxRefStatus::Other("queued".into())));
        assert_eq!(serde_json::to_value(&later).unwrap()["status"], "queued");
    }

    #[test]
    fn the_guide_transaction_sample_decodes() {
        let tx: Transaction = decode(json!({
            "approvedCount": 1, "expires": 1640998800, "initiatedTimestamp": 1594281300,
            "initiatorAuthorized": true, "initiatorName": "SW Corp", "reference": "CX15R99XX",
            "status": [{ "actionID": "1eRPBxd9w6WrooxkquWmirbo4oL", "firstName": "Han",
                         "lastName": "Solo", "status": "approved", "timestamp": 1594281312,
                         "userID": "3fyHm7e3hsbSXBs1yjpzMaesirXPhqcz8kM7zgafmZef",
                         "username": "hsolo" }],
            "statusDetails": { "accountNo": "123-XX", "amount": 801, "asset": "BTC-TESTNET",
                               "benefitOf": "Ben Kenobi", "expires": 0, "fees": 1,
                               "fundID": "1ePK2dtLnpocC9uRuy3DlNC7zXd", "netAmount": 800,
                               "recipientAddress": "", "recipientEmail": "han@falcon.com",
                               "recipientFirstName": "Han", "recipientLastName": "Solo",
                               "recipientUsername": "hsolo", "reference": "CX15R99XX",
                               "requestedBy": "SW Corp" },
            "thresholdRequired": 1, "txID": "1eRPC44MjhRI3sJ6UzzjYio5ulu",
            "txStatus": "approved",
        }));
        assert_eq!(tx.tx_id, "1eRPC44MjhRI3sJ6UzzjYio5ulu");
        assert_eq!(tx.tx_status, Some(TxStatus::Approved));
        assert_eq!(
            (tx.approved_count, tx.threshold_required),
            (Some(1), Some(1))
        );
        assert_eq!(tx.initiated_timestamp, Some(1_594_281_300));
        assert_eq!(tx.status[0].status, Some(ApprovalStatus::Approved));
        assert_eq!(
            tx.status[0].action_id.as_deref(),
            Some("1eRPBxd9w6WrooxkquWmirbo4oL")
        );
        let details = tx.status_details.unwrap();
        assert_eq!(
            (details.amount, details.fees, details.net_amount),
            (Some(801), Some(1), Some(800))
        );
        assert_eq!(
            details.fund_id.as_deref(),
            Some("1ePK2dtLnpocC9uRuy3DlNC7zXd")
        );
        assert_eq!(details.recipient_email.as_deref(), Some("han@falcon.com"));

        // The swagger's property names decode too; absent fields are `None`.
        let snake: Transaction = decode(json!({
            "tx_id": "t1", "tx_status": "pending_initiate", "approver_count": 0,
            "threshold_required": 2, "initiator_authorized": false,
            "status": [{ "action_id": "a1", "user_id": "u1", "status": "pending" }],
            "status_details": { "net_amount": 5, "fund_id": "f1" },
        }));
        assert_eq!(snake.tx_status, Some(TxStatus::PendingInitiate));
        assert_eq!(snake.approved_count, Some(0));
        assert_eq!(snake.status[0].user_id.as_deref(), Some("u1"));
        assert_eq!(snake.status_details.as_ref().unwrap().net_amount, Some(5));
        assert_eq!(snake.reference, None);
        assert_eq!(snake.expires, None);

        let minimal: Transaction = decode(json!({ "txID": "t2" }));
        assert!(minimal.status.is_empty());
        assert_eq!(minimal.status_details, None);
    }
}
