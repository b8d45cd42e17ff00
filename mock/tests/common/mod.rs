//! Shared set-up of the mock's tests: a mock with known credentials, clients that sign
//! for it, and a plain HTTP sender to deliver what they prepared, altered or not.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use signed_api_mock::{
    Api, ArmorMockCredentials, MockConfig, MockCredentials, MockServer, NopsMockCredentials,
    OvhMockCredentials, QredoMockCredentials,
};
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsScheme, OvhCredentials, OvhScheme,
    QredoCredentials, QredoScheme,
};
use signed_api_runtime::{Client, Clock, PreparedRequest, RetryPolicy, RsaKey, Scheme};

pub const OVH_AK: &str = "test-ak";
pub const OVH_AS: &str = "test-application-secret";
pub const OVH_CK: &str = "test-consumer-key";
pub const NOPS_KEY: &str = "77.test-nops-key";
pub const QREDO_KEY: &str = "test-qredo-key";
pub const ARMOR_ID: &str = "test-armor-id";
pub const ARMOR_SECRET: &str = "test-armor-secret";
pub const ARMOR_ACCOUNT: &str = "1024";

pub fn key_path(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/keys"
    ))
    .join(name)
}

pub fn nops_key() -> PathBuf {
    key_path("rsa2048-pkcs8.pem")
}

pub fn qredo_key() -> PathBuf {
    key_path("rsa2048-pkcs1.pem")
}

/// A key that no mock accepts.
pub fn other_key() -> RsaKey {
    RsaKey::from_pem_file(key_path("rsa1024-pkcs1.pem")).unwrap()
}

pub fn credentials() -> MockCredentials {
    MockCredentials {
        ovh: OvhMockCredentials::new(OVH_AK, OVH_AS, OVH_CK).unwrap(),
        nops: NopsMockCredentials::new(NOPS_KEY, Some(&nops_key())).unwrap(),
        qredo: QredoMockCredentials::new(QREDO_KEY, &qredo_key()).unwrap(),
        armor: ArmorMockCredentials::new(ARMOR_ID, ARMOR_SECRET, Some(ARMOR_ACCOUNT)).unwrap(),
    }
}

pub async fn start() -> MockServer {
    MockServer::start(MockConfig::new(credentials()))
        .await
        .unwrap()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn ovh_scheme(secret: &str) -> OvhScheme {
    OvhScheme::new(
        OvhCredentials::new(OVH_AK, secret)
            .unwrap()
            .with_consumer_key(OVH_CK)
            .unwrap(),
    )
}

pub fn nops_scheme(key: RsaKey) -> NopsScheme {
    NopsScheme::new(
        NopsCredentials::new(NOPS_KEY)
            .unwrap()
            .with_private_key(key),
    )
}

pub fn qredo_scheme(key: RsaKey) -> QredoScheme {
    QredoScheme::new(QredoCredentials::new(QREDO_KEY, key).unwrap())
}

pub fn armor_scheme(secret: &str) -> ArmorScheme {
    ArmorScheme::new(
        ArmorCredentials::new(ARMOR_ID, secret)
            .unwrap()
            .with_account(ARMOR_ACCOUNT)
            .unwrap(),
    )
}

/// A client of `api` on `mock` whose clock reads `at` (Unix seconds), without retries.
pub fn client(mock: &MockServer, api: Api, scheme: impl Scheme, at: Option<i64>) -> Client {
    let mut builder = Client::builder(scheme)
        .base_url(mock.base_url(api))
        .retry(RetryPolicy::none());
    if let Some(at) = at {
        builder = builder.clock(Clock::fixed(at));
    }
    builder.build().unwrap()
}

/// What came back from the mock.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    async fn read(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        Answer {
            status,
            headers,
            body: response.text().await.unwrap(),
        }
    }
}

/// Sends `prepared` as it is, but with `body` instead of its own when given.
pub async fn deliver(prepared: &PreparedRequest, body: Option<&[u8]>) -> Answer {
    let body = body.map_or_else(|| prepared.body.to_vec(), <[u8]>::to_vec);
    let response = reqwest::Client::new()
        .request(prepared.method.clone(), prepared.url.as_str())
        .headers(prepared.headers.clone())
        .body(body)
        .send()
        .await
        .unwrap();
    Answer::read(response).await
}

/// A plain GET without any signature.
pub async fn get_unsigned(url: &str) -> Answer {
    Answer::read(reqwest::get(url).await.unwrap()).await
}
