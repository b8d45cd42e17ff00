//! The contract between the call path and a signing scheme, built in or user-written.
//!
//! Signing is a pure function: the same request, timestamp and nonce always give the same
//! headers. Time and nonces are drawn by the call path (from its [`Clock`](crate::clock::Clock)
//! and the scheme's own nonce source) and passed in, so tests and vectors can pin them.

mod credential_header;
mod descriptor;
mod string_to_sign;

use std::borrow::Cow;
use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub(crate) use self::credential_header::CredentialHeader;
pub use self::descriptor::{EnvVar, LoadedScheme, SchemeDescriptor};
pub use self::string_to_sign::{StringToSign, Visibility};
pub use crate::builtin::CredentialScheme;
use crate::error::{ApiError, Error, Result};
pub use reqwest::header::{HeaderName, HeaderValue};

/// The request exactly as it will go on the wire.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// Upper-case method (`GET`, `POST`, …).
    pub method: &'a str,
    /// The final absolute URL, query included, as it will be sent.
    pub url: &'a str,
    /// The body bytes as they will be sent; empty when there is no body, and when the body
    /// is read while it is sent (a file, a stream): see [`Scheme::signs_without_body`].
    pub body: &'a [u8],
    /// The headers that go out besides the signature's own: the scheme's constant
    /// headers, `User-Agent`, `Accept`, the body's `Content-Type` and the caller's. `Host`
    /// is not among them (the HTTP layer writes it from the URL: see
    /// [`authority`](Self::authority)). Schemes that sign headers (SigV4) read them here.
    pub headers: &'a HeaderMap,
}

/// The headers of a request built without any.
static NO_HEADERS: std::sync::LazyLock<HeaderMap> = std::sync::LazyLock::new(HeaderMap::new);

impl<'a> SignableRequest<'a> {
    /// A request to sign, without headers of its own.
    pub fn new(method: &'a str, url: &'a str, body: &'a [u8]) -> Self {
        SignableRequest {
            method,
            url,
            body,
            headers: &NO_HEADERS,
        }
    }

    /// The same request with the headers it will be sent with.
    pub fn with_headers(self, headers: &'a HeaderMap) -> Self {
        SignableRequest { headers, ..self }
    }

    /// The `Host` the HTTP layer sends for [`url`](Self::url): its authority
    /// (`host[:port]`), without user information.
    pub fn authority(&self) -> &'a str {
        let after_scheme = self.url.find("://").map_or(0, |at| at + 3);
        let rest = &self.url[after_scheme..];
        let authority = rest.find(['/', '?', '#']).map_or(rest, |at| &rest[..at]);
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host)
    }

    /// The path of [`url`](Self::url) as sent (still percent-encoded), without the query.
    pub fn path(&self) -> &'a str {
        let path_and_query = self.path_and_query();
        path_and_query
            .split_once('?')
            .map_or(path_and_query, |(path, _)| path)
    }

    /// The request target as sent: path and query, or `/` when the URL has no path.
    pub fn path_and_query(&self) -> &'a str {
        let after_scheme = self.url.find("://").map_or(0, |at| at + 3);
        let rest = &self.url[after_scheme..];
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        rest.find(['/', '?']).map_or("/", |at| &rest[at..])
    }
}

/// The per-request inputs of a signature besides the request itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningParams<'a> {
    /// Unix seconds, already corrected by the server offset.
    pub timestamp: i64,
    /// The nonce drawn for this request, for schemes that use one.
    pub nonce: Option<&'a str>,
}

impl<'a> SigningParams<'a> {
    /// Parameters at `timestamp`, without a nonce.
    pub fn at(timestamp: i64) -> Self {
        SigningParams {
            timestamp,
            nonce: None,
        }
    }

    /// The same parameters with `nonce`.
    pub fn with_nonce(self, nonce: &'a str) -> Self {
        SigningParams {
            nonce: Some(nonce),
            ..self
        }
    }
}

/// Headers a scheme adds to a request.
pub type Headers = Vec<(HeaderName, HeaderValue)>;

/// How a scheme keeps its timestamps in line with the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClockSync {
    /// Nothing to synchronise (no timestamp signed, or the scheme does not care).
    None,
    /// An unsigned `GET` of this path (relative to the base URL) answers the server time as
    /// a bare integer; fetched before the first signed call, and again once when a
    /// timestamp is refused (OVH's `/auth/time`).
    ServerTime {
        /// The path, for example `/auth/time`.
        path: &'static str,
    },
    /// The `Date` header of every answer gives the server time (Armor).
    DateHeader,
}

