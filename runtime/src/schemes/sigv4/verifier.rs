//! The server side: checks the `Authorization` header form and presigned URLs from the
//! bytes received, as the mock's S3 does.

use std::borrow::Cow;
use std::fmt;

use time::{Date, Month, PrimitiveDateTime, Time};

use super::canonical::{CanonicalHeaders, canonical_query, canonical_request, canonical_uri};
use super::signer::Sigv4Scheme;
use super::string_to_sign::{is_hex_256, scope, sha256_hex, string_to_sign};
use super::{ALGORITHM, MAX_PRESIGN_EXPIRY, SKEW_WINDOW, UNSIGNED_PAYLOAD};
use crate::verify::{
    ReceivedRequest, Verified, Verifier, VerifyError, check_window, constant_time_eq,
    parse_canonical_u64,
};

/// The server side of SigV4 for the credentials, region, service and rules of a
/// [`Sigv4Scheme`].
///
/// Refused besides a wrong signature: another key, region or service in the scope; a
/// time more than 15 minutes from the server's (header form) or a presigned URL past its
/// `X-Amz-Expires`; `x-amz-content-sha256` that is not the SHA-256 of the body received;
/// a header that matters left out of `SignedHeaders` (`host`, `x-amz-date`, and every
/// `content-type`, `content-md5` and `x-amz-*` header sent, so none can be added on the
/// way); any parameter given twice.
#[derive(Clone)]
pub struct Sigv4Verifier {
    scheme: Sigv4Scheme,
    window: i64,
}

/// What the header and the presigned form share once their fields are read.
struct Claim<'a> {
    credential: Cow<'a, str>,
    amz_date: Cow<'a, str>,
    signed_headers: Cow<'a, str>,
    signature: Cow<'a, str>,
}

impl Sigv4Verifier {
    /// Accepts what `scheme` signs, with AWS's 15-minute window for clock skew.
    pub fn new(scheme: Sigv4Scheme) -> Self {
        Sigv4Verifier {
            scheme,
            window: SKEW_WINDOW,
        }
    }

    /// Another window for clock skew, in seconds.
    pub fn with_window(mut self, seconds: i64) -> Self {
        self.window = seconds;
        self
    }

