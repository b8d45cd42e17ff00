//! # signed-api
//!
//! Typed async clients for HTTP APIs that authenticate every request with a signature.
//! Four schemes ship built in — nOps (RSA PKCS#1 v1.5 / SHA-256), OVH (`$1$` SHA-1),
//! Qredo's Partner API (RSA, base64url) and Armor (`ARMOR-PSK`, HMAC-SHA512) — and a
//! scheme of your own plugs in through the [`Scheme`](scheme::Scheme) trait.
//!
//! The root holds what every caller touches: [`signed_api`], [`Client`], [`Request`],
//! [`Response`], [`Error`] and their companions. The rest is grouped by task:
//!
//! - [`schemes`]: the built-in schemes, their credentials, configuration and verifiers;
//! - [`scheme`]: what writing a scheme of your own takes ([`scheme::Scheme`],
//!   [`scheme::StringToSign`], [`scheme::ResponseReader`], …);
//! - [`verify`]: checking signed requests on a server;
//! - [`keys`]: RSA keys; [`nonce`]: nonce sources; [`clock`]: time sources and the
//!   server offset; [`defaults`]: the limits a client has unless configured otherwise.
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

pub use signed_api_runtime::{
    ApiError, ApiErrorKind, BaseUrl, BodyStream, Bytes, Client, ClientBuilder, Error, HeaderMap,
    Method, PreparedRequest, Request, Response, Result, RetryPolicy, Secret, StatusCode,
};
pub use signed_api_runtime::{clock, defaults, keys, nonce, scheme, schemes, verify};