/// A signing scheme: what the call path asks of nOps, OVH, Qredo, Armor, or a scheme of
/// your own.
///
/// Only [`name`](Self::name), [`string_to_sign`](Self::string_to_sign) and
/// [`sign`](Self::sign) are required; the other methods have defaults that fit a scheme
/// that signs with headers only.
pub trait Scheme: Send + Sync + fmt::Debug + 'static {
    /// A short name for logs and errors (`"ovh"`).
    fn name(&self) -> &str;

    /// The string the signature is computed over, for this request at these parameters,
    /// with the pieces that are credentials (OVH's application secret, nOps' API key)
    /// marked [`Visibility::Secret`] so that `--dry-run` and `Debug` can show the rest.
    /// [`sign`](Self::sign) must sign exactly these bytes; building both from one list of
    /// pieces (as the built-in schemes do) keeps them from drifting apart.
    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign>;

    /// The headers that authenticate this request. Must be a pure function of its inputs.
    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers>;

    /// Headers sent on every request, signed or not (OVH's `X-Ovh-Application`). A
    /// [`Client`](crate::Client) asks once, when it is built, and sends these values with
    /// every request it makes.
    fn constant_headers(&self) -> Headers {
        Vec::new()
    }

    /// Query pairs every request's URL must carry (nOps' `api_key`). They are added when
    /// the final URL is built, before signing, so the signature covers them.
    fn query_pairs(&self) -> Vec<(&str, &str)> {
        Vec::new()
    }

    /// Where a request for the rendered `path` under `base_url` goes: the base URL and the
    /// path to join, by default both as given. OVH drops its `/1.0` for `/v1/…` and
    /// `/v2/…` paths; S3's virtual-hosted addressing moves the bucket into the host name
    /// (`/bucket/key` under `https://s3.REGION.amazonaws.com` is `/key` under
    /// `https://bucket.s3.REGION.amazonaws.com`). The URL is then built, checked, signed
    /// and sent as always.
    fn address<'b, 'p>(
        &self,
        base_url: &'b str,
        path: &'p str,
    ) -> Result<(Cow<'b, str>, Cow<'p, str>)> {
        Ok((Cow::Borrowed(base_url), Cow::Borrowed(path)))
    }

    /// A fresh nonce for a request signed at `timestamp`, if the scheme uses nonces.
    fn nonce(&self, _timestamp: i64) -> Option<String> {
        None
    }

    /// Whether signing this request is slow enough (an RSA operation) to be moved off the
    /// async worker threads.
    fn is_cpu_heavy(&self, _request: &SignableRequest<'_>) -> bool {
        false
    }

    /// How the scheme keeps its clock in line with the server's.
    fn clock_sync(&self) -> ClockSync {
        ClockSync::None
    }

    /// Whether the server refuses a nonce that is not greater than the last one it saw
    /// (Qredo's nonce mode). The call path then keeps send order equal to nonce order,
    /// one request at a time.
    fn nonces_must_increase(&self) -> bool {
        false
    }

    /// How this API's answers are read; plain HTTP statuses unless the scheme says
    /// otherwise.
    fn responses(&self) -> &dyn ResponseReader {
        &PlainResponses
    }

    /// Whether this request can be signed without its body's bytes, for a body read while
    /// it is sent (`Request::file_body`, `stream_body`), which the signature then sees as
    /// empty. True only when the signature does not depend on the body, or depends on it
    /// through a value the request carries already (SigV4's `x-amz-content-sha256`).
    ///
    /// The default is `false`, right for every scheme that signs the raw body (OVH, Qredo,
    /// Armor, nOps): the call path then refuses such a body before anything is sent, since
    /// a signature over an empty body sent with another body is a wrong signature.
    fn signs_without_body(&self, _request: &SignableRequest<'_>) -> bool {
        false
    }

    /// The URL that carries its own signature in the query (a presigned URL), valid for
    /// `expires_in` from `params.timestamp`: anyone holding it can make this request, with
    /// no credentials, until it expires. Schemes without such a form refuse.
    fn presign(
        &self,
        _request: &SignableRequest<'_>,
        _params: &SigningParams<'_>,
        _expires_in: std::time::Duration,
    ) -> Result<String> {
        Err(Error::InvalidRequest(format!(
            "the {} scheme has no presigned URLs",
            self.name()
        )))
    }
}