    fn verify_header(
        &self,
        request: &ReceivedRequest<'_>,
        now: i64,
    ) -> Result<Verified, VerifyError> {
        let authorization = request.require("authorization")?;
        let fields = authorization
            .strip_prefix(ALGORITHM)
            .and_then(|rest| rest.strip_prefix(' '))
            .ok_or_else(|| malformed("Authorization", "expected AWS4-HMAC-SHA256"))?;
        let mut parts = fields.split(',').map(|part| part.trim_start_matches(' '));
        let (Some(credential), Some(signed_headers), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "Authorization",
                "expected Credential=…, SignedHeaders=…, Signature=…",
            ));
        };
        fn strip<'f>(field: &'f str, name: &str) -> Result<Cow<'f, str>, VerifyError> {
            field
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
                .map(Cow::Borrowed)
                .ok_or_else(|| malformed("Authorization", "fields out of order or misnamed"))
        }
        let claim = Claim {
            credential: strip(credential, "Credential")?,
            amz_date: Cow::Borrowed(request.require("x-amz-date")?),
            signed_headers: strip(signed_headers, "SignedHeaders")?,
            signature: strip(signature, "Signature")?,
        };
        let timestamp = self.check_scope(&claim)?;
        check_window(timestamp, now, self.window)?;
        let names = self.check_signed_headers(request, &claim.signed_headers, true)?;
        let payload_hash = self.payload_hash(request, false)?;
        self.check_signature(request, &claim, &names, &payload_hash, None)?;
        check_body(request, &payload_hash)?;
        Ok(Verified {
            timestamp: Some(timestamp),
            nonce: None,
        })
    }

    fn verify_presigned(
        &self,
        request: &ReceivedRequest<'_>,
        query: &str,
        now: i64,
    ) -> Result<Verified, VerifyError> {
        let algorithm = query_parameter(query, "X-Amz-Algorithm")?;
        if algorithm.as_deref() != Some(ALGORITHM) {
            return Err(malformed("X-Amz-Algorithm", "expected AWS4-HMAC-SHA256"));
        }
        let required = |name: &'static str| {
            query_parameter(query, name)?.ok_or(VerifyError::MissingHeader(name))
        };
        let claim = Claim {
            credential: required("X-Amz-Credential")?,
            amz_date: required("X-Amz-Date")?,
            signed_headers: required("X-Amz-SignedHeaders")?,
            signature: required("X-Amz-Signature")?,
        };
        let expires = parse_canonical_u64("X-Amz-Expires", &required("X-Amz-Expires")?)?;
        if expires == 0 || expires > MAX_PRESIGN_EXPIRY.as_secs() {
            return Err(malformed("X-Amz-Expires", "must be 1 to 604800 seconds"));
        }
        let timestamp = self.check_scope(&claim)?;
        // Not signed too far in the future, and not used after it expires.
        if timestamp > now.saturating_add(self.window) {
            check_window(timestamp, now, self.window)?;
        }
        let expiry = timestamp.saturating_add(expires as i64);
        if now > expiry {
            return Err(VerifyError::Expired {
                timestamp,
                skew: now.saturating_sub(timestamp),
                window: expires as i64,
            });
        }
        let names = self.check_signed_headers(request, &claim.signed_headers, false)?;
        let payload_hash = self.payload_hash(request, true)?;
        self.check_signature(request, &claim, &names, &payload_hash, Some(query))?;
        check_body(request, &payload_hash)?;
        Ok(Verified {
            timestamp: Some(timestamp),
            nonce: None,
        })
    }

    /// Checks `key/date/region/service/aws4_request` and the time, and the session token
    /// the credentials carry; returns the signing time.
    fn check_scope(&self, claim: &Claim<'_>) -> Result<i64, VerifyError> {
        let mut parts = claim.credential.split('/');
        let (Some(key), Some(date), Some(region), Some(service), Some("aws4_request"), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(malformed(
                "Credential",
                "expected key/date/region/service/aws4_request",
            ));
        };
        let credentials = self.scheme.credentials();
        if !constant_time_eq(key.as_bytes(), credentials.access_key_id().as_bytes()) {
            return Err(VerifyError::UnknownKey("access key id"));
        }
        if region != self.scheme.region() || service != self.scheme.service() {
            return Err(malformed("Credential", "another region or service"));
        }
        let timestamp = parse_amz_date(&claim.amz_date)?;
        if !claim.amz_date.starts_with(date) || date.len() != 8 {
            return Err(malformed(
                "Credential",
                "the scope's date is not X-Amz-Date's",
            ));
        }
        Ok(timestamp)
    }

    /// Reads `SignedHeaders`: sorted, lower-case, each sent, and covering every header
    /// that must not travel unsigned.
    fn check_signed_headers<'r>(
        &self,
        request: &ReceivedRequest<'r>,
        signed: &str,
        header_form: bool,
    ) -> Result<Vec<String>, VerifyError> {
        let names: Vec<String> = signed.split(';').map(str::to_owned).collect();
        let well_formed = names.windows(2).all(|pair| pair[0] < pair[1])
            && names.iter().all(|name| {
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !well_formed {
            return Err(malformed(
                "SignedHeaders",
                "names must be lower-case, sorted and given once",
            ));
        }
        let has = |name: &str| names.iter().any(|signed| signed == name);
        if !has("host") || (header_form && !has("x-amz-date")) {
            return Err(malformed("SignedHeaders", "must cover host and x-amz-date"));
        }
        for name in &names {
            if !request.headers().contains_key(name.as_str()) {
                return Err(malformed("SignedHeaders", "names a header not sent"));
            }
        }
        for name in request.headers().keys() {
            let name = name.as_str();
            let must_sign =
                name == "content-type" || name == "content-md5" || name.starts_with("x-amz-");
            if must_sign && !has(name) {
                return Err(malformed(
                    "SignedHeaders",
                    "a header that must be signed is not",
                ));
            }
        }
        Ok(names)
    }

    /// The payload hash the signature covers: `x-amz-content-sha256` as sent (a hash in
    /// its one form, or `UNSIGNED-PAYLOAD`), otherwise the body's hash, or
    /// `UNSIGNED-PAYLOAD` for a presigned S3 URL. A claimed hash is compared with the body
    /// only after the signature ([`check_body`]): a server can then check the signature
    /// of an upload from its head alone, before it reads (and holds) the body.
    fn payload_hash(
        &self,
        request: &ReceivedRequest<'_>,
        presigned: bool,
    ) -> Result<String, VerifyError> {
        match request.header("x-amz-content-sha256")? {
            Some(UNSIGNED_PAYLOAD) => Ok(UNSIGNED_PAYLOAD.to_owned()),
            Some(claimed) => {
                if !is_hex_256(claimed) {
                    return Err(malformed(
                        "x-amz-content-sha256",
                        "is neither UNSIGNED-PAYLOAD nor a lower-case hex SHA-256",
                    ));
                }
                Ok(claimed.to_owned())
            }
            None if self.scheme.sends_content_sha256() && presigned => {
                Ok(UNSIGNED_PAYLOAD.to_owned())
            }
            None if self.scheme.sends_content_sha256() => {
                Err(VerifyError::MissingHeader("x-amz-content-sha256"))
            }
            None => Ok(sha256_hex(request.body()).into_owned()),
        }
    }

    fn check_signature(
        &self,
        request: &ReceivedRequest<'_>,
        claim: &Claim<'_>,
        names: &[String],
        payload_hash: &str,
        presigned_query: Option<&str>,
    ) -> Result<(), VerifyError> {
        let token = self
            .scheme
            .credentials()
            .session_token()
            .map(|t| t.expose());
        let sent_token = match presigned_query {
            Some(query) => query_parameter(query, "X-Amz-Security-Token")?,
            None => request.header("x-amz-security-token")?.map(Cow::Borrowed),
        };
        match (token, sent_token.as_deref()) {
            (None, None) => {}
            (Some(token), Some(sent)) if constant_time_eq(token.as_bytes(), sent.as_bytes()) => {}
            _ => return Err(VerifyError::UnknownKey("session token")),
        }
        let mut headers: Vec<(&str, &[u8])> = Vec::with_capacity(names.len());
        for name in names {
            for value in request.headers().get_all(name.as_str()) {
                headers.push((name, value.as_bytes()));
            }
        }
        let headers = CanonicalHeaders::new(headers);
        let query = match presigned_query {
            Some(query) => canonical_query(query, Some("X-Amz-Signature")),
            None => canonical_query(request.query().unwrap_or(""), None),
        };
        let canonical = canonical_request(
            request.method(),
            &canonical_uri(request.path(), self.scheme.path_rule()),
            &query,
            &headers,
            payload_hash,
        );
        let date = &claim.amz_date[..8];
        let scope = scope(date, self.scheme.region(), self.scheme.service());
        let expected = self
            .scheme
            .signature_over(date, &string_to_sign(&claim.amz_date, &scope, &canonical));
        let claimed = &*claim.signature;
        if !is_hex_256(claimed) || !constant_time_eq(claimed.as_bytes(), expected.as_bytes()) {
            return Err(VerifyError::BadSignature);
        }
        Ok(())
    }
}

impl fmt::Debug for Sigv4Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sigv4Verifier")
            .field("scheme", &self.scheme)
            .field("window", &self.window)
            .finish()
    }
}

