//! Fresh per-request values for the schemes that need them (Armor's nonce, Qredo's
//! `x-nonce` mode). Injectable, so tests can pin them.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rand_core::{OsRng, RngCore};

/// Makes the nonce of one request, given the timestamp it is signed with.
pub trait NonceSource: Send + Sync + 'static {
    /// A nonce for a request signed at `timestamp` (Unix seconds).
    fn nonce(&self, timestamp: i64) -> String;
}

/// A random UUID v4 in its hyphenated form (Armor's default).
#[derive(Debug, Clone, Copy, Default)]
pub struct UuidV4Nonce;

impl NonceSource for UuidV4Nonce {
    fn nonce(&self, _timestamp: i64) -> String {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
            .to_string()
    }
}

/// Random ASCII letters and digits of a fixed length.
#[derive(Debug, Clone, Copy)]
pub struct AlphanumericNonce {
    len: usize,
}

impl AlphanumericNonce {
    /// Nonces of `len` characters (clamped to 8..=128: shorter ones collide, Armor takes
    /// at most 128).
    pub fn new(len: usize) -> Self {
        AlphanumericNonce {
            len: len.clamp(8, 128),
        }
    }
}

impl Default for AlphanumericNonce {
    fn default() -> Self {
        Self::new(16)
    }
}

impl NonceSource for AlphanumericNonce {
    fn nonce(&self, _timestamp: i64) -> String {
        const ALPHABET: &[u8; 62] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut out = String::with_capacity(self.len);
        while out.len() < self.len {
            let mut byte = [0u8; 1];
            OsRng.fill_bytes(&mut byte);
            // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
            if byte[0] < 248 {
                out.push(ALPHABET[(byte[0] % 62) as usize] as char);
            }
        }
        out
    }
}

/// The timestamp itself, as one Armor page demands. Two requests in the same second then
/// share a nonce, which a server that refuses replays will refuse.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimestampNonce;

impl NonceSource for TimestampNonce {
    fn nonce(&self, timestamp: i64) -> String {
        timestamp.to_string()
    }
}

/// A strictly increasing integer (Qredo's `x-nonce` mode): microseconds since the epoch,
/// bumped by one when two requests fall in the same microsecond, so it keeps increasing
/// across restarts as long as the system clock does.
#[derive(Debug, Default)]
pub struct IncreasingNonce {
    last: AtomicU64,
}

impl NonceSource for IncreasingNonce {
    fn nonce(&self, _timestamp: i64) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_micros() as u64)
            .unwrap_or(0);
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = now.max(last + 1);
            match self
                .last
                .compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return next.to_string(),
                Err(seen) => last = seen,
            }
        }
    }
}

/// Always the same nonce: tests and test vectors only.
#[derive(Clone, PartialEq, Eq)]
pub struct FixedNonce(pub String);

impl NonceSource for FixedNonce {
    fn nonce(&self, _timestamp: i64) -> String {
        self.0.clone()
    }
}

impl fmt::Debug for FixedNonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FixedNonce").field(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_nonces_are_v4_and_distinct() {
        let a = UuidV4Nonce.nonce(0);
        let b = UuidV4Nonce.nonce(0);
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn alphanumeric_nonces_have_the_asked_length() {
        let nonce = AlphanumericNonce::new(24).nonce(0);
        assert_eq!(nonce.len(), 24);
        assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(AlphanumericNonce::new(500).nonce(0).len(), 128);
    }

    #[test]
    fn increasing_nonces_increase() {
        let source = IncreasingNonce::default();
        let mut previous = 0u64;
        for _ in 0..1000 {
            let next: u64 = source.nonce(0).parse().unwrap();
            assert!(next > previous);
            previous = next;
        }
    }

    #[test]
    fn timestamp_nonce_is_the_timestamp() {
        assert_eq!(TimestampNonce.nonce(1_528_140_529), "1528140529");
    }
}
