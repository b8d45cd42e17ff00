//! The mock as the workspace's tests start it: known credentials for all five APIs, the
//! schemes that sign for them, and a client per API. One set-up for the tests of every
//! crate (the runtime's, the clients', the command line's, the mock's own), so that they
//! agree on what a valid request is.
//!
//! Behind the `testing` feature: the keys are read from the workspace's
//! `tests/vectors/keys`, which a published crate does not carry. [`capture`] is the other
//! half: a server that records what a client sends, byte for byte, for the tests that
//! look at the wire rather than at an API.

pub mod capture;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use signed_api_runtime::clock::Clock;
use signed_api_runtime::keys::RsaKey;
use signed_api_runtime::scheme::Scheme;
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsScheme, OvhCredentials, OvhScheme,
    QredoCredentials, QredoScheme, Sigv4Credentials, Sigv4Scheme,
};
use signed_api_runtime::{ApiError, Client, Error, Result, RetryPolicy};

use crate::{
    Api, ArmorMockCredentials, MockConfig, MockCredentials, MockServer, NopsMockCredentials,
    OvhMockCredentials, QredoMockCredentials, S3MockCredentials,
};

/// OVH's application key.
pub const OVH_AK: &str = "test-ak";
/// OVH's application secret.
pub const OVH_AS: &str = "test-application-secret";
/// OVH's consumer key.
pub const OVH_CK: &str = "test-consumer-key";
/// nOps' API key; its client id is `77`.
pub const NOPS_KEY: &str = "77.test-nops-key";
/// Qredo's API key.
pub const QREDO_KEY: &str = "test-qredo-key";
/// Armor's key id.
pub const ARMOR_ID: &str = "test-armor-id";
/// Armor's secret key.
pub const ARMOR_SECRET: &str = "test-armor-secret";
/// The Armor account the calls act for.
pub const ARMOR_ACCOUNT: &str = "1024";
/// S3's access key id, shaped like AWS's (`AKIA` and 16 upper-case letters and digits).
pub const S3_KEY_ID: &str = "AKIAMOCKTESTKEY12345";
/// S3's secret access key.
pub const S3_SECRET: &str = "test-s3-secret-access-key";
/// The region S3 signatures are scoped to (not AWS's default, so that a client that
/// forgets its region is refused rather than right by chance).
pub const S3_REGION: &str = "eu-west-3";
/// Every value above that is a secret: none may appear in an output, a log or an error.
pub const SECRETS: &[&str] = &[
    OVH_AS,
    OVH_CK,
    "test-nops-key",
    QREDO_KEY,
    ARMOR_SECRET,
    S3_SECRET,
];

/// A file of the workspace's `tests/vectors/keys`.
pub fn key_path(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/keys"
    ))
    .join(name)
}

/// The private key nOps requests are signed with.
pub fn nops_key_path() -> PathBuf {
    key_path("rsa2048-pkcs8.pem")
}

/// The private key Qredo requests are signed with.
pub fn qredo_key_path() -> PathBuf {
    key_path("rsa2048-pkcs1.pem")
}

/// The 2048-bit PKCS#8 test key (also nOps' signing key).
pub fn key_2048() -> RsaKey {
    read_key(key_path("rsa2048-pkcs8.pem"))
}

/// A key the mock accepts for no API.
pub fn other_key() -> RsaKey {
    read_key(key_path("rsa1024-pkcs1.pem"))
}

fn read_key(path: PathBuf) -> RsaKey {
    RsaKey::from_pem_file(&path)
        .unwrap_or_else(|error| panic!("test key {}: {error}", path.display()))
}

