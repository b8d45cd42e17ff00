//! The symmetric primitives of Armor and SigV4, behind one small interface so that each
//! implementation is chosen in one place: SHA-256 from aws-lc-rs when the `aws-lc` feature
//! is on (it uses the CPU's SHA extensions), RustCrypto's otherwise; SHA-512 and the two
//! HMACs over RustCrypto's block functions in every build (`stream.rs` says why).

mod hmac;
mod stream;

pub(crate) use hmac::{HmacSha256, HmacSha512};
pub(crate) use stream::sha512;

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

/// Lowercase hex of `bytes`.
pub(crate) fn lower_hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(DIGITS[(byte >> 4) as usize] as char);
        out.push(DIGITS[(byte & 0xf) as usize] as char);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Lower-case hex, for comparing digests with published ones.
    pub(crate) fn hex(bytes: &[u8]) -> String {
        let mut out = String::new();
        lower_hex(bytes, &mut out);
        out
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
