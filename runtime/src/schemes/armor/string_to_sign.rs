//! The string both sides sign, in its six pieces, and what a nonce may contain.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::MAX_NONCE_LEN;
use crate::crypto::sha512;
use crate::decimal::Decimal;
use crate::error::Result;
use crate::scheme::upper_case;
use crate::scheme::{SignableRequest, StringToSign, Visibility};

pub(super) fn check_nonce(nonce: &str) -> Result<(), String> {
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

/// The length of a SHA-512 in base64: 64 bytes, 88 characters with padding.
const BODY_HASH_LEN: usize = 88;

/// The string Armor signs, kept in its six pieces so it can be fed to the HMAC without
/// being joined first, and with the pieces it computes (timestamp, body hash) on the stack:
/// signing allocates nothing here. Nothing in it is secret: the key id names the key, it is
/// not the key.
pub(super) struct ArmorString<'a> {
    key_id: &'a str,
    method: Cow<'a, str>,
    path: &'a str,
    nonce: &'a str,
    timestamp: Decimal,
    body_hash: [u8; BODY_HASH_LEN],
    /// 0 for an empty body (Armor signs nothing for it), else `BODY_HASH_LEN`.
    body_hash_len: usize,
}

impl<'a> ArmorString<'a> {
    /// The string for a request signed by a client (whose method is upper-cased here).
    pub(super) fn for_request(
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

    pub(super) fn new(
        key_id: &'a str,
        method: Cow<'a, str>,
        path: &'a str,
        body: &[u8],
        nonce: &'a str,
        timestamp: i64,
    ) -> Self {
        let mut body_hash = [0u8; BODY_HASH_LEN];
        let body_hash_len = if body.is_empty() {
            0
        } else {
            // 64 bytes always encode to exactly 88 characters, which is the buffer's size.
            STANDARD
                .encode_slice(sha512(body), &mut body_hash)
                .unwrap_or_default()
        };
        ArmorString {
            key_id,
            method,
            path,
            nonce,
            timestamp: Decimal::new(timestamp),
            body_hash,
            body_hash_len,
        }
    }

    /// The timestamp as it is signed (and as it goes in the header).
    pub(super) fn timestamp(&self) -> &str {
        self.timestamp.as_str()
    }

    pub(super) fn parts(&self) -> [&[u8]; 6] {
        [
            self.key_id.as_bytes(),
            self.method.as_bytes(),
            self.path.as_bytes(),
            self.nonce.as_bytes(),
            self.timestamp.as_bytes(),
            &self.body_hash[..self.body_hash_len],
        ]
    }

    pub(super) fn to_string_to_sign(&self) -> StringToSign {
        StringToSign::from_parts(self.parts().map(|part| (Visibility::Public, part)))
    }
}
