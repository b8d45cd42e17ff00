//! The credentials the mock accepts: read from the same environment variables as the
//! command line's, given explicitly (tests), or made up on the spot (demo mode).
//!
//! Values the caller gave or the mock generated may be shown back (they are the caller's
//! to print, and demo values protect nothing); values read from the environment never
//! are: the user already has them.

use std::path::{Path, PathBuf};

use signed_api_runtime::__workspace::{EnvLookup, process_env};
use signed_api_runtime::Secret;
use signed_api_runtime::keys::{RsaKey, RsaPublicKeyPem};
use signed_api_runtime::nonce::{AlphanumericNonce, NonceSource};
use signed_api_runtime::schemes::{
    ArmorCredentials, NopsCredentials, OvhConfig, OvhCredentials, Sigv4Credentials, Sigv4Scheme,
};

use crate::MockError;

/// An environment variable and its value, for `export NAME=value` lines.
pub(crate) type Export = (&'static str, String);

/// The variables of one API that may be shown as `export` lines. Their `Debug` names the
/// variables only: the values are secrets too (demo or not), and a `{:?}` of a server
/// or its credentials ends up in test logs.
#[derive(Clone, Default)]
pub(crate) struct Exports(pub(crate) Vec<Export>);

impl std::fmt::Debug for Exports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

/// What the mock accepts for each of the five APIs.
#[derive(Debug, Clone)]
pub struct MockCredentials {
    /// OVH's application and consumer key.
    pub ovh: OvhMockCredentials,
    /// nOps' API key and, when signatures are required, the public key.
    pub nops: NopsMockCredentials,
    /// Qredo's API key and public key.
    pub qredo: QredoMockCredentials,
    /// Armor's key id, secret and account.
    pub armor: ArmorMockCredentials,
    /// S3's access key and region.
    pub s3: S3MockCredentials,
}

/// OVH credentials accepted by the mock.
#[derive(Debug, Clone)]
pub struct OvhMockCredentials {
    pub(crate) credentials: OvhCredentials,
    pub(crate) exports: Exports,
}

/// nOps credentials accepted by the mock.
#[derive(Debug, Clone)]
pub struct NopsMockCredentials {
    pub(crate) api_key: Secret,
    pub(crate) public_key: Option<RsaPublicKeyPem>,
    pub(crate) exports: Exports,
}

/// Qredo credentials accepted by the mock.
#[derive(Debug, Clone)]
pub struct QredoMockCredentials {
    pub(crate) api_key: Secret,
    pub(crate) public_key: RsaPublicKeyPem,
    pub(crate) exports: Exports,
}

/// Armor credentials accepted by the mock.
#[derive(Debug, Clone)]
pub struct ArmorMockCredentials {
    pub(crate) credentials: ArmorCredentials,
    pub(crate) account_id: Option<String>,
    pub(crate) exports: Exports,
}

/// S3 credentials accepted by the mock: an access key (with the session token of
/// temporary credentials, when there is one) and the region signatures are scoped to.
#[derive(Debug, Clone)]
pub struct S3MockCredentials {
    /// The scheme a client of these credentials signs with; the verifier is built on it.
    pub(crate) scheme: Sigv4Scheme,
    pub(crate) exports: Exports,
}

impl OvhMockCredentials {
    /// Accepts this application, and signed calls with this consumer key.
    pub fn new(
        application_key: &str,
        application_secret: &str,
        consumer_key: &str,
    ) -> Result<Self, MockError> {
        let credentials = OvhCredentials::new(application_key, application_secret)?
            .with_consumer_key(consumer_key)?;
        Ok(OvhMockCredentials {
            credentials,
            exports: Exports(vec![
                ("OVH_APPLICATION_KEY", application_key.to_owned()),
                ("OVH_APPLICATION_SECRET", application_secret.to_owned()),
                ("OVH_CONSUMER_KEY", consumer_key.to_owned()),
            ]),
        })
    }

    /// The application key (it travels in clear in `X-Ovh-Application`).
    pub fn application_key(&self) -> &str {
        self.credentials.application_key()
    }
}

impl NopsMockCredentials {
    /// Accepts `api_key`; with `private_key` (a PEM file), also requires signatures by
    /// its public half.
    pub fn new(api_key: &str, private_key: Option<&Path>) -> Result<Self, MockError> {
        NopsCredentials::new(api_key)?; // the client's own checks
        let mut exports = vec![("NOPS_API_KEY", api_key.to_owned())];
        let public_key = match private_key {
            Some(path) => {
                exports.push(("NOPS_PRIVATE_KEY", path.display().to_string()));
                Some(RsaKey::from_pem_file(path)?.public_key())
            }
            None => None,
        };
        Ok(NopsMockCredentials {
            api_key: Secret::new(api_key),
            public_key,
            exports: Exports(exports),
        })
    }

    /// Whether signatures are required.
    pub fn requires_signature(&self) -> bool {
        self.public_key.is_some()
    }
}

impl QredoMockCredentials {
    /// Accepts `api_key` with signatures by the public half of `private_key` (a PEM file).
    pub fn new(api_key: &str, private_key: &Path) -> Result<Self, MockError> {
        let key = RsaKey::from_pem_file(private_key)?;
        signed_api_runtime::schemes::QredoCredentials::new(api_key, key.clone())?;
        Ok(QredoMockCredentials {
            api_key: Secret::new(api_key),
            public_key: key.public_key(),
            exports: Exports(vec![
                ("QREDO_API_KEY", api_key.to_owned()),
                ("QREDO_PRIVATE_KEY", private_key.display().to_string()),
            ]),
        })
    }
}

impl ArmorMockCredentials {
    /// Accepts this key; with an account, requires it in `X-Account-Context`.
    pub fn new(key_id: &str, secret: &str, account_id: Option<&str>) -> Result<Self, MockError> {
        let mut credentials = ArmorCredentials::new(key_id, secret)?;
        let mut exports = vec![
            ("ARMOR_API_KEY_ID", key_id.to_owned()),
            ("ARMOR_SECRET_KEY", secret.to_owned()),
        ];
        if let Some(account) = account_id {
            credentials = credentials.with_account(account)?;
            exports.push(("ARMOR_ACCOUNT_ID", account.to_owned()));
        }
        Ok(ArmorMockCredentials {
            credentials,
            account_id: account_id.map(str::to_owned),
            exports: Exports(exports),
        })
    }

    /// The API key id.
    pub fn key_id(&self) -> &str {
        self.credentials.key_id()
    }
}

impl S3MockCredentials {
    /// Accepts this access key, for signatures scoped to `region` and the `s3` service.
    pub fn new(
        access_key_id: &str,
        secret_access_key: &str,
        region: &str,
    ) -> Result<Self, MockError> {
        let credentials = Sigv4Credentials::new(access_key_id, secret_access_key)?;
        Ok(S3MockCredentials {
            scheme: Sigv4Scheme::new(credentials, region, "s3")?,
            exports: Exports(vec![
                ("AWS_ACCESS_KEY_ID", access_key_id.to_owned()),
                ("AWS_SECRET_ACCESS_KEY", secret_access_key.to_owned()),
                ("AWS_REGION", region.to_owned()),
            ]),
        })
    }

    /// Also requires this session token, as temporary credentials do.
    pub fn with_session_token(mut self, token: &str) -> Result<Self, MockError> {
        let credentials = self
            .scheme
            .credentials()
            .clone()
            .with_session_token(token)?;
        self.scheme = Sigv4Scheme::new(credentials, self.scheme.region(), "s3")?;
        self.exports.0.push(("AWS_SESSION_TOKEN", token.to_owned()));
        Ok(self)
    }

    /// The access key id (it travels in clear in the credential scope).
    pub fn access_key_id(&self) -> &str {
        self.scheme.credentials().access_key_id()
    }

    /// The region signatures must be scoped to.
    pub fn region(&self) -> &str {
        self.scheme.region()
    }
}

/// The variables that, when any is set, make an API use the environment's credentials
/// rather than demo ones.
const OVH_VARS: &[&str] = &[
    "OVH_APPLICATION_KEY",
    "OVH_APPLICATION_SECRET",
    "OVH_CONSUMER_KEY",
];
const NOPS_VARS: &[&str] = &["NOPS_API_KEY", "NOPS_PRIVATE_KEY"];
const QREDO_VARS: &[&str] = &["QREDO_API_KEY", "QREDO_PRIVATE_KEY"];
const ARMOR_VARS: &[&str] = &["ARMOR_API_KEY_ID", "ARMOR_SECRET_KEY", "ARMOR_ACCOUNT_ID"];
const S3_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// S3's region when neither `AWS_REGION` nor `AWS_DEFAULT_REGION` names one (AWS's own
/// default).
const DEFAULT_S3_REGION: &str = "us-east-1";

/// A variable's value when it is set and not blank.
fn non_blank(env: EnvLookup<'_>, name: &str) -> Option<String> {
    env(name).filter(|value| !value.trim().is_empty())
}

/// The region S3 signatures are scoped to: `AWS_REGION`, `AWS_DEFAULT_REGION`, or
/// [`DEFAULT_S3_REGION`]. The profile's region in `~/.aws/config` is not read: a client
/// that signs for it is refused with a message naming the region the mock expects.
fn s3_region(env: EnvLookup<'_>) -> String {
    non_blank(env, "AWS_REGION")
        .or_else(|| non_blank(env, "AWS_DEFAULT_REGION"))
        .map_or_else(
            || DEFAULT_S3_REGION.to_owned(),
            |region| region.trim().to_owned(),
        )
}

fn any_set(env: EnvLookup<'_>, names: &[&str]) -> bool {
    names
        .iter()
        .any(|name| env(name).is_some_and(|value| !value.trim().is_empty()))
}

/// A variable that must be set and not blank, with the runtime's wording.
fn required(env: EnvLookup<'_>, name: &str) -> Result<String, MockError> {
    match env(name) {
        Some(value) if !value.trim().is_empty() => Ok(value),
        Some(_) => Err(config_error(format!("{name} is empty"))),
        None => Err(config_error(format!("{name} is not set"))),
    }
}

fn config_error(message: String) -> MockError {
    MockError::Config(signed_api_runtime::Error::Config(message))
}

impl MockCredentials {
    /// From the process environment and the `ovh.conf` files the command line reads;
    /// demo credentials (keys written under `demo_dir`) for each API whose variables are
    /// all unset.
    pub fn from_env(demo_dir: &Path) -> Result<Self, MockError> {
        let env = &process_env;
        Self::from_lookup(env, &OvhConfig::default_files(env), demo_dir)
    }

    /// As [`from_env`](Self::from_env), from another environment and other `ovh.conf`
    /// files.
    pub fn from_lookup(
        env: EnvLookup<'_>,
        ovh_files: &[PathBuf],
        demo_dir: &Path,
    ) -> Result<Self, MockError> {
        let ovh_files_exist = ovh_files.iter().any(|file| file.exists());
        let ovh = if any_set(env, OVH_VARS) || ovh_files_exist {
            OvhMockCredentials {
                credentials: OvhConfig::load_from(env, ovh_files)?.credentials,
                exports: Exports::default(),
            }
        } else {
            demo_ovh()?
        };
        let nops = if any_set(env, NOPS_VARS) {
            let api_key = required(env, "NOPS_API_KEY")?;
            let private_key = env("NOPS_PRIVATE_KEY").filter(|path| !path.trim().is_empty());
            let mut nops =
                NopsMockCredentials::new(&api_key, private_key.as_deref().map(Path::new))?;
            nops.exports.0.clear();
            nops
        } else {
            demo_nops(demo_dir)?
        };
        let qredo = if any_set(env, QREDO_VARS) {
            let api_key = required(env, "QREDO_API_KEY")?;
            let private_key = required(env, "QREDO_PRIVATE_KEY")?;
            let mut qredo = QredoMockCredentials::new(&api_key, Path::new(&private_key))?;
            qredo.exports.0.clear();
            qredo
        } else {
            demo_qredo(demo_dir)?
        };
        let armor = if any_set(env, ARMOR_VARS) {
            let account = env("ARMOR_ACCOUNT_ID").filter(|id| !id.trim().is_empty());
            let mut armor = ArmorMockCredentials::new(
                &required(env, "ARMOR_API_KEY_ID")?,
                &required(env, "ARMOR_SECRET_KEY")?,
                account.as_deref(),
            )?;
            armor.exports.0.clear();
            armor
        } else {
            demo_armor()?
        };
        let s3 = s3_from_lookup(env)?;
        Ok(MockCredentials {
            ovh,
            nops,
            qredo,
            armor,
            s3,
        })
    }

    /// Demo credentials for all five APIs, keys written under `demo_dir`.
    pub fn demo(demo_dir: &Path) -> Result<Self, MockError> {
        Self::from_lookup(&|_| None, &[], demo_dir)
    }

    /// The `(variable, value)` pairs of the credentials that may be shown: those given
    /// explicitly or generated, never those read from the environment.
    pub fn exports(&self) -> Vec<(&'static str, String)> {
        [
            &self.ovh.exports.0,
            &self.nops.exports.0,
            &self.qredo.exports.0,
            &self.armor.exports.0,
            &self.s3.exports.0,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

/// S3's credentials from the environment, or demo ones when no key is set (in the
/// environment's region all the same).
fn s3_from_lookup(env: EnvLookup<'_>) -> Result<S3MockCredentials, MockError> {
    if !any_set(env, S3_VARS) {
        return demo_s3(&s3_region(env));
    }
    let mut s3 = S3MockCredentials::new(
        &required(env, "AWS_ACCESS_KEY_ID")?,
        &required(env, "AWS_SECRET_ACCESS_KEY")?,
        &s3_region(env),
    )?;
    if let Some(token) = non_blank(env, "AWS_SESSION_TOKEN") {
        s3 = s3.with_session_token(&token)?;
    }
    s3.exports.0.clear();
    Ok(s3)
}

fn random(len: usize) -> String {
    AlphanumericNonce::new(len).nonce(0)
}

fn demo_ovh() -> Result<OvhMockCredentials, MockError> {
    OvhMockCredentials::new(&format!("demo-ak-{}", random(12)), &random(32), &random(32))
}

fn demo_armor() -> Result<ArmorMockCredentials, MockError> {
    ArmorMockCredentials::new(&format!("demo-{}", random(12)), &random(40), Some("1024"))
}

/// An access key id shaped like AWS's (`AKIA` and 16 upper-case letters and digits), so
/// that tools which check the shape take it, and a 40-character secret.
fn demo_s3(region: &str) -> Result<S3MockCredentials, MockError> {
    let key_id = format!("AKIA{}", random(16).to_ascii_uppercase());
    S3MockCredentials::new(&key_id, &random(40), region)
}

fn demo_nops(dir: &Path) -> Result<NopsMockCredentials, MockError> {
    let path = write_demo_key(dir, "nops-demo.pem")?;
    NopsMockCredentials::new(&format!("4242.{}", random(32)), Some(&path))
}

fn demo_qredo(dir: &Path) -> Result<QredoMockCredentials, MockError> {
    let path = write_demo_key(dir, "qredo-demo.pem")?;
    QredoMockCredentials::new(&random(43), &path)
}

/// Generates a 2048-bit key and writes it, readable by its owner only, so that the
/// command line can sign with it.
fn write_demo_key(dir: &Path, name: &str) -> Result<PathBuf, MockError> {
    let path = dir.join(name);
    let io_error = |source| MockError::DemoKeys {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io_error)?;
    let key = RsaKey::generate(2048)?;
    let pem = key.to_pkcs8_pem()?;
    write_private(&path, pem.as_bytes()).map_err(io_error)?;
    Ok(path)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| vars.get(name).cloned()
    }

    #[test]
    fn a_partly_configured_api_is_an_error_naming_the_missing_variable() {
        let dir = std::env::temp_dir().join(format!("signed-api-mock-test-{}", std::process::id()));
        let err = MockCredentials::from_lookup(&env(&[("QREDO_API_KEY", "k")]), &[], &dir)
            .unwrap_err()
            .to_string();
        assert!(err.contains("QREDO_PRIVATE_KEY"), "{err}");
        let vars = env(&[("ARMOR_SECRET_KEY", "armor-sentinel")]);
        let err = MockCredentials::from_lookup(&vars, &[], &dir)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ARMOR_API_KEY_ID") && !err.contains("sentinel"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn debug_shows_no_secret_even_of_exported_credentials() {
        let credentials = MockCredentials {
            ovh: OvhMockCredentials::new("ak", "ovh-sentinel-as", "ovh-sentinel-ck").unwrap(),
            nops: NopsMockCredentials::new("1.nops-sentinel", None).unwrap(),
            qredo: QredoMockCredentials::new(
                "qredo-sentinel",
                Path::new(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../tests/vectors/keys/rsa2048-pkcs8.pem"
                )),
            )
            .unwrap(),
            armor: ArmorMockCredentials::new("id", "armor-sentinel", None).unwrap(),
            s3: S3MockCredentials::new("AKIAID", "s3-sentinel", "eu-west-3")
                .and_then(|s3| s3.with_session_token("s3-sentinel-token"))
                .unwrap(),
        };
        assert_eq!(
            credentials.exports().len(),
            12,
            "given values may be exported"
        );
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("sentinel"), "{shown}");
        assert!(shown.contains("OVH_APPLICATION_SECRET"), "{shown}");
    }

    #[test]
    fn credentials_from_the_environment_are_never_exported() {
        let key = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/vectors/keys/rsa2048-pkcs8.pem"
        );
        let vars = env(&[
            ("OVH_APPLICATION_KEY", "ak"),
            ("OVH_APPLICATION_SECRET", "as-secret"),
            ("OVH_CONSUMER_KEY", "ck-secret"),
            ("NOPS_API_KEY", "1.nops-secret"),
            ("QREDO_API_KEY", "qredo-secret"),
            ("QREDO_PRIVATE_KEY", key),
            ("ARMOR_API_KEY_ID", "id"),
            ("ARMOR_SECRET_KEY", "armor-secret"),
            ("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00000"),
            ("AWS_SECRET_ACCESS_KEY", "s3-secret"),
            ("AWS_SESSION_TOKEN", "s3-token-secret"),
            ("AWS_DEFAULT_REGION", "eu-west-3"),
        ]);
        let credentials =
            MockCredentials::from_lookup(&vars, &[], Path::new("/nonexistent")).unwrap();
        assert!(credentials.exports().is_empty());
        assert!(!credentials.nops.requires_signature());
        assert_eq!(credentials.s3.access_key_id(), "AKIAENVIRONMENT00000");
        assert_eq!(credentials.s3.region(), "eu-west-3");
        let shown = format!("{credentials:?}");
        for secret in [
            "as-secret",
            "ck-secret",
            "nops-secret",
            "qredo-secret",
            "armor-secret",
            "s3-secret",
            "s3-token-secret",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn demo_s3_credentials_look_like_aws_ones_in_the_environment_s_region() {
        let s3 = demo_s3(DEFAULT_S3_REGION).unwrap();
        let key_id = s3.access_key_id();
        let suffix = key_id.strip_prefix("AKIA").unwrap();
        assert_eq!(suffix.len(), 16, "{key_id}");
        assert!(
            suffix
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{key_id}"
        );
        let exports = &s3.exports.0;
        let secret = &exports
            .iter()
            .find(|(name, _)| *name == "AWS_SECRET_ACCESS_KEY")
            .unwrap()
            .1;
        assert_eq!(secret.len(), 40);
        assert_eq!(s3.region(), "us-east-1");

        let regional = s3_from_lookup(&env(&[("AWS_REGION", "eu-west-3")])).unwrap();
        assert_eq!(regional.region(), "eu-west-3");
        assert!(
            regional
                .exports
                .0
                .contains(&("AWS_REGION", "eu-west-3".to_owned()))
        );
        let fallback = s3_from_lookup(&env(&[("AWS_DEFAULT_REGION", "ca-central-1")])).unwrap();
        assert_eq!(fallback.region(), "ca-central-1");
        let err = s3_from_lookup(&env(&[("AWS_REGION", "EU WEST")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("region"), "{err}");
        let err = s3_from_lookup(&env(&[("AWS_ACCESS_KEY_ID", "AKIA")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("AWS_SECRET_ACCESS_KEY"), "{err}");
    }
}
