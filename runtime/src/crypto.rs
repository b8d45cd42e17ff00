//! The symmetric primitives of OVH and Armor, behind one small interface so that the fast
//! implementation (aws-lc-rs, assembly, when the `aws-lc` feature is on) and the portable
//! one (RustCrypto) are chosen in one place.

use crate::secret::Secret;

/// SHA-512 of `bytes`.
pub(crate) fn sha512(bytes: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    #[cfg(feature = "aws-lc")]
    out.copy_from_slice(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, bytes).as_ref());
    #[cfg(not(feature = "aws-lc"))]
    {
        use sha2::Digest;
        out.copy_from_slice(&sha2::Sha512::digest(bytes));
    }
    out
}

/// SHA-256 of `bytes` (SigV4's payload and canonical-request hashes).
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    #[cfg(feature = "aws-lc")]
    out.copy_from_slice(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes).as_ref());
    #[cfg(not(feature = "aws-lc"))]
    {
        use sha2::Digest;
        out.copy_from_slice(&sha2::Sha256::digest(bytes));
    }
    out
}

/// An HMAC-SHA512 key. With aws-lc-rs the key schedule is computed once and wiped on
/// drop; the portable path keys a fresh HMAC per message from the (zeroized) secret, so
/// that no unwiped key material outlives a call.
pub(crate) struct HmacSha512 {
    #[cfg(feature = "aws-lc")]
    key: aws_lc_rs::hmac::Key,
    #[cfg(not(feature = "aws-lc"))]
    secret: Secret,
}

impl HmacSha512 {
    pub(crate) fn new(secret: &Secret) -> Self {
        HmacSha512 {
            #[cfg(feature = "aws-lc")]
            key: aws_lc_rs::hmac::Key::new(
                aws_lc_rs::hmac::HMAC_SHA512,
                secret.expose().as_bytes(),
            ),
            #[cfg(not(feature = "aws-lc"))]
            secret: secret.clone(),
        }
    }

    /// The MAC of the concatenation of `parts`.
    pub(crate) fn sign(&self, parts: &[&[u8]]) -> [u8; 64] {
        let mut out = [0u8; 64];
        #[cfg(feature = "aws-lc")]
        {
            let mut context = aws_lc_rs::hmac::Context::with_key(&self.key);
            for part in parts {
                context.update(part);
            }
            out.copy_from_slice(context.sign().as_ref());
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            use hmac::Mac;
            let mut mac =
                hmac::Hmac::<sha2::Sha512>::new_from_slice(self.secret.expose().as_bytes())
                    .expect("HMAC takes keys of any length");
            for part in parts {
                mac.update(part);
            }
            out.copy_from_slice(&mac.finalize().into_bytes());
        }
        out
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn lower_hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(DIGITS[(byte >> 4) as usize] as char);
        out.push(DIGITS[(byte & 0xf) as usize] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha512_matches_rfc_4231_case_2() {
        let key = HmacSha512::new(&Secret::new("Jefe"));
        let mac = key.sign(&[b"what do ya want ", b"for nothing?"]);
        let mut hex = String::new();
        lower_hex(&mac, &mut hex);
        assert_eq!(
            hex,
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn sha512_of_the_empty_string() {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(sha512(b""));
        assert_eq!(
            encoded,
            "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
        );
    }
}