/// A shared scheme is a scheme: what a configuration loaded at run time gives
/// ([`LoadedScheme`]) goes to [`Client::builder`](crate::Client::builder) as it is.
impl<S: Scheme + ?Sized> Scheme for std::sync::Arc<S> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        (**self).string_to_sign(request, params)
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        (**self).sign(request, params)
    }

    fn constant_headers(&self) -> Headers {
        (**self).constant_headers()
    }

    fn query_pairs(&self) -> Vec<(&str, &str)> {
        (**self).query_pairs()
    }

    fn address<'b, 'p>(
        &self,
        base_url: &'b str,
        path: &'p str,
    ) -> Result<(Cow<'b, str>, Cow<'p, str>)> {
        (**self).address(base_url, path)
    }

    fn nonce(&self, timestamp: i64) -> Option<String> {
        (**self).nonce(timestamp)
    }

    fn is_cpu_heavy(&self, request: &SignableRequest<'_>) -> bool {
        (**self).is_cpu_heavy(request)
    }

    fn clock_sync(&self) -> ClockSync {
        (**self).clock_sync()
    }

    fn nonces_must_increase(&self) -> bool {
        (**self).nonces_must_increase()
    }

    fn responses(&self) -> &dyn ResponseReader {
        (**self).responses()
    }

    fn signs_without_body(&self, request: &SignableRequest<'_>) -> bool {
        (**self).signs_without_body(request)
    }

    fn presign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
        expires_in: std::time::Duration,
    ) -> Result<String> {
        (**self).presign(request, params, expires_in)
    }
}

/// How an API's answers are read: which 2xx answers are failures, what an error answer
/// says, and whether it refused the request's timestamp.
///
/// Kept apart from [`Scheme`] because it changes for other reasons: signing follows the
/// vendor's signature rules, this follows the shape of its error bodies. A scheme returns
/// its reader from [`Scheme::responses`].
pub trait ResponseReader: Send + Sync + fmt::Debug + 'static {
    /// Whether this error answer says the request's timestamp was refused, so that the
    /// server did not carry it out and it may be signed again with a corrected clock (even
    /// a POST). The default reads a 401 that way; a scheme whose server words it more
    /// precisely (OVH's `QUERY_TIME_OUT`) says so here. An ordinary validation error must
    /// answer `false`: the request may have had effects.
    fn is_clock_refusal(&self, status: StatusCode, _headers: &HeaderMap, _body: &[u8]) -> bool {
        status == StatusCode::UNAUTHORIZED
    }

    /// Whether a 2xx answer really is a success. nOps answers a bad key with an HTML page
    /// and status 200; its scheme turns that into an authentication error here.
    fn check_success(&self, _status: StatusCode, _headers: &HeaderMap, _body: &[u8]) -> Result<()> {
        Ok(())
    }

    /// Reads an error answer in the vendor's shape.
    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        ApiError::new(status, body)
    }
}

/// The reader of an API with no conventions of its own: a 2xx is a success, an error body
/// is kept as it came, a 401 may be a refused timestamp.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainResponses;

impl ResponseReader for PlainResponses {}

/// Builds a header value, refusing CR, LF and other control characters with a clear error.
pub fn header_value(name: &str, value: &str) -> Result<HeaderValue> {
    check_header_text(name, value)?;
    HeaderValue::from_str(value).map_err(|_| not_header_text(name))
}

/// [`header_value`] for a value the caller owns: its buffer becomes the header's, uncopied.
pub(crate) fn owned_header_value(name: &str, value: String) -> Result<HeaderValue> {
    check_header_text(name, &value)?;
    generated_header_value(name, value)
}

/// A header value the scheme made itself from digits, hex or base64 (a timestamp, a
/// signature): it cannot hold a control character, so `http`'s own check is enough, and
/// the buffer becomes the header's, uncopied. [`header_value`]'s check is for text that
/// comes from outside.
pub(crate) fn generated_header_value(name: &str, value: String) -> Result<HeaderValue> {
    HeaderValue::from_maybe_shared(bytes::Bytes::from(value)).map_err(|_| not_header_text(name))
}