impl Verifier for Sigv4Verifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        match request.query() {
            Some(query) if query_parameter(query, "X-Amz-Signature")?.is_some() => {
                if request.headers().contains_key("authorization") {
                    return Err(malformed(
                        "Authorization",
                        "sent with a presigned URL's signature",
                    ));
                }
                self.verify_presigned(request, query, now)
            }
            _ => self.verify_header(request, now),
        }
    }
}

/// Checks the body received against the payload hash the signature covered.
fn check_body(request: &ReceivedRequest<'_>, payload_hash: &str) -> Result<(), VerifyError> {
    if payload_hash != UNSIGNED_PAYLOAD && sha256_hex(request.body()) != payload_hash {
        return Err(malformed(
            "x-amz-content-sha256",
            "is not the SHA-256 of the body received",
        ));
    }
    Ok(())
}

/// A query parameter's decoded value; `None` when absent, refused when given twice.
fn query_parameter<'q>(
    query: &'q str,
    name: &'static str,
) -> Result<Option<Cow<'q, str>>, VerifyError> {
    let mut found = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != name {
            continue;
        }
        if found.is_some() {
            return Err(malformed(name, "given twice"));
        }
        let decoded = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map_err(|_| malformed(name, "not UTF-8"))?;
        found = Some(decoded);
    }
    Ok(found)
}

/// `YYYYMMDD'T'HHMMSS'Z'` to Unix seconds, refusing any other form.
fn parse_amz_date(text: &str) -> Result<i64, VerifyError> {
    let bad = || malformed("X-Amz-Date", "expected YYYYMMDDTHHMMSSZ");
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return Err(bad());
    }
    let digits = |range: std::ops::Range<usize>| -> Result<u32, VerifyError> {
        let part = &text[range];
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let year = i32::try_from(digits(0..4)?).map_err(|_| bad())?;
    let month =
        Month::try_from(u8::try_from(digits(4..6)?).map_err(|_| bad())?).map_err(|_| bad())?;
    let day = u8::try_from(digits(6..8)?).map_err(|_| bad())?;
    let hour = u8::try_from(digits(9..11)?).map_err(|_| bad())?;
    let minute = u8::try_from(digits(11..13)?).map_err(|_| bad())?;
    let second = u8::try_from(digits(13..15)?).map_err(|_| bad())?;
    let date = Date::from_calendar_date(year, month, day).map_err(|_| bad())?;
    let time = Time::from_hms(hour, minute, second).map_err(|_| bad())?;
    Ok(PrimitiveDateTime::new(date, time)
        .assume_utc()
        .unix_timestamp())
}

fn malformed(what: &'static str, why: &str) -> VerifyError {
    VerifyError::Malformed {
        what,
        why: why.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_are_read_in_one_form_only() {
        assert_eq!(parse_amz_date("20150830T123600Z").unwrap(), 1_440_938_160);
        for bad in [
            "20150830T123600",
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "20150830T246000Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
        ] {
            assert!(parse_amz_date(bad).is_err(), "{bad}");
        }
    }
}
