//! What Armor signs with: the key id, the secret key, and the account the calls act for.

use std::fmt;

use crate::error::{Error, Result};
use crate::scheme::header_value;
use crate::secret::Secret;

/// Armor's credentials: the API key id and its secret from the Armor Management Portal,
/// and the account to act in (`X-Account-Context`).
#[derive(Clone)]
pub struct ArmorCredentials {
    pub(super) key_id: String,
    pub(super) secret: Secret,
    pub(super) account_id: Option<String>,
}

impl ArmorCredentials {
    /// Refuses blank values and a key id with `:` (it would break the header's fields).
    pub fn new(key_id: impl Into<String>, secret: impl Into<Secret>) -> Result<Self> {
        let key_id = key_id.into();
        let secret = secret.into();
        if key_id.trim().is_empty() {
            return Err(Error::Config("the Armor API key id is empty".into()));
        }
        if key_id.contains(':') || key_id.chars().any(char::is_control) {
            return Err(Error::Config(
                "the Armor API key id contains `:` or control characters".into(),
            ));
        }
        if secret.is_blank() {
            return Err(Error::Config("the Armor secret key is empty".into()));
        }
        Ok(ArmorCredentials {
            key_id,
            secret,
            account_id: None,
        })
    }

    /// Sends `X-Account-Context: account_id` on every call.
    pub fn with_account(mut self, account_id: impl Into<String>) -> Result<Self> {
        let account_id = account_id.into();
        header_value("X-Account-Context", &account_id).map_err(|_| {
            Error::Config("the Armor account id contains control characters".into())
        })?;
        if account_id.trim().is_empty() {
            return Err(Error::Config("the Armor account id is empty".into()));
        }
        self.account_id = Some(account_id);
        Ok(self)
    }

    /// The API key id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
}

impl fmt::Debug for ArmorCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmorCredentials")
            .field("key_id", &self.key_id)
            .field("secret", &self.secret)
            .field("account_id", &self.account_id)
            .finish()
    }
}
