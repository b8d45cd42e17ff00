//! The Partner API's request and answer bodies.
//!
//! Field names follow the vendor's JSON, which mixes conventions from one resource to the
//! next (`company_id`, `unitCode`, `TxID`); each struct says which one it uses. Qredo's
//! own documents disagree on a few names (the swagger's `tx_status` against the guide's
//! `txStatus`): the documented spelling of the guide decodes, and so does the other one.
//!
//! Amounts are whole numbers of an asset's smallest unit (satoshis for BTC, gwei for ETH),
//! as the swagger and the guides state; [`Asset::scale`] says how many of those units make
//! one coin. Lists tolerate `null` and a lone object where a list is documented, since
//! the Go server writes `null` for an empty list and several documented samples show one
//! object in place of a list.

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
/// Decodes a documented list that may come as `null`, as a lone object, or as a list.
fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| serde_json::from_value(item).map_err(de::Error::custom))
            .collect(),
        one => serde_json::from_value(one)
            .map(|item| vec![item])
            .map_err(de::Error::custom),
    }
}

/// The answer of calls that only confirm (`{"code":200,"msg":"OK"}`; `202` for removals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OkResponse {
    /// The HTTP status repeated in the body.
    pub code: u16,
    /// `"OK"` (the spelling varies: `"ok"`, `"Accepted"`).
    pub msg: String,
}

// --- Assets and fees -------------------------------------------------------------------

/// The assets the network supports (`GET /assets`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetList {
    /// One entry per asset.
    #[serde(default, deserialize_with = "list")]
    pub assets: Vec<Asset>,
}

/// One supported asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asset {
    /// The code used in every other call (`BTC`, `ETH-TESTNET`).
    pub code: String,
    /// Its display name.
    pub name: Option<String>,
    /// The currency's code.
    pub unit_code: Option<String>,
    /// How many base units make one coin (`100000000` for BTC): amounts everywhere else
    /// are counted in base units.
    pub scale: Option<u64>,
    /// Whether it can be used now.
    pub enabled: Option<bool>,
    /// Whether it is a test-network asset.
    pub test_asset: Option<bool>,
}

text_enum! {
    /// The kind of transaction a fee is computed for.
    pub enum FeeKind {
        /// A withdrawal to an outside address.
        Withdraw = "withdraw",
        /// A transfer to another Qredo wallet.
        TransferOut = "transferOut",
        /// An atomic swap.
        Swap = "swap",
    }
}

/// What `POST /fees` prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRequest {
    /// The kind of transaction.
    #[serde(rename = "type")]
    pub kind: FeeKind,
    /// The asset code.
    pub asset: String,
    /// The amount to move, in base units.
    pub amount: u64,
}

/// The fee of a transaction and what it takes from the wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fees {
    /// What the recipient gets, in base units.
    pub net_amount: u64,
    /// What leaves the wallet: the amount plus the fees.
    pub amount_to_send: u64,
    /// The fees, in base units.
    pub fees: u64,
}

// --- Companies and trusted parties -----------------------------------------------------

/// The body of `POST /company` and `PUT /company/{company_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCompany {
    /// The company's name (required).
    pub name: String,
    /// Its city.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Its ISO 3166-1 country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Its web domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Your own reference for it, echoed back.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl NewCompany {
    /// A company with only its name set; the other fields are public.
    pub fn new(name: impl Into<String>) -> Self {
        NewCompany {
            name: name.into(),
            ..NewCompany::default()
        }
    }
}

/// The id Qredo gave a company, with your reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRef {
    /// The company's id, used in every company-scoped path.
    pub company_id: String,
    /// Your reference, empty when none was given.
    #[serde(rename = "ref", default)]
    pub reference: String,
}

/// A company as Qredo keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// Its id.
    pub company_id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its city.
    pub city: Option<String>,
    /// Its country code.
    pub country: Option<String>,
    /// Its web domain.
    pub domain: Option<String>,
    /// Your reference.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// The companies whose name or domain contains the searched text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanySearch {
    /// How many matched.
    pub total_count: u64,
    /// The matches.
    #[serde(default, deserialize_with = "list")]
    pub matches: Vec<CompanyMatch>,
}

