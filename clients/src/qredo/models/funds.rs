//! Funds and their wallets: custody groups and policies, members, deposit addresses.

use serde::{Deserialize, Serialize};

use super::list;
use super::trusted_parties::EntityType;

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

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

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
}
