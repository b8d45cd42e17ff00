//! The client side: the `Authorization` header and presigned URLs.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderName;

use super::addressing::{Addressing, address};
use super::canonical::{CanonicalHeaders, PathRule, canonical_query, canonical_request, encode};
use super::credentials::Sigv4Credentials;
use super::responses::Sigv4Responses;
use super::signing_key::KeyCache;
use super::string_to_sign::{amz_date, is_hex_256, scope, sha256_hex, string_to_sign};
use super::{ALGORITHM, MAX_PRESIGN_EXPIRY, UNSIGNED_PAYLOAD};
use crate::crypto::lower_hex;
use crate::error::{Error, Result};
use crate::scheme::{
    ClockSync, Headers, ResponseReader, Scheme, SignableRequest, SigningParams, StringToSign,
    owned_header_value, owned_sensitive_header_value,
};

/// The request as SigV4 reads it: the parts as they go on the wire and the headers chosen
/// for signing (`Host` among them). The lower-level entry point, for requests sent by
/// another HTTP client and for the test suite; [`Sigv4Scheme`]'s [`Scheme`] methods build
/// it from a [`SignableRequest`].
#[derive(Debug, Clone)]
pub struct Sigv4Request<'a> {
    /// The method, upper-case.
    pub method: &'a str,
    /// The path as sent (percent-encoded), without the query.
    pub path: &'a str,
    /// The query as sent, without the `?` (empty when none).
    pub query: &'a str,
    /// The headers to sign, `Host` included, in the order sent.
    pub headers: Vec<(&'a str, &'a [u8])>,
    /// The payload's lower-case hex SHA-256, or `UNSIGNED-PAYLOAD`.
    pub payload_hash: &'a str,
}

/// A header signature with every stage kept, for tests and diagnosis.
#[derive(Clone)]
pub struct Sigv4Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, lower-case hex.
    pub signature: String,
    /// The headers to add, `Authorization` last.
    pub headers: Vec<(&'static str, String)>,
}

/// A presigned URL's signature with every stage kept.
#[derive(Clone)]
pub struct Sigv4Presigned {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, lower-case hex.
    pub signature: String,
    /// The query parameters to append to the request's own, `X-Amz-Signature` last.
    pub query: String,
}

/// The `x-amz-content-sha256` value that says the body is not part of the signature.
const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for one service in one region.
///
/// `Sigv4Scheme::new(credentials, "eu-west-3", "s3")` follows S3's rules (path as sent,
/// `x-amz-content-sha256` on every request, presigned URLs with `UNSIGNED-PAYLOAD`); any
/// other service follows the general ones (normalised, double-encoded path).
///
/// Signed headers: `host`, `content-type`, `content-md5`, every `x-amz-*`, and the ones
/// named with [`sign_header`](Self::sign_header). To send a body whose hash is known
/// beforehand, or none (`UNSIGNED-PAYLOAD`), set `x-amz-content-sha256` on the request.
#[derive(Clone)]
pub struct Sigv4Scheme {
    credentials: Sigv4Credentials,
    region: String,
    service: String,
    path_rule: PathRule,
    content_sha256_header: bool,
    sign_session_token: bool,
    also_signed: Vec<HeaderName>,
    addressing: Addressing,
    keys: KeyCache,
    /// Why this scheme cannot sign: a region or service that was not checked before (a
    /// configuration built by hand and given to a generated builder), refused at the first
    /// signature instead of producing a scope AWS would misread.
    refusal: Option<String>,
}

impl Sigv4Scheme {
    /// Signs for `service` (`s3`, `iam`, `execute-api`, …) in `region` (`us-east-1`).
    /// Both must be lower-case letters, digits and `-`.
    pub fn new(
        credentials: Sigv4Credentials,
        region: impl Into<String>,
        service: impl Into<String>,
    ) -> Result<Self> {
        let region = region.into();
        let service = service.into();
        check_scope_part("region", &region)?;
        check_scope_part("service", &service)?;
        Ok(Sigv4Scheme::assemble(credentials, region, &service))
    }

