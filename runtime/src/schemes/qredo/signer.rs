//! The client side: the timestamp or nonce mode, and the `x-sign` header.

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::credentials::QredoCredentials;
use super::responses::QredoResponses;
use super::string_to_sign::{string_parts, string_to_sign_bytes};
use super::{API_KEY, NONCE, SIGN, TIMESTAMP};
use crate::decimal::Decimal;
use crate::error::{Error, Result};
use crate::nonce::{IncreasingNonce, NonceSource};
use crate::scheme::{
    CredentialHeader, Headers, ResponseReader, Scheme, SignableRequest, SigningParams,
    StringToSign, generated_header_value, header_value,
};
use crate::verify::parse_canonical_u64;

/// What takes the first place in the string to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QredoTimeMode {
    /// Unix seconds, sent as `x-timestamp` (the default).
    #[default]
    Timestamp,
    /// An ever-increasing integer, sent as `x-nonce` (no dependence on the clock).
    Nonce,
}

/// The Qredo signing scheme.
#[derive(Clone)]
pub struct QredoScheme {
    credentials: QredoCredentials,
    mode: QredoTimeMode,
    nonces: Arc<dyn NonceSource>,
}

impl QredoScheme {
    /// A scheme in timestamp mode.
    pub fn new(credentials: QredoCredentials) -> Self {
        QredoScheme {
            credentials,
            mode: QredoTimeMode::Timestamp,
            nonces: Arc::new(IncreasingNonce::default()),
        }
    }

    /// Chooses timestamp or nonce mode.
    pub fn time_mode(mut self, mode: QredoTimeMode) -> Self {
        self.mode = mode;
        self
    }

    /// Replaces the increasing-nonce source of nonce mode (tests).
    pub fn nonce_source(mut self, nonces: Arc<dyn NonceSource>) -> Self {
        self.nonces = nonces;
        self
    }

    fn first_part<'a>(&self, params: &SigningParams<'a>) -> Result<FirstPart<'a>> {
        match self.mode {
            QredoTimeMode::Timestamp => Ok(FirstPart::Timestamp(Decimal::new(params.timestamp))),
            QredoTimeMode::Nonce => {
                let nonce = params
                    .nonce
                    .ok_or_else(|| Error::Signing("Qredo nonce mode needs a nonce".into()))?;
                // What a verifier accepts: an unsigned integer in canonical form.
                parse_canonical_u64("x-nonce", nonce).map_err(|_| {
                    Error::Signing(
                        "a Qredo nonce is an unsigned decimal integer without leading zeros".into(),
                    )
                })?;
                Ok(FirstPart::Nonce(nonce))
            }
        }
    }
}

/// What takes the first place in the string to sign, as text: the timestamp written on
/// the stack, or the nonce as given (neither copied to the heap; the header value that
/// carries it is the one copy).
enum FirstPart<'a> {
    Timestamp(Decimal),
    Nonce(&'a str),
}

impl FirstPart<'_> {
    fn as_str(&self) -> &str {
        match self {
            FirstPart::Timestamp(timestamp) => timestamp.as_str(),
            FirstPart::Nonce(nonce) => nonce,
        }
    }
}

impl Scheme for QredoScheme {
    fn name(&self) -> &str {
        "qredo"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        let first = self.first_part(params)?;
        Ok(StringToSign::from_parts(string_parts(
            first.as_str(),
            request.url,
            request.body,
        )))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let first = self.first_part(params)?;
        let first = first.as_str();
        let signature = self.credentials.private_key.sign(&string_to_sign_bytes(
            first,
            request.url,
            request.body,
        ))?;
        let (name, header) = match self.mode {
            QredoTimeMode::Timestamp => (TIMESTAMP, "x-timestamp"),
            QredoTimeMode::Nonce => (NONCE, "x-nonce"),
        };
        Ok(vec![
            (name, header_value(header, first)?),
            (
                SIGN,
                generated_header_value("x-sign", URL_SAFE_NO_PAD.encode(signature))?,
            ),
        ])
    }

    fn constant_headers(&self) -> Headers {
        CredentialHeader::new("x-api-key", &self.credentials.api_key)
            .map(|header| vec![(API_KEY, header.value())])
            .unwrap_or_default()
    }

    fn nonce(&self, timestamp: i64) -> Option<String> {
        match self.mode {
            QredoTimeMode::Timestamp => None,
            QredoTimeMode::Nonce => Some(self.nonces.nonce(timestamp)),
        }
    }

    fn is_cpu_heavy(&self, _request: &SignableRequest<'_>) -> bool {
        true
    }

    fn nonces_must_increase(&self) -> bool {
        self.mode == QredoTimeMode::Nonce
    }

    fn responses(&self) -> &dyn ResponseReader {
        &QredoResponses
    }
}

impl fmt::Debug for QredoScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QredoScheme")
            .field("credentials", &self.credentials)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}
