//! Placeholder replaced by the configuration module (same API).

use super::credentials::Sigv4Credentials;
use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::Result;

/// Everything needed to call an AWS service or S3-compatible store.
#[derive(Debug, Clone)]
pub struct Sigv4Config {
    /// Credentials.
    pub credentials: Sigv4Credentials,
    /// Region.
    pub region: String,
    /// Endpoint.
    pub endpoint_url: Option<String>,
    /// Profile.
    pub profile: String,
}

impl Sigv4Config {
    /// From the process environment.
    pub fn from_env(service: &str) -> Result<Self> {
        Self::from_lookup(&process_env, service)
    }

    /// From `env`.
    pub fn from_lookup(env: EnvLookup<'_>, _service: &str) -> Result<Self> {
        Ok(Sigv4Config {
            credentials: Sigv4Credentials::new(
                required(env, "AWS_ACCESS_KEY_ID")?,
                required(env, "AWS_SECRET_ACCESS_KEY")?,
            )?,
            region: required(env, "AWS_REGION")?,
            endpoint_url: optional(env, "AWS_ENDPOINT_URL"),
            profile: "default".into(),
        })
    }
}
