//! The string to sign: the algorithm, the time, the scope and the canonical request's
//! SHA-256, one per line.

use std::borrow::Cow;

use time::OffsetDateTime;

use super::ALGORITHM;
use crate::crypto::{lower_hex, sha256};
use crate::error::{Error, Result};

/// `YYYYMMDD'T'HHMMSS'Z'` (`X-Amz-Date`) for a Unix time.
pub(crate) fn amz_date(timestamp: i64) -> Result<String> {
    let time = OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .filter(|time| (0..=9999).contains(&time.year()))
        .ok_or_else(|| {
            Error::Signing(format!(
                "the time {timestamp} has no four-digit-year date to sign"
            ))
        })?;
    // Written digit by digit: this runs for every signature, and `format!` costs more
    // than the rest of the date.
    fn push(out: &mut String, value: u32, width: u32) {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        }
    }
    let mut out = String::with_capacity(16);
    push(&mut out, time.year() as u32, 4);
    push(&mut out, u32::from(u8::from(time.month())), 2);
    push(&mut out, u32::from(time.day()), 2);
    out.push('T');
    push(&mut out, u32::from(time.hour()), 2);
    push(&mut out, u32::from(time.minute()), 2);
    push(&mut out, u32::from(time.second()), 2);
    out.push('Z');
    Ok(out)
}

/// The SHA-256 of nothing: the payload hash of every request without a body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The lower-case hex SHA-256 of `bytes`; the constant, not a copy, for no bytes (every
/// GET).
pub(crate) fn sha256_hex(bytes: &[u8]) -> Cow<'static, str> {
    if bytes.is_empty() {
        return Cow::Borrowed(EMPTY_SHA256);
    }
    let mut out = String::with_capacity(64);
    lower_hex(&sha256(bytes), &mut out);
    Cow::Owned(out)
}

/// Whether `text` is a SHA-256 or HMAC-SHA256 in the one form SigV4 writes it: 64
/// lower-case hex digits (payload hashes and signatures alike).
pub(crate) fn is_hex_256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `date/region/service/aws4_request`, the credential scope.
pub(crate) fn scope(date: &str, region: &str, service: &str) -> String {
    let mut out = String::with_capacity(date.len() + region.len() + service.len() + 15);
    for part in [date, "/", region, "/", service, "/aws4_request"] {
        out.push_str(part);
    }
    out
}

/// The string to sign for `canonical_request` at `amz_date` in `scope`.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    let mut out = String::with_capacity(ALGORITHM.len() + amz_date.len() + scope.len() + 67);
    for part in [ALGORITHM, "\n", amz_date, "\n", scope, "\n"] {
        out.push_str(part);
    }
    lower_hex(&sha256(canonical_request.as_bytes()), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha256_hex_uncached(bytes: &[u8]) -> String {
        use sha2::Digest;
        let mut out = String::new();
        lower_hex(&sha2::Sha256::digest(bytes), &mut out);
        out
    }

    #[test]
    fn dates_are_basic_iso_8601_in_utc() {
        assert_eq!(amz_date(1_440_938_160).unwrap(), "20150830T123600Z");
        assert_eq!(amz_date(0).unwrap(), "19700101T000000Z");
        assert_eq!(amz_date(253_402_300_799).unwrap(), "99991231T235959Z");
        assert_eq!(sha256_hex(b""), sha256_hex_uncached(b""));
        assert!(amz_date(i64::MAX).is_err());
        assert!(amz_date(-62_167_219_201).is_err()); // year -1
    }
}
