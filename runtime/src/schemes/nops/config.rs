//! nOps' settings from the environment (`NOPS_API_KEY`, `NOPS_PRIVATE_KEY`, `NOPS_BASE_URL`).

use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::Result;
use crate::keys::RsaKey;

use super::{NOPS_BASE_URL, NopsCredentials};

/// Everything needed to call nOps: base URL and credentials.
#[derive(Debug, Clone)]
pub struct NopsConfig {
    /// `NOPS_BASE_URL`, or nOps' production URL.
    pub base_url: String,
    /// From `NOPS_API_KEY` and, if set, the PEM file named by `NOPS_PRIVATE_KEY`.
    pub credentials: NopsCredentials,
}

impl NopsConfig {
    /// Reads `NOPS_API_KEY`, `NOPS_PRIVATE_KEY` (path to a PEM file) and `NOPS_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(&process_env)
    }

    /// As [`from_env`](Self::from_env), from another environment.
    pub fn from_lookup(env: EnvLookup<'_>) -> Result<Self> {
        let mut credentials = NopsCredentials::new(required(env, "NOPS_API_KEY")?)?;
        if let Some(path) = optional(env, "NOPS_PRIVATE_KEY") {
            credentials = credentials.with_private_key(RsaKey::from_pem_file(path)?);
        }
        Ok(NopsConfig {
            base_url: optional(env, "NOPS_BASE_URL").unwrap_or_else(|| NOPS_BASE_URL.to_owned()),
            credentials,
        })
    }
}
