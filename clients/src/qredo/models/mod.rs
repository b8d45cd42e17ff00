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

mod assets;
mod companies;
mod funds;
mod ledger;
mod transactions;
mod trusted_parties;
mod whitelist;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

pub use assets::*;
pub use companies::*;
pub use funds::*;
pub use ledger::*;
pub use transactions::*;
pub use trusted_parties::*;
pub use whitelist::*;

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

/// Decodes a test sample.
#[cfg(test)]
fn decode<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn confirmations_decode() {
        let ok: OkResponse = decode(json!({ "code": 200, "msg": "OK" }));
        assert_eq!((ok.code, ok.msg.as_str()), (200, "OK"));
        let swagger: OkResponse = decode(json!({ "code": 200, "msg": "ok", "extra": 1 }));
        assert_eq!(swagger.msg, "ok");
    }
}
