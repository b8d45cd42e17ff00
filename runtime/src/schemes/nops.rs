//! nOps: RSA PKCS#1 v1.5 / SHA-256 over `CLIENT_ID.YYYY-MM-DD.PATH?api_key=KEY`, valid for
//! a whole UTC day, so each (day, path) costs one RSA operation and then comes from cache.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::env::{EnvLookup, optional, process_env, required};
use crate::error::{ApiError, ApiErrorKind, Error, Result};
use crate::keys::{RsaKey, RsaPublicKeyPem};
use crate::scheme::{
    Headers, Scheme, SignableRequest, SigningParams, StringToSign, Visibility, header_value,
    sensitive_header_value,
};
use crate::secret::Secret;
use crate::verify::{ReceivedRequest, Verified, Verifier, VerifyError, constant_time_eq};

/// nOps' production base URL.
pub const NOPS_BASE_URL: &str = "https://app.nops.io";

const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-nops-api-key");
const SIGNATURE_HEADER: HeaderName = HeaderName::from_static("x-nops-signature");
/// Signatures kept before the cache is emptied (paths with ids in them are many).
const CACHE_CAPACITY: usize = 1024;

/// Where the API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NopsKeyPlacement {
    /// In the query, as `api_key=KEY` (nOps' documented form, the default).
    #[default]
    Query,
    /// In the `X-Nops-Api-Key` header (as nOps' Terraform provider does); keeps the key
    /// out of URLs.
    Header,
}

/// nOps' credentials: the API key, and the private key when signature verification is
/// enabled for it in the nOps console.
#[derive(Clone)]
pub struct NopsCredentials {
    api_key: Secret,
    private_key: Option<RsaKey>,
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

/// Everything needed to call nOps: base URL and credentials.
#[derive(Debug, Clone)]
pub struct NopsConfig {
    /// `NOPS_BASE_URL`, or nOps' production URL.
    pub base_url: String,
    /// From `NOPS_API_KEY` and, if set, the PEM file named by `NOPS_PRIVATE_KEY`.
    pub credentials: NopsCredentials,
}

impl NopsConfig {
    /// Reads `NOPS_API_KEY`, `NOPS_PRIVATE_KEY` (path to a PEM file) and `NOPS_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(&process_env)
    }

    /// As [`from_env`](Self::from_env), from another environment.
    pub fn from_lookup(env: EnvLookup<'_>) -> Result<Self> {
        let mut credentials = NopsCredentials::new(required(env, "NOPS_API_KEY")?)?;
        if let Some(path) = optional(env, "NOPS_PRIVATE_KEY") {
            credentials = credentials.with_private_key(RsaKey::from_pem_file(path)?);
        }
        Ok(NopsConfig {
            base_url: optional(env, "NOPS_BASE_URL").unwrap_or_else(|| NOPS_BASE_URL.to_owned()),
            credentials,
        })
    }
}

/// The nOps signing scheme.
pub struct NopsScheme {
    credentials: NopsCredentials,
    placement: NopsKeyPlacement,
    cache: Mutex<SignatureCache>,
}

/// Today's signatures by path. A new day empties it, and so does reaching its capacity
/// (paths with ids in them are many).
#[derive(Default)]
struct SignatureCache {
    day: i64,
    by_path: HashMap<String, HeaderValue>,
}

impl NopsScheme {
    /// A scheme with the key in the query.
    pub fn new(credentials: NopsCredentials) -> Self {
        NopsScheme {
            credentials,
            placement: NopsKeyPlacement::default(),
            cache: Mutex::default(),
        }
    }

