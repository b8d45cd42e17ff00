//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`), for AWS and every S3-compatible store.
//!
//! The rule and its choices: `docs/schemes/sigv4.md`. Here: `credentials` (key id, secret,
//! session token), `config` (environment and the AWS shared files), `canonical` (the
//! canonical request), `string_to_sign`, `signing_key` (the derived key, cached per day),
//! `signer` (the `Authorization` header and presigned URLs), `verifier` (the server side)
//! and `responses` (AWS's XML and JSON errors).

pub mod canonical;
mod credentials;
mod responses;
mod signer;
mod signing_key;
mod string_to_sign;
#[cfg(test)]
mod tests;
mod verifier;

use std::time::Duration;

pub use self::canonical::PathRule;
pub use self::credentials::Sigv4Credentials;
pub use self::responses::Sigv4Responses;
pub use self::signer::{Sigv4Presigned, Sigv4Request, Sigv4Scheme, Sigv4Signature};
pub use self::verifier::Sigv4Verifier;

/// The algorithm name, first word of the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The payload hash of a request whose body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The longest a presigned URL may last: seven days.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 3600);
/// How far a signing time may be from server time, in seconds (AWS: 15 minutes).
pub const SKEW_WINDOW: i64 = 15 * 60;
