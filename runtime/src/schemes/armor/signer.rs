//! The client side: nonces, the precomputed HMAC, and the `Authorization` header.

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use super::ACCOUNT_CONTEXT;
use super::credentials::ArmorCredentials;
use super::responses::ArmorResponses;
use super::string_to_sign::{ArmorString, check_nonce};
use crate::crypto::HmacSha512;
use crate::error::{Error, Result};
use crate::nonce::{AlphanumericNonce, NonceSource, TimestampNonce, UuidV4Nonce};
use crate::scheme::{
    ClockSync, Headers, ResponseReader, Scheme, SignableRequest, SigningParams, StringToSign,
    header_value, owned_sensitive_header_value,
};

/// How nonces are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArmorNonce {
    /// A random UUID v4 (the default).
    #[default]
    Uuid,
    /// 16 random letters and digits.
    Random,
    /// The timestamp itself (one Armor page demands it; allows one request per second).
    Timestamp,
}

impl ArmorNonce {
    fn source(self) -> Arc<dyn NonceSource> {
        match self {
            Self::Uuid => Arc::new(UuidV4Nonce),
            Self::Random => Arc::new(AlphanumericNonce::default()),
            Self::Timestamp => Arc::new(TimestampNonce),
        }
    }
}

/// The Armor signing scheme.
#[derive(Clone)]
pub struct ArmorScheme {
    credentials: ArmorCredentials,
    hmac: Arc<HmacSha512>,
    nonces: Arc<dyn NonceSource>,
}

impl ArmorScheme {
    /// A scheme with UUID v4 nonces.
    pub fn new(credentials: ArmorCredentials) -> Self {
        ArmorScheme {
            hmac: Arc::new(HmacSha512::new(credentials.secret.expose().as_bytes())),
            credentials,
            nonces: ArmorNonce::Uuid.source(),
        }
    }

    /// Chooses a built-in nonce strategy.
    pub fn nonce_strategy(self, strategy: ArmorNonce) -> Self {
        self.nonce_source(strategy.source())
    }

    /// Uses any nonce source (tests pin nonces with [`FixedNonce`](crate::nonce::FixedNonce)).
    pub fn nonce_source(mut self, nonces: Arc<dyn NonceSource>) -> Self {
        self.nonces = nonces;
        self
    }
}

impl ArmorScheme {
    fn nonce_of<'p>(params: &SigningParams<'p>) -> Result<&'p str> {
        let nonce = params
            .nonce
            .ok_or_else(|| Error::Signing("Armor signatures need a nonce".into()))?;
        check_nonce(nonce).map_err(Error::Signing)?;
        Ok(nonce)
    }
}

impl Scheme for ArmorScheme {
    fn name(&self) -> &str {
        "armor"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        let nonce = Self::nonce_of(params)?;
        let string =
            ArmorString::for_request(&self.credentials.key_id, request, nonce, params.timestamp);
        Ok(string.to_string_to_sign())
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let nonce = Self::nonce_of(params)?;
        let key_id = &self.credentials.key_id;
        let string = ArmorString::for_request(key_id, request, nonce, params.timestamp);
        let mac = self.hmac.sign(&string.parts());
        Ok(vec![(
            AUTHORIZATION,
            authorization(key_id, &mac, nonce, string.timestamp())?,
        )])
    }

    fn constant_headers(&self) -> Headers {
        self.credentials
            .account_id
            .as_deref()
            .and_then(|account| header_value("X-Account-Context", account).ok())
            .map(|value| vec![(ACCOUNT_CONTEXT, value)])
            .unwrap_or_default()
    }

    fn nonce(&self, timestamp: i64) -> Option<String> {
        Some(self.nonces.nonce(timestamp))
    }

    fn clock_sync(&self) -> ClockSync {
        ClockSync::DateHeader
    }

    fn responses(&self) -> &dyn ResponseReader {
        &ArmorResponses
    }
}

/// `ARMOR-PSK key_id:signature:nonce:timestamp`, written once into a string sized for
/// it, which the header value then keeps (one allocation, no copy).
fn authorization(
    key_id: &str,
    mac: &[u8; 64],
    nonce: &str,
    timestamp: &str,
) -> Result<HeaderValue> {
    const PREFIX: &str = "ARMOR-PSK ";
    const SIGNATURE_LEN: usize = 88; // 64 bytes in base64, padded
    let mut value = String::with_capacity(
        PREFIX.len() + key_id.len() + 1 + SIGNATURE_LEN + 1 + nonce.len() + 1 + timestamp.len(),
    );
    for part in [PREFIX, key_id, ":"] {
        value.push_str(part);
    }
    STANDARD.encode_string(mac, &mut value);
    for part in [":", nonce, ":", timestamp] {
        value.push_str(part);
    }
    owned_sensitive_header_value("Authorization", value)
}

impl fmt::Debug for ArmorScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmorScheme")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}
