//! The server side of a scheme: what a verifier is given and how it may fail.
//!
//! A verifier checks what came off the wire and nothing else: the method token, the
//! request-target and the header text exactly as received, and the body bytes. It never
//! parses a URL rebuilt from the `Host` header, because whatever an attacker puts in
//! `Host` would then move the path boundary: a `Host` of `h/a/signed/path?` turns any
//! request-target into the query of a path the attacker holds a signature for.
//! [`ReceivedRequest::new`] therefore refuses a `Host` that is not `host[:port]`, a
//! request-target that is not origin-form, and a method that is not upper-case; accessors
//! hand out the parts, and the absolute URL (which OVH and Qredo sign) is assembled from
//! parts already checked.

use std::fmt;

use reqwest::header::{HOST, HeaderMap};
use subtle::ConstantTimeEq;

/// A request as a server received it, checked to be in the canonical form a signer
/// produces.
///
/// ```
/// use signed_api_runtime::verify::ReceivedRequest;
/// use signed_api_runtime::HeaderMap;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("host", "api.example.com:8443".parse().unwrap());
/// let request = ReceivedRequest::new("https", "GET", "/v1/me?x=1", &headers, b"").unwrap();
/// assert_eq!(request.path(), "/v1/me");
/// assert_eq!(request.url(), "https://api.example.com:8443/v1/me?x=1");
///
/// // A Host that smuggles a path is refused before any signature is looked at.
/// headers.insert("host", "api.example.com/admin?".parse().unwrap());
/// assert!(ReceivedRequest::new("https", "GET", "/v1/me", &headers, b"").is_err());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    scheme: &'a str,
    method: &'a str,
    authority: &'a str,
    target: &'a str,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl<'a> ReceivedRequest<'a> {
    /// Checks a received request: `scheme` is how the server was reached (`http` or
    /// `https`; the server knows it, the client does not say it), `method` and `target`
    /// are the request line's method and request-target as received, the authority is the
    /// one `Host` header.
    ///
    /// Refused: a method that is not a token or has a lower-case letter; a request-target that does not start
    /// with `/` (absolute-form `http://…`, `*`) or holds a byte outside visible ASCII or a
    /// `#`; no `Host`, two of them, or one that is not `host[:port]`.
    pub fn new(
        scheme: &'a str,
        method: &'a str,
        target: &'a str,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Result<Self, VerifyError> {
        if scheme != "http" && scheme != "https" {
            return Err(malformed("scheme", "must be http or https"));
        }
        // The client upper-cases every method it signs and sends: a method with a
        // lower-case letter was not made by a signer (and `get` is not `GET` to a router).
        if method.is_empty() || !method.bytes().all(is_upper_case_tchar) {
            return Err(malformed(
                "method",
                "must be a token without lower-case letters",
            ));
        }
        check_origin_form(target)?;
        let mut hosts = headers.get_all(HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(host), None) => host,
            (None, _) => return Err(VerifyError::MissingHeader("host")),
            (Some(_), Some(_)) => return Err(malformed("Host", "sent more than once")),
        };
        let authority = host
            .to_str()
            .map_err(|_| malformed("Host", "not visible ASCII"))?;
        check_authority(authority)?;
        Ok(ReceivedRequest {
            scheme,
            method,
            authority,
            target,
            headers,
            body,
        })
    }

    /// The method as received (a token without lower-case letters).
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request-target as received: path and query, still percent-encoded.
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The path of the request-target, without the query.
    pub fn path(&self) -> &'a str {
        self.target
            .split_once('?')
            .map_or(self.target, |(path, _)| path)
    }

    /// The query of the request-target, without the `?`; `None` when there is none.
    pub fn query(&self) -> Option<&'a str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// The `Host` the client addressed (`host[:port]`, checked).
    pub fn authority(&self) -> &'a str {
        self.authority
    }

    /// The absolute URL the client requested: scheme, `Host`, request-target. Built from
    /// parts that were checked, so its path is exactly [`path`](Self::path).
    pub fn url(&self) -> String {
        let mut url =
            String::with_capacity(self.scheme.len() + 3 + self.authority.len() + self.target.len());
        url.push_str(self.scheme);
        url.push_str("://");
        url.push_str(self.authority);
        url.push_str(self.target);
        url
    }

    /// All the request headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// The body bytes as received.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// A header's text when it was sent once; `None` when absent. A header sent twice, or
    /// whose value is not visible ASCII, is refused: a verifier must not pick one copy
    /// while the application reads another.
    pub fn header(&self, name: &'static str) -> Result<Option<&'a str>, VerifyError> {
        let mut values = self.headers.get_all(name).iter();
        match (values.next(), values.next()) {
            (None, _) => Ok(None),
            (Some(value), None) => value
                .to_str()
                .map(Some)
                .map_err(|_| malformed(name, "not visible ASCII")),
            (Some(_), Some(_)) => Err(malformed(name, "sent more than once")),
        }
    }

    /// A header that must be present, once, and not empty.
    pub fn require(&self, name: &'static str) -> Result<&'a str, VerifyError> {
        match self.header(name)? {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(VerifyError::MissingHeader(name)),
        }
    }

    /// Refuses the request when `name` is present at all (a header of another mode).
    pub fn forbid(&self, name: &'static str, why: &'static str) -> Result<(), VerifyError> {
        if self.headers.contains_key(name) {
            return Err(malformed(name, why));
        }
        Ok(())
    }
}

/// A token character (RFC 9110) that is not a lower-case letter.
fn is_upper_case_tchar(b: u8) -> bool {
    b.is_ascii_uppercase()
        || b.is_ascii_digit()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Origin-form (`/path?query`) in visible ASCII, no fragment.
fn check_origin_form(target: &str) -> Result<(), VerifyError> {
    if !target.starts_with('/') {
        return Err(malformed(
            "request-target",
            "must be origin-form (start with `/`)",
        ));
    }
    if target.bytes().any(|b| !b.is_ascii_graphic() || b == b'#') {
        return Err(malformed(
            "request-target",
            "holds a byte outside visible ASCII or a `#`",
        ));
    }
    Ok(())
}

/// `host[:port]`: a registered name or IPv4 address (letters, digits, `-`, `.`, `_`,
/// `~`), or an IPv6 literal in brackets; then at most one `:` and 1–5 digits.
fn check_authority(authority: &str) -> Result<(), VerifyError> {
    let bad = |why: &'static str| malformed("Host", why);
    let port = if let Some(rest) = authority.strip_prefix('[') {
        let (literal, after) = rest
            .split_once(']')
            .ok_or_else(|| bad("an IPv6 literal without `]`"))?;
        let ipv6_byte = |b: u8| b.is_ascii_hexdigit() || b == b':' || b == b'.';
        if literal.is_empty() || !literal.bytes().all(ipv6_byte) {
            return Err(bad("not an IPv6 literal"));
        }
        match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| bad("text after the IPv6 literal"))?,
            ),
        }
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let name_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if host.is_empty() || !host.bytes().all(name_byte) {
            return Err(bad("must be host[:port]"));
        }
        port
    };
    if let Some(port) = port
        && (port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad("the port must be 1 to 5 digits"));
    }
    Ok(())
}

