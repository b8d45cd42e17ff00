//! Companies: the body that creates one, and what the API answers about them.

use serde::{Deserialize, Serialize};

use super::list;

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

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

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
}
