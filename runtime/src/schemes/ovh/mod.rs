//! OVH: `$1$` + hex SHA-1 of `AS+CK+METHOD+URL+BODY+TIMESTAMP`.

mod config;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use sha1::{Digest, Sha1};
use sha2::Sha256;

pub use config::{OVH_ENDPOINTS, OvhConfig, ovh_endpoint_url};

use crate::crypto::lower_hex;
use crate::error::{ApiError, ApiErrorKind, Error, Result};
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

const APPLICATION: HeaderName = HeaderName::from_static("x-ovh-application");
const CONSUMER: HeaderName = HeaderName::from_static("x-ovh-consumer");
const TIMESTAMP: HeaderName = HeaderName::from_static("x-ovh-timestamp");
const SIGNATURE: HeaderName = HeaderName::from_static("x-ovh-signature");

/// OVH's credentials: the application key and secret, and the consumer key that a user
/// validated for this application (optional until the consumer-key flow has run).
///
/// `Debug` shows the application key (it travels in clear in `X-Ovh-Application`) and
/// hides the secret and the consumer key.
#[derive(Clone)]
pub struct OvhCredentials {
    application_key: String,
    application_secret: Secret,
    consumer_key: Option<Secret>,
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

/// The OVH signing scheme.
#[derive(Debug, Clone)]
pub struct OvhScheme {
    credentials: OvhCredentials,
}

impl OvhScheme {
    /// A scheme signing with `credentials`.
    pub fn new(credentials: OvhCredentials) -> Self {
        OvhScheme { credentials }
    }

    /// The credentials it signs with.
    pub fn credentials(&self) -> &OvhCredentials {
        &self.credentials
    }