fn malformed(what: &'static str, why: &str) -> VerifyError {
    VerifyError::Malformed {
        what,
        why: why.to_owned(),
    }
}

/// What a verified request claimed, for the server's own checks (replay, rate limits).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    /// The timestamp the request was signed with, when the scheme signs one.
    pub timestamp: Option<i64>,
    /// The nonce the request carried, when the scheme uses one.
    pub nonce: Option<String>,
}

/// Why a server refuses a request. The messages say what failed, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent or empty.
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    /// A header, the method, the request-target or a parameter does not have the
    /// scheme's canonical form.
    #[error("malformed {what}: {why}")]
    Malformed {
        /// What is malformed (a header name, `Authorization`, `request-target`, …).
        what: &'static str,
        /// In what way.
        why: String,
    },
    /// The key or application named by the request is not known to this server.
    #[error("unknown {0}")]
    UnknownKey(&'static str),
    /// The timestamp (or date) lies outside the accepted window.
    #[error("timestamp {timestamp} is {skew} s away from server time (accepted: {window} s)")]
    Expired {
        /// The timestamp the request carried.
        timestamp: i64,
        /// Its distance to the server's time, in seconds (saturated at `i64::MAX`).
        skew: i64,
        /// The accepted distance.
        window: i64,
    },
    /// The signature does not match the request.
    #[error("signature mismatch")]
    BadSignature,
}

/// The server side of a scheme: checks that a received request carries a valid signature.
pub trait Verifier: Send + Sync + fmt::Debug + 'static {
    /// Verifies `request` at server time `now` (Unix seconds).
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError>;
}

/// Reads Unix seconds in the one form a signer writes them: decimal digits, no sign, no
/// leading zero, no white space. `+1700000000` or `01700000000` would verify against the
/// same signature while the server logs or stores another text; both are refused.
pub fn parse_unix_seconds(what: &'static str, text: &str) -> Result<i64, VerifyError> {
    parse_canonical_u64(what, text)
        .and_then(|value| i64::try_from(value).map_err(|_| malformed(what, "out of range")))
}

/// Reads an unsigned decimal integer in canonical form (see [`parse_unix_seconds`]).
pub fn parse_canonical_u64(what: &'static str, text: &str) -> Result<u64, VerifyError> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(malformed(
            what,
            "not an unsigned decimal integer in canonical form",
        ));
    }
    text.parse().map_err(|_| malformed(what, "out of range"))
}

