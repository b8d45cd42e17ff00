//! A verifying mock of the nOps, OVH, Qredo and Armor APIs, and of S3.
//!
//! One HTTP server answers the five APIs under fixed prefixes (`/ovh/1.0`, `/nops`,
//! `/qredo/api/v1/p`, `/armor`, `/s3`). Every request is verified with the runtime's own
//! verifiers, byte for byte, as the vendor would: a signature that would fail in
//! production fails here, with the vendor's status and error shape. A few endpoints keep
//! in-memory state so that create, read and delete round-trips work; S3 keeps buckets
//! and objects. Faults (errors, rate
//! limits, latency, dropped connections, a skewed clock) can be injected per API to test
//! retries and clock correction.
//!
//! Anyone who reaches its socket can send it anything, so what a client can make it hold
//! is bounded ([`Limits`]): connections, the time to send a request, bodies (read only
//! once the headers have passed the checks that need no body), and the items each API
//! keeps.
//!
//! ```no_run
//! # async fn run() -> Result<(), signed_api_mock::MockError> {
//! use signed_api_mock::{Api, MockConfig, MockServer};
//! let mock = MockServer::start(MockConfig::from_env()?).await?;
//! println!("OVH answers at {}", mock.base_url(Api::Ovh));
//! mock.shutdown().await;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod apis;
mod config;
mod context;
mod credentials;
mod faults;
mod per_api;
mod reply;
mod server;
#[cfg(feature = "testing")]
pub mod testing;

pub use crate::api::Api;
pub use crate::config::{Limits, MockConfig, Windows, demo_dir};
pub use crate::credentials::{
    ArmorMockCredentials, MockCredentials, NopsMockCredentials, OvhMockCredentials,
    QredoMockCredentials, S3MockCredentials,
};
pub use crate::faults::Faults;
pub use crate::per_api::PerApi;
pub use crate::server::MockServer;

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The credentials in the environment are incomplete or unusable (the runtime's
    /// configuration or key error, which never holds a secret).
    #[error(transparent)]
    Config(#[from] signed_api_runtime::Error),
    /// The demo key files could not be written.
    #[error("cannot write the demo keys to {path}: {source}")]
    DemoKeys {
        /// The file that could not be written.
        path: std::path::PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
}