/// One company found by a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyMatch {
    /// Its id.
    pub company_id: String,
    /// Its name.
    pub name: String,
    /// Its web domain.
    pub domain: Option<String>,
}

text_enum! {
    /// What kind of party an entity (trusted party, custodian, fund member) is.
    pub enum EntityType {
        /// A person with a Qredo account.
        User = "user",
        /// A company.
        Company = "company",
        /// An automated approver (a core client).
        CoreClient = "core-client",
    }
}

/// The body of `POST /company/{company_id}/trustedparty`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTrustedParty {
    /// The party's address on the network: a user's e-mail address.
    pub address: String,
    /// What the party is (`user` unless said otherwise).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityType>,
    /// A name to show for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl NewTrustedParty {
    /// A user, named by e-mail address.
    pub fn user(address: impl Into<String>) -> Self {
        NewTrustedParty {
            address: address.into(),
            kind: Some(EntityType::User),
            name: None,
        }
    }
}

/// A company's trusted network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedPartyList {
    /// The company.
    pub company_id: Option<String>,
    /// How many parties it trusts.
    pub total_count: u64,
    /// The parties.
    #[serde(default, deserialize_with = "list")]
    pub list: Vec<TrustedParty>,
}

/// One trusted party; its id is what custody groups list as members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedParty {
    /// Its id (used to remove it, and as a custodian id).
    pub trusted_entity_id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its address (a user's e-mail address).
    pub address: Option<String>,
    /// What it is.
    #[serde(rename = "type")]
    pub kind: Option<EntityType>,
    /// When it was added, in Unix seconds.
    pub created: Option<i64>,
}

/// What a company holds, per asset, across its funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holdings {
    /// How many assets are listed.
    pub total_count: Option<u64>,
    /// One entry per asset.
    #[serde(default, deserialize_with = "list")]
    pub holdings: Vec<Holding>,
}

/// The balance of one asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holding {
    /// The asset code (`symbol` in the swagger's property list, `code` in its sample).
    #[serde(alias = "symbol")]
    pub code: String,
    /// The balance, in base units.
    pub amount: u64,
}

// --- Funds and wallets -----------------------------------------------------------------

/// A custody group to create: `threshold` approvals out of `members` (trusted-party ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCustodyGroup {
    /// How many custodians must approve.
    pub threshold: u32,
    /// The custodians: ids of the company's trusted parties.
    pub members: Vec<String>,
}

/// The kind of a wallet, an integer in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u64", into = "u64")]
pub enum WalletType {
    /// `0`: a standard wallet.
    Standard,
    /// `1`: a wallet dedicated to one connected counterparty.
    Dedicated,
    /// `2`: a wallet shared by several counterparties.
    MultiCounterparty,
    /// A value the documentation does not list.
    Other(u64),
}

impl From<u64> for WalletType {
    fn from(value: u64) -> Self {
        match value {
            0 => WalletType::Standard,
            1 => WalletType::Dedicated,
            2 => WalletType::MultiCounterparty,
            other => WalletType::Other(other),
        }
    }
}

impl From<WalletType> for u64 {
    fn from(value: WalletType) -> u64 {
        match value {
            WalletType::Standard => 0,
            WalletType::Dedicated => 1,
            WalletType::MultiCounterparty => 2,
            WalletType::Other(other) => other,
        }
    }
}

/// An outside counterparty (an exchange) to connect a wallet to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectAccount {
    /// The counterparty's id.
    pub counterparty_id: String,
    /// Your account id with that counterparty.
    pub client_id: String,
}

/// A wallet to create in a fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWallet {
    /// Its name.
    pub name: String,
    /// The asset it holds (one asset per wallet).
    pub asset: String,
    /// Its kind (standard when left out).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<WalletType>,
    /// Its own withdrawal custody group (the fund's when left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custodygroup_withdraw: Option<NewCustodyGroup>,
    /// Its own transfer custody group (the fund's when left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custodygroup_tx: Option<NewCustodyGroup>,
    /// Counterparties to connect it to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect: Option<Vec<ConnectAccount>>,
}

