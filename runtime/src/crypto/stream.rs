//! SHA-256 and SHA-512 fed piece by piece, over RustCrypto's block functions.
//!
//! Armor needs SHA-512 twice per call (the body, then the HMAC) and SigV4 HMAC-SHA256
//! once, on inputs of one or two blocks, so the cost is the block function plus whatever
//! surrounds it. Measured side by side (`cargo bench --bench sha512`, BENCHMARKS.md),
//! `sha2`'s block functions (SHA-NI and AVX2 on x86-64 when the CPU has them) are as fast
//! per block as aws-lc's; owning the state around them lets an HMAC keep its keyed states
//! ready and wipe them on drop, which neither `hmac` nor aws-lc's per-message context copy
//! offers.

use sha2::digest::consts::{U64, U128};
use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroize;

/// What differs between the two hashes: sizes, initial state, the block function.
pub(crate) trait BlockFunction: Clone {
    /// The chaining state, eight words.
    type State: Copy + Zeroize;
    /// A block, as bytes.
    type Block: Copy + Zeroize + AsRef<[u8]> + AsMut<[u8]>;
    /// A digest, as bytes.
    type Digest: Copy + Zeroize + AsRef<[u8]> + AsMut<[u8]>;
    const BLOCK_LEN: usize;
    /// The bytes of the message length (in bits) at the end of the last block.
    const LENGTH_LEN: usize;
    const INITIAL: Self::State;
    const ZERO_BLOCK: Self::Block;
    const ZERO_DIGEST: Self::Digest;
    fn compress(state: &mut Self::State, block: &[u8]);
    fn write_digest(state: &Self::State, out: &mut [u8]);
}

/// SHA-256 (FIPS 180-4, 6.2).
#[derive(Clone)]
pub(crate) struct Sha256Blocks;

impl BlockFunction for Sha256Blocks {
    type State = [u32; 8];
    type Block = [u8; 64];
    type Digest = [u8; 32];
    const BLOCK_LEN: usize = 64;
    const LENGTH_LEN: usize = 8;
    const INITIAL: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];
    const ZERO_BLOCK: [u8; 64] = [0; 64];
    const ZERO_DIGEST: [u8; 32] = [0; 32];

    fn compress(state: &mut [u32; 8], block: &[u8]) {
        let block: &GenericArray<u8, U64> = GenericArray::from_slice(block);
        sha2::compress256(state, std::slice::from_ref(block));
    }

    fn write_digest(state: &[u32; 8], out: &mut [u8]) {
        for (out, word) in out.chunks_exact_mut(4).zip(state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
    }
}

/// SHA-512 (FIPS 180-4, 6.4).
#[derive(Clone)]
pub(crate) struct Sha512Blocks;

impl BlockFunction for Sha512Blocks {
    type State = [u64; 8];
    type Block = [u8; 128];
    type Digest = [u8; 64];
    const BLOCK_LEN: usize = 128;
    const LENGTH_LEN: usize = 16;
    const INITIAL: [u64; 8] = [
        0x6a09_e667_f3bc_c908,
        0xbb67_ae85_84ca_a73b,
        0x3c6e_f372_fe94_f82b,
        0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1,
        0x9b05_688c_2b3e_6c1f,
        0x1f83_d9ab_fb41_bd6b,
        0x5be0_cd19_137e_2179,
    ];
    const ZERO_BLOCK: [u8; 128] = [0; 128];
    const ZERO_DIGEST: [u8; 64] = [0; 64];

    fn compress(state: &mut [u64; 8], block: &[u8]) {
        let block: &GenericArray<u8, U128> = GenericArray::from_slice(block);
        sha2::compress512(state, std::slice::from_ref(block));
    }

