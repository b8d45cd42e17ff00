//! Fault injection: what a real API does on a bad day, on demand, so that retries,
//! back-off and clock correction can be tested against something that misbehaves.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The faults of one API. The default is none: every request is answered at once.
///
/// Rates are shares of requests, from 0.0 (never) to 1.0 (always); they are drawn
/// independently per request, in this order: dropped connection, 503, 429.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Share of requests answered `503 Service Unavailable`.
    pub error_rate: f64,
    /// Share of requests answered `429 Too Many Requests` with a `Retry-After` header.
    pub rate_limit_rate: f64,
    /// The `Retry-After` of those 429 answers, in seconds.
    pub retry_after_secs: u64,
    /// Delay added before each request is handled.
    pub latency: Duration,
    /// Share of connections closed without an answer once a request has been read.
    pub drop_rate: f64,
    /// Seconds added to the mock's clock for this API: its notion of "now" (signature
    /// windows, OVH's `/auth/time`, the `Date` header) is that far from the real time.
    pub clock_offset_secs: i64,
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Answers this share of requests with 503.
    pub fn error_rate(mut self, rate: f64) -> Self {
        self.error_rate = rate;
        self
    }

    /// Answers this share of requests with 429 and `Retry-After: retry_after_secs`.
    pub fn rate_limit(mut self, rate: f64, retry_after_secs: u64) -> Self {
        self.rate_limit_rate = rate;
        self.retry_after_secs = retry_after_secs;
        self
    }

    /// Waits this long before handling each request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Closes this share of connections without answering.
    pub fn drop_rate(mut self, rate: f64) -> Self {
        self.drop_rate = rate;
        self
    }

    /// Runs this API's clock `seconds` ahead (negative: behind) of the real time.
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset_secs = seconds;
        self
    }
}

/// What the faults decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Handle it normally.
    Serve,
    /// Close the connection without an answer.
    Drop,
    /// Answer 503.
    Unavailable,
    /// Answer 429 with this `Retry-After`.
    RateLimited(u64),
}

/// A small, lock-free random source for the draws: fault injection needs spread, not
/// cryptographic quality.
#[derive(Debug)]
pub(crate) struct Dice(AtomicU64);

impl Dice {
    pub(crate) fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9e37_79b9, |elapsed| elapsed.as_nanos() as u64);
        Dice(AtomicU64::new(seed))
    }

    /// A number in `[0, 1)` (SplitMix64 over an atomic counter).
    fn draw(&self) -> f64 {
        let mut z = self
            .0
            .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    fn hits(&self, rate: f64) -> bool {
        rate > 0.0 && (rate >= 1.0 || self.draw() < rate)
    }

    pub(crate) fn decide(&self, faults: &Faults) -> Outcome {
        if self.hits(faults.drop_rate) {
            Outcome::Drop
        } else if self.hits(faults.error_rate) {
            Outcome::Unavailable
        } else if self.hits(faults.rate_limit_rate) {
            Outcome::RateLimited(faults.retry_after_secs)
        } else {
            Outcome::Serve
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_zero_and_one_are_exact() {
        let dice = Dice::new();
        assert!((0..1000).all(|_| dice.decide(&Faults::none()) == Outcome::Serve));
        let always = Faults::none().error_rate(1.0);
        assert!((0..100).all(|_| dice.decide(&always) == Outcome::Unavailable));
        let limited = Faults::none().rate_limit(1.0, 7);
        assert_eq!(dice.decide(&limited), Outcome::RateLimited(7));
    }

    #[test]
    fn a_half_rate_hits_about_half() {
        let dice = Dice::new();
        let half = Faults::none().drop_rate(0.5);
        let dropped = (0..10_000)
            .filter(|_| dice.decide(&half) == Outcome::Drop)
            .count();
        assert!((4_000..6_000).contains(&dropped), "{dropped}");
    }
}