impl NewWallet {
    /// A standard wallet with the fund's custody groups.
    pub fn new(name: impl Into<String>, asset: impl Into<String>) -> Self {
        NewWallet {
            name: name.into(),
            asset: asset.into(),
            kind: None,
            custodygroup_withdraw: None,
            custodygroup_tx: None,
            connect: None,
        }
    }
}

/// The body of `POST /company/{company_id}/fund`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFund {
    /// Its name (required).
    pub name: String,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who approves withdrawals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custodygroup_withdraw: Option<NewCustodyGroup>,
    /// Who approves transfers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custodygroup_tx: Option<NewCustodyGroup>,
    /// Its wallets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wallets: Vec<NewWallet>,
}

/// The ids of a new fund and of its two custody groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedFund {
    /// The fund's id.
    pub fund_id: String,
    /// Its withdrawal custody group's id.
    pub custodygroup_withdraw: Option<String>,
    /// Its transfer custody group's id.
    pub custodygroup_tx: Option<String>,
}

/// A fund: its custody policies, members and wallets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fund {
    /// Its id.
    pub fund_id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// The withdrawal custody group's id.
    pub custodygroup_withdraw: Option<String>,
    /// The transfer custody group's id.
    pub custodygroup_tx: Option<String>,
    /// Who approves withdrawals.
    pub policy_withdraw: Option<Policy>,
    /// Who approves transfers.
    pub policy_tx: Option<Policy>,
    /// Its members and their permissions.
    #[serde(default, deserialize_with = "list")]
    pub members: Vec<FundMember>,
    /// The codes of the assets its wallets hold.
    #[serde(default, deserialize_with = "list")]
    pub assets: Vec<String>,
    /// Its wallets.
    #[serde(default, deserialize_with = "list")]
    pub wallets: Vec<Wallet>,
}

/// A custody policy: `threshold` approvals among `members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The custody group's id.
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// How many approvals a transaction needs.
    pub threshold: Option<u32>,
    /// The custodians.
    #[serde(default, deserialize_with = "list")]
    pub members: Vec<Entity>,
}

/// A party of the network: a user, a company or a core client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// Its id.
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its account code.
    pub account_code: Option<String>,
    /// Its initials.
    pub initials: Option<String>,
    /// What it is.
    #[serde(rename = "type")]
    pub kind: Option<EntityType>,
    /// Company details, for a company.
    pub company: Option<EntityName>,
    /// User details, for a user.
    pub user: Option<EntityUser>,
    /// Core-client details, for a core client (`core-client` in the swagger's schema,
    /// `coreClient` in its samples).
    #[serde(rename = "core-client", alias = "coreClient")]
    pub core_client: Option<EntityName>,
}

/// The name of a company or a core client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityName {
    /// The name.
    pub name: Option<String>,
}

/// A user's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityUser {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Qredo user name (`userName` in the schema, `username` in the samples).
    #[serde(alias = "username")]
    pub user_name: Option<String>,
}

/// A member of a fund and what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundMember {
    /// Who.
    pub entity: Option<Entity>,
    /// What it may do.
    pub permissions: Option<Permissions>,
}

/// A fund member's permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    /// Administers the fund.
    pub admin: Option<bool>,
    /// May start withdrawals.
    pub withdraw: Option<bool>,
    /// May start transfers.
    pub transfer: Option<bool>,
    /// May start swaps.
    pub swap: Option<bool>,
}

/// A wallet: one asset, its deposit address and balance, its custody policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wallet {
    /// Its id (what transfers and withdrawals name as their source).
    pub wallet_id: String,
    /// Its name.
    pub name: Option<String>,
    /// The asset it holds.
    pub asset: Option<String>,
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: Option<WalletType>,
    /// `ready` once its address exists.
    pub status: Option<String>,
    /// Its deposit address on the asset's chain.
    pub address: Option<String>,
    /// The address's format (`P2PKH`, …).
    pub address_type: Option<String>,
    /// Three words that can stand for the wallet id in transfers.
    pub short_code: Option<String>,
    /// Its balance, in base units.
    pub balance: Option<u64>,
    /// The withdrawal custody group's id.
    pub custodygroup_withdraw: Option<String>,
    /// The transfer custody group's id.
    pub custodygroup_tx: Option<String>,
    /// Who approves its withdrawals.
    pub policy_withdraw: Option<Policy>,
    /// Who approves its transfers.
    pub policy_tx: Option<Policy>,
    /// The outside counterparties it is connected to.
    #[serde(default, deserialize_with = "list")]
    pub connected: Vec<ConnectedAccount>,
}

