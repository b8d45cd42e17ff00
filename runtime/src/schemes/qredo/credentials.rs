//! What Qredo signs with: the API key and the RSA private key.

use std::fmt;

use crate::error::{Error, Result};
use crate::keys::RsaKey;
use crate::scheme::sensitive_header_value;
use crate::secret::Secret;

/// Qredo's credentials: the API key (opaque, sent verbatim) and the RSA private key whose
/// public half was registered in the Qredo web app.
#[derive(Clone)]
pub struct QredoCredentials {
    pub(super) api_key: Secret,
    pub(super) private_key: RsaKey,
}

impl QredoCredentials {
    /// Refuses a blank API key.
    pub fn new(api_key: impl Into<Secret>, private_key: RsaKey) -> Result<Self> {
        let api_key = api_key.into();
        if api_key.is_blank() {
            return Err(Error::Config("the Qredo API key is empty".into()));
        }
        sensitive_header_value("x-api-key", api_key.expose())?;
        Ok(QredoCredentials {
            api_key,
            private_key,
        })
    }
}

impl fmt::Debug for QredoCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QredoCredentials")
            .field("api_key", &self.api_key)
            .field("private_key", &self.private_key)
            .finish()
    }
}
