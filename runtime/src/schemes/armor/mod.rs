//! Armor: `ARMOR-PSK` with HMAC-SHA512 over
//! `KEY_ID + METHOD + PATH + NONCE + TIMESTAMP + base64(SHA-512(BODY))`.
//!
//! The rule, its sources and its limits: `docs/schemes/armor.md`. Here: `credentials`
//! (the key id, secret key and account), `config` (the environment), `string_to_sign`,
//! `signer` (the client side), `verifier` (the server side) and `responses` (Armor's
//! error answers).

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

pub use self::config::ArmorConfig;
pub use self::credentials::ArmorCredentials;
pub use self::descriptor::DESCRIPTOR;
pub use self::responses::ArmorResponses;
pub use self::signer::{ArmorNonce, ArmorScheme};
pub use self::verifier::ArmorVerifier;

/// Armor's base URL.
pub const ARMOR_BASE_URL: &str = "https://api.armor.com";
/// How far a timestamp may be from server time, in seconds (Armor: five minutes).
pub const ARMOR_WINDOW: i64 = 300;
/// The longest nonce Armor takes.
pub const MAX_NONCE_LEN: usize = 128;

const ACCOUNT_CONTEXT: HeaderName = HeaderName::from_static("x-account-context");
