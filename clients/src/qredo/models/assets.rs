//! Assets, fees, and what a company holds per asset.

use serde::{Deserialize, Serialize};

use super::list;

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

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

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
}
