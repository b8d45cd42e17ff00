//! When a failed request is sent again: only when sending it twice cannot do harm, with
//! exponential backoff and full jitter, honouring `Retry-After`. Every attempt is signed
//! afresh (new timestamp, new nonce) by the call path.

use std::time::Duration;

use rand_core::{OsRng, RngCore};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::Error;

/// Whether sending a request twice can do harm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeatable {
    /// Idempotent (GET, PUT, DELETE, HEAD, or a call marked so): may be sent again after
    /// any transient failure.
    Always,
    /// May be sent again only when the server cannot have acted on it: the connection was
    /// never made, the server refused it unprocessed (see [`refused_unprocessed`]), or it
    /// answered 429.
    IfNotProcessed,
    /// A body read while sent that can be read again (a file): sent again only when the
    /// connection was never made, so that nothing of it left. Once it may have gone, it
    /// went once.
    IfNothingSent,
    /// A body read while sent that cannot be read again (a stream): never sent again.
    Never,
}

/// How one attempt failed, as far as sending it again is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure<'a> {
    /// No answer came: the transport failed, or the attempt timed out.
    NoAnswer(&'a Error),
    /// The server answered with this status.
    Answer(StatusCode, &'a HeaderMap),
}

/// How often and how patiently a request is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 100 ms up to 2 s, no overall deadline beyond the
    /// per-attempt timeouts.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            deadline: None,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `max_attempts` sends of one request (at least one).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The first backoff; each later one doubles, up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// A limit on the whole call, all attempts and waits included. A body streamed either
    /// way (`Request::file_body`, `stream_body`, `send_streaming`) is bounded by its
    /// idleness instead once it moves: the deadline then limits the attempts and the
    /// waits between them, not the transfer.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The configured attempt limit.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The overall deadline, if any.
    pub fn overall_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Whether a status says "try later" (429, 502, 503, 504).
    pub fn is_retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502..=504)
    }

    /// The whole decision after attempt number `attempt` failed, `elapsed` into the call:
    /// how long to wait before sending again, or `None` when the request must not be sent
    /// again (the failure is not transient, sending twice could do harm, or the attempts
    /// or the deadline are spent).
    pub(crate) fn next_attempt(
        &self,
        failure: Failure<'_>,
        repeatable: Repeatable,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        let (allowed, headers) = match failure {
            Failure::NoAnswer(error) => {
                let transport = match error {
                    Error::Transport(e) => Some(e),
                    _ => None,
                };
                // A connection never made sent nothing.
                let nothing_sent = transport.is_some_and(reqwest::Error::is_connect);
                let transient = transport.is_some() || matches!(error, Error::Timeout(_));
                (
                    transient
                        && match repeatable {
                            Repeatable::Always => true,
                            Repeatable::IfNotProcessed => {
                                nothing_sent || transport.is_some_and(refused_unprocessed)
                            }
                            Repeatable::IfNothingSent => nothing_sent,
                            Repeatable::Never => false,
                        },
                    None,
                )
            }
            // 429 means "not processed"; but any answer means a body read while sent went.
            Failure::Answer(status, headers) => (
                Self::is_retryable_status(status)
                    && match repeatable {
                        Repeatable::Always => true,
                        Repeatable::IfNotProcessed => status == StatusCode::TOO_MANY_REQUESTS,
                        Repeatable::IfNothingSent | Repeatable::Never => false,
                    },
                Some(headers),
            ),
        };
        if !allowed || attempt >= self.max_attempts {
            return None;
        }
        let delay = self.delay(attempt, headers);
        let in_time = self
            .deadline
            .is_none_or(|deadline| elapsed.checked_add(delay).is_some_and(|end| end < deadline));
        in_time.then_some(delay)
    }

    /// How long to wait before attempt `attempt + 1`: the server's `Retry-After` when it
    /// sent one (capped at the maximum backoff), else a random share of the exponential
    /// backoff.
    fn delay(&self, attempt: u32, headers: Option<&HeaderMap>) -> Duration {
        if let Some(after) = headers.and_then(retry_after) {
            return after.min(self.max_backoff);
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let share = f64::from(OsRng.next_u32()) / f64::from(u32::MAX);
        ceiling.mul_f64(share)
    }
}

