//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`), for AWS and every S3-compatible store.
//!
//! The rule and its choices: `docs/schemes/sigv4.md`. Here: `credentials` (key id, secret,
//! session token), `config` (environment and the AWS shared files), `canonical` (the
//! canonical request), `string_to_sign`, `signing_key` (the derived key, cached per day),
//! `signer` (the `Authorization` header and presigned URLs), `verifier` (the server side)
//! and `responses` (AWS's XML and JSON errors).

mod addressing;
pub mod canonical;
mod config;
mod credentials;
mod descriptor;
mod profile_file;
mod responses;
mod signer;
mod signing_key;
mod string_to_sign;
#[cfg(test)]
mod tests;
mod verifier;

use std::time::Duration;

pub use self::addressing::Addressing;
pub use self::canonical::PathRule;
pub use self::config::Sigv4Config;
pub use self::credentials::Sigv4Credentials;
pub use self::descriptor::{DESCRIPTOR, load_for};
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

/// Named endpoints: AWS's S3 (the default; other regions are reached through
/// [`aws_endpoint`] or a configured endpoint) and OVHcloud Object Storage's regions.
pub const ENDPOINTS: &[(&str, &str)] = &[
    ("aws", "https://s3.amazonaws.com"),
    ("ovh-gra", "https://s3.gra.io.cloud.ovh.net"),
    ("ovh-sbg", "https://s3.sbg.io.cloud.ovh.net"),
    ("ovh-rbx", "https://s3.rbx.io.cloud.ovh.net"),
    ("ovh-bhs", "https://s3.bhs.io.cloud.ovh.net"),
    ("ovh-de", "https://s3.de.io.cloud.ovh.net"),
    ("ovh-uk", "https://s3.uk.io.cloud.ovh.net"),
    ("ovh-waw", "https://s3.waw.io.cloud.ovh.net"),
    ("ovh-eu-west-par", "https://s3.eu-west-par.io.cloud.ovh.net"),
];

/// AWS's regional endpoint of `service` (`https://s3.eu-west-3.amazonaws.com`).
pub fn aws_endpoint(service: &str, region: &str) -> String {
    format!("https://{service}.{region}.amazonaws.com")
}

/// OVHcloud Object Storage's endpoint in `region` (`gra`, `sbg`, `eu-west-par`, …), whose
/// buckets are addressed path-style and signed for that region.
pub fn ovh_object_storage_endpoint(region: &str) -> String {
    format!("https://s3.{region}.io.cloud.ovh.net")
}
