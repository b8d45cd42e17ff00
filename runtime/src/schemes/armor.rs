//! Armor: `ARMOR-PSK` with HMAC-SHA512 over
//! `KEY_ID + METHOD + PATH + NONCE + TIMESTAMP + base64(SHA-512(BODY))`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName};

use crate::crypto::{HmacSha512, sha512};
use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::{ApiError, Error, Result};
use crate::nonce::{AlphanumericNonce, NonceSource, TimestampNonce, UuidV4Nonce};
use crate::scheme::upper_case;
use crate::scheme::{
    ClockSync, Headers, Scheme, SignableRequest, SigningParams, StringToSign, Visibility,
    header_value, sensitive_header_value,
};
use crate::secret::Secret;
use crate::verify::{
    ReceivedRequest, Verified, Verifier, VerifyError, check_window, constant_time_eq,
    parse_unix_seconds,
};

/// Armor's base URL.
pub const ARMOR_BASE_URL: &str = "https://api.armor.com";
/// How far a timestamp may be from server time, in seconds (Armor: five minutes).
pub const ARMOR_WINDOW: i64 = 300;
/// The longest nonce Armor takes.
pub const MAX_NONCE_LEN: usize = 128;

const ACCOUNT_CONTEXT: HeaderName = HeaderName::from_static("x-account-context");

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

/// Armor's credentials: the API key id and its secret from the Armor Management Portal,
/// and the account to act in (`X-Account-Context`).
#[derive(Clone)]
pub struct ArmorCredentials {
    key_id: String,
    secret: Secret,
    account_id: Option<String>,
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
            hmac: Arc::new(HmacSha512::new(&credentials.secret)),
            credentials,
            nonces: ArmorNonce::Uuid.source(),
        }
    }

    /// Chooses a built-in nonce strategy.
    pub fn nonce_strategy(self, strategy: ArmorNonce) -> Self {
        self.nonce_source(strategy.source())
    }

    /// Uses any nonce source (tests pin nonces with [`FixedNonce`](crate::FixedNonce)).
    pub fn nonce_source(mut self, nonces: Arc<dyn NonceSource>) -> Self {
        self.nonces = nonces;
        self
    }
}

fn check_nonce(nonce: &str) -> Result<(), String> {
    if nonce.is_empty() || nonce.len() > MAX_NONCE_LEN {
        return Err(format!(
            "an Armor nonce has 1 to {MAX_NONCE_LEN} characters, not {}",
            nonce.len()
        ));
    }
    if nonce.contains(':') || nonce.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("an Armor nonce cannot contain `:`, white space or control characters".into());
    }
    Ok(())
}

/// The string Armor signs, kept in its six pieces so it can be fed to the HMAC without
/// being joined first. Nothing in it is secret: the key id names the key, it is not the key.
struct ArmorString<'a> {
    key_id: &'a str,
    method: Cow<'a, str>,
    path: &'a str,
    nonce: &'a str,
    timestamp: String,
    body_part: String,
}

impl<'a> ArmorString<'a> {
    /// The string for a request signed by a client (whose method is upper-cased here).
    fn for_request(
        key_id: &'a str,
        request: &SignableRequest<'a>,
        nonce: &'a str,
        timestamp: i64,
    ) -> Self {
        let method = upper_case(request.method);
        Self::new(
            key_id,
            method,
            request.path(),
            request.body,
            nonce,
            timestamp,
        )
    }

    fn new(
        key_id: &'a str,
        method: Cow<'a, str>,
        path: &'a str,
        body: &[u8],
        nonce: &'a str,
        timestamp: i64,
    ) -> Self {
        let body_part = if body.is_empty() {
            String::new()
        } else {
            STANDARD.encode(sha512(body))
        };
        ArmorString {
            key_id,
            method,
            path,
            nonce,
            timestamp: timestamp.to_string(),
            body_part,
        }
    }

    fn parts(&self) -> [&[u8]; 6] {
        [
            self.key_id.as_bytes(),
            self.method.as_bytes(),
            self.path.as_bytes(),
            self.nonce.as_bytes(),
            self.timestamp.as_bytes(),
            self.body_part.as_bytes(),
        ]
    }

