//! Where OVH settings come from: the named endpoints, environment variables, and the
//! `ovh.conf` files the official clients read, in their order.

use std::path::{Path, PathBuf};

use ini::Ini;

use super::OvhCredentials;
use crate::env::{EnvLookup, optional, process_env};
use crate::error::{Error, Result};

/// OVH's named endpoints and their base URLs.
pub const OVH_ENDPOINTS: &[(&str, &str)] = &[
    ("ovh-eu", "https://eu.api.ovh.com/1.0"),
    ("ovh-ca", "https://ca.api.ovh.com/1.0"),
    ("ovh-us", "https://api.us.ovhcloud.com/1.0"),
    ("kimsufi-eu", "https://eu.api.kimsufi.com/1.0"),
    ("kimsufi-ca", "https://ca.api.kimsufi.com/1.0"),
    ("soyoustart-eu", "https://eu.api.soyoustart.com/1.0"),
    ("soyoustart-ca", "https://ca.api.soyoustart.com/1.0"),
];

/// The endpoint used when neither the environment nor a file names one (as go-ovh does).
pub const DEFAULT_ENDPOINT: &str = "ovh-eu";

/// The base URL of an endpoint given by name (`ovh-eu`) or as a full `http(s)://` URL.
pub fn ovh_endpoint_url(endpoint: &str) -> Result<String> {
    let endpoint = endpoint.trim();
    if endpoint.starts_with("https://") || endpoint.starts_with("http://") {
        return Ok(endpoint.trim_end_matches('/').to_owned());
    }
    OVH_ENDPOINTS
        .iter()
        .find(|(name, _)| *name == endpoint)
        .map(|(_, url)| (*url).to_owned())
        .ok_or_else(|| {
            let known: Vec<&str> = OVH_ENDPOINTS.iter().map(|(name, _)| *name).collect();
            Error::Config(format!(
                "unknown OVH endpoint `{endpoint}`; use one of {} or a full https:// URL",
                known.join(", ")
            ))
        })
}

/// Everything needed to call OVH: the endpoint and the credentials.
#[derive(Debug, Clone)]
pub struct OvhConfig {
    /// The endpoint as configured: a name such as `ovh-eu`, or a URL.
    pub endpoint: String,
    /// The endpoint's base URL.
    pub base_url: String,
    /// The application key and secret, and the consumer key when one is configured.
    pub credentials: OvhCredentials,
}

impl OvhConfig {
    /// The files the official clients read, in order (a later file wins):
    /// `/etc/ovh.conf`, `~/.ovh.conf`, `./ovh.conf`.
    pub fn default_files(env: EnvLookup<'_>) -> Vec<PathBuf> {
        let mut files = vec![PathBuf::from("/etc/ovh.conf")];
        if let Some(home) = optional(env, "HOME").or_else(|| optional(env, "USERPROFILE")) {
            files.push(Path::new(&home).join(".ovh.conf"));
        }
        files.push(PathBuf::from("ovh.conf"));
        files
    }

    /// Loads the configuration from the process environment and the default files.
    /// `OVH_ENDPOINT`, `OVH_APPLICATION_KEY`, `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY`
    /// win over the files.
    pub fn load() -> Result<Self> {
        let env = &process_env;
        Self::load_from(env, &Self::default_files(env))
    }