/// An outside counterparty a wallet is connected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedAccount {
    /// Your account id with it.
    pub client_id: Option<String>,
    /// Its id.
    pub counterparty_id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// The connection's state (`connected`, …).
    pub status: Option<String>,
}

/// The funds whose name contains the searched text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundSearch {
    /// How many matched.
    pub total_count: u64,
    /// The matches.
    #[serde(default, deserialize_with = "list")]
    pub list: Vec<FundMatch>,
}

/// One fund found by a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundMatch {
    /// Its name.
    pub name: String,
    /// Its id.
    pub id: String,
}

/// A fund's deposit addresses, one per wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositAddresses {
    /// How many are listed.
    pub total_count: u64,
    /// The addresses.
    #[serde(default, deserialize_with = "list")]
    pub list: Vec<DepositAddress>,
}

/// Where to send an asset to credit a fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositAddress {
    /// The asset code.
    pub asset: String,
    /// The address on the asset's chain.
    pub address: String,
    /// The balance, in base units.
    pub balance: Option<u64>,
}

/// The outside addresses a fund may withdraw to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Whitelist {
    /// How many are listed.
    pub total_count: u64,
    /// The addresses.
    #[serde(default, deserialize_with = "list")]
    pub list: Vec<WhitelistEntry>,
}

/// An outside address allowed for withdrawals of one asset; also the body that adds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhitelistEntry {
    /// A name to remember it by.
    pub name: String,
    /// The asset code.
    pub asset: String,
    /// The address on the asset's chain.
    pub address: String,
}

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