fn check_header_text(name: &str, value: &str) -> Result<()> {
    // This runs for every signed header, so the common case (nothing wrong) is one pass
    // over the bytes without an early exit, which the compiler turns into vector code; a
    // search that stops at the first hit goes byte by byte and cost a sixth of SigV4's
    // signing time. Only a value with a control in it, or with non-ASCII text (for the C1
    // controls, U+0080–U+009F), pays for the character-by-character search.
    // One byte of flags OR-ed over the value: bit 0 an ASCII control, bit 1 a non-ASCII
    // byte. Plain integer arithmetic, which the compiler vectorises where a `bool` chain
    // stayed a byte-by-byte loop.
    let flags = value.bytes().fold(0u8, |flags, b| {
        let control = u8::from(b < 0x20) & u8::from(b != b'\t') | u8::from(b == 0x7f);
        flags | control | (u8::from(b >= 0x80) << 1)
    });
    if flags != 0 {
        let bad = value.chars().find(|&c| c.is_control() && c != '\t');
        if let Some(bad) = bad {
            return Err(Error::InvalidRequest(format!(
                "header {name} contains the control character {bad:?}; CR, LF and NUL are refused"
            )));
        }
    }
    Ok(())
}

fn not_header_text(name: &str) -> Error {
    Error::InvalidRequest(format!("header {name} has a value that is not valid text"))
}

/// A header value holding a credential: marked sensitive so that `http`'s `Debug`
/// hides it.
pub(crate) fn sensitive_header_value(name: &str, value: &str) -> Result<HeaderValue> {
    as_credential(name, header_value(name, value))
}

/// [`sensitive_header_value`] for text the caller owns and no longer needs: the value
/// keeps the string's buffer instead of copying it.
pub(crate) fn owned_sensitive_header_value(name: &str, value: String) -> Result<HeaderValue> {
    as_credential(name, owned_header_value(name, value))
}

/// A checked header value marked sensitive, or a configuration error that names the
/// header and not the credential.
fn as_credential(name: &str, value: Result<HeaderValue>) -> Result<HeaderValue> {
    let mut value = value.map_err(|_| {
        Error::Config(format!(
            "the credential for {name} contains characters a header cannot carry"
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The method upper-cased, without allocating when it already is (the usual case).
pub(crate) fn upper_case(method: &str) -> Cow<'_, str> {
    if method.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(method.to_ascii_uppercase())
    } else {
        Cow::Borrowed(method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_and_query_are_cut_from_the_url() {
        let request = SignableRequest::new("GET", "https://h.example:8443/a/b?x=1&y=%20", b"");
        assert_eq!(request.path(), "/a/b");
        assert_eq!(request.path_and_query(), "/a/b?x=1&y=%20");
        let bare = SignableRequest::new("GET", "https://h.example", b"");
        assert_eq!(bare.path(), "/");
        assert_eq!(request.authority(), "h.example:8443");
        assert_eq!(bare.authority(), "h.example");
        let odd = SignableRequest::new("GET", "http://u:p@h.example?x#y", b"");
        assert_eq!(odd.authority(), "h.example");
    }

    #[test]
    fn control_characters_are_refused_in_header_values() {
        assert!(header_value("X-A", "ok\tvalue").is_ok());
        for bad in ["a\rb", "a\nb", "a\0b", "a\u{7f}b", "caf\u{e9}\u{85}b"] {
            let err = header_value("X-A", bad).unwrap_err();
            assert!(err.to_string().contains("X-A"), "{err}");
        }
        // Non-ASCII text without a control character goes through (as obs-text).
        assert!(header_value("X-A", "caf\u{e9}").is_ok());
    }

    #[test]
    fn owned_values_are_checked_and_equal_to_copied_ones() {
        for text in ["$1$0a1b", "ok\tvalue", "caf\u{e9}"] {
            assert_eq!(
                owned_header_value("X-A", text.to_owned()).unwrap(),
                header_value("X-A", text).unwrap()
            );
        }
        for bad in ["a\rb", "a\0b", "caf\u{e9}\u{85}b"] {
            let owned = owned_header_value("X-A", bad.to_owned()).unwrap_err();
            let copied = header_value("X-A", bad).unwrap_err();
            assert_eq!(owned.to_string(), copied.to_string());
        }
    }
}
