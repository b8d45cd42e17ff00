//! The server side of OVH's scheme, as the mock uses it: several consumer keys, looked up
//! by digest.

use std::collections::HashMap;

use super::credentials::OvhCredentials;
use super::string_to_sign::signature;
use crate::decimal::Decimal;
use crate::error::Result;
use crate::scheme::SignableRequest;
use crate::secret::Secret;
use crate::verify::{
    ReceivedRequest, Verified, Verifier, VerifyError, check_window, constant_time_eq,
    parse_unix_seconds,
};

/// The server side of OVH's scheme, as the mock uses it.
#[derive(Debug, Clone)]
pub struct OvhVerifier {
    credentials: OvhCredentials,
    /// Consumer keys by their SHA-256: found in one lookup however many there are, then
    /// compared in constant time.
    consumer_keys: HashMap<[u8; 32], Secret>,
    window: i64,
}

pub(super) fn consumer_key_digest(consumer_key: &str) -> [u8; 32] {
    crate::crypto::sha256(consumer_key.as_bytes())
}

impl OvhVerifier {
    /// A verifier for the application of `credentials`, accepting its consumer key (if it
    /// has one) and timestamps within `window` seconds of server time.
    pub fn new(credentials: OvhCredentials, window: i64) -> Self {
        let mut verifier = OvhVerifier {
            consumer_keys: HashMap::new(),
            credentials,
            window,
        };
        if let Some(consumer_key) = verifier.credentials.consumer_key.clone() {
            verifier.add_consumer_key(consumer_key);
        }
        verifier
    }

    /// Accepts one more consumer key (for example one just issued by `/auth/credential`).
    pub fn add_consumer_key(&mut self, consumer_key: impl Into<Secret>) {
        let consumer_key = consumer_key.into();
        self.consumer_keys
            .insert(consumer_key_digest(consumer_key.expose()), consumer_key);
    }

    /// Stops accepting a consumer key (revoked, logged out, or evicted by the caller's
    /// own bound on how many it keeps); says whether it was known.
    pub fn remove_consumer_key(&mut self, consumer_key: &str) -> bool {
        self.consumer_keys
            .remove(&consumer_key_digest(consumer_key))
            .is_some()
    }

    /// Whether `consumer_key` is accepted: one hash lookup, then a constant-time
    /// comparison. A server checks it before reading the body.
    pub fn accepts_consumer_key(&self, consumer_key: &str) -> bool {
        self.consumer_keys
            .get(&consumer_key_digest(consumer_key))
            .is_some_and(|known| {
                constant_time_eq(known.expose().as_bytes(), consumer_key.as_bytes())
            })
    }

    /// How many consumer keys are accepted.
    pub fn consumer_key_count(&self) -> usize {
        self.consumer_keys.len()
    }

    /// Checks only the application header, as OVH does for unsigned calls.
    pub fn verify_application(&self, request: &ReceivedRequest<'_>) -> Result<(), VerifyError> {
        let application = request.require("x-ovh-application")?;
        if !constant_time_eq(
            application.as_bytes(),
            self.credentials.application_key.as_bytes(),
        ) {
            return Err(VerifyError::UnknownKey("application key"));
        }
        Ok(())
    }
}

impl Verifier for OvhVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        self.verify_application(request)?;
        let consumer = request.require("x-ovh-consumer")?;
        let consumer_key = self
            .consumer_keys
            .get(&consumer_key_digest(consumer))
            .filter(|known| constant_time_eq(known.expose().as_bytes(), consumer.as_bytes()))
            .ok_or(VerifyError::UnknownKey("consumer key"))?;
        let timestamp = parse_unix_seconds("X-Ovh-Timestamp", request.require("x-ovh-timestamp")?)?;
        check_window(timestamp, now, self.window)?;
        // OVH hashes the secret first and the timestamp last with plain SHA-1, so from one
        // captured request anyone can extend the hash: the body becomes the old body, `+`,
        // the old timestamp and SHA-1's padding, and any new timestamp follows. The padding
        // starts with the byte 0x80 right after an ASCII digit, which is never UTF-8; OVH's
        // bodies are JSON, always UTF-8. Refusing other bodies closes the extension.
        if std::str::from_utf8(request.body()).is_err() {
            return Err(VerifyError::Malformed {
                what: "body",
                why: "not UTF-8 (OVH bodies are JSON)".into(),
            });
        }
        let claimed = request.require("x-ovh-signature")?;
        let url = request.url();
        let expected = signature(
            self.credentials.application_secret.expose(),
            consumer_key.expose(),
            &SignableRequest::new(request.method(), &url, request.body()),
            Decimal::new(timestamp).as_str(),
        );
        if !constant_time_eq(claimed.as_bytes(), expected.as_bytes()) {
            return Err(VerifyError::BadSignature);
        }
        Ok(Verified {
            timestamp: Some(timestamp),
            nonce: None,
        })
    }
}