// --- Transfers and withdrawals ---------------------------------------------------------

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
    use super::*;
    use serde_json::json;

    fn decode<T: DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn confirmations_decode() {
        let ok: OkResponse = decode(json!({ "code": 200, "msg": "OK" }));
        assert_eq!((ok.code, ok.msg.as_str()), (200, "OK"));
        let swagger: OkResponse = decode(json!({ "code": 200, "msg": "ok", "extra": 1 }));
        assert_eq!(swagger.msg, "ok");
    }

    #[test]
    fn assets_decode_as_a_list_or_as_the_swagger_sample_object() {
        let listed: AssetList = decode(json!({ "assets": [
            { "code": "BTC", "name": "Bitcoin", "unitCode": "BTC", "scale": 100000000,
              "enabled": true, "testAsset": false, "decimals": 8 },
            { "code": "NEW" },
        ]}));
        assert_eq!(listed.assets.len(), 2);
        assert_eq!(listed.assets[0].unit_code.as_deref(), Some("BTC"));
        assert_eq!(listed.assets[0].scale, Some(100_000_000));
        assert_eq!(listed.assets[0].test_asset, Some(false));
        assert_eq!(listed.assets[1].name, None);
        assert_eq!(listed.assets[1].enabled, None);

        // The swagger's sample shows one object where the list goes.
        let sample: AssetList = decode(json!({ "assets": {
            "code": "BTC-TESTNET", "name": "Bitcoin Testnet", "unitCode": "BTC-TEST",
            "scale": 100000000, "enabled": true,
        }}));
        assert_eq!(sample.assets.len(), 1);
        assert_eq!(sample.assets[0].code, "BTC-TESTNET");
        assert_eq!(sample.assets[0].test_asset, None);
        let empty: AssetList = decode(json!({ "assets": null }));
        assert!(empty.assets.is_empty());
    }

    #[test]
    fn fee_requests_and_answers_match_the_swagger_samples() {
        let request = FeeRequest {
            kind: FeeKind::TransferOut,
            asset: "BTC-TESTNET".into(),
            amount: 200_000,
        };
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"type":"transferOut","asset":"BTC-TESTNET","amount":200000}"#
        );
        let fees: Fees = decode(json!({ "netAmount": 200000, "amountToSend": 200200,
                                        "fees": 200 }));
        assert_eq!(
            fees,
            Fees {
                net_amount: 200_000,
                amount_to_send: 200_200,
                fees: 200
            }
        );
    }

    #[test]
    fn a_new_company_serialises_to_the_documented_signed_body() {
        let company = NewCompany {
            city: Some("Paris".into()),
            country: Some("FR".into()),
            domain: Some("acme.com".into()),
            reference: Some("9827feec-4eae-4e80-bda3-daa7c3b97add".into()),
            ..NewCompany::new("ACME Corp")
        };
        // The body of the research's second canonical payload, byte for byte.
        assert_eq!(
            serde_json::to_string(&company).unwrap(),
            r#"{"name":"ACME Corp","city":"Paris","country":"FR","domain":"acme.com","ref":"9827feec-4eae-4e80-bda3-daa7c3b97add"}"#
        );
        assert_eq!(
            serde_json::to_string(&NewCompany::new("Solo")).unwrap(),
            r#"{"name":"Solo"}"#
        );
    }

    #[test]
    fn companies_decode() {
        let created: CompanyRef = decode(json!({ "company_id": "1bzn0aBdpqSVJ1KPzUk4T7rIPym",
                                                 "ref": "9827feec" }));
        assert_eq!(created.reference, "9827feec");
        let no_ref: CompanyRef = decode(json!({ "company_id": "1" }));
        assert_eq!(no_ref.reference, "");

        let company: Company = decode(json!({
            "name": "ACME Corp", "city": "Paris", "country": "FR", "domain": "acme.com",
            "ref": "9827feec-4eae-4e80-bda3-daa7c3b97add",
        }));
        assert_eq!(company.company_id, None);
        assert_eq!(company.country.as_deref(), Some("FR"));

        let search: CompanySearch = decode(json!({ "total_count": 2, "matches": [
            { "company_id": "1bzn0aBdpqSVJ1KPzUk4T7rIPym", "name": "ACME Corpdsxcvdfg44",
              "domain": "acmeds4xcvdfg4.com" },
            { "company_id": "1bzn6ex7fRxKQsSqCJDDpyb4uaS", "name": "ACME Corp" },
        ]}));
        assert_eq!(search.total_count, 2);
        assert_eq!(search.matches[1].name, "ACME Corp");
        assert_eq!(search.matches[1].domain, None);
    }

    #[test]
    fn trusted_parties_and_holdings_decode() {
        let parties: TrustedPartyList = decode(json!({ "total_count": 1, "list": [
            { "trusted_entity_id": "1bzn6ex7fRxKQsSqCJDDpyb4uaS", "name": "Alice Doe",
              "address": "alice@example.com", "created": 1589984018 },
        ]}));
        assert_eq!(parties.company_id, None);
        assert_eq!(parties.list[0].created, Some(1_589_984_018));
        assert_eq!(parties.list[0].kind, None);

        assert_eq!(
            serde_json::to_value(NewTrustedParty::user("alice@example.com")).unwrap(),
            json!({ "address": "alice@example.com", "type": "user" })
        );

        let holdings: Holdings = decode(json!({ "total_count": 3, "holdings": [
            { "code": "BTC", "amount": 4266 },
            { "code": "ETH", "amount": 1077 },
            { "symbol": "USDT", "amount": 500451 },
        ]}));
        let held: Vec<_> = holdings
            .holdings
            .iter()
            .map(|h| (h.code.as_str(), h.amount))
            .collect();
        assert_eq!(held, [("BTC", 4266), ("ETH", 1077), ("USDT", 500_451)]);
    }

    #[test]
    fn a_new_fund_serialises_like_the_swagger_sample() {
        let fund = NewFund {
            name: "Fund 1".into(),
            description: Some("Fund for demonstration purposes".into()),
            custodygroup_withdraw: Some(NewCustodyGroup {
                threshold: 1,
                members: vec!["1dnfLZolYD72zasqtmtTXXoaNNJ".into()],
            }),
            custodygroup_tx: None,
            wallets: vec![
                NewWallet::new("New wallet", "BTC-TESTNET"),
                NewWallet {
                    kind: Some(WalletType::Dedicated),
                    connect: Some(vec![ConnectAccount {
                        counterparty_id: "6WM255GuS9ikHHDVdjZNXjrt3CzGg4HvXRbw94qmqjVm".into(),
                        client_id: "A12345".into(),
                    }]),
                    ..NewWallet::new("New dedicated wallet", "BTC-TESTNET")
                },
            ],
        };
        assert_eq!(
            serde_json::to_value(&fund).unwrap(),
            json!({
                "name": "Fund 1",
                "description": "Fund for demonstration purposes",
                "custodygroup_withdraw": { "threshold": 1,
                                           "members": ["1dnfLZolYD72zasqtmtTXXoaNNJ"] },
                "wallets": [
                    { "name": "New wallet", "asset": "BTC-TESTNET" },
                    { "name": "New dedicated wallet", "asset": "BTC-TESTNET", "type": 1,
                      "connect": [{ "counterparty_id":
                                      "6WM255GuS9ikHHDVdjZNXjrt3CzGg4HvXRbw94qmqjVm",
                                    "client_id": "A12345" }] },
                ],
            })
        );
        let created: CreatedFund = decode(json!({
            "fund_id": "1dnfLZolYD72zasqtmtTXXoaNNJ",
            "custodygroup_withdraw": "1dnfLYHOGn8gScmInkMXSPzitj5",
            "custodygroup_tx": "1dnfLeHXkaxQPs2v5kvxglwKTKV",
        }));
        assert_eq!(
            created.custodygroup_tx.as_deref(),
            Some("1dnfLeHXkaxQPs2v5kvxglwKTKV")
        );
    }

    #[test]
    fn the_swagger_fund_detail_sample_decodes() {
        let policy = json!({
            "id": "1nL7QOoLqPDq89dcdhue6LJaFUS", "name": "withdraw policy", "threshold": 2,
            "members": [
                { "type": "user", "id": "fVj9DV2VtWCZES5Hb8J6w14MdeAq3owKmfTVcwy6TKqh",
                  "name": "John Doe",
                  "user": { "firstName": "John", "lastName": "Doe",
                            "email": "john.doe@acme.corp", "username": "john.doe" } },
                { "type": "core-client", "id": "6w14tWCZES5Hb8JMdefVj9DV2VAq3owKmfTVcwy6TKqh",
                  "name": "core client 1", "coreClient": { "name": "core client 1" } },
            ],
        });
        let fund: Fund = decode(json!({
            "fund_id": "1dnpG2K2A5hMOVjGFl1DrsbnvmS",
            "name": "Fund 1",
            "description": "Fund for demonstration purposes",
            "custodygroup_withdraw": "1nL7QOoLqPDq89dcdhue6LJaFUS",
            "custodygroup_tx": "1nL7QUCW15xaV0jggAv1mFSR9jp",
            "policy_withdraw": policy,
            "policy_tx": policy,
            // One member object where the schema says a list.
            "members": {
                "entity": { "id": "1nKlfvP0U2HtHPmWDUKWJ4HR0xp",
                            "accountCode": "3Xjk46grBSLRL6mYxB1NeoAVhgwiEHvAoehhYYwZkAYU",
                            "name": "ACME Corp", "initials": "A", "type": "company",
                            "company": { "name": "ACME Corp" } },
                "permissions": { "admin": true },
            },
            "assets": ["BTC-TESTNET"],
            "wallets": [
                { "wallet_id": "5Hb8J6w14MdeAq3owKmfTVcwy6TKqhfVj9DV2VtWCZES",
                  "name": "New wallet", "asset": "BTC-TESTNET", "type": 213312000,
                  "status": "ready", "address": "mfXXBW8Tmzkd7bRKKsUmjucpLQLThv8eYX",
                  "address_type": "P2PKH", "short_code": "buddy harsh stick", "balance": 0,
                  "custodygroup_withdraw": "1nL7QOoLqPDq89dcdhue6LJaFUS",
                  "custodygroup_tx": "1nL7QUCW15xaV0jggAv1mFSR9jp",
                  "policy_withdraw": policy, "policy_tx": policy },
                { "wallet_id": "7MkABERLqL3FTNouykXtftkyBoseza4KfQ6YKQcS1xH6",
                  "name": "New dedicated wallet", "asset": "BTC-TESTNET", "type": 1,
                  "balance": 1000000,
                  // One connection object where the schema says a list.
                  "connected": { "counterparty_id": "6WM255GuS9ikHHDVdjZNXjrt3CzGg4HvXRbw94qmqjVm",
                                 "name": "Test Excahnge", "client_id": "A12345",
                                 "status": "connected" } },
            ],
        }));
        assert_eq!(fund.members.len(), 1);
        let member = fund.members[0].entity.as_ref().unwrap();
        assert_eq!(member.kind, Some(EntityType::Company));
        assert_eq!(
            member.account_code.as_deref(),
            Some("3Xjk46grBSLRL6mYxB1NeoAVhgwiEHvAoehhYYwZkAYU")
        );
        assert_eq!(
            fund.members[0].permissions.as_ref().unwrap().admin,
            Some(true)
        );
        let custodians = &fund.policy_withdraw.as_ref().unwrap().members;
        assert_eq!(
            custodians[0].user.as_ref().unwrap().user_name.as_deref(),
            Some("john.doe")
        );
        assert_eq!(custodians[1].kind, Some(EntityType::CoreClient));
        assert_eq!(
            custodians[1].core_client.as_ref().unwrap().name.as_deref(),
            Some("core client 1")
        );
        assert_eq!(fund.wallets[0].kind, Some(WalletType::Other(213_312_000)));
        assert_eq!(
            fund.wallets[0].short_code.as_deref(),
            Some("buddy harsh stick")
        );
        assert!(fund.wallets[0].connected.is_empty());
        assert_eq!(fund.wallets[1].kind, Some(WalletType::Dedicated));
        assert_eq!(fund.wallets[1].balance, Some(1_000_000));
        assert_eq!(
            fund.wallets[1].connected[0].client_id.as_deref(),
            Some("A12345")
        );
        assert_eq!(fund.wallets[1].address, None);

        let bare: Wallet = decode(json!({ "wallet_id": "w1", "connected": null }));
        assert_eq!(bare.policy_tx, None);
        assert!(bare.connected.is_empty());
    }

    #[test]
    fn fund_lists_decode() {
        let found: FundSearch = decode(json!({ "total_count": 2, "list": [
            { "name": "Fund 1", "id": "1dnpG2K2A5hMOVjGFl1DrsbnvmS" },
            { "name": "Fund 2", "id": "2cnpG2D2A5hMOVjGFl1DrsbnvmN" },
        ]}));
        assert_eq!(found.list[1].id, "2cnpG2D2A5hMOVjGFl1DrsbnvmN");

        let deposits: DepositAddresses = decode(json!({ "total_count": 0, "list": [
            { "asset": "BTC-TESTNET", "address": "n2GoFtw8aTH6yoMK9UW3fxrSp3iTL6jwUX",
              "balance": 0 },
        ]}));
        assert_eq!(deposits.list[0].balance, Some(0));

        let whitelist: Whitelist = decode(json!({ "total_count": 2, "list": [
            { "name": "addres1", "asset": "BTC-TESTNET",
              "address": "bc1qgr090hdm6y5wzwqc2r57rlaytx5v7ytm2ktq98" },
            { "name": "address2", "asset": "BTC",
              "address": "tb1qd5jkskth8q46k5ka76uqnvqsgta2ncrgkx7ud8" },
        ]}));
        assert_eq!(whitelist.list[1].asset, "BTC");
        assert_eq!(
            serde_json::to_value(&whitelist.list[0]).unwrap(),
            json!({ "name": "addres1", "asset": "BTC-TESTNET",
                    "address": "bc1qgr090hdm6y5wzwqc2r57rlaytx5v7ytm2ktq98" })
        );
    }

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