    fn write_digest(state: &[u64; 8], out: &mut [u8]) {
        for (out, word) in out.chunks_exact_mut(8).zip(state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
    }
}

/// A hash in progress. Its state is wiped on drop: once keyed by an HMAC it is as good as
/// the key.
#[derive(Clone)]
pub(crate) struct Stream<C: BlockFunction> {
    state: C::State,
    pending: C::Block,
    pending_len: usize,
    /// Bytes fed so far (the length in bits fits in 128 bits for any message a machine
    /// can hold).
    total_len: u128,
}

impl<C: BlockFunction> Stream<C> {
    pub(crate) fn new() -> Self {
        Stream {
            state: C::INITIAL,
            pending: C::ZERO_BLOCK,
            pending_len: 0,
            total_len: 0,
        }
    }

    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        self.total_len += bytes.len() as u128;
        if self.pending_len > 0 {
            let take = (C::BLOCK_LEN - self.pending_len).min(bytes.len());
            self.pending.as_mut()[self.pending_len..self.pending_len + take]
                .copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < C::BLOCK_LEN {
                return;
            }
            C::compress(&mut self.state, self.pending.as_ref());
            self.pending_len = 0;
        }
        let mut blocks = bytes.chunks_exact(C::BLOCK_LEN);
        for block in &mut blocks {
            C::compress(&mut self.state, block);
        }
        let rest = blocks.remainder();
        self.pending.as_mut()[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// Pads (a 1 bit, zeros, the length in bits) and gives the digest.
    pub(crate) fn finish(mut self) -> C::Digest {
        let length_at = C::BLOCK_LEN - C::LENGTH_LEN;
        let bit_len = (self.total_len * 8).to_be_bytes();
        let at = self.pending_len;
        self.pending.as_mut()[at] = 0x80;
        self.pending.as_mut()[at + 1..].fill(0);
        if at + 1 > length_at {
            C::compress(&mut self.state, self.pending.as_ref());
            self.pending.as_mut().fill(0);
        }
        self.pending.as_mut()[length_at..].copy_from_slice(&bit_len[16 - C::LENGTH_LEN..]);
        C::compress(&mut self.state, self.pending.as_ref());
        let mut digest = C::ZERO_DIGEST;
        C::write_digest(&self.state, digest.as_mut());
        digest
    }
}

impl<C: BlockFunction> Drop for Stream<C> {
    fn drop(&mut self) {
        self.state.zeroize();
        self.pending.zeroize();
    }
}

/// The hash of `bytes` in one go.
pub(crate) fn hash<C: BlockFunction>(bytes: &[u8]) -> C::Digest {
    let mut stream = Stream::<C>::new();
    stream.update(bytes);
    stream.finish()
}

/// SHA-512 of `bytes` in one go.
pub(crate) fn sha512(bytes: &[u8]) -> [u8; 64] {
    hash::<Sha512Blocks>(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::tests::hex;
    use proptest::prelude::*;
    use sha2::Digest;

    /// FIPS 180-4's examples: one block, and two (the padding spills into a second block).
    #[test]
    fn matches_the_standards_examples() {
        assert_eq!(
            hex(&sha512(b"abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(
            hex(&sha512(
                b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno\
                  ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
            )),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018\
             501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
        );
        assert_eq!(
            hex(&hash::<Sha256Blocks>(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&hash::<Sha256Blocks>(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn every_length_around_the_block_and_padding_edges() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(3 * 128 + 1).collect();
        for len in 0..bytes.len() {
            let message = &bytes[..len];
            assert_eq!(
                sha512(message),
                <[u8; 64]>::from(sha2::Sha512::digest(message)),
                "SHA-512, length {len}"
            );
            assert_eq!(
                hash::<Sha256Blocks>(message),
                <[u8; 32]>::from(sha2::Sha256::digest(message)),
                "SHA-256, length {len}"
            );
        }
    }

    proptest! {
        /// However a message is cut into pieces, the digest is the reference one.
        #[test]
        fn pieces_do_not_change_the_digest(
            message in proptest::collection::vec(any::<u8>(), 0..600),
            cuts in proptest::collection::vec(0usize..600, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(message.len())).collect();
            cuts.sort_unstable();
            let mut long = Stream::<Sha512Blocks>::new();
            let mut short = Stream::<Sha256Blocks>::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([message.len()]) {
                long.update(&message[from..cut]);
                short.update(&message[from..cut]);
                from = cut;
            }
            prop_assert_eq!(long.finish(), <[u8; 64]>::from(sha2::Sha512::digest(&message)));
            prop_assert_eq!(short.finish(), <[u8; 32]>::from(sha2::Sha256::digest(&message)));
        }
    }
}
