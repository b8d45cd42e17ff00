//! What nOps signs with: the API key and, when signature verification is enabled in the
//! nOps console, the private key.

use std::fmt;

use crate::error::{Error, Result};
use crate::keys::RsaKey;
use crate::secret::Secret;

/// nOps' credentials: the API key, and the private key when signature verification is
/// enabled for it in the nOps console.
#[derive(Clone)]
pub struct NopsCredentials {
    pub(super) api_key: Secret,
    pub(super) private_key: Option<RsaKey>,
}

impl NopsCredentials {
    /// An API key without signing; refuses a blank key.
    pub fn new(api_key: impl Into<Secret>) -> Result<Self> {
        let api_key = api_key.into();
        if api_key.is_blank() {
            return Err(Error::Config("the nOps API key is empty".into()));
        }
        if api_key.expose().chars().any(char::is_control) {
            return Err(Error::Config(
                "the nOps API key contains control characters".into(),
            ));
        }
        Ok(NopsCredentials {
            api_key,
            private_key: None,
        })
    }

    /// Signs every request with `private_key`.
    pub fn with_private_key(mut self, private_key: RsaKey) -> Self {
        self.private_key = Some(private_key);
        self
    }

    /// The client id: the API key up to its first `.`.
    pub fn client_id(&self) -> &str {
        let key = self.api_key.expose();
        key.split_once('.').map_or(key, |(id, _)| id)
    }

    /// Whether requests will be signed.
    pub fn signs(&self) -> bool {
        self.private_key.is_some()
    }
}

impl fmt::Debug for NopsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NopsCredentials")
            .field("api_key", &self.api_key)
            .field("private_key", &self.private_key)
            .finish()
    }
}