    /// Chooses where the API key travels.
    pub fn key_placement(mut self, placement: NopsKeyPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// How many signatures are cached now (for tests and metrics).
    pub fn cached_signatures(&self) -> usize {
        self.cache.lock().map_or(0, |cache| cache.by_path.len())
    }

    fn cached(&self, day: i64, path: &str) -> Option<HeaderValue> {
        let cache = self.cache.lock().ok()?;
        (cache.day == day).then(|| cache.by_path.get(path).cloned())?
    }

    fn remember(&self, day: i64, path: &str, signature: HeaderValue) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.day != day || cache.by_path.len() >= CACHE_CAPACITY {
                cache.by_path.clear();
                cache.day = day;
            }
            cache.by_path.insert(path.to_owned(), signature);
        }
    }
}

/// The UTC date of a Unix timestamp as `YYYY-MM-DD`.
pub fn utc_date(timestamp: i64) -> Result<String> {
    let moment = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|_| Error::Signing(format!("timestamp {timestamp} is out of range")))?;
    let date = moment.date();
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// `CLIENT_ID.DATE.PATH?api_key=KEY`. The client id is the key up to its first `.`, so
/// it is public only when the key has one; otherwise it is the whole key.
fn string_to_sign(client_id: &str, date: &str, path: &str, api_key: &str) -> StringToSign {
    let client_id_visibility = if client_id.len() < api_key.len() {
        Visibility::Public
    } else {
        Visibility::Secret
    };
    StringToSign::from_parts([
        (client_id_visibility, client_id.as_bytes()),
        (Visibility::Public, b"."),
        (Visibility::Public, date.as_bytes()),
        (Visibility::Public, b"."),
        (Visibility::Public, path.as_bytes()),
        (Visibility::Public, b"?api_key="),
        (Visibility::Secret, api_key.as_bytes()),
    ])
}

impl Scheme for NopsScheme {
    fn name(&self) -> &str {
        "nops"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        Ok(string_to_sign(
            self.credentials.client_id(),
            &utc_date(params.timestamp)?,
            request.path(),
            self.credentials.api_key.expose(),
        ))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let Some(key) = &self.credentials.private_key else {
            return Ok(Vec::new());
        };
        let day = params.timestamp.div_euclid(86_400);
        let path = request.path();
        let signature = match self.cached(day, path) {
            Some(signature) => signature,
            None => {
                let string = self.string_to_sign(request, params)?;
                let signature = STANDARD.encode(key.sign(&string.to_bytes())?);
                let signature = header_value("x-nops-signature", &signature)?;
                self.remember(day, path, signature.clone());
                signature
            }
        };
        Ok(vec![(SIGNATURE_HEADER, signature)])
    }

    fn constant_headers(&self) -> Headers {
        match self.placement {
            NopsKeyPlacement::Query => Vec::new(),
            NopsKeyPlacement::Header => {
                sensitive_header_value("X-Nops-Api-Key", self.credentials.api_key.expose())
                    .map(|value| vec![(API_KEY_HEADER, value)])
                    .unwrap_or_default()
            }
        }
    }

    fn query_pairs(&self) -> Vec<(&str, &str)> {
        match self.placement {
            NopsKeyPlacement::Query => vec![("api_key", self.credentials.api_key.expose())],
            NopsKeyPlacement::Header => Vec::new(),
        }
    }

    fn is_cpu_heavy(&self, request: &SignableRequest<'_>) -> bool {
        self.credentials.private_key.is_some()
            && self
                .cache
                .lock()
                .map(|cache| !cache.by_path.contains_key(request.path()))
                .unwrap_or(true)
    }

    fn check_success(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<()> {
        let html_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.to_ascii_lowercase().contains("text/html"));
        let html_body = body.trim_ascii_start().starts_with(b"<");
        if html_type || html_body {
            let mut error = ApiError::new(status, body);
            error.kind = ApiErrorKind::Authentication;
            error.code = Some("html_response".into());
            error.message = Some(
                "nOps answered with an HTML page instead of JSON: the API key is probably \
                 invalid or lacks access"
                    .into(),
            );
            return Err(Error::Api(Box::new(error)));
        }
        Ok(())
    }

    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        if let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body) {
            error.message = ["detail", "message", "error", "errors"]
                .iter()
                .find_map(|key| object.get(*key))
                .map(|value| match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                });
        }
        // nOps is a Django REST Framework service: a refused key or signature comes back
        // as 403 with an authentication message, a refused permission as 403 without one.
        if status == StatusCode::FORBIDDEN
            && error
                .message
                .as_deref()
                .is_some_and(is_about_authentication)
        {
            error.kind = ApiErrorKind::Authentication;
        }
        error
    }
}

