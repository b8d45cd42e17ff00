//! Where OVH settings come from: the named endpoints, environment variables, and the
//! `ovh.conf` files the official clients read, in their order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::credentials::OvhCredentials;
use crate::env::{EnvLookup, optional, process_env};
use crate::error::{Error, Result};
use crate::secret_file::read_wiped;

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
    super::DESCRIPTOR.endpoint_url(endpoint)
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
        let mut from_files = ConfValues::default();
        for file in files {
            if file.exists() {
                from_files.read(file)?;
            }
        }
        let endpoint = optional(env, "OVH_ENDPOINT")
            .map(Zeroizing::new)
            .or_else(|| from_files.take("default", "endpoint"))
            .map_or_else(
                || DEFAULT_ENDPOINT.to_owned(),
                |name| name.trim().to_owned(),
            );
        let base_url = ovh_endpoint_url(&endpoint)?;
        // Each value is wiped when dropped, or moved (not copied) into a `Secret`.
        let mut setting = |key: &str| {
            optional(env, &format!("OVH_{}", key.to_ascii_uppercase()))
                .map(Zeroizing::new)
                .or_else(|| from_files.take(&endpoint, key))
        };
        let application_key = setting("application_key");
        let application_secret = setting("application_secret");
        let consumer_key = setting("consumer_key");
        let missing = |variable: &str| {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            Error::Config(format!(
                "{variable} is not set (looked in the environment or [{endpoint}] in {})",
                names.join(", ")
            ))
        };
        let application_key = application_key.ok_or_else(|| missing("OVH_APPLICATION_KEY"))?;
        let application_secret =
            application_secret.ok_or_else(|| missing("OVH_APPLICATION_SECRET"))?;
        let mut credentials = OvhCredentials::new(application_key.as_str(), application_secret)?;
        if let Some(consumer_key) = consumer_key {
            credentials = credentials.with_consumer_key(consumer_key)?;
        }
        Ok(OvhConfig {
            endpoint,
            base_url,
            credentials,
        })
    }
}

/// Larger than any real ovh.conf (a few hundred bytes); a bigger file is refused rather
/// than read into memory.
pub(super) const MAX_CONF_BYTES: usize = 64 * 1024;

/// The values read from ovh.conf files, by section and key, a later file winning. The
/// files hold the application secret and consumer key, so each value is kept only in a
/// buffer wiped on drop: rust-ini, used before, built its values character by character
/// and left copies of the secrets in freed memory.
#[derive(Default)]
pub(super) struct ConfValues {
    values: HashMap<(String, String), Zeroizing<String>>,
}

impl ConfValues {
    fn read(&mut self, file: &Path) -> Result<()> {
        let error = |reason: &dyn std::fmt::Display| {
            Error::Config(format!("cannot read {}: {reason}", file.display()))
        };
        let bytes = read_wiped(file, MAX_CONF_BYTES).map_err(|e| error(&e))?;
        let text = std::str::from_utf8(&bytes).map_err(|_| error(&"it is not UTF-8 text"))?;
        for entry in parse_ini(text).map_err(|e| error(&e))? {
            let value = Zeroizing::new(entry.value.to_owned());
            self.values
                .insert((entry.section.to_owned(), entry.key.to_owned()), value);
        }
        Ok(())
    }

    /// Moves a non-empty value out, so that no second copy is made.
    fn take(&mut self, section: &str, key: &str) -> Option<Zeroizing<String>> {
        self.values
            .remove(&(section.to_owned(), key.to_owned()))
            .filter(|value| !value.is_empty())
    }
}

/// One `key = value` of an INI text, borrowed from it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct IniEntry<'a> {
    section: &'a str,
    key: &'a str,
    value: &'a str,
}

/// INI as the official clients write ovh.conf: `[section]` lines, `key = value` or
/// `key: value` lines (both sides trimmed, one pair of surrounding quotes removed),
/// whole-line comments starting with `;` or `#`. No backslash escapes: python-ovh's
/// configparser reads none. Keys before any section are in section `""`. The entries borrow from
/// `text`, so the secrets in it are not copied; an error names the line, never its text.
pub(super) fn parse_ini(text: &str) -> std::result::Result<Vec<IniEntry<'_>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut section = "";
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with([';', '#']) {
            continue;
        }
        let number = index + 1;
        if let Some(header) = line.strip_prefix('[') {
            section = header
                .strip_suffix(']')
                .ok_or_else(|| format!("line {number}: a section header without `]`"))?
                .trim();
            continue;
        }
        let (key, value) = line
            .split_once(['=', ':'])
            .ok_or_else(|| format!("line {number}: expected `key = value` or `[section]`"))?;
        let key = key.trim();
        if key.is_empty() {
            return Err(format!("line {number}: a value without a key"));
        }
        entries.push(IniEntry {
            section,
            key,
            value: unquote(value.trim()),
        });
    }
    Ok(entries)
}