    /// The scheme for `service` with the credentials and region of `config`.
    pub fn from_config(config: super::Sigv4Config, service: &str) -> Result<Self> {
        Sigv4Scheme::new(config.credentials, config.region, service)
    }

    /// The scheme with the rules `service` implies; a region or service that does not pass
    /// the checks of [`new`](Self::new) makes every signature an error.
    pub(crate) fn assemble(credentials: Sigv4Credentials, region: String, service: &str) -> Self {
        let refusal = check_scope_part("region", &region)
            .and_then(|()| check_scope_part("service", service))
            .err()
            .map(|error| error.to_string());
        let s3 = service == "s3";
        Sigv4Scheme {
            credentials,
            region,
            service: service.to_owned(),
            path_rule: if s3 {
                PathRule::AsSent
            } else {
                PathRule::Normalized
            },
            content_sha256_header: s3,
            sign_session_token: true,
            also_signed: Vec::new(),
            addressing: Addressing::PathStyle,
            keys: KeyCache::default(),
            refusal,
        }
    }

    fn check_usable(&self) -> Result<()> {
        match &self.refusal {
            Some(why) => Err(Error::Config(why.clone())),
            None => Ok(()),
        }
    }

    /// Where an S3 request names its bucket: in the path (the default) or in the host
    /// name ([`Addressing::VirtualHosted`], AWS's recommended form). Paths are written
    /// `/bucket/key` either way; the scheme moves the bucket before the URL is signed.
    pub fn with_addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// Overrides how the path is canonicalised (the service decides by default).
    pub fn with_path_rule(mut self, rule: PathRule) -> Self {
        self.path_rule = rule;
        self
    }

    /// Whether every request carries `x-amz-content-sha256` (S3's rule; on by default for
    /// `s3` only).
    pub fn with_content_sha256_header(mut self, send: bool) -> Self {
        self.content_sha256_header = send;
        self
    }

    /// Whether the session token is covered by the signature (the default) or added after
    /// it, as a few services (AWS IoT's MQTT over WebSocket) expect.
    pub fn with_signed_session_token(mut self, signed: bool) -> Self {
        self.sign_session_token = signed;
        self
    }

