//! Qredo Partner API: RSA PKCS#1 v1.5 / SHA-256 over `TIMESTAMP + URL + BODY`, unpadded
//! base64url, sent as `x-sign`.

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};

use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::{ApiError, Error, Result};
use crate::keys::{RsaKey, RsaPublicKeyPem};
use crate::nonce::{IncreasingNonce, NonceSource};
use crate::scheme::{
    Headers, Scheme, SignableRequest, SigningParams, StringToSign, Visibility, header_value,
    sensitive_header_value,
};
use crate::secret::Secret;
use crate::verify::{
    ReceivedRequest, Verified, Verifier, VerifyError, check_window, constant_time_eq,
    parse_canonical_u64, parse_unix_seconds,
};

const API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const TIMESTAMP: HeaderName = HeaderName::from_static("x-timestamp");
const NONCE: HeaderName = HeaderName::from_static("x-nonce");
const SIGN: HeaderName = HeaderName::from_static("x-sign");

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
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Production => "https://api.qredo.network/api/v1/p",
            Self::Sandbox => "https://sandbox-api.qredo.network/api/v1/p",
            Self::Play => "https://play-api.qredo.network/api/v1/p",
        }
    }
}

/// What takes the first place in the signed payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QredoTimeMode {
    /// Unix seconds, sent as `x-timestamp` (the default).
    #[default]
    Timestamp,
    /// An ever-increasing integer, sent as `x-nonce` (no dependence on the clock).
    Nonce,
}

/// Qredo's credentials: the API key (opaque, sent verbatim) and the RSA private key whose
/// public half was registered in the Qredo web app.
#[derive(Clone)]
pub struct QredoCredentials {
    api_key: Secret,
    private_key: RsaKey,
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

    fn first_part(&self, params: &SigningParams<'_>) -> Result<String> {
        match self.mode {
            QredoTimeMode::Timestamp => Ok(params.timestamp.to_string()),
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
                Ok(nonce.to_owned())
            }
        }
    }
}

/// `TIMESTAMP_OR_NONCE + URL + BODY`, shared by the signer, the verifier and `--dry-run`;
/// nothing in it is secret.
fn string_parts<'a>(first: &'a str, url: &'a str, body: &'a [u8]) -> [(Visibility, &'a [u8]); 3] {
    [
        (Visibility::Public, first.as_bytes()),
        (Visibility::Public, url.as_bytes()),
        (Visibility::Public, body),
    ]
}

/// The string to sign joined, as the RSA signer and verifier take it.
fn payload(first: &str, url: &str, body: &[u8]) -> Vec<u8> {
    string_parts(first, url, body)
        .iter()
        .flat_map(|(_, part)| part.iter().copied())
        .collect()
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
            &first,
            request.url,
            request.body,
        )))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let first = self.first_part(params)?;
        let signature =
            self.credentials
                .private_key
                .sign(&payload(&first, request.url, request.body))?;
        let (name, header) = match self.mode {
            QredoTimeMode::Timestamp => (TIMESTAMP, "x-timestamp"),
            QredoTimeMode::Nonce => (NONCE, "x-nonce"),
        };
        Ok(vec![
            (name, header_value(header, &first)?),
            (
                SIGN,
                header_value("x-sign", &URL_SAFE_NO_PAD.encode(signature))?,
            ),
        ])
    }

    fn constant_headers(&self) -> Headers {
        sensitive_header_value("x-api-key", self.credentials.api_key.expose())
            .map(|value| vec![(API_KEY, value)])
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

    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        if let Ok(decoded) = serde_json::from_slice::<QredoErrorBody>(body) {
            error.code = decoded.msg;
            error.message = decoded.detail.and_then(|detail| detail.reason);
        }
        error
    }
}

#[derive(serde::Deserialize)]
struct QredoErrorBody {
    msg: Option<String>,
    detail: Option<QredoErrorDetail>,
}

#[derive(serde::Deserialize)]
struct QredoErrorDetail {
    reason: Option<String>,
}

impl fmt::Debug for QredoScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QredoScheme")
            .field("credentials", &self.credentials)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// The server side of Qredo's scheme, for one mode.
///
/// The signed payload starts with the timestamp or the nonce and does not say which, so a
/// verifier that took whichever header came would accept a captured timestamp-mode
/// request days later, re-labelled `x-nonce: <its timestamp>`. It is configured for one
/// mode and refuses the other mode's header.
#[derive(Debug, Clone)]
pub struct QredoVerifier {
    api_key: Secret,
    public_key: RsaPublicKeyPem,
    window: i64,
    mode: QredoTimeMode,
}

impl QredoVerifier {
    /// Accepts `api_key` with signatures by `public_key`, in timestamp mode, with
    /// timestamps within `window` seconds of server time.
    pub fn new(api_key: impl Into<Secret>, public_key: RsaPublicKeyPem, window: i64) -> Self {
        QredoVerifier {
            api_key: api_key.into(),
            public_key,
            window,
            mode: QredoTimeMode::Timestamp,
        }
    }

    /// Switches to `mode`. In nonce mode the nonce comes back in [`Verified::nonce`] for
    /// the caller to check that it increases (this verifier keeps no state).
    pub fn mode(mut self, mode: QredoTimeMode) -> Self {
        self.mode = mode;
        self
    }
}

impl Verifier for QredoVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        let api_key = request.require("x-api-key")?;
        if !constant_time_eq(api_key.as_bytes(), self.api_key.expose().as_bytes()) {
            return Err(VerifyError::UnknownKey("API key"));
        }
        let mut verified = Verified::default();
        let first = match self.mode {
            QredoTimeMode::Nonce => {
                request.forbid("x-timestamp", "this server takes nonce-mode requests only")?;
                let nonce = request.require("x-nonce")?;
                parse_canonical_u64("x-nonce", nonce)?;
                verified.nonce = Some(nonce.to_owned());
                nonce
            }
            QredoTimeMode::Timestamp => {
                request.forbid("x-nonce", "this server takes timestamp-mode requests only")?;
                let timestamp = request.require("x-timestamp")?;
                let seconds = parse_unix_seconds("x-timestamp", timestamp)?;
                check_window(seconds, now, self.window)?;
                verified.timestamp = Some(seconds);
                timestamp
            }
        };
        let claimed = request.require("x-sign")?;
        let claimed = URL_SAFE_NO_PAD
            .decode(claimed)
            .map_err(|e| VerifyError::Malformed {
                what: "x-sign",
                why: format!("not unpadded base64url: {e}"),
            })?;
        let url = request.url();
        if !self
            .public_key
            .verify(&payload(first, &url, request.body()), &claimed)
        {
            return Err(VerifyError::BadSignature);
        }
        Ok(verified)
    }
}
