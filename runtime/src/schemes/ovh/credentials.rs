//! What OVH signs with: the application key and secret, and the consumer key that a user
//! validated for them.

use std::fmt;

use crate::error::{Error, Result};
use crate::scheme::{header_value, sensitive_header_value};
use crate::secret::Secret;

/// OVH's credentials: the application key and secret, and the consumer key that a user
/// validated for this application (optional until the consumer-key flow has run).
///
/// `Debug` shows the application key (it travels in clear in `X-Ovh-Application`) and
/// hides the secret and the consumer key.
#[derive(Clone)]
pub struct OvhCredentials {
    pub(super) application_key: String,
    pub(super) application_secret: Secret,
    pub(super) consumer_key: Option<Secret>,
}

impl OvhCredentials {
    /// Application key and secret; refuses blank values.
    pub fn new(
        application_key: impl Into<String>,
        application_secret: impl Into<Secret>,
    ) -> Result<Self> {
        let application_key = application_key.into();
        let application_secret = application_secret.into();
        if application_key.trim().is_empty() {
            return Err(Error::Config("the OVH application key is empty".into()));
        }
        if application_secret.is_blank() {
            return Err(Error::Config("the OVH application secret is empty".into()));
        }
        header_value("X-Ovh-Application", &application_key).map_err(|_| {
            Error::Config("the OVH application key contains control characters".into())
        })?;
        Ok(OvhCredentials {
            application_key,
            application_secret,
            consumer_key: None,
        })
    }

    /// Adds the consumer key that signed calls need; refuses a blank one.
    pub fn with_consumer_key(mut self, consumer_key: impl Into<Secret>) -> Result<Self> {
        let consumer_key = consumer_key.into();
        if consumer_key.is_blank() {
            return Err(Error::Config("the OVH consumer key is empty".into()));
        }
        // Refused here rather than when the first signed call is made (after the unsigned
        // clock sync has already gone out).
        sensitive_header_value("X-Ovh-Consumer", consumer_key.expose())?;
        self.consumer_key = Some(consumer_key);
        Ok(self)
    }

    /// The application key.
    pub fn application_key(&self) -> &str {
        &self.application_key
    }

    /// Whether a consumer key is configured (signed calls need one).
    pub fn has_consumer_key(&self) -> bool {
        self.consumer_key.is_some()
    }
}

impl fmt::Debug for OvhCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OvhCredentials")
            .field("application_key", &self.application_key)
            .field("application_secret", &self.application_secret)
            .field("consumer_key", &self.consumer_key)
            .finish()
    }
}