    /// Signs `name` too whenever a request carries it (`range`, `if-match`, …). `Host` is
    /// always signed; `Authorization` and the headers the HTTP layer writes cannot be.
    pub fn sign_header(mut self, name: &str) -> Result<Self> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("{name:?} is not a valid header name")))?;
        if matches!(
            name.as_str(),
            "authorization" | "content-length" | "transfer-encoding" | "connection" | "host"
        ) {
            return Err(Error::Config(format!(
                "the header {name} cannot be added to SigV4's signed headers"
            )));
        }
        if !self.also_signed.contains(&name) {
            self.also_signed.push(name);
        }
        Ok(self)
    }

    /// The region signatures are scoped to.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service signatures are scoped to.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The credentials (their `Debug` hides the secret and the token).
    pub fn credentials(&self) -> &Sigv4Credentials {
        &self.credentials
    }

    /// Whether the rules of S3 apply: the `x-amz-content-sha256` header on every request.
    pub(crate) fn sends_content_sha256(&self) -> bool {
        self.content_sha256_header
    }

    pub(crate) fn path_rule(&self) -> PathRule {
        self.path_rule
    }

    /// Signs `request` at `timestamp` with the `Authorization` header.
    pub fn sign_parts(&self, request: &Sigv4Request<'_>, timestamp: i64) -> Result<Sigv4Signature> {
        self.check_usable()?;
        let token = self.credentials.session_token().map(|t| t.expose());
        let mut added: Vec<(&'static str, String)> = Vec::with_capacity(4);
        // The date's one copy is the header's; the scope and the string to sign read it
        // there.
        added.push(("x-amz-date", amz_date(timestamp)?));
        if let Some(token) = token {
            added.push(("x-amz-security-token", token.to_owned()));
        }
        if self.content_sha256_header
            && !request
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case(CONTENT_SHA256))
        {
            added.push((CONTENT_SHA256, request.payload_hash.to_owned()));
        }
        let amz_date = added[0].1.as_str();
        let date = &amz_date[..8];
        let signed_added = added
            .iter()
            .filter(|(name, _)| self.sign_session_token || *name != "x-amz-security-token")
            .map(|(name, value)| (*name, value.as_bytes()));
        let headers = CanonicalHeaders::new(request.headers.iter().copied().chain(signed_added));
        let canonical_request = canonical_request(
            request.method,
            &super::canonical::canonical_uri(request.path, self.path_rule),
            &canonical_query(request.query, None),
            &headers,
            request.payload_hash,
        );
        let scope = scope(date, &self.region, &self.service);
        let string_to_sign = string_to_sign(amz_date, &scope, &canonical_request);
        let signature = self.signature_over(date, &string_to_sign);
        let authorization = authorization(
            self.credentials.access_key_id(),
            &scope,
            &headers.names,
            &signature,
        );
        added.push(("authorization", authorization));
        Ok(Sigv4Signature {
            canonical_request,
            string_to_sign,
            signature,
            headers: added,
        })
    }

    /// Signs `request` at `timestamp` into query parameters valid for `expires_in`.
    pub fn presign_parts(
        &self,
        request: &Sigv4Request<'_>,
        timestamp: i64,
        expires_in: Duration,
    ) -> Result<Sigv4Presigned> {
        self.check_usable()?;
        if expires_in.is_zero() || expires_in > MAX_PRESIGN_EXPIRY {
            return Err(Error::InvalidRequest(format!(
                "a presigned URL lasts from 1 second to 7 days ({} s); {} s was asked",
                MAX_PRESIGN_EXPIRY.as_secs(),
                expires_in.as_secs()
            )));
        }
        if let Some(taken) = request.query.split('&').find_map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            PRESIGN_PARAMETERS
                .iter()
                .find(|own| own.eq_ignore_ascii_case(name))
        }) {
            return Err(Error::InvalidRequest(format!(
                "the query parameter {taken} is set by the presigned URL; remove it"
            )));
        }
        let amz_date = amz_date(timestamp)?;
        let date = &amz_date[..8];
        let scope = scope(date, &self.region, &self.service);
        let headers = CanonicalHeaders::new(request.headers.iter().copied());
        let mut query = String::with_capacity(256);
        query.push_str("X-Amz-Algorithm=");
        query.push_str(ALGORITHM);
        query.push_str("&X-Amz-Credential=");
        encode(
            self.credentials.access_key_id().as_bytes(),
            false,
            &mut query,
        );
        query.push_str("%2F");
        encode(scope.as_bytes(), false, &mut query);
        query.push_str("&X-Amz-Date=");
        query.push_str(&amz_date);
        query.push_str("&X-Amz-SignedHeaders=");
        encode(headers.names.as_bytes(), false, &mut query);
        query.push_str("&X-Amz-Expires=");
        query.push_str(&expires_in.as_secs().to_string());
        let token = self.credentials.session_token().map(|token| {
            let mut encoded = String::from("&X-Amz-Security-Token=");
            encode(token.expose().as_bytes(), false, &mut encoded);
            zeroize::Zeroizing::new(encoded)
        });
        if let (Some(token), true) = (&token, self.sign_session_token) {
            query.push_str(token);
        }
        let signed_query = if request.query.is_empty() {
            canonical_query(&query, None)
        } else {
            canonical_query(&format!("{}&{query}", request.query), None)
        };
        let canonical_request = canonical_request(
            request.method,
            &super::canonical::canonical_uri(request.path, self.path_rule),
            &signed_query,
            &headers,
            request.payload_hash,
        );
        let string_to_sign = string_to_sign(&amz_date, &scope, &canonical_request);
        let signature = self.signature_over(date, &string_to_sign);
        if let (Some(token), false) = (&token, self.sign_session_token) {
            query.push_str(token);
        }
        query.push_str("&X-Amz-Signature=");
        query.push_str(&signature);
        Ok(Sigv4Presigned {
            canonical_request,
            string_to_sign,
            signature,
            query,
        })
    }

    /// The hex signature of `string_to_sign` with the key of `date`.
    pub(crate) fn signature_over(&self, date: &str, string_to_sign: &str) -> String {
        let mac = self.keys.for_date(
            self.credentials.secret_access_key(),
            date,
            &self.region,
            &self.service,
        );
        let mut out = String::with_capacity(64);
        lower_hex(&mac.sign(&[string_to_sign.as_bytes()]), &mut out);
        out
    }

    /// The payload hash a request signs: the caller's `x-amz-content-sha256`, checked, or
    /// the body's SHA-256.
    fn payload_hash<'a>(&self, request: &SignableRequest<'a>) -> Result<std::borrow::Cow<'a, str>> {
        let mut given = request.headers.get_all(CONTENT_SHA256).iter();
        let Some(value) = given.next() else {
            return Ok(sha256_hex(request.body));
        };
        if given.next().is_some() {
            return Err(Error::InvalidRequest(
                "x-amz-content-sha256 is set twice".into(),
            ));
        }
        let value = value.to_str().unwrap_or("");
        if value == UNSIGNED_PAYLOAD {
            return Ok(value.into());
        }
        if !is_hex_256(value) {
            return Err(Error::InvalidRequest(
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a lower-case hex SHA-256".into(),
            ));
        }
        if !request.body.is_empty() && sha256_hex(request.body) != value {
            return Err(Error::InvalidRequest(
                "x-amz-content-sha256 is not the SHA-256 of the body".into(),
            ));
        }
        Ok(value.into())
    }

    /// The header signature of a request as the call path hands it over.
    fn sign_request(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<Sigv4Signature> {
        let payload_hash = self.payload_hash(request)?;
        self.sign_parts(&self.parts(request, &payload_hash), params.timestamp)
    }

    /// Whether a header of the request is signed.
    fn signs(&self, name: &HeaderName) -> bool {
        let name = name.as_str();
        name == "content-type"
            || name == "content-md5"
            || name.starts_with("x-amz-")
            || self.also_signed.iter().any(|own| own == name)
    }

    /// The request as SigV4 reads it, with `payload_hash` borrowed from the caller.
    fn parts<'a>(&self, request: &SignableRequest<'a>, payload_hash: &'a str) -> Sigv4Request<'a> {
        let target = request.path_and_query();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut headers: Vec<(&'a str, &'a [u8])> = Vec::with_capacity(4);
        headers.push(("host", request.authority().as_bytes()));
        for (name, value) in request.headers {
            if self.signs(name) {
                headers.push((name.as_str(), value.as_bytes()));
            }
        }
        Sigv4Request {
            method: request.method,
            path,
            query,
            headers,
            payload_hash,
        }
    }
}

