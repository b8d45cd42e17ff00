//! The string to sign: the algorithm, the time, the scope and the canonical request's
//! SHA-256, one per line.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::ALGORITHM;
use crate::crypto::lower_hex;
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
    Ok(format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    ))
}

/// The lower-case hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    lower_hex(&Sha256::digest(bytes), &mut out);
    out
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
    lower_hex(&Sha256::digest(canonical_request.as_bytes()), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_basic_iso_8601_in_utc() {
        assert_eq!(amz_date(1_440_938_160).unwrap(), "20150830T123600Z");
        assert_eq!(amz_date(0).unwrap(), "19700101T000000Z");
        assert!(amz_date(i64::MAX).is_err());
        assert!(amz_date(-62_167_219_201).is_err()); // year -1
    }
}
