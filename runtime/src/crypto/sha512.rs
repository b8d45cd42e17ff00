//! SHA-512 fed piece by piece, over RustCrypto's block function.
//!
//! Armor needs SHA-512 twice per call (the body, then the HMAC), on inputs of one or two
//! blocks, so the cost is the block function plus whatever surrounds it. Measured side by
//! side (`cargo bench --bench sha512`, BENCHMARKS.md), `sha2`'s block function (AVX2 on
//! x86-64 when the CPU has it) is as fast per block as aws-lc's, and owning the state
//! around it lets the HMAC keep its keyed states ready and wipe them on drop, which neither
//! `hmac` nor aws-lc's per-message context copy offers without overhead.

use sha2::digest::consts::U128;
use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroize;

pub(crate) const BLOCK_LEN: usize = 128;
/// Where the 128-bit message length goes in the last block.
const LENGTH_AT: usize = BLOCK_LEN - 16;

/// The initial hash value of SHA-512 (FIPS 180-4, 5.3.5).
const INITIAL_STATE: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

/// A SHA-512 computation in progress. Its state is wiped on drop: once keyed by an HMAC it
/// is as good as the key.
#[derive(Clone)]
pub(crate) struct Sha512 {
    state: [u64; 8],
    pending: [u8; BLOCK_LEN],
    pending_len: usize,
    /// Bytes fed so far (the standard counts bits, in 128 bits: bytes in a `u128` cannot
    /// overflow when multiplied by 8 for any message a machine can hold).
    total_len: u128,
}

impl Sha512 {
    pub(crate) fn new() -> Self {
        Sha512 {
            state: INITIAL_STATE,
            pending: [0; BLOCK_LEN],
            pending_len: 0,
            total_len: 0,
        }
    }

    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        self.total_len += bytes.len() as u128;
        if self.pending_len > 0 {
            let take = (BLOCK_LEN - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < BLOCK_LEN {
                return;
            }
            compress(&mut self.state, &self.pending);
            self.pending_len = 0;
        }
        let mut blocks = bytes.chunks_exact(BLOCK_LEN);
        for block in &mut blocks {
            compress(&mut self.state, block);
        }
        let rest = blocks.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// Pads (a 1 bit, zeros, the length in bits) and gives the digest.
    pub(crate) fn finish(mut self) -> [u8; 64] {
        let bit_len = self.total_len * 8;
        let at = self.pending_len;
        self.pending[at] = 0x80;
        self.pending[at + 1..].fill(0);
        if at + 1 > LENGTH_AT {
            compress(&mut self.state, &self.pending);
            self.pending.fill(0);
        }
        self.pending[LENGTH_AT..].copy_from_slice(&bit_len.to_be_bytes());
        compress(&mut self.state, &self.pending);
        let mut digest = [0u8; 64];
        for (out, word) in digest.chunks_exact_mut(8).zip(self.state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

impl Drop for Sha512 {
    fn drop(&mut self) {
        self.state.zeroize();
        self.pending.zeroize();
    }
}

/// SHA-512 of `bytes` in one go.
pub(crate) fn sha512(bytes: &[u8]) -> [u8; 64] {
    let mut hash = Sha512::new();
    hash.update(bytes);
    hash.finish()
}

fn compress(state: &mut [u64; 8], block: &[u8]) {
    let block: &GenericArray<u8, U128> = GenericArray::from_slice(block);
    sha2::compress512(state, std::slice::from_ref(block));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::tests::hex;
    use proptest::prelude::*;
    use sha2::Digest;

    /// FIPS 180-4's examples: one block, and two blocks (896 bits, so the padding spills
    /// into a second block).
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
    }

    #[test]
    fn every_length_around_the_block_and_padding_edges() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(3 * BLOCK_LEN + 1).collect();
        for len in 0..bytes.len() {
            assert_eq!(
                sha512(&bytes[..len]),
                <[u8; 64]>::from(sha2::Sha512::digest(&bytes[..len])),
                "length {len}"
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
            let mut hash = Sha512::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([message.len()]) {
                hash.update(&message[from..cut]);
                from = cut;
            }
            prop_assert_eq!(hash.finish(), <[u8; 64]>::from(sha2::Sha512::digest(&message)));
        }
    }
}
