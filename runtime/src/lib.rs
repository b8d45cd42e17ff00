//! The runtime of [signed-api](https://docs.rs/signed-api): signing schemes, keys, clock,
//! and the one call path that every generated client, typed client and the command line
//! go through.
//!
//! Most users reach it through the `signed-api` facade crate; depend on it directly only
//! to implement a [`Scheme`](scheme::Scheme) or a server-side [`Verifier`](verify::Verifier) of your own.
//!
//! The call path keeps one promise above all: **the bytes that are signed are the bytes
//! that are sent**. The URL is built once as a string (base URL, encoded path, encoded
//! query) and checked to pass through the HTTP layer unchanged; the body is serialised
//! once; then both are signed and handed to reqwest as they are.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod builtin;
mod client;
pub mod clock;
mod crypto;
mod decimal;
mod env;
mod error;
pub mod keys;
pub mod nonce;
mod request;
mod response;
mod retry;
pub mod scheme;
pub mod schemes;
mod secret;
mod secret_file;
mod signing_pool;
mod streaming;
mod url;
pub mod verify;

pub use bytes::Bytes;
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};

pub use crate::client::{Client, ClientBuilder};
pub use crate::error::{ApiError, ApiErrorKind, Error, Result};
pub use crate::request::{PreparedRequest, Request};
pub use crate::response::Response;
pub use crate::retry::RetryPolicy;
pub use crate::secret::Secret;
pub use crate::streaming::BodyStream;
pub use crate::url::BaseUrl;

/// The limits and settings a client has unless it is configured otherwise.
pub mod defaults {
    pub use crate::client::{DEFAULT_MAX_RESPONSE_BODY, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
    pub use crate::clock::DEFAULT_MAX_CLOCK_OFFSET;
}

/// What the other crates of this workspace (the mock, the command line) share with the
/// runtime and nobody else should build on: it changes without notice.
#[doc(hidden)]
pub mod __workspace {
    pub use crate::env::{EnvLookup, process_env};
    pub use crate::request::parse_method;
}