/// The mock's credentials for all five APIs (nOps with signing enabled).
pub fn credentials() -> MockCredentials {
    MockCredentials {
        ovh: OvhMockCredentials::new(OVH_AK, OVH_AS, OVH_CK).expect("OVH test credentials"),
        nops: NopsMockCredentials::new(NOPS_KEY, Some(&nops_key_path()))
            .expect("nOps test credentials"),
        qredo: QredoMockCredentials::new(QREDO_KEY, &qredo_key_path())
            .expect("Qredo test credentials"),
        armor: ArmorMockCredentials::new(ARMOR_ID, ARMOR_SECRET, Some(ARMOR_ACCOUNT))
            .expect("Armor test credentials"),
        s3: S3MockCredentials::new(S3_KEY_ID, S3_SECRET, S3_REGION).expect("S3 test credentials"),
    }
}

/// The mock with [`credentials`], in this process.
pub async fn start() -> MockServer {
    start_with(MockConfig::new(credentials())).await
}

/// The mock with another configuration (limits, faults, windows, other credentials).
pub async fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config)
        .await
        .expect("the test mock starts on a free port")
}

/// OVH signing with `secret` as the application secret (the mock's is [`OVH_AS`]).
pub fn ovh_scheme(secret: &str) -> OvhScheme {
    OvhScheme::new(
        OvhCredentials::new(OVH_AK, secret)
            .and_then(|credentials| credentials.with_consumer_key(OVH_CK))
            .expect("OVH test credentials"),
    )
}

/// nOps signing with `key` (the mock's is [`nops_key_path`]).
pub fn nops_scheme(key: RsaKey) -> NopsScheme {
    NopsScheme::new(
        NopsCredentials::new(NOPS_KEY)
            .expect("nOps test credentials")
            .with_private_key(key),
    )
}

/// Qredo signing with `key` (the mock's is [`qredo_key_path`]).
pub fn qredo_scheme(key: RsaKey) -> QredoScheme {
    QredoScheme::new(QredoCredentials::new(QREDO_KEY, key).expect("Qredo test credentials"))
}

/// Armor signing with `secret` (the mock's is [`ARMOR_SECRET`]).
pub fn armor_scheme(secret: &str) -> ArmorScheme {
    ArmorScheme::new(
        ArmorCredentials::new(ARMOR_ID, secret)
            .and_then(|credentials| credentials.with_account(ARMOR_ACCOUNT))
            .expect("Armor test credentials"),
    )
}

/// S3 signing with `secret` as the secret access key (the mock's is [`S3_SECRET`]), for
/// [`S3_REGION`].
pub fn sigv4_scheme(secret: &str) -> Sigv4Scheme {
    Sigv4Credentials::new(S3_KEY_ID, secret)
        .and_then(|credentials| Sigv4Scheme::new(credentials, S3_REGION, "s3"))
        .expect("S3 test credentials")
}

/// The scheme that signs `api`'s requests as the mock expects.
pub fn valid_scheme(api: Api) -> Arc<dyn Scheme> {
    match api {
        Api::Ovh => Arc::new(ovh_scheme(OVH_AS)),
        Api::Nops => Arc::new(nops_scheme(read_key(nops_key_path()))),
        Api::Qredo => Arc::new(qredo_scheme(read_key(qredo_key_path()))),
        Api::Armor => Arc::new(armor_scheme(ARMOR_SECRET)),
        Api::S3 => Arc::new(sigv4_scheme(S3_SECRET)),
    }
}

/// A client of `api` on `mock` signing with `scheme`, whose clock reads `at` (Unix
/// seconds) when given, without retries.
pub fn client(mock: &MockServer, api: Api, scheme: impl Scheme, at: Option<i64>) -> Client {
    let mut builder = Client::builder(scheme)
        .base_url(mock.base_url(api))
        .retry(RetryPolicy::none());
    if let Some(at) = at {
        builder = builder.clock(Clock::fixed(at));
    }
    builder.build().expect("a client of the test mock")
}

/// The current Unix time in seconds.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// The API error of a call that must fail with one.
pub fn api_error<T: std::fmt::Debug>(result: Result<T>) -> ApiError {
    match result {
        Err(Error::Api(error)) => *error,
        other => panic!("expected an API error, got {other:?}"),
    }
}
