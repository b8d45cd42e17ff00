//! Time as the signer sees it: a time source (the system clock, or a fixed one in tests)
//! plus an offset learned from the server, so that a machine whose clock drifts still
//! signs with the server's time.
//!
//! A server's time is input from the network. It is taken only when it is a plausible
//! date and within [`DEFAULT_MAX_CLOCK_OFFSET`] (or the client's own bound) of the local
//! clock, and all arithmetic on it saturates or is checked: a server answering
//! `-9223372036854775808` gets an error, not a wrapped offset.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// How far the server's clock may be from the local one before its time is refused: a
/// day covers a machine whose clock was never set right, and keeps a hostile or broken
/// server from making the client sign with timestamps years away (which whoever holds
/// them could replay when that time comes).
pub const DEFAULT_MAX_CLOCK_OFFSET: Duration = Duration::from_secs(24 * 3600);

/// Server times before 2020-01-01 or after 2200-01-01 are not dates any server lives at.
const PLAUSIBLE_SERVER_TIME: std::ops::RangeInclusive<i64> = 1_577_836_800..=7_258_118_400;

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
            Ok(elapsed) => i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
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
        let _ = self
            .0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| {
                Some(now.saturating_add(seconds))
            });
    }
}

impl TimeSource for FixedTimeSource {
    fn unix_seconds(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A time source plus the offset to the server's clock. Clones share the offset, so what
/// one request learns, the next one uses.
///
/// A client built with a clock takes the time source and the offset known then, and
/// keeps its own offset from there on: two clients of different servers that share one
/// clock do not overwrite each other's offsets.
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

    /// The same time source with an offset of its own, starting from this one's.
    pub(crate) fn detached(&self) -> Clock {
        let offset = Offset::default();
        offset.seconds.store(self.offset(), Ordering::Relaxed);
        offset.learned.store(self.has_offset(), Ordering::Relaxed);
        Clock {
            source: Arc::clone(&self.source),
            offset: Arc::new(offset),
        }
    }

    /// The server-corrected time in Unix seconds: local time plus the learned offset.
    pub fn now(&self) -> i64 {
        self.local_now().saturating_add(self.offset())
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
    /// and returns the new offset. Refuses, leaving the offset as it was, a time that is
    /// not a plausible date or is further than [`DEFAULT_MAX_CLOCK_OFFSET`] from the local
    /// clock.
    pub fn learn_server_time(&self, server_unix_seconds: i64) -> Result<i64> {
        self.learn_within(server_unix_seconds, DEFAULT_MAX_CLOCK_OFFSET)
    }

    /// As [`learn_server_time`](Self::learn_server_time), with another bound.
    pub(crate) fn learn_within(
        &self,
        server_unix_seconds: i64,
        max_offset: Duration,
    ) -> Result<i64> {
        let offset = self.offset_to(server_unix_seconds, max_offset)?;
        self.set_offset(offset);
        Ok(offset)
    }

    /// The offset a server time read now implies, if it is acceptable.
    pub(crate) fn offset_to(&self, server_unix_seconds: i64, max_offset: Duration) -> Result<i64> {
        if !PLAUSIBLE_SERVER_TIME.contains(&server_unix_seconds) {
            return Err(Error::Clock(format!(
                "the server gave the time {server_unix_seconds}, which is not a plausible date"
            )));
        }
        let offset = server_unix_seconds
            .checked_sub(self.local_now())
            .ok_or_else(|| Error::Clock("the local clock is out of range".into()))?;
        if offset.unsigned_abs() > max_offset.as_secs() {
            return Err(Error::Clock(format!(
                "the server's clock is {offset} s from the local clock, more than the {} s \
                 allowed; set the local clock right (or raise the client's max_clock_offset)",
                max_offset.as_secs()
            )));
        }
        Ok(offset)
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
        clock.set_offset(42);
        assert!(other.has_offset());
        assert_eq!(other.now(), 1_042);
        source.advance(8);
        assert_eq!(other.now(), 1_050);
        assert_eq!(other.local_now(), 1_008);
    }

    #[test]
    fn absurd_server_times_are_refused_and_change_nothing() {
        let now = 1_700_000_000;
        let clock = Clock::fixed(now);
        for absurd in [i64::MIN, -1, 0, 1_000_000_000, 9_999_999_999, i64::MAX] {
            assert!(clock.learn_server_time(absurd).is_err(), "{absurd}");
            assert!(!clock.has_offset());
        }
        let too_far = now + DEFAULT_MAX_CLOCK_OFFSET.as_secs() as i64 + 1;
        let err = clock.learn_server_time(too_far).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        assert_eq!(clock.learn_server_time(now - 3_600).unwrap(), -3_600);
        assert_eq!(clock.now(), now - 3_600);
    }

    #[test]
    fn a_local_clock_at_the_edge_of_time_does_not_overflow() {
        let clock = Clock::fixed(i64::MAX);
        clock.set_offset(5);
        assert_eq!(clock.now(), i64::MAX);
        assert!(clock.learn_server_time(1_700_000_000).is_err());
        let source = FixedTimeSource::new(i64::MAX - 1);
        source.advance(10);
        assert_eq!(source.unix_seconds(), i64::MAX);
    }

    #[test]
    fn a_detached_clock_keeps_its_own_offset() {
        let shared = Clock::fixed(1_700_000_000);
        shared.set_offset(3);
        let first = shared.detached();
        let second = shared.detached();
        assert_eq!(first.offset(), 3);
        assert!(first.has_offset());
        first.set_offset(100);
        second.set_offset(-100);
        assert_eq!(first.offset(), 100);
        assert_eq!(second.offset(), -100);
        assert_eq!(shared.offset(), 3);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(Clock::system().now() > 1_577_836_800);
    }
}
