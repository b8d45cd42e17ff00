//! Qredo's environments (production, sandbox, play) and its settings from the environment
//! variables.

use super::credentials::QredoCredentials;
use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::Result;
use crate::keys::RsaKey;

/// Qredo's environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QredoEnvironment {
    /// `https://api.qredo.network/api/v1/p`.
    #[default]
    Production,
    /// `https://sandbox-api.qredo.network/api/v1/p`.
    Sandbox,
    /// `https://play-api.qredo.network/api/v1/p`.
    Play,
}

impl QredoEnvironment {
    /// The environment's base URL.
    pub const fn base_url(self) -> &'static str {
        match self {
            Self::Production => "https://api.qredo.network/api/v1/p",
            Self::Sandbox => "https://sandbox-api.qredo.network/api/v1/p",
            Self::Play => "https://play-api.qredo.network/api/v1/p",
        }
    }
}

/// Everything needed to call Qredo: base URL and credentials.
#[derive(Debug, Clone)]
pub struct QredoConfig {
    /// `QREDO_BASE_URL`, or the production URL.
    pub base_url: String,
    /// From `QREDO_API_KEY` and the PEM file named by `QREDO_PRIVATE_KEY`.
    pub credentials: QredoCredentials,
}

impl QredoConfig {
    /// Reads `QREDO_API_KEY`, `QREDO_PRIVATE_KEY` (path to a PEM file), `QREDO_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(&process_env)
    }

    /// As [`from_env`](Self::from_env), from another environment.
    pub fn from_lookup(env: EnvLookup<'_>) -> Result<Self> {
        let api_key = required(env, "QREDO_API_KEY")?;
        let private_key = RsaKey::from_pem_file(required(env, "QREDO_PRIVATE_KEY")?)?;
        Ok(QredoConfig {
            base_url: optional(env, "QREDO_BASE_URL")
                .unwrap_or_else(|| QredoEnvironment::Production.base_url().to_owned()),
            credentials: QredoCredentials::new(api_key, private_key)?,
        })
    }
}
