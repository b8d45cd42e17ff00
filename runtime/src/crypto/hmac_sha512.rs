//! HMAC-SHA512 (RFC 2104) with the key's two blocks hashed once.
//!
//! An HMAC hashes `key ⊕ ipad` and `key ⊕ opad` before every message; both are a whole
//! block, and for Armor's short messages they are a third of the work. The states after
//! those blocks are kept and copied per message instead. They are equivalent to the key
//! (anyone holding them can forge MACs), so they are wiped on drop like the key itself.

use zeroize::Zeroizing;

use super::sha512::{BLOCK_LEN, Sha512, sha512};
use crate::secret::Secret;

/// An HMAC-SHA512 key, ready to sign.
pub(crate) struct HmacSha512 {
    inner: Sha512,
    outer: Sha512,
}

impl HmacSha512 {
    pub(crate) fn new(secret: &Secret) -> Self {
        let key = secret.expose().as_bytes();
        let mut block = Zeroizing::new([0u8; BLOCK_LEN]);
        if key.len() > BLOCK_LEN {
            // A key longer than a block is replaced by its hash (RFC 2104, section 2).
            let hashed = Zeroizing::new(sha512(key));
            block[..hashed.len()].copy_from_slice(hashed.as_ref());
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        HmacSha512 {
            inner: keyed(&block, 0x36),
            outer: keyed(&block, 0x5c),
        }
    }

    /// The MAC of the concatenation of `parts`.
    pub(crate) fn sign(&self, parts: &[&[u8]]) -> [u8; 64] {
        let mut inner = self.inner.clone();
        for part in parts {
            inner.update(part);
        }
        let inner = inner.finish();
        let mut outer = self.outer.clone();
        outer.update(&inner);
        outer.finish()
    }
}

/// A hash that has already taken the key block XORed with `pad`.
fn keyed(key_block: &[u8; BLOCK_LEN], pad: u8) -> Sha512 {
    let mut padded = Zeroizing::new(*key_block);
    padded.iter_mut().for_each(|byte| *byte ^= pad);
    let mut hash = Sha512::new();
    hash.update(padded.as_ref());
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::tests::hex;
    use hmac::Mac;
    use proptest::prelude::*;

    #[test]
    fn matches_rfc_4231_case_2() {
        let key = HmacSha512::new(&Secret::new("Jefe"));
        assert_eq!(
            hex(&key.sign(&[b"what do ya want ", b"for nothing?"])),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    /// A key longer than a block is hashed first (RFC 2104, section 2).
    #[test]
    fn a_key_longer_than_a_block_is_hashed_first() {
        let long = "k".repeat(BLOCK_LEN + 3);
        let message = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let mut reference = hmac::Hmac::<sha2::Sha512>::new_from_slice(long.as_bytes()).unwrap();
        reference.update(message);
        assert_eq!(
            HmacSha512::new(&Secret::new(long)).sign(&[message]),
            <[u8; 64]>::from(reference.finalize().into_bytes())
        );
    }

    proptest! {
        /// Any key length (below, at and above a block) and any message: RustCrypto's HMAC
        /// gives the same MAC.
        #[test]
        fn agrees_with_the_reference_hmac(
            key in "[ -~]{0,300}",
            message in proptest::collection::vec(any::<u8>(), 0..400),
            split in 0usize..400,
        ) {
            let split = split.min(message.len());
            let ours = HmacSha512::new(&Secret::new(key.clone()))
                .sign(&[&message[..split], &message[split..]]);
            let mut reference = hmac::Hmac::<sha2::Sha512>::new_from_slice(key.as_bytes()).unwrap();
            reference.update(&message);
            prop_assert_eq!(ours, <[u8; 64]>::from(reference.finalize().into_bytes()));
        }
    }
}
