//! Placeholder replaced by the credentials module (same API).

use std::fmt;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// AWS credentials.
#[derive(Clone)]
pub struct Sigv4Credentials {
    pub(super) access_key_id: String,
    pub(super) secret_access_key: Secret,
    pub(super) session_token: Option<Secret>,
}

impl Sigv4Credentials {
    /// Credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<Secret>,
    ) -> Result<Self> {
        let access_key_id = access_key_id.into();
        let secret_access_key = secret_access_key.into();
        if access_key_id.trim().is_empty() || secret_access_key.is_blank() {
            return Err(Error::Config("empty".into()));
        }
        Ok(Sigv4Credentials {
            access_key_id,
            secret_access_key,
            session_token: None,
        })
    }

    /// With a token.
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Result<Self> {
        self.session_token = Some(token.into());
        Ok(self)
    }

    /// The key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub(super) fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    pub(super) fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }
}

impl fmt::Debug for Sigv4Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sigv4Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}