/// Checks the distance of a signed timestamp to server time against a window, with no
/// arithmetic that can overflow on a hostile timestamp.
pub fn check_window(timestamp: i64, now: i64, window: i64) -> Result<(), VerifyError> {
    let distance = timestamp.abs_diff(now);
    if distance > window.unsigned_abs() {
        let magnitude = i64::try_from(distance).unwrap_or(i64::MAX);
        return Err(VerifyError::Expired {
            timestamp,
            skew: if timestamp < now {
                -magnitude
            } else {
                magnitude
            },
            window,
        });
    }
    Ok(())
}

/// Compares two byte strings (signatures, HMACs, keys) in time that does not depend on
/// where they differ; only a difference in length shows.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, host.parse().unwrap());
        headers
    }

    #[test]
    fn hosts_that_are_not_host_and_port_are_refused() {
        for good in [
            "example.com",
            "example.com:443",
            "127.0.0.1:8080",
            "[::1]:80",
            "[::1]",
            "a_b.example",
        ] {
            let headers = headers(good);
            assert!(
                ReceivedRequest::new("http", "GET", "/", &headers, b"").is_ok(),
                "{good}"
            );
        }
        for bad in [
            "h/path", "h?x", "h#f", "user@h", "h:80/x", "h:", "h:123456", "h:8a", "[::1", "[::1]x",
            "[zz]", ":80", "h h", "h:80:81",
        ] {
            let headers = headers(bad);
            assert!(
                ReceivedRequest::new("http", "GET", "/", &headers, b"").is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn two_hosts_or_none_are_refused() {
        let mut two = headers("a");
        two.append(HOST, "b".parse().unwrap());
        assert!(ReceivedRequest::new("http", "GET", "/", &two, b"").is_err());
        let none = HeaderMap::new();
        assert_eq!(
            ReceivedRequest::new("http", "GET", "/", &none, b"").unwrap_err(),
            VerifyError::MissingHeader("host")
        );
    }

    #[test]
    fn targets_and_methods_must_be_canonical() {
        let headers = headers("h");
        for bad in ["http://h/x", "*", "", "x", "/a b", "/a#b", "/caf\u{e9}"] {
            assert!(
                ReceivedRequest::new("http", "GET", bad, &headers, b"").is_err(),
                "{bad:?}"
            );
        }
        assert!(ReceivedRequest::new("http", "M-SEARCH", "/", &headers, b"").is_ok());
        for bad in ["get", "Get", "", "GE T", "G(T", "G\u{e9}T"] {
            assert!(
                ReceivedRequest::new("http", bad, "/", &headers, b"").is_err(),
                "{bad:?}"
            );
        }
        assert!(ReceivedRequest::new("ftp", "GET", "/", &headers, b"").is_err());
        let request = ReceivedRequest::new("http", "GET", "/a/b?x=1&y", &headers, b"").unwrap();
        assert_eq!(request.path(), "/a/b");
        assert_eq!(request.query(), Some("x=1&y"));
        assert_eq!(request.url(), "http://h/a/b?x=1&y");
    }

    #[test]
    fn duplicate_headers_are_refused() {
        let mut headers = headers("h");
        headers.append("x-sig", "a".parse().unwrap());
        headers.append("x-sig", "b".parse().unwrap());
        let request = ReceivedRequest::new("http", "GET", "/", &headers, b"").unwrap();
        assert!(request.require("x-sig").is_err());
        assert_eq!(
            request.require("x-other").unwrap_err(),
            VerifyError::MissingHeader("x-other")
        );
    }

    #[test]
    fn timestamps_must_be_canonical() {
        assert_eq!(
            parse_unix_seconds("t", "1700000000").unwrap(),
            1_700_000_000
        );
        assert_eq!(parse_unix_seconds("t", "0").unwrap(), 0);
        for bad in [
            "+1700000000",
            "01700000000",
            "-1",
            " 1",
            "1 ",
            "",
            "1e9",
            "9223372036854775808",
            "99999999999999999999",
        ] {
            assert!(parse_unix_seconds("t", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn window_checks_cannot_overflow() {
        assert!(check_window(i64::MIN, i64::MAX, 300).is_err());
        assert!(check_window(i64::MAX, i64::MIN, 300).is_err());
        assert!(check_window(i64::MAX, i64::MAX, 0).is_ok());
        let err = check_window(i64::MIN, 0, 300).unwrap_err();
        assert!(matches!(err, VerifyError::Expired { skew, .. } if skew == -i64::MAX));
        assert!(check_window(1_000, 1_300, 300).is_ok());
        assert!(check_window(1_000, 1_301, 300).is_err());
    }

    #[test]
    fn constant_time_comparison_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
