//! nOps: RSA PKCS#1 v1.5 / SHA-256 over `CLIENT_ID.YYYY-MM-DD.PATH?api_key=KEY`, valid for
//! a whole UTC day, so each (day, path) costs one RSA operation and then comes from cache.
//!
//! The rule, its sources and its limits: `docs/schemes/nops.md`. Here: `credentials`
//! (the API key and private key), `config` (the environment), `string_to_sign`,
//! `signer` (the client side), `verifier` (the server side) and `responses` (nOps' error
//! answers).

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

pub use self::config::NopsConfig;
pub use self::credentials::NopsCredentials;
pub use self::descriptor::DESCRIPTOR;
pub use self::responses::NopsResponses;
pub use self::signer::{NopsKeyPlacement, NopsScheme};
pub use self::verifier::NopsVerifier;

/// nOps' production base URL.
pub const NOPS_BASE_URL: &str = "https://app.nops.io";

pub(crate) const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-nops-api-key");
pub(crate) const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-nops-signature");
