//! # signed-api
//!
//! Typed async clients for HTTP APIs that authenticate every request with a signature.
//! Four schemes ship built in — nOps (RSA PKCS#1 v1.5 / SHA-256), OVH (`$1$` SHA-1),
//! Qredo's Partner API (RSA, base64url) and Armor (`ARMOR-PSK`, HMAC-SHA512) — and a
//! scheme of your own plugs in through the [`Scheme`] trait.
//!
//! The call path signs the exact bytes it sends: the URL is built once as a string, the
//! body is serialised once, and both go to the wire unchanged.
//!
//! ```no_run
//! use signed_api::schemes::{OvhConfig, OvhScheme};
//! use signed_api::{Client, Method};
//!
//! # async fn run() -> signed_api::Result<()> {
//! // OVH_ENDPOINT, OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET, OVH_CONSUMER_KEY, or ovh.conf
//! let config = OvhConfig::load()?;
//! let ovh = Client::builder(OvhScheme::new(config.credentials))
//!     .base_url(config.base_url)
//!     .build()?;
//! let domains: Vec<String> = ovh.request(Method::GET, "/domain").json().await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use signed_api_runtime::schemes;
pub use signed_api_runtime::{
    AlphanumericNonce, ApiError, ApiErrorKind, BaseUrl, Bytes, Client, ClientBuilder, Clock,
    ClockSync, CredentialScheme, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, EnvLookup, Error, FixedNonce,
    FixedTimeSource, HeaderMap, HeaderName, HeaderValue, Headers, IncreasingNonce, MIN_RSA_BITS,
    Method, NonceSource, PreparedRequest, RECOMMENDED_RSA_BITS, ReceivedRequest, Request, Response,
    Result, RetryPolicy, RsaBackend, RsaKey, RsaPublicKeyPem, Scheme, Secret, SignableRequest,
    SigningParams, StatusCode, SystemTimeSource, TimeSource, TimestampNonce, UuidV4Nonce, Verified,
    Verifier, VerifyError, encode_path_segment, encode_query_component, header_value, parse_method,
    process_env,
};
