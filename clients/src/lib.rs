//! Ready typed clients for the nOps, OVH, Qredo and Armor APIs, and for S3-compatible object
//! stores.
//!
//! Each API is a module behind a cargo feature of the same name (all on by default). Each
//! module's client is written with signed-api's own `#[signed_api]` macro: its trait lists
//! the vendor's endpoints, its models decode the documented answers (unknown fields are
//! tolerated, optional fields are `Option`), and its errors come back as
//! [`signed_api::Error`], with the vendor's error code, message and request id kept in
//! [`signed_api::ApiError`].
//!
//! - [`armor`]: Armor's v1 API (`ARMOR-PSK`, HMAC-SHA512);
//! - [`nops`]: the nOps API (API key, optional RSA signature);
//! - [`ovh`]: the OVHcloud API (`$1$` SHA-1);
//! - [`qredo`]: Qredo's Partner API (RSA, base64url);
//! - [`s3`]: S3 and every S3-compatible object store (AWS SigV4, XML answers): buckets,
//!   objects, listings with paging, presigned URLs.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[macro_use]
mod text_enum;

#[cfg(feature = "armor")]
pub mod armor;
#[cfg(feature = "nops")]
pub mod nops;
#[cfg(feature = "ovh")]
pub mod ovh;
#[cfg(feature = "qredo")]
pub mod qredo;
#[cfg(feature = "s3")]
pub mod s3;
