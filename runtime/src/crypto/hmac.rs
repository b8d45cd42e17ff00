//! HMAC (RFC 2104) with the key's two blocks hashed once.
//!
//! An HMAC hashes `key ⊕ ipad` and `key ⊕ opad` before every message; both are a whole
//! block, and for the short messages signed here they are a third of the work. The states
//! after those blocks are kept and copied per message instead. They are equivalent to the
//! key (anyone holding them can sign), so they, and each copy, are wiped on drop
//! ([`Stream`] does it) like the key itself.

use zeroize::Zeroizing;

use super::stream::{BlockFunction, Sha256Blocks, Sha512Blocks, Stream, hash};

/// An HMAC key, ready to sign.
#[derive(Clone)]
pub(crate) struct Hmac<C: BlockFunction> {
    inner: Stream<C>,
    outer: Stream<C>,
}

/// Armor's MAC.
pub(crate) type HmacSha512 = Hmac<Sha512Blocks>;
/// SigV4's MAC (the key derivation and the signature).
pub(crate) type HmacSha256 = Hmac<Sha256Blocks>;

impl<C: BlockFunction> Hmac<C> {
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = Zeroizing::new(C::ZERO_BLOCK);
        if key.len() > C::BLOCK_LEN {
            // A key longer than a block is replaced by its hash (RFC 2104, section 2).
            let hashed = Zeroizing::new(hash::<C>(key));
            let hashed = hashed.as_ref();
            block.as_mut()[..hashed.len()].copy_from_slice(hashed);
        } else {
            block.as_mut()[..key.len()].copy_from_slice(key);
        }
        Hmac {
            inner: keyed::<C>(&block, 0x36),
            outer: keyed::<C>(&block, 0x5c),
        }
    }

    /// The MAC of the concatenation of `parts`.
    pub(crate) fn sign(&self, parts: &[&[u8]]) -> C::Digest {
        let mut inner = self.inner.clone();
        for part in parts {
            inner.update(part);
        }
        let inner = inner.finish();
        let mut outer = self.outer.clone();
        outer.update(inner.as_ref());
        outer.finish()
    }
}

/// A hash that has already taken the key block XORed with `pad`.
fn keyed<C: BlockFunction>(key_block: &C::Block, pad: u8) -> Stream<C> {
    let mut padded = Zeroizing::new(*key_block);
    padded.as_mut().iter_mut().for_each(|byte| *byte ^= pad);
    let mut stream = Stream::new();
    stream.update(padded.as_ref());
    stream
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::tests::hex;
    use hmac::Mac;
    use proptest::prelude::*;

    /// RFC 4231, test case 2, for both hashes.
    #[test]
    fn matches_rfc_4231_case_2() {
        let parts: [&[u8]; 2] = [b"what do ya want ", b"for nothing?"];
        assert_eq!(
            hex(&HmacSha512::new(b"Jefe").sign(&parts)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
        assert_eq!(
            hex(&HmacSha256::new(b"Jefe").sign(&parts)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// A key longer than a block is hashed first (RFC 2104, section 2).
    #[test]
    fn a_key_longer_than_a_block_is_hashed_first() {
        let long = [b'k'; 131];
        let message = b"Test Using Larger Than Block-Size Key - Hash Key First";
        let mut reference = hmac::Hmac::<sha2::Sha512>::new_from_slice(&long).unwrap();
        reference.update(message);
        assert_eq!(
            HmacSha512::new(&long).sign(&[message]),
            <[u8; 64]>::from(reference.finalize().into_bytes())
        );
        let mut reference = hmac::Hmac::<sha2::Sha256>::new_from_slice(&long).unwrap();
        reference.update(message);
        assert_eq!(
            HmacSha256::new(&long).sign(&[message]),
            <[u8; 32]>::from(reference.finalize().into_bytes())
        );
    }

    proptest! {
        /// Any key length (below, at and above a block) and any message: RustCrypto's HMAC
        /// gives the same MAC, for both hashes.
        #[test]
        fn agrees_with_the_reference_hmac(
            key in proptest::collection::vec(any::<u8>(), 0..300),
            message in proptest::collection::vec(any::<u8>(), 0..400),
            split in 0usize..400,
        ) {
            let split = split.min(message.len());
            let parts = [&message[..split], &message[split..]];
            let mut reference = hmac::Hmac::<sha2::Sha512>::new_from_slice(&key).unwrap();
            reference.update(&message);
            prop_assert_eq!(
                HmacSha512::new(&key).sign(&parts),
                <[u8; 64]>::from(reference.finalize().into_bytes())
            );
            let mut reference = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
            reference.update(&message);
            prop_assert_eq!(
                HmacSha256::new(&key).sign(&parts),
                <[u8; 32]>::from(reference.finalize().into_bytes())
            );
        }
    }
}
