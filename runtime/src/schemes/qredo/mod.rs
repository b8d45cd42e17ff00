//! Qredo Partner API: RSA PKCS#1 v1.5 / SHA-256 over `TIMESTAMP + URL + BODY`, unpadded
//! base64url, sent as `x-sign`.
//!
//! The rule, its sources and its limits: `docs/schemes/qredo.md`. Here: `credentials`
//! (the API key and private key), `config` (environments and the environment variables),
//! `string_to_sign`, `signer` (the client side), `verifier` (the server side) and
//! `responses` (Qredo's error answers).

mod config;
mod credentials;
mod descriptor;
mod responses;
mod signer;
mod string_to_sign;
mod verifier;

use reqwest::header::HeaderName;

pub use self::config::{QredoConfig, QredoEnvironment};
pub use self::credentials::QredoCredentials;
pub use self::descriptor::DESCRIPTOR;
pub use self::responses::QredoResponses;
pub use self::signer::{QredoScheme, QredoTimeMode};
pub use self::verifier::QredoVerifier;

const API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const TIMESTAMP: HeaderName = HeaderName::from_static("x-timestamp");
const NONCE: HeaderName = HeaderName::from_static("x-nonce");
const SIGN: HeaderName = HeaderName::from_static("x-sign");