fn is_about_authentication(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    ["authentication", "signature", "api key", "api_key"]
        .iter()
        .any(|word| message.contains(word))
}

impl fmt::Debug for NopsScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NopsScheme")
            .field("credentials", &self.credentials)
            .field("placement", &self.placement)
            .field("cached_signatures", &self.cached_signatures())
            .finish()
    }
}

/// The server side of nOps' scheme.
#[derive(Debug, Clone)]
pub struct NopsVerifier {
    api_key: Secret,
    public_key: Option<RsaPublicKeyPem>,
    midnight_grace: i64,
}

impl NopsVerifier {
    /// Accepts `api_key`; when `public_key` is given, also requires a valid
    /// `x-nops-signature` for today's UTC date (or the neighbouring date within
    /// `midnight_grace` seconds of midnight).
    pub fn new(
        api_key: impl Into<Secret>,
        public_key: Option<RsaPublicKeyPem>,
        midnight_grace: i64,
    ) -> Self {
        NopsVerifier {
            api_key: api_key.into(),
            public_key,
            midnight_grace,
        }
    }
}

impl NopsVerifier {
    /// The API key from the one place it travels: once in the query as `api_key`, or once
    /// in `x-nops-api-key`, never both (a server could read one while this checked the
    /// other).
    fn api_key(request: &ReceivedRequest<'_>) -> Result<String, VerifyError> {
        let mut from_query = None;
        if let Some(query) = request.query() {
            for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
                if name == "api_key" {
                    if from_query.is_some() {
                        return Err(VerifyError::Malformed {
                            what: "api_key",
                            why: "sent more than once".into(),
                        });
                    }
                    from_query = Some(value.into_owned());
                }
            }
        }
        match (from_query, request.header("x-nops-api-key")?) {
            (Some(key), None) => Ok(key),
            (None, Some(key)) => Ok(key.to_owned()),
            (Some(_), Some(_)) => Err(VerifyError::Malformed {
                what: "api_key",
                why: "sent both in the query and in x-nops-api-key".into(),
            }),
            (None, None) => Err(VerifyError::MissingHeader(
                "x-nops-api-key (or the api_key query parameter)",
            )),
        }
    }
}