    fn to_string_to_sign(&self) -> StringToSign {
        StringToSign::from_parts(self.parts().map(|part| (Visibility::Public, part)))
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
        let signature = STANDARD.encode(self.hmac.sign(&string.parts()));
        let value = format!(
            "ARMOR-PSK {key_id}:{signature}:{nonce}:{}",
            params.timestamp
        );
        Ok(vec![(
            AUTHORIZATION,
            sensitive_header_value("Authorization", &value)?,
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

    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        if let Ok(decoded) = serde_json::from_slice::<ArmorErrorBody>(body) {
            error.code = decoded.error;
            error.message = decoded.message.or(decoded.error_description);
        }
        error
    }
}

#[derive(serde::Deserialize)]
struct ArmorErrorBody {
    #[serde(rename = "Message", alias = "message")]
    message: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl fmt::Debug for ArmorScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmorScheme")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// The server side of Armor's scheme. Replays are the caller's to refuse: the nonce comes
/// back in [`Verified::nonce`].
#[derive(Clone)]
pub struct ArmorVerifier {
    credentials: ArmorCredentials,
    hmac: Arc<HmacSha512>,
    window: i64,
}

impl ArmorVerifier {
    /// Accepts the key of `credentials` (and requires its account in
    /// `X-Account-Context` when it has one), with timestamps within `window` seconds.
    pub fn new(credentials: ArmorCredentials, window: i64) -> Self {
        ArmorVerifier {
            hmac: Arc::new(HmacSha512::new(&credentials.secret)),
            credentials,
            window,
        }
    }
}

impl fmt::Debug for ArmorVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmorVerifier")
            .field("credentials", &self.credentials)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl Verifier for ArmorVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        let malformed = |why: &str| VerifyError::Malformed {
            what: "Authorization",
            why: why.to_owned(),
        };
        let authorization = request.require("authorization")?;
        let fields = authorization
            .strip_prefix("ARMOR-PSK ")
            .ok_or_else(|| malformed("expected `ARMOR-PSK key_id:signature:nonce:timestamp`"))?;
        let [key_id, signature, nonce, timestamp] = fields.split(':').collect::<Vec<_>>()[..]
        else {
            return Err(malformed("expected four `:`-separated fields"));
        };
        if !constant_time_eq(key_id.as_bytes(), self.credentials.key_id.as_bytes()) {
            return Err(VerifyError::UnknownKey("API key id"));
        }
        if let Some(account) = &self.credentials.account_id {
            let context = request.require("x-account-context")?;
            if context != account {
                return Err(VerifyError::UnknownKey("account (X-Account-Context)"));
            }
        }
        check_nonce(nonce).map_err(|why| malformed(&why))?;
        let timestamp = parse_unix_seconds("Authorization timestamp", timestamp)?;
        check_window(timestamp, now, self.window)?;
        let claimed = STANDARD
            .decode(signature)
            .map_err(|_| malformed("the signature is not standard base64"))?;
        let string = ArmorString::new(
            key_id,
            Cow::Borrowed(request.method()),
            request.path(),
            request.body(),
            nonce,
            timestamp,
        );
        if !constant_time_eq(&claimed, &self.hmac.sign(&string.parts())) {
            return Err(VerifyError::BadSignature);
        }
        Ok(Verified {
            timestamp: Some(timestamp),
            nonce: Some(nonce.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_nonces_are_refused_before_signing() {
        let credentials = ArmorCredentials::new("id", "secret").unwrap();
        let scheme = ArmorScheme::new(credentials);
        let request = SignableRequest::new("GET", "https://api.armor.com/me", b"");
        for nonce in ["", "a:b", "a b", &"x".repeat(129)] {
            let params = SigningParams::at(1).with_nonce(nonce);
            assert!(scheme.sign(&request, &params).is_err(), "{nonce:?}");
        }
        let params = SigningParams::at(1).with_nonce("ok-nonce");
        assert!(scheme.sign(&request, &params).is_ok());
    }

    #[test]
    fn account_context_is_a_constant_header() {
        let credentials = ArmorCredentials::new("id", "secret")
            .unwrap()
            .with_account("1024")
            .unwrap();
        let headers = ArmorScheme::new(credentials).constant_headers();
        assert_eq!(headers[0].0, "x-account-context");
        assert_eq!(headers[0].1, "1024");
        assert!(
            ArmorCredentials::new("id", "s")
                .unwrap()
                .with_account("1\r\n2")
                .is_err()
        );
        assert!(ArmorCredentials::new("a:b", "s").is_err());
    }

    #[test]
    fn error_messages_are_read() {
        let scheme = ArmorScheme::new(ArmorCredentials::new("id", "s").unwrap());
        let error = scheme.decode_error(
            StatusCode::UNAUTHORIZED,
            &HeaderMap::new(),
            br#"{"Message":"Permission Denied to requested resource."}"#,
        );
        assert_eq!(
            error.message.as_deref(),
            Some("Permission Denied to requested resource.")
        );
    }
}
