//! What a generated client's builder needs to know about a built-in scheme: the type of its
//! credentials, its default base URL and its named endpoints.

use crate::error::{Error, Result};
use crate::scheme::Scheme;
use crate::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsScheme, OvhCredentials, OvhScheme,
    QredoCredentials, QredoEnvironment, QredoScheme,
};

/// A scheme that can be made from credentials alone, with a default base URL and,
/// optionally, named endpoints. The four built-in schemes implement it; the
/// `#[signed_api]` builders rely on it.
pub trait CredentialScheme: Scheme + Sized {
    /// What the scheme signs with.
    type Credentials: Clone + Send + Sync + 'static;

    /// The scheme with its default options.
    fn from_credentials(credentials: Self::Credentials) -> Self;

    /// The vendor's production base URL.
    fn default_base_url() -> &'static str;

    /// The base URL of a named endpoint (`ovh-eu`, `sandbox`, …).
    fn endpoint_url(name: &str) -> Result<String>;
}

fn no_named_endpoints(scheme: &str, default: &str, name: &str) -> Error {
    Error::Config(format!(
        "unknown {scheme} endpoint `{name}`: {scheme} has one base URL ({default}); \
         pass another one with base_url()"
    ))
}

impl CredentialScheme for OvhScheme {
    type Credentials = OvhCredentials;

    fn from_credentials(credentials: OvhCredentials) -> Self {
        OvhScheme::new(credentials)
    }

    fn default_base_url() -> &'static str {
        "https://eu.api.ovh.com/1.0"
    }

    fn endpoint_url(name: &str) -> Result<String> {
        crate::schemes::ovh::ovh_endpoint_url(name)
    }
}

impl CredentialScheme for NopsScheme {
    type Credentials = NopsCredentials;

    fn from_credentials(credentials: NopsCredentials) -> Self {
        NopsScheme::new(credentials)
    }

    fn default_base_url() -> &'static str {
        crate::schemes::nops::NOPS_BASE_URL
    }

    fn endpoint_url(name: &str) -> Result<String> {
        match name {
            "production" => Ok(Self::default_base_url().to_owned()),
            _ => Err(no_named_endpoints("nOps", Self::default_base_url(), name)),
        }
    }
}

impl CredentialScheme for QredoScheme {
    type Credentials = QredoCredentials;

    fn from_credentials(credentials: QredoCredentials) -> Self {
        QredoScheme::new(credentials)
    }

    fn default_base_url() -> &'static str {
        QredoEnvironment::Production.base_url()
    }

    fn endpoint_url(name: &str) -> Result<String> {
        let environment = match name {
            "production" => QredoEnvironment::Production,
            "sandbox" => QredoEnvironment::Sandbox,
            "play" => QredoEnvironment::Play,
            _ => {
                return Err(Error::Config(format!(
                    "unknown Qredo endpoint `{name}`; use production, sandbox or play"
                )));
            }
        };
        Ok(environment.base_url().to_owned())
    }
}

impl CredentialScheme for ArmorScheme {
    type Credentials = ArmorCredentials;

    fn from_credentials(credentials: ArmorCredentials) -> Self {
        ArmorScheme::new(credentials)
    }

    fn default_base_url() -> &'static str {
        crate::schemes::armor::ARMOR_BASE_URL
    }

    fn endpoint_url(name: &str) -> Result<String> {
        match name {
            "production" => Ok(Self::default_base_url().to_owned()),
            _ => Err(no_named_endpoints("Armor", Self::default_base_url(), name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_endpoints_resolve_or_explain() {
        assert_eq!(
            OvhScheme::endpoint_url("ovh-us").unwrap(),
            "https://api.us.ovhcloud.com/1.0"
        );
        assert_eq!(
            QredoScheme::endpoint_url("play").unwrap(),
            "https://play-api.qredo.network/api/v1/p"
        );
        let err = ArmorScheme::endpoint_url("eu").unwrap_err().to_string();
        assert!(err.contains("base_url"), "{err}");
        assert!(NopsScheme::endpoint_url("uat").is_err());
    }
}
