//! Armor's settings from the environment.

use super::ARMOR_BASE_URL;
use super::credentials::ArmorCredentials;
use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::Result;

/// Everything needed to call Armor: base URL and credentials.
#[derive(Debug, Clone)]
pub struct ArmorConfig {
    /// `ARMOR_BASE_URL`, or Armor's production URL.
    pub base_url: String,
    /// From `ARMOR_API_KEY_ID`, `ARMOR_SECRET_KEY` and `ARMOR_ACCOUNT_ID`.
    pub credentials: ArmorCredentials,
}

impl ArmorConfig {
    /// Reads `ARMOR_API_KEY_ID`, `ARMOR_SECRET_KEY`, `ARMOR_ACCOUNT_ID` (optional) and
    /// `ARMOR_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(&process_env)
    }

    /// As [`from_env`](Self::from_env), from another environment.
    pub fn from_lookup(env: EnvLookup<'_>) -> Result<Self> {
        let mut credentials = ArmorCredentials::new(
            required(env, "ARMOR_API_KEY_ID")?,
            required(env, "ARMOR_SECRET_KEY")?,
        )?;
        if let Some(account) = optional(env, "ARMOR_ACCOUNT_ID") {
            credentials = credentials.with_account(account)?;
        }
        Ok(ArmorConfig {
            base_url: optional(env, "ARMOR_BASE_URL").unwrap_or_else(|| ARMOR_BASE_URL.to_owned()),
            credentials,
        })
    }
}
