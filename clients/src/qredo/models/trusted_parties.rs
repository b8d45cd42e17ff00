//! A company's trusted parties, and the kinds of party an entity can be.

use serde::{Deserialize, Serialize};

use super::list;

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

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

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
}
