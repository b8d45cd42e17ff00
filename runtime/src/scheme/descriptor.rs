//! What the tools around a built-in scheme know about it, stated once by the scheme.
//!
//! The command line, the mock server and the generated builders each need a few facts
//! about every built-in scheme: its name, where it reads its settings, its base URLs, the
//! calls it makes unsigned, the prefix the mock serves it under. Each scheme's folder
//! states them in one [`SchemeDescriptor`]; [`BUILTIN`](crate::schemes::BUILTIN) lists
//! them, so that adding a scheme is its folder and one line per crate that lists schemes,
//! and no tool keeps a table of its own that could fall out of step.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::scheme::Scheme;

/// An environment variable a scheme reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvVar {
    /// The variable's name (`OVH_APPLICATION_SECRET`).
    pub name: &'static str,
    /// What it holds, for help texts.
    pub holds: &'static str,
    /// Whether its value is a credential, never to be printed.
    pub secret: bool,
}

/// A scheme configured from its environment (and files), ready to sign.
#[derive(Debug)]
pub struct LoadedScheme {
    /// The scheme with its credentials.
    pub scheme: Arc<dyn Scheme>,
    /// The base URL or endpoint name the configuration gave, or the scheme's default.
    pub base_url: String,
    /// Why signed calls cannot be made with this configuration, when only unsigned calls
    /// can (OVH before a consumer key is validated).
    pub cannot_sign: Option<String>,
}

/// The facts about a built-in scheme that the tools around it need.
#[derive(Debug)]
pub struct SchemeDescriptor {
    /// The name the attribute and the command line use (`"ovh"`).
    pub name: &'static str,
    /// The vendor's name as written in messages (`"OVH"`).
    pub title: &'static str,
    /// The environment variables it reads, in the order they are documented.
    pub environment: &'static [EnvVar],
    /// The one of them that points the scheme at another base URL (the mock's, a
    /// sandbox's).
    pub base_url_variable: &'static str,
    /// Its named endpoints and their base URLs; the first is the default.
    pub endpoints: &'static [(&'static str, &'static str)],
    /// The path prefix the mock serves it under: a public contract, never changed.
    pub mock_prefix: &'static str,
    /// Calls (method, path relative to the base URL) the API takes without a signature.
    pub unsigned: &'static [(&'static str, &'static str)],
    /// Reads the scheme's configuration from the process environment (and files).
    pub load: fn() -> Result<LoadedScheme>,
}

impl SchemeDescriptor {
    /// The vendor's production base URL.
    pub fn default_base_url(&self) -> &'static str {
        self.endpoints.first().map_or("", |(_, url)| url)
    }

    /// The base URL for `endpoint`: one of the named [`endpoints`](Self::endpoints), or a
    /// URL taken as it is (less a trailing `/`), checked where it is parsed as a base URL.
    pub fn endpoint_url(&self, endpoint: &str) -> Result<String> {
        let endpoint = endpoint.trim();
        if endpoint.contains("://") {
            return Ok(endpoint.trim_end_matches('/').to_owned());
        }
        self.endpoints
            .iter()
            .find(|(name, _)| *name == endpoint)
            .map(|(_, url)| (*url).to_owned())
            .ok_or_else(|| {
                let known: Vec<&str> = self.endpoints.iter().map(|(name, _)| *name).collect();
                Error::Config(format!(
                    "unknown {} endpoint `{endpoint}`; use one of {} or a full https:// URL \
                     (base_url() in code, --base-url on the command line)",
                    self.title,
                    known.join(", ")
                ))
            })
    }

    /// Whether the API takes this call without a signature.
    pub fn is_unsigned(&self, method: &str, path: &str) -> bool {
        self.unsigned
            .iter()
            .any(|(unsigned_method, unsigned_path)| {
                *unsigned_method == method && *unsigned_path == path
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_load() -> Result<LoadedScheme> {
        Err(Error::Config("not in tests".into()))
    }

    const EXAMPLE: SchemeDescriptor = SchemeDescriptor {
        name: "example",
        title: "Example",
        environment: &[],
        base_url_variable: "EXAMPLE_BASE_URL",
        endpoints: &[
            ("production", "https://api.example"),
            ("sandbox", "https://sandbox.example/v1"),
        ],
        mock_prefix: "/example",
        unsigned: &[("GET", "/time")],
        load: no_load,
    };

    #[test]
    fn endpoints_resolve_by_name_or_url_and_explain_otherwise() {
        assert_eq!(EXAMPLE.default_base_url(), "https://api.example");
        assert_eq!(
            EXAMPLE.endpoint_url(" sandbox ").unwrap(),
            "https://sandbox.example/v1"
        );
        assert_eq!(
            EXAMPLE.endpoint_url("http://127.0.0.1:9/x/").unwrap(),
            "http://127.0.0.1:9/x"
        );
        let err = EXAMPLE.endpoint_url("mars").unwrap_err().to_string();
        for expected in ["Example", "`mars`", "production, sandbox", "base_url()"] {
            assert!(err.contains(expected), "{err}");
        }
        assert!(EXAMPLE.endpoint_url("").is_err());
    }

    #[test]
    fn unsigned_calls_match_method_and_path_exactly() {
        assert!(EXAMPLE.is_unsigned("GET", "/time"));
        assert!(!EXAMPLE.is_unsigned("POST", "/time"));
        assert!(!EXAMPLE.is_unsigned("GET", "/time/"));
    }
}
