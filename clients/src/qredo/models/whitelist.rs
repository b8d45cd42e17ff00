//! A fund's whitelist: the outside addresses it may withdraw to.

use serde::{Deserialize, Serialize};

use super::list;

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