/// `AWS4-HMAC-SHA256 Credential=KEY/SCOPE, SignedHeaders=NAMES, Signature=HEX`, written
/// into a string of its final size (`format!` guesses, and grows it on the way).
fn authorization(access_key_id: &str, scope: &str, names: &str, signature: &str) -> String {
    let parts = [
        ALGORITHM,
        " Credential=",
        access_key_id,
        "/",
        scope,
        ", SignedHeaders=",
        names,
        ", Signature=",
        signature,
    ];
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The query parameters a presigned URL adds.
const PRESIGN_PARAMETERS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

/// A region or service: lower-case letters, digits and `-`, as AWS names them. Anything
/// else (a `/` above all) would change the credential scope's fields.
fn check_scope_part(what: &str, value: &str) -> Result<()> {
    let valid = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return Err(Error::Config(format!(
            "the SigV4 {what} {value:?} is not lower-case letters, digits and `-`"
        )));
    }
    Ok(())
}

impl fmt::Debug for Sigv4Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sigv4Scheme")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("path_rule", &self.path_rule)
            .field("content_sha256_header", &self.content_sha256_header)
            .field("sign_session_token", &self.sign_session_token)
            .field("also_signed", &self.also_signed)
            .field("addressing", &self.addressing)
            .finish_non_exhaustive()
    }
}