impl Verifier for NopsVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        let api_key = Self::api_key(request)?;
        if !constant_time_eq(api_key.as_bytes(), self.api_key.expose().as_bytes()) {
            return Err(VerifyError::UnknownKey("API key"));
        }
        let Some(public_key) = &self.public_key else {
            return Ok(Verified::default());
        };
        let claimed = request.require("x-nops-signature")?;
        let claimed = STANDARD
            .decode(claimed)
            .map_err(|e| VerifyError::Malformed {
                what: "x-nops-signature",
                why: format!("not standard base64: {e}"),
            })?;
        let client_id = api_key
            .split_once('.')
            .map_or(api_key.as_str(), |(id, _)| id);
        // Today, and the neighbouring day when `now` is within the grace of midnight.
        let moments = [
            Some(now),
            now.checked_sub(self.midnight_grace),
            now.checked_add(self.midnight_grace),
        ];
        let mut tried: Vec<String> = Vec::with_capacity(3);
        for moment in moments.into_iter().flatten() {
            let Ok(date) = utc_date(moment) else { continue };
            if tried.contains(&date) {
                continue;
            }
            let string = string_to_sign(client_id, &date, request.path(), &api_key);
            if public_key.verify(&string.to_bytes(), &claimed) {
                return Ok(Verified::default());
            }
            tried.push(date);
        }
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_are_zero_padded() {
        assert_eq!(utc_date(0).unwrap(), "1970-01-01");
        assert_eq!(utc_date(1_641_772_800).unwrap(), "2022-01-10");
        assert_eq!(utc_date(1_641_772_799).unwrap(), "2022-01-09");
    }

    #[test]
    fn client_id_is_the_key_up_to_the_first_dot() {
        let credentials = NopsCredentials::new("123.abc.def").unwrap();
        assert_eq!(credentials.client_id(), "123");
        assert_eq!(NopsCredentials::new("nodot").unwrap().client_id(), "nodot");
        assert!(NopsCredentials::new(" ").is_err());
    }

    #[test]
    fn signatures_are_cached_per_day_and_path() {
        let pem = include_str!("../../../tests/vectors/keys/rsa1024-pkcs1.pem");
        let key = RsaKey::from_pem(pem).unwrap();
        let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap().with_private_key(key));
        let url = |path: &str| format!("https://app.nops.io{path}?api_key=1.k");
        let (a, b) = (url("/c/a/"), url("/c/b/"));
        let request_a = SignableRequest::new("GET", &a, b"");
        let request_b = SignableRequest::new("GET", &b, b"");
        let day = 1_700_006_400; // midnight UTC
        assert!(scheme.is_cpu_heavy(&request_a));
        let first = scheme.sign(&request_a, &SigningParams::at(day)).unwrap();
        assert!(
            !scheme.is_cpu_heavy(&request_a),
            "the second call of the day is a lookup"
        );
        let later = scheme
            .sign(&request_a, &SigningParams::at(day + 86_399))
            .unwrap();
        assert_eq!(first, later);
        scheme
            .sign(&request_b, &SigningParams::at(day + 5))
            .unwrap();
        assert_eq!(scheme.cached_signatures(), 2);
        let next_day = scheme
            .sign(&request_a, &SigningParams::at(day + 86_400))
            .unwrap();
        assert_ne!(first, next_day, "a new day signs a new message");
        assert_eq!(
            scheme.cached_signatures(),
            1,
            "yesterday's signatures are dropped"
        );
    }

    #[test]
    fn html_success_is_an_authentication_error() {
        let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap());
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "text/html; charset=utf-8".parse().unwrap());
        let err = scheme
            .check_success(StatusCode::OK, &headers, b"<!doctype html>")
            .unwrap_err();
        assert_eq!(err.api().unwrap().kind, ApiErrorKind::Authentication);
        assert!(
            scheme
                .check_success(StatusCode::OK, &HeaderMap::new(), b"[]")
                .is_ok()
        );
    }

    #[test]
    fn a_refused_signature_is_an_authentication_error_and_a_refused_permission_is_not() {
        let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap());
        let kind = |body: &str| {
            scheme
                .decode_error(StatusCode::FORBIDDEN, &HeaderMap::new(), body.as_bytes())
                .kind
        };
        assert_eq!(
            kind(r#"{"detail":"Incorrect authentication credentials."}"#),
            ApiErrorKind::Authentication
        );
        assert_eq!(
            kind(r#"{"detail":"Authentication failed: the signature does not verify"}"#),
            ApiErrorKind::Authentication
        );
        assert_eq!(
            kind(r#"{"detail":"You do not have permission to perform this action."}"#),
            ApiErrorKind::Forbidden
        );
    }

    #[test]
    fn without_a_private_key_nothing_is_signed() {
        let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap());
        let request = SignableRequest::new(
            "GET",
            "https://app.nops.io/c/admin/projectaws/?api_key=1.k",
            b"",
        );
        assert!(
            scheme
                .sign(&request, &SigningParams::at(0))
                .unwrap()
                .is_empty()
        );
        assert_eq!(scheme.query_pairs(), vec![("api_key", "1.k")]);
        let header = scheme.key_placement(NopsKeyPlacement::Header);
        assert!(header.query_pairs().is_empty());
        assert_eq!(header.constant_headers()[0].0, "x-nops-api-key");
    }
}
