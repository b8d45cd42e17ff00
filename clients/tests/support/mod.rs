//! Set-up shared by the client tests, on top of the mock's `testing` module: the test
//! keys, and a mock with the workspace's test credentials, in which each test file sets
//! those of the API it tests.

#![allow(dead_code)] // each test file uses a different part

// Each test file uses a part of the shared set-up.
#[allow(unused_imports)]
pub use signed_api_mock::testing::{api_error, key_path, unix_now};
use signed_api_mock::{MockConfig, MockCredentials, MockServer};

/// Credentials for all four APIs of the mock (the workspace's shared test credentials):
/// `MockCredentials { armor: …, ..mock_credentials() }` sets the API under test.
pub fn mock_credentials() -> MockCredentials {
    signed_api_mock::testing::credentials()
}

/// The mock, in process, with `credentials`.
pub async fn start_mock(credentials: MockCredentials) -> MockServer {
    signed_api_mock::testing::start_with(MockConfig::new(credentials)).await
}