    /// Loads the configuration from `env` and the INI `files` (missing files are skipped;
    /// a file that exists but cannot be read or parsed is an error).
    pub fn load_from(env: EnvLookup<'_>, files: &[PathBuf]) -> Result<Self> {
        let mut merged = Ini::new();
        for file in files {
            if !file.exists() {
                continue;
            }
            let parsed = Ini::load_from_file(file)
                .map_err(|e| Error::Config(format!("cannot read {}: {e}", file.display())))?;
            for (section, properties) in parsed.iter() {
                for (key, value) in properties.iter() {
                    merged.with_section(section).set(key, value.trim());
                }
            }
        }
        let from_files = |section: &str, key: &str| {
            merged
                .section(Some(section))
                .and_then(|properties| properties.get(key))
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };

        let endpoint = optional(env, "OVH_ENDPOINT")
            .or_else(|| from_files("default", "endpoint"))
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        let endpoint = endpoint.trim().to_owned();
        let base_url = ovh_endpoint_url(&endpoint)?;
        let setting = |key: &str| {
            optional(env, &format!("OVH_{}", key.to_ascii_uppercase()))
                .or_else(|| from_files(&endpoint, key))
        };
        let searched = || {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            format!("the environment or [{endpoint}] in {}", names.join(", "))
        };
        let application_key = setting("application_key").ok_or_else(|| {
            Error::Config(format!(
                "OVH_APPLICATION_KEY is not set (looked in {})",
                searched()
            ))
        })?;
        let application_secret = setting("application_secret").ok_or_else(|| {
            Error::Config(format!(
                "OVH_APPLICATION_SECRET is not set (looked in {})",
                searched()
            ))
        })?;
        let mut credentials = OvhCredentials::new(application_key, application_secret)?;
        if let Some(consumer_key) = setting("consumer_key") {
            credentials = credentials.with_consumer_key(consumer_key)?;
        }
        Ok(OvhConfig {
            endpoint,
            base_url,
            credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::scheme::{Scheme, SignableRequest, SigningParams};
    use crate::schemes::ovh::OvhScheme;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| vars.get(name).cloned()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("signed-api-ovh-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Which secret a config signs with, seen through its canonical string.
    fn signs_with(config: &OvhConfig) -> String {
        let request = SignableRequest::new("GET", "https://x/1.0/me", b"");
        OvhScheme::new(config.credentials.clone())
            .canonical_string(&request, &SigningParams::at(0))
            .unwrap()
            .expose()
            .to_owned()
    }

    #[test]
    fn named_endpoints_and_urls_resolve() {
        assert_eq!(
            ovh_endpoint_url("ovh-ca").unwrap(),
            "https://ca.api.ovh.com/1.0"
        );
        assert_eq!(
            ovh_endpoint_url("http://127.0.0.1:9/ovh/1.0/").unwrap(),
            "http://127.0.0.1:9/ovh/1.0"
        );
        let err = ovh_endpoint_url("ovh-mars").unwrap_err().to_string();
        assert!(err.contains("ovh-mars") && err.contains("ovh-eu"), "{err}");
    }

    #[test]
    fn later_files_win_and_env_wins_over_files() {
        let dir = temp_dir("order");
        let system = dir.join("etc.conf");
        let local = dir.join("local.conf");
        std::fs::write(
            &system,
            "[default]\nendpoint=ovh-ca\n[ovh-ca]\napplication_key=sys-ak\napplication_secret=sys-as\nconsumer_key=sys-ck\n",
        )
        .unwrap();
        std::fs::write(&local, "[ovh-ca]\napplication_secret=local-as\n").unwrap();
        let files = vec![system.clone(), dir.join("missing.conf"), local.clone()];

        let config = OvhConfig::load_from(&env(&[]), &files).unwrap();
        assert_eq!(config.endpoint, "ovh-ca");
        assert_eq!(config.base_url, "https://ca.api.ovh.com/1.0");
        assert_eq!(config.credentials.application_key(), "sys-ak");
        assert!(signs_with(&config).starts_with("local-as+sys-ck+"));

        let config = OvhConfig::load_from(
            &env(&[
                ("OVH_APPLICATION_SECRET", "env-as"),
                ("OVH_CONSUMER_KEY", "env-ck"),
            ]),
            &files,
        )
        .unwrap();
        assert!(signs_with(&config).starts_with("env-as+env-ck+"));

        // OVH_ENDPOINT switches the section the keys are read from.
        let err = OvhConfig::load_from(&env(&[("OVH_ENDPOINT", "ovh-eu")]), &files).unwrap_err();
        assert!(err.to_string().contains("OVH_APPLICATION_KEY"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn defaults_to_ovh_eu_and_names_what_is_missing() {
        let config = OvhConfig::load_from(
            &env(&[
                ("OVH_APPLICATION_KEY", "ak"),
                ("OVH_APPLICATION_SECRET", "as"),
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(config.base_url, "https://eu.api.ovh.com/1.0");
        assert!(!config.credentials.has_consumer_key());
        let err = OvhConfig::load_from(&env(&[("OVH_APPLICATION_KEY", "ak")]), &[]).unwrap_err();
        assert!(err.to_string().contains("OVH_APPLICATION_SECRET"), "{err}");
    }

    #[test]
    fn an_unparsable_file_is_an_error_naming_it() {
        let dir = temp_dir("garbage");
        let file = dir.join("ovh.conf");
        std::fs::write(&file, "[unterminated\nkey=value\n").unwrap();
        let err = OvhConfig::load_from(&env(&[]), std::slice::from_ref(&file)).unwrap_err();
        assert!(err.to_string().contains("ovh.conf"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