    fn consumer_key(&self) -> Result<&Secret> {
        self.credentials.consumer_key.as_ref().ok_or_else(|| {
            Error::Signing(
                "OVH signed calls need a consumer key (OVH_CONSUMER_KEY); \
                 get one with `signed-api ovh-credential`"
                    .into(),
            )
        })
    }
}

/// OVH's string to sign, shared by the signer, the verifier and `--dry-run`, as the pieces
/// it is made of: hashed piece by piece, never joined (and never copied) on the signing
/// path. Bytes, not text: the body is hashed exactly as sent, even when it is not UTF-8.
fn string_parts<'a>(
    secret: &'a str,
    consumer_key: &'a str,
    method: &'a str,
    request: &SignableRequest<'a>,
    timestamp: &'a str,
) -> [(Visibility, &'a [u8]); 11] {
    use Visibility::{Public, Secret};
    [
        (Secret, secret.as_bytes()),
        (Public, b"+"),
        (Secret, consumer_key.as_bytes()),
        (Public, b"+"),
        (Public, method.as_bytes()),
        (Public, b"+"),
        (Public, request.url.as_bytes()),
        (Public, b"+"),
        (Public, request.body),
        (Public, b"+"),
        (Public, timestamp.as_bytes()),
    ]
}

/// `$1$` + lowercase hex SHA-1 of the pre-image.
fn signature(
    secret: &str,
    consumer_key: &str,
    request: &SignableRequest<'_>,
    timestamp: i64,
) -> String {
    let method = upper_case(request.method);
    let timestamp = timestamp.to_string();
    let mut hasher = Sha1::new();
    for (_, part) in string_parts(secret, consumer_key, &method, request, &timestamp) {
        hasher.update(part);
    }
    let mut out = String::with_capacity(3 + 40);
    out.push_str("$1$");
    lower_hex(&hasher.finalize(), &mut out);
    out
}

impl Scheme for OvhScheme {
    fn name(&self) -> &str {
        "ovh"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        let method = upper_case(request.method);
        let timestamp = params.timestamp.to_string();
        Ok(StringToSign::from_parts(string_parts(
            self.credentials.application_secret.expose(),
            self.consumer_key()?.expose(),
            &method,
            request,
            &timestamp,
        )))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let consumer_key = self.consumer_key()?;
        let signature = signature(
            self.credentials.application_secret.expose(),
            consumer_key.expose(),
            request,
            params.timestamp,
        );
        Ok(vec![
            (
                CONSUMER,
                sensitive_header_value("X-Ovh-Consumer", consumer_key.expose())?,
            ),
            (
                TIMESTAMP,
                header_value("X-Ovh-Timestamp", &params.timestamp.to_string())?,
            ),
            (SIGNATURE, header_value("X-Ovh-Signature", &signature)?),
        ])
    }

    fn constant_headers(&self) -> Headers {
        match header_value("X-Ovh-Application", &self.credentials.application_key) {
            Ok(value) => vec![(APPLICATION, value)],
            Err(_) => Vec::new(), // refused when the credentials were made
        }
    }

    fn base_url_for<'b>(&self, base_url: &'b str, path: &str) -> Cow<'b, str> {
        let versioned = ["/v1", "/v2"].iter().any(|prefix| {
            path == *prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        match base_url.strip_suffix("/1.0") {
            Some(root) if versioned => Cow::Borrowed(root),
            _ => Cow::Borrowed(base_url),
        }
    }

    fn clock_sync(&self) -> ClockSync {
        ClockSync::ServerTime { path: "/auth/time" }
    }

    /// OVH says `QUERY_TIME_OUT` ("Query out of time") when the timestamp is outside its
    /// window; any other refusal (a bad parameter, a bad signature) is final.
    fn is_clock_refusal(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> bool {
        if !matches!(status.as_u16(), 400 | 401 | 403) {
            return false;
        }
        serde_json::from_slice::<OvhErrorBody>(body).is_ok_and(|decoded| {
            decoded.error_code.as_deref() == Some("QUERY_TIME_OUT")
                || decoded
                    .message
                    .is_some_and(|message| message.to_ascii_lowercase().contains("out of time"))
        })
    }

    fn decode_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        error.request_id = headers
            .get("x-ovh-queryid")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        if let Ok(decoded) = serde_json::from_slice::<OvhErrorBody>(body) {
            error.code = decoded.error_code.or(decoded.class);
            error.message = decoded.message;
        }
        error.kind = match (status.as_u16(), error.code.as_deref()) {
            (403, Some("INVALID_KEY" | "INVALID_CREDENTIAL" | "NOT_CREDENTIAL")) => {
                ApiErrorKind::Authentication
            }
            (403, Some("NOT_GRANTED_CALL" | "FORBIDDEN")) => ApiErrorKind::Forbidden,
            _ => ApiErrorKind::from_status(status),
        };
        error
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct OvhErrorBody {
    error_code: Option<String>,
    class: Option<String>,
    message: Option<String>,
}

/// The server side of OVH's scheme, as the mock uses it.
#[derive(Debug, Clone)]
pub struct OvhVerifier {
    credentials: OvhCredentials,
    /// Consumer keys by their SHA-256: found in one lookup however many there are, then
    /// compared in constant time.
    consumer_keys: HashMap<[u8; 32], Secret>,
    window: i64,
}

fn consumer_key_digest(consumer_key: &str) -> [u8; 32] {
    Sha256::digest(consumer_key.as_bytes()).into()
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
            timestamp,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> OvhScheme {
        OvhScheme::new(
            OvhCredentials::new("AK", "AS")
                .unwrap()
                .with_consumer_key("CK")
                .unwrap(),
        )
    }

    #[test]
    fn versioned_paths_drop_the_1_0_suffix() {
        let scheme = scheme();
        let base = "https://eu.api.ovh.com/1.0";
        assert_eq!(
            scheme.base_url_for(base, "/v2/call"),
            "https://eu.api.ovh.com"
        );
        assert_eq!(scheme.base_url_for(base, "/v1"), "https://eu.api.ovh.com");
        assert_eq!(scheme.base_url_for(base, "/v10/call"), base);
        assert_eq!(scheme.base_url_for(base, "/me"), base);
        assert_eq!(
            scheme.base_url_for("http://127.0.0.1:1/ovh", "/v1/x"),
            "http://127.0.0.1:1/ovh"
        );
    }

    #[test]
    fn a_body_that_is_not_utf8_is_refused_even_when_signed() {
        let url = "https://eu.api.ovh.com/1.0/domain";
        let mut headers = HeaderMap::new();
        headers.insert("host", "eu.api.ovh.com".parse().unwrap());
        let verify = |body: &[u8]| {
            let signable = SignableRequest::new("POST", url, body);
            let mut headers = headers.clone();
            for (name, value) in scheme().constant_headers() {
                headers.insert(name, value);
            }
            for (name, value) in scheme()
                .sign(&signable, &SigningParams::at(1_700_000_000))
                .unwrap()
            {
                headers.insert(name, value);
            }
            let received =
                ReceivedRequest::new("https", "POST", "/1.0/domain", &headers, body).unwrap();
            OvhVerifier::new(scheme().credentials.clone(), 300).verify(&received, 1_700_000_000)
        };
        assert!(verify("{\"a\":\"caf\u{e9}\"}".as_bytes()).is_ok());
        // What a length extension's body looks like: the old body, `+`, the old timestamp,
        // then SHA-1 padding (0x80, zeros, the bit length).
        let extended = b"{}+1700000000\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x40";
        let err = verify(extended).unwrap_err();
        assert!(
            matches!(err, VerifyError::Malformed { what: "body", .. }),
            "{err:?}"
        );
    }

    #[test]
    fn signing_without_a_consumer_key_is_a_clear_error() {
        let scheme = OvhScheme::new(OvhCredentials::new("AK", "AS").unwrap());
        let request = SignableRequest::new("GET", "https://eu.api.ovh.com/1.0/me", b"");
        let err = scheme.sign(&request, &SigningParams::at(1)).unwrap_err();
        assert!(err.to_string().contains("consumer key"), "{err}");
    }

    #[test]
    fn blank_credentials_are_refused() {
        assert!(OvhCredentials::new("", "AS").is_err());
        assert!(OvhCredentials::new("AK", " ").is_err());
        assert!(
            OvhCredentials::new("AK", "AS")
                .unwrap()
                .with_consumer_key("")
                .is_err()
        );
        assert!(OvhCredentials::new("A\nK", "AS").is_err());
    }

    #[test]
    fn error_bodies_are_decoded() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ovh-queryid", "EU.ext-1.abc".parse().unwrap());
        let body = br#"{"errorCode":"INVALID_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential is not valid"}"#;
        let error = scheme().decode_error(StatusCode::FORBIDDEN, &headers, body);
        assert_eq!(error.kind, ApiErrorKind::Authentication);
        assert_eq!(error.code.as_deref(), Some("INVALID_CREDENTIAL"));
        assert_eq!(
            error.message.as_deref(),
            Some("This credential is not valid")
        );
        assert_eq!(error.request_id.as_deref(), Some("EU.ext-1.abc"));
    }
}
