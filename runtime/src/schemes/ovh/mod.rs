//! OVH: `$1$` + hex SHA-1 of `AS+CK+METHOD+URL+BODY+TIMESTAMP`.
//!
//! The rule, its sources and its limits: `docs/schemes/ovh.md`. Here: `credentials`
//! (application key and secret, consumer key), `config` (endpoints, the environment and
//! `ovh.conf`), `string_to_sign` (and the signature over it), `signer` (the client side),
//! `verifier` (the server side) and `responses` (OVH's error answers).

mod config;
mod credentials;
mod descriptor;
mod responses;
mod signer;
mod string_to_sign;
#[cfg(test)]
mod tests;
mod verifier;

use reqwest::header::HeaderName;

pub use self::config::{OVH_ENDPOINTS, OvhConfig, ovh_endpoint_url};
pub use self::credentials::OvhCredentials;
pub use self::descriptor::DESCRIPTOR;
pub use self::responses::OvhResponses;
pub use self::signer::OvhScheme;
pub use self::verifier::OvhVerifier;

const APPLICATION: HeaderName = HeaderName::from_static("x-ovh-application");
const CONSUMER: HeaderName = HeaderName::from_static("x-ovh-consumer");
const TIMESTAMP: HeaderName = HeaderName::from_static("x-ovh-timestamp");
const SIGNATURE: HeaderName = HeaderName::from_static("x-ovh-signature");