/// Whether the server said, at the protocol level, that it did not process the request:
/// an HTTP/2 stream it reset with `REFUSED_STREAM`, or one it cut with a graceful `GOAWAY`
/// (`NO_ERROR`) before starting it. HTTP/2 guarantees that neither was acted on (RFC 9113,
/// section 8.7), so even a `POST` may go again. The default `reqwest::Client` leaves these
/// to the policy, so that the request goes again signed afresh and counted as an attempt
/// (see `default_http` in `client.rs`). A request body already partly read from a file is
/// not sent again for them: it may have left.
pub(crate) fn refused_unprocessed(error: &reqwest::Error) -> bool {
    let mut cause = std::error::Error::source(error);
    while let Some(error) = cause {
        if let Some(h2) = error.downcast_ref::<h2::Error>() {
            return h2.is_remote()
                && ((h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM))
                    || (h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR)));
        }
        cause = error.source();
    }
    false
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod h2_refusals;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_bounds() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(350));
        for attempt in 1..10 {
            let ceiling = Duration::from_millis((100u64 << (attempt - 1).min(16)).min(350));
            assert!(policy.delay(attempt, None) <= ceiling);
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let policy = RetryPolicy::default();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "1".parse().unwrap());
        assert_eq!(policy.delay(1, Some(&headers)), Duration::from_secs(1));
        headers.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(policy.delay(1, Some(&headers)), Duration::from_secs(2));
        let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
        headers.insert(RETRY_AFTER, soon.parse().unwrap());
        assert_eq!(policy.delay(1, Some(&headers)), Duration::from_secs(2));
    }

    fn connect_error() -> Error {
        // Port 9 (discard) on the loopback: nothing listens there in a test environment,
        // so the connection is refused before anything is sent.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let error = runtime
            .block_on(reqwest::Client::new().get("http://127.0.0.1:9/").send())
            .unwrap_err();
        assert!(error.is_connect(), "{error}");
        Error::Transport(error)
    }

    #[test]
    fn what_may_be_sent_again() {
        let policy = RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO);
        let none = HeaderMap::new();
        let busy = |status: u16| Failure::Answer(StatusCode::from_u16(status).unwrap(), &none);
        let timeout = Error::Timeout(Duration::from_secs(1));
        let signing = Error::Signing("no key".into());
        let connect = connect_error();
        let cases = [
            (Failure::NoAnswer(&timeout), Repeatable::Always, true),
            (
                Failure::NoAnswer(&timeout),
                Repeatable::IfNotProcessed,
                false,
            ),
            (
                Failure::NoAnswer(&connect),
                Repeatable::IfNotProcessed,
                true,
            ),
            (Failure::NoAnswer(&signing), Repeatable::Always, false),
            (busy(503), Repeatable::Always, true),
            (busy(503), Repeatable::IfNotProcessed, false),
            (busy(429), Repeatable::IfNotProcessed, true),
            (busy(500), Repeatable::Always, false),
            (busy(400), Repeatable::Always, false),
            // A file: only when nothing of it left. A stream: never.
            (Failure::NoAnswer(&connect), Repeatable::IfNothingSent, true),
            (
                Failure::NoAnswer(&timeout),
                Repeatable::IfNothingSent,
                false,
            ),
            (busy(429), Repeatable::IfNothingSent, false),
            (busy(503), Repeatable::IfNothingSent, false),
            (Failure::NoAnswer(&connect), Repeatable::Never, false),
            (busy(429), Repeatable::Never, false),
        ];
        for (failure, repeatable, expected) in cases {
            let next = policy.next_attempt(failure, repeatable, 1, Duration::ZERO);
            assert_eq!(next.is_some(), expected, "{failure:?} {repeatable:?}");
        }
        // Attempts spent, or the deadline passed by the wait.
        assert!(
            policy
                .next_attempt(busy(503), Repeatable::Always, 3, Duration::ZERO)
                .is_none()
        );
        let late = RetryPolicy::default()
            .backoff(Duration::from_secs(5), Duration::from_secs(5))
            .deadline(Duration::from_secs(1));
        let mut retry_in_an_hour = HeaderMap::new();
        retry_in_an_hour.insert(RETRY_AFTER, "3600".parse().unwrap());
        let answer = Failure::Answer(StatusCode::SERVICE_UNAVAILABLE, &retry_in_an_hour);
        assert!(
            late.next_attempt(answer, Repeatable::Always, 1, Duration::ZERO)
                .is_none()
        );
        // No overflow at the edges of Duration.
        let huge = RetryPolicy::default().backoff(Duration::MAX, Duration::MAX);
        let mut forever = HeaderMap::new();
        forever.insert(RETRY_AFTER, u64::MAX.to_string().parse().unwrap());
        let answer = Failure::Answer(StatusCode::SERVICE_UNAVAILABLE, &forever);
        assert!(
            huge.deadline(Duration::from_secs(1))
                .next_attempt(answer, Repeatable::Always, 1, Duration::from_secs(2))
                .is_none()
        );
    }

    #[test]
    fn retryable_statuses() {
        for status in [429, 502, 503, 504] {
            assert!(RetryPolicy::is_retryable_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
        for status in [400, 401, 404, 500, 501] {
            assert!(!RetryPolicy::is_retryable_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
