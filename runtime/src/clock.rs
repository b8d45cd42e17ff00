//! Time as the signer sees it: a time source (the system clock, or a fixed one in tests)
//! plus an offset learned from the server, so that a machine whose clock drifts still
//! signs with the server's time.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Where "now" comes from, in Unix seconds.
pub trait TimeSource: Send + Sync + 'static {
    /// Seconds since the Unix epoch.
    fn unix_seconds(&self) -> i64;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemTimeSource;

impl TimeSource for SystemTimeSource {
    fn unix_seconds(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(elapsed) => elapsed.as_secs() as i64,
            Err(before) => -(before.duration().as_secs() as i64),
        }
    }
}

/// A clock that shows the time it is set to, for tests and reproducible signatures.
#[derive(Debug, Default)]
pub struct FixedTimeSource(AtomicI64);

impl FixedTimeSource {
    /// A source that shows `unix_seconds` until set otherwise.
    pub fn new(unix_seconds: i64) -> Self {
        FixedTimeSource(AtomicI64::new(unix_seconds))
    }

    /// Sets the time shown.
    pub fn set(&self, unix_seconds: i64) {
        self.0.store(unix_seconds, Ordering::Relaxed);
    }

    /// Moves the time shown by `seconds` (negative goes back).
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::Relaxed);
    }
}

impl TimeSource for FixedTimeSource {
    fn unix_seconds(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A time source plus the offset to the server's clock. Clones share the offset, so what
/// one request learns, the next one uses.
#[derive(Clone)]
pub struct Clock {
    source: Arc<dyn TimeSource>,
    offset: Arc<Offset>,
}

#[derive(Default)]
struct Offset {
    seconds: AtomicI64,
    learned: AtomicBool,
}

impl Clock {
    /// The system clock, no offset yet.
    pub fn system() -> Self {
        Self::from_source(Arc::new(SystemTimeSource))
    }

    /// A clock stopped at `unix_seconds`, with no offset (tests, vectors).
    pub fn fixed(unix_seconds: i64) -> Self {
        Self::from_source(Arc::new(FixedTimeSource::new(unix_seconds)))
    }

    /// A clock over any source (for example a shared [`FixedTimeSource`] a test moves).
    pub fn from_source(source: Arc<dyn TimeSource>) -> Self {
        Clock {
            source,
            offset: Arc::default(),
        }
    }

    /// The server-corrected time in Unix seconds: local time plus the learned offset.
    pub fn now(&self) -> i64 {
        self.local_now() + self.offset()
    }

    /// The local time, without the offset.
    pub fn local_now(&self) -> i64 {
        self.source.unix_seconds()
    }

    /// Seconds to add to local time to get the server's.
    pub fn offset(&self) -> i64 {
        self.offset.seconds.load(Ordering::Relaxed)
    }

    /// Whether an offset was learned (or set) since the clock was made.
    pub fn has_offset(&self) -> bool {
        self.offset.learned.load(Ordering::Acquire)
    }

    /// Sets the offset to the server's clock.
    pub fn set_offset(&self, seconds: i64) {
        self.offset.seconds.store(seconds, Ordering::Relaxed);
        self.offset.learned.store(true, Ordering::Release);
    }

    /// Learns the offset from a server time read now (OVH's `/auth/time`, a `Date` header),
    /// and returns the new offset.
    pub fn learn_server_time(&self, server_unix_seconds: i64) -> i64 {
        let offset = server_unix_seconds - self.local_now();
        self.set_offset(offset);
        offset
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clock")
            .field("offset", &self.offset())
            .field("learned", &self.has_offset())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_is_learned_and_shared_by_clones() {
        let source = Arc::new(FixedTimeSource::new(1_000));
        let clock = Clock::from_source(source.clone());
        let other = clock.clone();
        assert!(!clock.has_offset());
        assert_eq!(clock.learn_server_time(1_042), 42);
        assert!(other.has_offset());
        assert_eq!(other.now(), 1_042);
        source.advance(8);
        assert_eq!(other.now(), 1_050);
        assert_eq!(other.local_now(), 1_008);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(Clock::system().now() > 1_577_836_800);
    }
}