/// `"value"` or `'value'` without its quotes, as rust-ini (used before) read them.
pub(super) fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        let inner = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote));
        if let Some(inner) = inner {
            return inner;
        }
    }
    value
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

    /// Which secret a config signs with, seen through its string to sign.
    fn signs_with(config: &OvhConfig) -> String {
        let request = SignableRequest::new("GET", "https://x/1.0/me", b"");
        let string = OvhScheme::new(config.credentials.clone())
            .string_to_sign(&request, &SigningParams::at(0))
            .unwrap();
        String::from_utf8(string.to_bytes().to_vec()).unwrap()
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
    fn secrets_from_a_file_are_used_and_never_shown() {
        let dir = temp_dir("secrets");
        let file = dir.join("ovh.conf");
        std::fs::write(
            &file,
            "\u{feff}; written by hand\r\n[ovh-eu]\r\napplication_key: file-ak\r\n\
             application_secret = \"sentinel-as\\tx\"\r\n# consumer below\r\n\
             consumer_key='sentinel-ck'\r\n",
        )
        .unwrap();
        let config = OvhConfig::load_from(&env(&[]), std::slice::from_ref(&file)).unwrap();
        assert_eq!(config.credentials.application_key(), "file-ak");
        // Quotes removed, the backslash kept as written (python-ovh reads no escapes;
        // rust-ini, used before, turned `\t` into a tab).
        assert!(
            signs_with(&config).starts_with("sentinel-as\\tx+sentinel-ck+"),
            "{}",
            signs_with(&config)
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("sentinel"), "{shown}");
        assert!(shown.contains("file-ak"), "{shown}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_malformed_line_is_named_by_number_without_its_text() {
        let dir = temp_dir("malformed");
        let file = dir.join("ovh.conf");
        std::fs::write(
            &file,
            "[ovh-eu]\napplication_key=ak\nsentinel-secret-on-its-own\n",
        )
        .unwrap();
        let err = OvhConfig::load_from(&env(&[]), std::slice::from_ref(&file))
            .unwrap_err()
            .to_string();
        assert!(err.contains("ovh.conf") && err.contains("line 3"), "{err}");
        assert!(!err.contains("sentinel"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_oversized_file_is_refused_not_read() {
        let dir = temp_dir("oversized");
        let file = dir.join("ovh.conf");
        let mut text = "[ovh-eu]\napplication_key=ak\napplication_secret=as\n".to_owned();
        text.push_str(&"; padding\n".repeat(MAX_CONF_BYTES / 10 + 1));
        std::fs::write(&file, &text).unwrap();
        let err = OvhConfig::load_from(&env(&[]), std::slice::from_ref(&file)).unwrap_err();
        assert!(err.to_string().contains("larger than 64 KiB"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn ini_lines_are_sections_pairs_and_comments() {
        let text = "top=1\n[ s ]\n a = b = c \n\tk:v:w\n;x=y\n#z\n\nq=\"'\"\nr='\"x\"'\ne=\n";
        let entry = |section, key, value| IniEntry {
            section,
            key,
            value,
        };
        assert_eq!(
            parse_ini(text).unwrap(),
            [
                entry("", "top", "1"),
                entry("s", "a", "b = c"),
                entry("s", "k", "v:w"),
                entry("s", "q", "'"),
                entry("s", "r", "\"x\""),
                entry("s", "e", ""),
            ]
        );
        assert_eq!(
            parse_ini("[s\nk=v").unwrap_err(),
            "line 1: a section header without `]`"
        );
        assert_eq!(
            parse_ini("\n=v").unwrap_err(),
            "line 2: a value without a key"
        );
        assert!(
            parse_ini("[s]\nsecret")
                .unwrap_err()
                .starts_with("line 2: expected")
        );
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
