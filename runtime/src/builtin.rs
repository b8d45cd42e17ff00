//! What a generated client's builder needs to know about a built-in scheme: the type of its
//! credentials and its descriptor (default base URL and named endpoints). Each scheme
//! implements it in its own folder (`descriptor.rs`).

use crate::error::Result;
use crate::scheme::{Scheme, SchemeDescriptor};

/// A scheme that can be made from credentials alone, with a default base URL and,
/// optionally, named endpoints. The built-in schemes implement it; the `#[signed_api]`
/// builders rely on it.
pub trait CredentialScheme: Scheme + Sized {
    /// What the scheme signs with.
    type Credentials: Clone + Send + Sync + 'static;

    /// The scheme with its default options.
    fn from_credentials(credentials: Self::Credentials) -> Self;

    /// The facts about the scheme that the tools around it share.
    fn descriptor() -> &'static SchemeDescriptor;

    /// The vendor's production base URL.
    fn default_base_url() -> &'static str {
        Self::descriptor().default_base_url()
    }

    /// The base URL of a named endpoint (`ovh-eu`, `sandbox`, …) or of a full URL.
    fn endpoint_url(name: &str) -> Result<String> {
        Self::descriptor().endpoint_url(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schemes::{
        ArmorScheme, BUILTIN, NopsScheme, OvhScheme, QredoScheme, Sigv4Scheme, builtin,
    };

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
        assert!(
            err.contains("base_url") && err.contains("production"),
            "{err}"
        );
        assert!(NopsScheme::endpoint_url("uat").is_err());
        assert_eq!(OvhScheme::default_base_url(), "https://eu.api.ovh.com/1.0");
        assert_eq!(NopsScheme::default_base_url(), "https://app.nops.io");
        assert_eq!(
            QredoScheme::default_base_url(),
            "https://api.qredo.network/api/v1/p"
        );
        assert_eq!(ArmorScheme::default_base_url(), "https://api.armor.com");
    }

    #[test]
    fn the_builtin_list_is_what_each_type_says() {
        let names: Vec<&str> = BUILTIN.iter().map(|scheme| scheme.name).collect();
        assert_eq!(names, ["nops", "ovh", "qredo", "armor", "sigv4"]);
        for (descriptor, own) in BUILTIN.iter().zip([
            NopsScheme::descriptor(),
            OvhScheme::descriptor(),
            QredoScheme::descriptor(),
            ArmorScheme::descriptor(),
            Sigv4Scheme::descriptor(),
        ]) {
            assert!(std::ptr::eq(*descriptor, own), "{}", descriptor.name);
            assert!(std::ptr::eq(builtin(descriptor.name).unwrap(), own));
        }
        // Mock prefixes are a public contract.
        let prefixes: Vec<&str> = BUILTIN.iter().map(|scheme| scheme.mock_prefix).collect();
        assert_eq!(
            prefixes,
            ["/nops", "/ovh/1.0", "/qredo/api/v1/p", "/armor", "/s3"]
        );
        assert!(builtin("sigv5").is_none());
    }
}
