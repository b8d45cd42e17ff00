//! Set-up shared by the client tests: the test keys, and a mock started with placeholder
//! credentials for every API, in which each test file sets those of the API it tests.

#![allow(dead_code)] // each test file uses a different part

use std::fmt::Debug;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use signed_api::{ApiError, Error, Result};
use signed_api_mock::{
    ArmorMockCredentials, MockConfig, MockCredentials, MockServer, NopsMockCredentials,
    OvhMockCredentials, QredoMockCredentials,
};

/// A key of the workspace's `tests/vectors/keys`.
pub fn key_path(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/keys"
    ))
    .join(name)
}

/// Credentials for all four APIs of the mock, none of them the ones a test signs with:
/// `MockCredentials { armor: …, ..mock_credentials() }` sets the API under test.
pub fn mock_credentials() -> MockCredentials {
    MockCredentials {
        ovh: OvhMockCredentials::new("test-ak", "test-as", "test-ck").unwrap(),
        nops: NopsMockCredentials::new("77.test-nops-key", None).unwrap(),
        qredo: QredoMockCredentials::new("test-qredo-key", &key_path("rsa2048-pkcs1.pem")).unwrap(),
        armor: ArmorMockCredentials::new("test-armor-id", "test-armor-secret", None).unwrap(),
    }
}

/// The mock, in process, with `credentials`.
pub async fn start_mock(credentials: MockCredentials) -> MockServer {
    MockServer::start(MockConfig::new(credentials))
        .await
        .unwrap()
}

/// The API error of a call that must fail with one.
pub fn api_error<T: Debug>(result: Result<T>) -> ApiError {
    match result {
        Err(Error::Api(error)) => *error,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// The current Unix time in seconds.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