/// The name of a header the signature adds, from constants for the usual four: building a
/// name from text checks it against every standard header name, on every call.
fn added_header_name(name: &'static str) -> HeaderName {
    const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
    const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static(CONTENT_SHA256);
    const X_AMZ_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-amz-security-token");
    match name {
        "authorization" => reqwest::header::AUTHORIZATION,
        "x-amz-date" => X_AMZ_DATE,
        CONTENT_SHA256 => X_AMZ_CONTENT_SHA256,
        "x-amz-security-token" => X_AMZ_SECURITY_TOKEN,
        other => HeaderName::from_static(other),
    }
}

/// Hides the session token, which the canonical request and the added headers carry.
fn redact_token(text: &str, token: Option<&str>) -> String {
    match token {
        Some(token) if !token.is_empty() => text.replace(token, "***"),
        _ => text.to_owned(),
    }
}

impl fmt::Debug for Sigv4Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = self
            .headers
            .iter()
            .find(|(name, _)| *name == "x-amz-security-token")
            .map(|(_, value)| value.as_str());
        let headers: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(name, value)| (*name, redact_token(value, token)))
            .collect();
        f.debug_struct("Sigv4Signature")
            .field(
                "canonical_request",
                &redact_token(&self.canonical_request, token),
            )
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("headers", &headers)
            .finish()
    }
}

impl fmt::Debug for Sigv4Presigned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The query may hold the session token: show only the parameter names.
        let names: Vec<&str> = self
            .query
            .split('&')
            .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
            .collect();
        f.debug_struct("Sigv4Presigned")
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("query_parameters", &names)
            .finish_non_exhaustive()
    }
}

impl Scheme for Sigv4Scheme {
    fn name(&self) -> &str {
        "sigv4"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        let signature = self.sign_request(request, params)?;
        Ok(StringToSign::new().public(signature.string_to_sign))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        // The values are moved into the headers, not copied: the signature is not kept.
        self.sign_request(request, params)?
            .headers
            .into_iter()
            .map(|(name, value)| {
                let value = match name {
                    "authorization" | "x-amz-security-token" => {
                        owned_sensitive_header_value(name, value)?
                    }
                    _ => owned_header_value(name, value)?,
                };
                Ok((added_header_name(name), value))
            })
            .collect()
    }

    fn presign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
        expires_in: Duration,
    ) -> Result<String> {
        let payload_hash = if request.headers.contains_key(CONTENT_SHA256) {
            self.payload_hash(request)?
        } else if self.content_sha256_header {
            UNSIGNED_PAYLOAD.into()
        } else {
            sha256_hex(request.body)
        };
        let presigned = self.presign_parts(
            &self.parts(request, &payload_hash),
            params.timestamp,
            expires_in,
        )?;
        let url = request
            .url
            .split_once('#')
            .map_or(request.url, |(url, _)| url);
        let joiner = if url.contains('?') { '&' } else { '?' };
        Ok(format!("{url}{joiner}{}", presigned.query))
    }

    fn address<'b, 'p>(
        &self,
        base_url: &'b str,
        path: &'p str,
    ) -> Result<(std::borrow::Cow<'b, str>, std::borrow::Cow<'p, str>)> {
        Ok(address(self.addressing, base_url, path))
    }

    fn clock_sync(&self) -> ClockSync {
        ClockSync::DateHeader
    }

    fn responses(&self) -> &dyn ResponseReader {
        &Sigv4Responses
    }

    /// When the request carries `x-amz-content-sha256` (`UNSIGNED-PAYLOAD` or the body's
    /// SHA-256, given beforehand): that value is what the signature covers, not the bytes.
    fn signs_without_body(&self, request: &SignableRequest<'_>) -> bool {
        request.headers.contains_key(CONTENT_SHA256)
    }
}