/// Turns a trait into a typed async client of an API that signs every request.
///
/// `#[signed_api(scheme = "…")]` goes on a trait whose methods each describe one endpoint.
/// The trait stays as written (implement it for a fake in your tests), and next to it the
/// macro writes `<Trait>Client`, which implements it by signing and sending each call,
/// and `<Trait>ClientBuilder`.
///
/// # The scheme
///
/// `scheme = "nops" | "ovh" | "qredo" | "armor" | "sigv4"` picks a built-in scheme; the builder then
/// takes `.credentials(…)` (or a configured `.scheme(…)`), and optionally `.endpoint("ovh-eu")`
/// or `.base_url(…)` (the vendor's production API by default). `scheme = path::To::Type`
/// names a type of yours that implements [`Scheme`](scheme::Scheme); the builder then takes `.scheme(value)`
/// and a `.base_url(…)`. Either builder also takes `.http_client(reqwest::Client)`,
/// `.timeout(…)`, `.user_agent(…)`, `.clock(…)` and `.retry(…)`.
///
/// # Endpoints
///
/// Each method is an `async fn` taking `&self`, marked with one verb: `#[get("/path")]`,
/// `#[post(…)]`, `#[put(…)]`, `#[patch(…)]` or `#[delete(…)]`. After the path come options:
/// `unsigned` (send without a signature), `timeout = "5s"` (`ms`, `s` or `m`),
/// `idempotent` (lets a POST be retried after a transient failure) and `decode = "xml"`
/// (typed answers read as XML, with the `xml` feature; `decode = "xml"` on
/// `#[signed_api(…)]` sets it for every method, and `decode = "json"` on a method undoes it).
///
/// Each parameter has one role:
/// - bound by `{name}` in the path (any `Display` type; encoded as one path segment), or by
///   `{name+}`, which keeps the `/` of a value of several segments (an object key);
/// - `#[query]`, or `#[query(rename = "fieldType")]`: `name=value`; an `Option` is left out
///   when `None`, a `Vec` or slice is sent once per element;
/// - `#[header("X-Name")]`: a header (an `Option` is left out when `None`); the name is
///   checked at compile time;
/// - `#[body]`: a JSON body (`Serialize`), at most one, not on GET or DELETE; of type
///   `Bytes`, `Vec<u8>` or `&[u8]` it is sent as it is, typed `application/octet-stream`
///   unless a `#[header("Content-Type")]` parameter gives the type;
/// - `#[form]`: an `application/x-www-form-urlencoded` body from a flat struct or map.
///
/// The return type is `Result<T>` ([`Result`]) where `T` is `()` (any 2xx, body ignored),
/// [`Bytes`], `String` (the body as text), [`Response<T>`] (status and headers too), or any
/// `DeserializeOwned` type decoded from JSON. `Result<T, E>` works too when
/// `E: From<signed_api::Error>`.
///
/// The client is cheap to `Clone` (clones share the connection pool and the clock), and the
/// futures of its methods are `Send`, so calls can be spawned on a multi-threaded runtime.
/// That holds for calls on the client's own type; the trait's `async fn`s promise nothing
/// about `Send`, so generic code over `impl Trait` that must spawn should take the client.
///
/// Every mistake is a compile error pointing at the offending token, all of a trait's
/// mistakes in one build. When the trait has errors, the client is still declared (with
/// bodies that are never run), so the code that uses it adds no errors of its own.
///
/// # Example
///
/// ```no_run
/// use serde::{Deserialize, Serialize};
/// use signed_api::schemes::OvhCredentials;
/// use signed_api::{Response, Result, signed_api};
///
/// #[derive(Serialize)]
/// #[serde(rename_all = "camelCase")]
/// pub struct NewRecord<'a> {
///     pub field_type: &'a str,
///     pub sub_domain: &'a str,
///     pub target: &'a str,
/// }
///
/// #[derive(Debug, Deserialize)]
/// pub struct Record {
///     pub id: u64,
///     pub target: String,
/// }
///
/// /// The DNS part of OVH's API.
/// #[signed_api(scheme = "ovh")]
/// pub trait Ovh {
///     /// The server's clock, in Unix seconds.
///     #[get("/auth/time", unsigned)]
///     async fn server_time(&self) -> Result<i64>;
///
///     /// The ids of a zone's records, filtered by type and sub-domain.
///     #[get("/domain/zone/{zone}/record")]
///     async fn records(
///         &self,
///         zone: &str,
///         #[query(rename = "fieldType")] field_type: Option<&str>,
///         #[query(rename = "subDomain")] sub_domain: Option<&str>,
///     ) -> Result<Vec<u64>>;
///
///     #[post("/domain/zone/{zone}/record")]
///     async fn create_record(&self, zone: &str, #[body] record: &NewRecord<'_>) -> Result<Record>;
///
///     #[delete("/domain/zone/{zone}/record/{id}", timeout = "5s")]
///     async fn delete_record(&self, zone: &str, id: u64) -> Result<()>;
///
///     #[get("/me")]
///     async fn me(&self, #[header("X-Request-Id")] request_id: &str) -> Result<Response<String>>;
/// }
///
/// # async fn run() -> Result<()> {
/// let credentials = OvhCredentials::new("app-key", "app-secret")?.with_consumer_key("consumer")?;
/// let ovh = OvhClient::builder()
///     .credentials(credentials)
///     .endpoint("ovh-eu")
///     .build()?;
/// let ids = ovh.records("example.com", Some("A"), None).await?;
/// let record = ovh
///     .create_record("example.com", &NewRecord { field_type: "A", sub_domain: "www", target: "192.0.2.1" })
///     .await?;
/// ovh.delete_record("example.com", record.id).await?;
/// # let _ = ids; Ok(()) }
/// ```
pub use signed_api_macros::signed_api;

/// What code generated by [`signed_api`] names. Not a public API: it changes whenever the
/// generated code does.
#[doc(hidden)]
pub mod __private {
    pub use core::time::Duration;
    pub use reqwest::Client as HttpClient;
    pub use signed_api_runtime::clock::Clock;
    pub use signed_api_runtime::scheme::CredentialScheme;
    pub use signed_api_runtime::{Bytes, Client, Error, Method, Response, Result, RetryPolicy};
    pub use std::string::String;

    /// The built-in schemes, one module per name `scheme = "…"` accepts, each holding its
    /// scheme as `Scheme`: the macro writes `__private::builtin::<name>::Scheme`, so a new
    /// built-in scheme is a module here and its name in the macro's table.
    pub mod builtin {
        /// `scheme = "nops"`.
        pub mod nops {
            pub use signed_api_runtime::schemes::NopsScheme as Scheme;
        }
        /// `scheme = "ovh"`.
        pub mod ovh {
            pub use signed_api_runtime::schemes::OvhScheme as Scheme;
        }
        /// `scheme = "qredo"`.
        pub mod qredo {
            pub use signed_api_runtime::schemes::QredoScheme as Scheme;
        }
        /// `scheme = "armor"`.
        pub mod armor {
            pub use signed_api_runtime::schemes::ArmorScheme as Scheme;
        }
        /// `scheme = "sigv4"`.
        pub mod sigv4 {
            pub use signed_api_runtime::schemes::Sigv4Scheme as Scheme;
        }
    }
}
