//! The call path shared by generated clients, the typed clients and the command line:
//! build the final URL and body once, sign them, send exactly them, read the answer.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_LENGTH, DATE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use crate::clock::{Clock, DEFAULT_MAX_CLOCK_OFFSET};
use crate::error::{Error, Result, excerpt};
use crate::request::{Outgoing, Request, Signing};
use crate::response::Response;
use crate::retry::{Failure, RetryPolicy};
use crate::scheme::StringToSign;
use crate::scheme::{ClockSync, Scheme, SigningParams};
use crate::streaming::{BodyStream, Sending, until_idle};
use crate::url::BaseUrl;

/// Time allowed for one request when the caller sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest response body a client reads unless configured otherwise: far above any
/// API answer of the built-in schemes, far below what would hurt a process.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 16 * 1024 * 1024;

/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("signed-api/", env!("CARGO_PKG_VERSION"));

/// [`DEFAULT_USER_AGENT`] as a header value, checked when the crate is compiled. A static
/// value is cloned and dropped without touching a reference count: every request sends
/// it, from every worker thread, and a shared count is a cache line the threads take
/// from each other on every call.
const DEFAULT_USER_AGENT_VALUE: HeaderValue = HeaderValue::from_static(DEFAULT_USER_AGENT);

/// Why a request is signed: to be sent, or to be shown (`--dry-run`, [`Request::prepare`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Sent now: the clock is synchronised first when the scheme needs it.
    Send,
    /// Shown only: no network call, and the string to sign is kept.
    DryRun,
}

/// A signing HTTP client for one API: a scheme, a base URL, a clock and a connection
/// pool. Cheap to clone; clones share the pool and the learned clock offset.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: BaseUrl,
    scheme: Arc<dyn Scheme>,
    /// The scheme's [`constant_headers`](Scheme::constant_headers), asked once: every
    /// request clones these values (a reference count each) instead of having the scheme
    /// build them, and a list to hold them, again.
    constant_headers: crate::scheme::Headers,
    clock: Clock,
    timeout: Duration,
    user_agent: HeaderValue,
    retry: RetryPolicy,
    max_response_body: u64,
    max_clock_offset: Duration,
    /// Serialises reads of the server time and remembers the last failed one.
    clock_sync: tokio::sync::Mutex<SyncState>,
    /// Held from nonce to answer by schemes whose nonces must arrive in order.
    send_order: tokio::sync::Mutex<()>,
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder {
    scheme: Arc<dyn Scheme>,
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    clock: Option<Clock>,
    timeout: Duration,
    user_agent: Option<String>,
    retry: RetryPolicy,
    max_response_body: u64,
    max_clock_offset: Duration,
}

impl Client {
    /// Starts configuring a client that signs with `scheme`.
    pub fn builder(scheme: impl Scheme) -> ClientBuilder {
        ClientBuilder {
            scheme: Arc::new(scheme),
            base_url: None,
            http: None,
            clock: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: None,
            retry: RetryPolicy::default(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            max_clock_offset: DEFAULT_MAX_CLOCK_OFFSET,
        }
    }

    /// A request to `path`, a template whose `{name}` parts are bound with
    /// [`Request::path_param`].
    pub fn request(&self, method: Method, path: impl Into<String>) -> Request {
        Request::new(self.clone(), method, path)
    }

    /// The scheme requests are signed with.
    pub fn scheme(&self) -> &Arc<dyn Scheme> {
        &self.inner.scheme
    }

    /// The headers every request carries for the scheme, as it gave them when the client
    /// was built.
    pub(crate) fn constant_headers(&self) -> &[(reqwest::header::HeaderName, HeaderValue)] {
        &self.inner.constant_headers
    }

    /// The base URL paths are relative to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// The clock signatures are timed with.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The time allowed for a request that sets none.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    /// Signs `outgoing` at the current time and returns the headers the signature adds
    /// (none for an unsigned request), refusing any the request already has. For a dry
    /// run, no clock synchronisation is attempted and the string to sign is returned too.
    pub(crate) async fn sign_outgoing(
        &self,
        outgoing: &Outgoing,
        purpose: Purpose,
        sync_timeout: Duration,
    ) -> Result<(crate::scheme::Headers, i64, Option<StringToSign>)> {
        let signed = outgoing.signing == Signing::Signed;
        let offline = purpose == Purpose::DryRun;
        if signed && !offline {
            if !self.inner.clock.has_offset() && self.reads_server_time() {
                // The clock sync sends a request of its own: refuse a header clash before it.
                self.trial_sign(outgoing)?;
            }
            self.ensure_clock_synced(sync_timeout).await?;
        }
        let timestamp = self.inner.clock.now();
        if !signed {
            return Ok((Vec::new(), timestamp, None));
        }
        let scheme = &self.inner.scheme;
        let nonce = scheme.nonce(timestamp);
        let params = SigningParams {
            timestamp,
            nonce: nonce.as_deref(),
        };
        let request = outgoing.signable();
        let string_to_sign = if offline {
            Some(scheme.string_to_sign(&request, &params)?)
        } else {
            None
        };
        let signature = if scheme.is_cpu_heavy(&request) && !offline {
            self.sign_off_thread(outgoing, timestamp, nonce).await?
        } else {
            scheme.sign(&request, &params)?
        };
        refuse_clash(&signature, &outgoing.headers, scheme.name())?;
        Ok((signature, timestamp, string_to_sign))
    }

    fn reads_server_time(&self) -> bool {
        matches!(self.inner.scheme.clock_sync(), ClockSync::ServerTime { .. })
    }

    /// Signs with the local clock only to learn which headers the signature adds, so that
    /// a caller header of the same name is refused before any request leaves.
    fn trial_sign(&self, outgoing: &Outgoing) -> Result<()> {
        let scheme = &self.inner.scheme;
        let timestamp = self.inner.clock.now();
        let nonce = scheme.nonce(timestamp);
        let params = SigningParams {
            timestamp,
            nonce: nonce.as_deref(),
        };
        let signature = scheme.sign(&outgoing.signable(), &params)?;
        refuse_clash(&signature, &outgoing.headers, scheme.name())
    }

    /// Runs an expensive signature (RSA) on a signing thread so it does not stall the
    /// async workers.
    async fn sign_off_thread(
        &self,
        outgoing: &Outgoing,
        timestamp: i64,
        nonce: Option<String>,
    ) -> Result<crate::scheme::Headers> {
        let scheme = self.inner.scheme.clone();
        let method = outgoing.method.clone();
        let url = outgoing.url.clone();
        let headers = outgoing.headers.clone();
        let body = outgoing.signed_body();
        let sign = move || {
            let request = crate::scheme::SignableRequest::new(method.as_str(), url.as_str(), &body)
                .with_headers(&headers);
            let params = SigningParams {
                timestamp,
                nonce: nonce.as_deref(),
            };
            scheme.sign(&request, &params)
        };
        // Off the async workers, on one of a fixed set of threads (see `signing_pool`).
        crate::signing_pool::run(sign)
            .await
            .map_err(|e| Error::Signing(format!("the signature was not computed: {e}")))?
    }

    /// Sends `request` until an answer settles it; a 2xx answer's body is taken as `B`
    /// says (read whole, or handed over unread) and handed to `finish` (a decode, or
    /// nothing).
    ///
    /// Why a function returning the future rather than an `async fn`, and why `finish` is
    /// applied here rather than by the caller awaiting this: an `async fn` keeps its
    /// arguments in its state beside the locals they are moved into, and every `async fn`
    /// layer above (`Request::send`, then `Request::json`) kept the request again, so a
    /// call's future held four copies of the request and two of its outgoing form (5,328
    /// bytes for `GET /me`), each moved along the chain. Here the request lives once, in
    /// the one future the caller awaits (3,440 bytes; 2,744 since the waits of streamed
    /// bodies are boxed, see `until_idle` and `read_answer`).
    pub(crate) fn execute<B: SuccessBody, T>(
        mut request: Request,
        finish: impl FnOnce(Response<B>) -> Result<T> + Send + 'static,
    ) -> impl Future<Output = Result<T>> + Send {
        let span = tracing::info_span!(
            "signed_api.call",
            scheme = request.client.inner.scheme.name(),
            method = %request.method,
            path = %request.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async move {
            let mut outgoing = request.outgoing()?;
            let request = &request;
            let this = &request.client;
            let timeout = request.timeout.unwrap_or(this.inner.timeout);
            let repeatable = outgoing.repeatable(request.is_idempotent());
            // A body read while sent went once: a refused timestamp is final for it.
            let resignable = !outgoing.sends_once();
            let policy = &this.inner.retry;
            let call_started = Instant::now();
            let mut attempt = 0u32;
            let mut resynced = false;
            loop {
                attempt += 1;
                let attempt_timeout = match policy.overall_deadline() {
                    Some(deadline) => {
                        let left = deadline.saturating_sub(call_started.elapsed());
                        if left.is_zero() {
                            return Err(Error::Timeout(deadline));
                        }
                        timeout.min(left)
                    }
                    None => timeout,
                };
                if outgoing.headers_taken() {
                    // An earlier attempt sent them: built again, as they were.
                    let headers = request.outgoing_headers(outgoing.body.as_ref())?;
                    outgoing.restore_headers(headers);
                }
                let body = outgoing.next_body().await?;
                let offset_used = this.inner.clock.offset();
                // The first attempt starts with the call: one clock read fewer per call.
                let started = if attempt == 1 {
                    call_started
                } else {
                    Instant::now()
                };
                let outcome = this
                    .attempt::<B>(&mut outgoing, body, attempt_timeout, started)
                    .await;
                let span = tracing::Span::current();
                if !span.is_disabled() {
                    span.record("attempt", attempt);
                    span.record("latency_ms", started.elapsed().as_millis() as u64);
                }
                let (status, response_headers, answer) = match outcome {
                    Ok(answer) => answer,
                    Err(error) => {
                        let failure = Failure::NoAnswer(&error);
                        let next = policy.next_attempt(
                            failure,
                            repeatable,
                            attempt,
                            call_started.elapsed(),
                        );
                        if let Some(delay) = next {
                            tracing::debug!(%error, ?delay, "transient failure; retrying");
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        return Err(error);
                    }
                };
                if !span.is_disabled() {
                    span.record("status", status.as_u16());
                }
                this.learn_from_date(status, &response_headers);
                let body = match answer {
                    Answer::Success(body) => {
                        this.inner.scheme.responses().check_success(
                            status,
                            &response_headers,
                            body.received(),
                        )?;
                        return finish(Response::new(status, response_headers, body));
                    }
                    Answer::Failure(body) => body,
                };
                if outgoing.signing == Signing::Signed
                    && resignable
                    && !resynced
                    && this.inner.scheme.responses().is_clock_refusal(
                        status,
                        &response_headers,
                        &body,
                    )
                    && this
                        .resync_after_refusal(offset_used, attempt_timeout)
                        .await
                {
                    // The server refused the timestamp, so it did not carry the request
                    // out, and the clock moved enough to expect another answer: signing
                    // again is safe, even for a POST.
                    tracing::debug!(
                        offset = this.inner.clock.offset(),
                        "clock offset corrected; signing again"
                    );
                    resynced = true;
                    continue;
                }
                let failure = Failure::Answer(status, &response_headers);
                if let Some(delay) =
                    policy.next_attempt(failure, repeatable, attempt, call_started.elapsed())
                {
                    tracing::debug!(%status, ?delay, "server busy; retrying");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                let error =
                    this.inner
                        .scheme
                        .responses()
                        .decode_error(status, &response_headers, &body);
                tracing::debug!(%status, code = ?error.code, "API error");
                return Err(Error::Api(Box::new(error)));
            }
        }
        .instrument(span)
    }

    /// One attempt: sign, send, read the answer. For a scheme whose nonces must arrive in
    /// increasing order (Qredo's nonce mode), drawing the nonce, signing and sending happen
    /// under one lock held until the server has answered, so no later nonce can overtake
    /// an earlier one on the way. `timeout` is the attempt's allowance from `started`.
    async fn attempt<B: SuccessBody>(
        &self,
        outgoing: &mut Outgoing,
        body: Option<Sending>,
        timeout: Duration,
        started: Instant,
    ) -> Result<(StatusCode, HeaderMap, Answer<B>)> {
        let ordered =
            outgoing.signing == Signing::Signed && self.inner.scheme.nonces_must_increase();
        let in_order = if ordered {
            Some(self.inner.send_order.lock().await)
        } else {
            None
        };
        let headers = {
            let (signature, _, _) = self.sign_outgoing(outgoing, Purpose::Send, timeout).await?;
            outgoing.take_signed_headers(signature)
        };
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Error::Timeout(timeout));
        }
        // A body streamed either way is bounded by its idleness, not by its total time.
        let bound = if B::READ_WHOLE && !outgoing.sends_once() {
            Bound::Whole
        } else {
            Bound::Idle
        };
        // Under `Bound::Whole`, one tokio timer held in this future bounds the exchange
        // from the connection to the answer's last byte. Not reqwest's own whole-request
        // timeout, which boxed its timer and wrapped the answer's body in a second box:
        // 4 allocations and 837 instructions more per call. Written out here rather than
        // in a helper, which would hold a second copy of the exchange's state in every
        // call's future (544 bytes).
        let outgoing = &*outgoing;
        let exchange = async move {
            // A timeout reports the attempt's whole allowance, signing included.
            let response = self
                .send(outgoing, body, headers, left, bound)
                .await
                .map_err(|error| match error {
                    Error::Timeout(_) => Error::Timeout(timeout),
                    other => other,
                })?;
            drop(in_order);
            self.read_answer(outgoing, response, timeout, bound).await
        };
        match bound {
            Bound::Whole => tokio::time::timeout(left, exchange)
                .await
                .unwrap_or(Err(Error::Timeout(timeout))),
            Bound::Idle => exchange.await,
        }
    }

    /// Sends exactly the signed bytes (or, for a body read while sent, the bytes as they
    /// are read, with their length when known); returns once the answer's head has
    /// arrived.
    async fn send(
        &self,
        outgoing: &Outgoing,
        body: Option<Sending>,
        headers: HeaderMap,
        timeout: Duration,
        bound: Bound,
    ) -> Result<reqwest::Response> {
        // The request is assembled here rather than with reqwest's builder, which would
        // parse the URL again and copy the headers into a map of its own: the URL is
        // already parsed (and checked to be sent as signed), and the map is ours to give.
        let mut request = reqwest::Request::new(outgoing.method.clone(), outgoing.url.clone());
        *request.headers_mut() = headers;
        let mut progress = None;
        if let Some(body) = body {
            if let Some(length) = body.length {
                request
                    .headers_mut()
                    .append(CONTENT_LENGTH, HeaderValue::from(length));
            }
            progress = body.progress;
            *request.body_mut() = Some(body.body);
        }
        let sent = match bound {
            Bound::Whole => self.inner.http.execute(request).await,
            Bound::Idle => {
                until_idle(self.inner.http.execute(request), progress.as_ref(), timeout).await?
            }
        };
        sent.map_err(|e| transport_error(e, timeout))
    }

    /// Reads an answer's head and takes its body, refusing an answer from another URL (a
    /// redirect followed by a caller's HTTP client). A 2xx body is taken as `B` says; an
    /// error body is read only as far as a diagnosis needs. Under [`Bound::Whole`], the
    /// exchange's timer already bounds the body (see [`Client::attempt`]); otherwise
    /// either read is bounded by `timeout` here.
    async fn read_answer<B: SuccessBody>(
        &self,
        outgoing: &Outgoing,
        mut response: reqwest::Response,
        timeout: Duration,
        bound: Bound,
    ) -> Result<(StatusCode, HeaderMap, Answer<B>)> {
        let status = response.status();
        if response.url() != &outgoing.url {
            return Err(Error::Redirected { status });
        }
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_body;
        let answer = if status.is_success() {
            let body = B::take(response, status, limit, timeout);
            // Matched here rather than in a helper taking the read as an argument: that
            // would hold a second copy of the read's state in the call's future (568 bytes
            // of every call in flight). The reads under `Bound::Idle` (a streamed body) are
            // boxed: inline, their timer and second copy of the read made every call's
            // future 680 bytes larger, streamed or not. Boxed here rather than inside
            // `within`, as `until_idle` and `fetch_server_time` box themselves: there the
            // code generated for the `Bound::Whole` read came out 60–100 instructions
            // longer per call (measured).
            Answer::Success(match bound {
                Bound::Whole => body.await?,
                Bound::Idle => Box::pin(within(timeout, body)).await?,
            })
        } else {
            let limit = limit.min(ERROR_BODY_LIMIT);
            let body = read_body(&mut response, status, limit, timeout, Overflow::Truncate);
            Answer::Failure(match bound {
                Bound::Whole => body.await?,
                Bound::Idle => Box::pin(within(timeout, body)).await?,
            })
        };
        Ok((status, headers, answer))
    }

    /// Fetches the server time before the first signed call, for schemes that have a time
    /// endpoint. Concurrent first calls wait for one fetch; a fetch that failed a moment
    /// ago is not tried again by every call that was waiting for it.
    async fn ensure_clock_synced(&self, timeout: Duration) -> Result<()> {
        let ClockSync::ServerTime { path } = self.inner.scheme.clock_sync() else {
            return Ok(());
        };
        if self.inner.clock.has_offset() {
            return Ok(());
        }
        let mut sync = self.inner.clock_sync.lock().await;
        if self.inner.clock.has_offset() {
            return Ok(());
        }
        if let Some(failure) = sync.recent_failure() {
            return Err(failure);
        }
        let outcome = self.fetch_server_time(path, timeout).await;
        sync.record(&outcome);
        outcome.map(drop)
    }

    /// Reads the server time at `path` and learns the clock offset from it. Boxed: it runs
    /// once in a client's life (and after a clock refusal), and inline its state (a
    /// request, its exchange and the exchange's timer) made every call's future 848 bytes
    /// larger (6,176 bytes for `GET /me` against 5,328 boxed).
    fn fetch_server_time(
        &self,
        path: &'static str,
        timeout: Duration,
    ) -> Pin<Box<impl Future<Output = Result<i64>> + Send + '_>> {
        Box::pin(self.read_server_time(path, timeout))
    }

    async fn read_server_time(&self, path: &'static str, timeout: Duration) -> Result<i64> {
        let mut request = self.request(Method::GET, path).unsigned();
        let mut outgoing = request.outgoing()?;
        let headers = outgoing.take_headers();
        // Bounded as an attempt's exchange is (see `Client::attempt`).
        let exchange = async {
            let response = self
                .send(&outgoing, None, headers, timeout, Bound::Whole)
                .await?;
            self.read_answer::<Bytes>(&outgoing, response, timeout, Bound::Whole)
                .await
        };
        let (status, response_headers, answer) = tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or(Err(Error::Timeout(timeout)))?;
        let (Answer::Success(body) | Answer::Failure(body)) = answer;
        if !status.is_success() {
            let error =
                self.inner
                    .scheme
                    .responses()
                    .decode_error(status, &response_headers, &body);
            return Err(Error::Api(Box::new(error)));
        }
        let text = std::str::from_utf8(&body).unwrap_or("").trim();
        let server_time: i64 = text.parse().map_err(|_| Error::Decode {
            status,
            message: format!("{path} did not answer a Unix time"),
            body_excerpt: excerpt(&body),
        })?;
        let offset = self
            .inner
            .clock
            .learn_within(server_time, self.inner.max_clock_offset)?;
        tracing::debug!(offset, "learned the server clock offset");
        Ok(offset)
    }

    /// Learns the offset from a `Date` header, for schemes that rely on it. Only answers
    /// of the API itself count (2xx and 4xx: a proxy's or gateway's 5xx page says nothing
    /// about the API's clock), only plausible dates within the client's bound, and only
    /// changes of two seconds or more (the header has one-second resolution).
    fn learn_from_date(&self, status: StatusCode, headers: &HeaderMap) {
        if self.inner.scheme.clock_sync() != ClockSync::DateHeader {
            return;
        }
        if !(status.is_success() || status.is_client_error()) {
            return;
        }
        let Some(date) = headers.get(DATE).and_then(|value| value.to_str().ok()) else {
            return;
        };
        let Ok(server) = httpdate::parse_http_date(date) else {
            return;
        };
        let Some(server) = server
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|since| i64::try_from(since.as_secs()).ok())
        else {
            return;
        };
        let clock = &self.inner.clock;
        match clock.offset_to(server, self.inner.max_clock_offset) {
            Ok(offset) if offset.abs_diff(clock.offset()) >= 2 => clock.set_offset(offset),
            Ok(_) => {}
            Err(error) => tracing::debug!(%error, "ignored the Date header"),
        }
    }

    /// After the server refused a signed request's timestamp: refreshes the clock offset
    /// and says whether it moved by two seconds or more since the request was signed,
    /// that is whether signing again has a chance to succeed.
    async fn resync_after_refusal(&self, offset_used: i64, timeout: Duration) -> bool {
        let moved = |offset: i64| offset.abs_diff(offset_used) >= 2;
        match self.inner.scheme.clock_sync() {
            ClockSync::ServerTime { path } => {
                let mut sync = self.inner.clock_sync.lock().await;
                if moved(self.inner.clock.offset()) {
                    return true; // another call already corrected it
                }
                if sync.recent_failure().is_some() {
                    return false;
                }
                let outcome = self.fetch_server_time(path, timeout).await;
                sync.record(&outcome);
                matches!(outcome, Ok(offset) if moved(offset))
            }
            ClockSync::DateHeader => moved(self.inner.clock.offset()),
            _ => false,
        }
    }
}

/// Refuses a caller header that the signature also sets: it would either be replaced
/// silently or go out beside the signature, and servers differ on which copy they read.
fn refuse_clash(
    signature: &crate::scheme::Headers,
    headers: &HeaderMap,
    scheme: &str,
) -> Result<()> {
    match signature
        .iter()
        .find(|(name, _)| headers.contains_key(name))
    {
        Some((name, _)) => Err(Error::InvalidRequest(format!(
            "the header {name} is set by the {scheme} scheme; remove it from the request"
        ))),
        None => Ok(()),
    }
}

/// A copy of the request's headers with the signature's, for a dry run, which shows them
/// and keeps the request's own (an attempt moves them instead). Made at its final size: a
/// clone of `headers` would be exactly as large as they are and grow (a reallocation) at
/// the first signature header. Entries keep the order of a clone followed by the inserts.
pub(crate) fn with_signature(headers: &HeaderMap, signature: crate::scheme::Headers) -> HeaderMap {
    let mut all = HeaderMap::with_capacity(headers.len() + signature.len() + 1);
    for (name, value) in headers {
        all.append(name.clone(), value.clone());
    }
    for (name, value) in signature {
        all.insert(name, value);
    }
    all
}

/// How long a failed read of the server time is remembered: calls in that time fail at
/// once instead of each asking again.
const SYNC_FAILURE_MEMORY: Duration = Duration::from_secs(5);

/// The last failed read of the server time, kept under the lock that serialises reads.
#[derive(Default)]
struct SyncState {
    failure: Option<(Instant, String)>,
}

impl SyncState {
    fn recent_failure(&self) -> Option<Error> {
        let (at, why) = self.failure.as_ref()?;
        (at.elapsed() < SYNC_FAILURE_MEMORY).then(|| {
            Error::Clock(format!(
                "the server time could not be read {} ms ago ({why}); not asking again yet",
                at.elapsed().as_millis()
            ))
        })
    }

    fn record(&mut self, outcome: &Result<i64>) {
        self.failure = match outcome {
            Ok(_) => None,
            Err(error) => Some((Instant::now(), error.to_string())),
        };
    }
}

/// What the request's timeout bounds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// The whole exchange, answer body included, under one timer (bodies held in memory
    /// both ways).
    Whole,
    /// Each wait for progress (a chunk of the upload taken, the answer's head, then each
    /// chunk of the answer): a body streamed either way takes as long as it needs while
    /// it keeps moving.
    Idle,
}

/// An attempt's answer: a 2xx answer's body as the caller takes it, or an error answer's
/// body, always read (within the error cap) to be decoded.
pub(crate) enum Answer<B> {
    Success(B),
    Failure(Bytes),
}

/// How the body of a 2xx answer is taken: read whole within the client's limit (`Bytes`,
/// for `Request::send`), or handed over unread ([`BodyStream`], for
/// `Request::send_streaming`).
pub(crate) trait SuccessBody: Sized + Send {
    /// Whether the body is read before the call returns, so that the exchange's
    /// whole-request timeout may bound it.
    const READ_WHOLE: bool;

    /// Takes the body of `response`, whose head said `status`.
    fn take(
        response: reqwest::Response,
        status: StatusCode,
        limit: u64,
        timeout: Duration,
    ) -> impl Future<Output = Result<Self>> + Send;

    /// What [`ResponseReader::check_success`](crate::scheme::ResponseReader::check_success)
    /// sees of the body: all of it when read, nothing when handed over unread (the
    /// headers are then all it can judge by).
    fn received(&self) -> &[u8];
}

impl SuccessBody for Bytes {
    const READ_WHOLE: bool = true;

    async fn take(
        mut response: reqwest::Response,
        status: StatusCode,
        limit: u64,
        timeout: Duration,
    ) -> Result<Self> {
        read_body(&mut response, status, limit, timeout, Overflow::Refuse).await
    }

    fn received(&self) -> &[u8] {
        self
    }
}

impl SuccessBody for BodyStream {
    const READ_WHOLE: bool = false;

    async fn take(
        response: reqwest::Response,
        _status: StatusCode,
        _limit: u64,
        timeout: Duration,
    ) -> Result<Self> {
        Ok(BodyStream::new(response, timeout))
    }

    fn received(&self) -> &[u8] {
        &[]
    }
}

/// `read` bounded by `timeout`.
async fn within<T>(timeout: Duration, read: impl Future<Output = Result<T>>) -> Result<T> {
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or(Err(Error::Timeout(timeout)))
}

/// The most of an error answer's body that is read: enough for any vendor's error
/// document, little enough that a hostile server cannot make an error cost memory.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// What to do with a body that goes past the limit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// Fail with [`Error::BodyTooLarge`] (a success body cut short would decode wrong).
    Refuse,
    /// Keep the first `limit` bytes (an error body is only read for a diagnosis).
    Truncate,
}

/// Reads a body chunk by chunk, never holding more than `limit` bytes: a declared
/// `Content-Length` over the limit is refused before a byte is read, and an endless or
/// lying chunked body is cut off at the limit.
async fn read_body(
    response: &mut reqwest::Response,
    status: StatusCode,
    limit: u64,
    timeout: Duration,
    overflow: Overflow,
) -> Result<Bytes> {
    let too_large = Error::BodyTooLarge { status, limit };
    let declared = response.content_length();
    if overflow == Overflow::Refuse && declared.is_some_and(|length| length > limit) {
        return Err(too_large);
    }
    let room = |held: usize| {
        usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_sub(held)
    };
    // A body that arrives in one chunk (most answers) is kept as that chunk, uncopied, as
    // reqwest's own `bytes()` does; only a second chunk starts a buffer.
    let mut first: Option<Bytes> = None;
    let mut rest = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(e, timeout))?
    {
        let held = first.as_ref().map_or(0, Bytes::len) + rest.len();
        let (chunk, full) = if chunk.len() > room(held) {
            if overflow == Overflow::Refuse {
                return Err(too_large);
            }
            (chunk.slice(..room(held)), true)
        } else {
            (chunk, false)
        };
        match first.take() {
            None if rest.is_empty() => first = Some(chunk),
            earlier => {
                if let Some(earlier) = earlier {
                    let capacity = declared.unwrap_or(0).min(limit).min(ERROR_BODY_LIMIT);
                    rest.reserve(
                        usize::try_from(capacity)
                            .unwrap_or(0)
                            .max(earlier.len() + chunk.len()),
                    );
                    rest.extend_from_slice(&earlier);
                }
                rest.extend_from_slice(&chunk);
            }
        }
        if full {
            break;
        }
    }
    Ok(first.unwrap_or_else(|| Bytes::from(rest)))
}

/// The `reqwest::Client` a client builds when it is given none.
///
/// - A redirect is answered to the caller, never followed: following it would send the
///   API key and signature to another host, and a signature made for one URL is refused
///   at any other anyway.
/// - Retries are the [`RetryPolicy`]'s alone, each attempt signed afresh: it also sends
///   again a request the server refused unprocessed (HTTP/2's `REFUSED_STREAM`, a stream
///   cut by a graceful `GOAWAY`), which reqwest's own retry layer would otherwise resend
///   with its first signature. With that layer's limit at zero it no longer copies every
///   request (its header map, its URI) in case it has to: 2 allocations and about 1,800
///   instructions per call.
pub(crate) fn default_http() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never().max_retries_per_request(0))
}

pub(crate) fn transport_error(error: reqwest::Error, timeout: Duration) -> Error {
    if error.is_timeout() {
        Error::Timeout(timeout)
    } else {
        Error::transport(error)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("scheme", &self.inner.scheme)
            .field("base_url", &self.inner.base_url)
            .field("clock", &self.inner.clock)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API's base URL (`https://eu.api.ovh.com/1.0`); required.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Reuses a `reqwest::Client` (and its connection pool, proxy and TLS settings).
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`, as the default client
    /// is: a followed redirect re-sends the signed headers, credentials included, to
    /// whatever host the answer names (reqwest strips only `Authorization` and `Cookie`).
    /// An answer that comes from another URL than the one requested is refused with
    /// [`Error::Redirected`], but by then the headers have left.
    ///
    /// The default client also leaves every retry to the [`RetryPolicy`]
    /// (`.retry(reqwest::retry::never().max_retries_per_request(0))`): reqwest's own layer
    /// copies each request in case the server refuses it unprocessed (HTTP/2), and then
    /// sends the copy with its old signature, outside the policy's count. A client given
    /// here keeps whatever it was built with.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Times signatures with `clock` (tests pin it). The client takes its time source and
    /// the offset it has now, then learns its own: clients sharing one clock never
    /// overwrite each other's offsets.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The time allowed for each attempt (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When failed requests are retried (default [`RetryPolicy::default`]: idempotent
    /// requests, three attempts).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest response body read, in bytes (default [`DEFAULT_MAX_RESPONSE_BODY`]).
    /// A larger answer fails with [`Error::BodyTooLarge`] and is not kept in memory.
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// How far the server's clock may be from the local one before the client refuses
    /// its time (default [`DEFAULT_MAX_CLOCK_OFFSET`], a day).
    pub fn max_clock_offset(mut self, max: Duration) -> Self {
        self.max_clock_offset = max;
        self
    }

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Checks the configuration and makes the client.
    pub fn build(self) -> Result<Client> {
        let base_url = self.base_url.ok_or_else(|| {
            Error::Config(format!(
                "no base URL configured for the {} client",
                self.scheme.name()
            ))
        })?;
        let base_url = BaseUrl::parse(&base_url)?;
        let user_agent = match self.user_agent.as_deref() {
            None => DEFAULT_USER_AGENT_VALUE,
            Some(agent) => HeaderValue::from_str(agent)
                .map_err(|_| Error::Config("the user agent contains invalid characters".into()))?,
        };
        let http = match self.http {
            Some(http) => http,
            None => default_http()
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let constant_headers = self.scheme.constant_headers();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                scheme: self.scheme,
                constant_headers,
                clock: self
                    .clock
                    .map_or_else(Clock::default, |clock| clock.detached()),
                timeout: self.timeout,
                user_agent,
                retry: self.retry,
                max_response_body: self.max_response_body,
                max_clock_offset: self.max_clock_offset,
                clock_sync: tokio::sync::Mutex::default(),
                send_order: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("scheme", &self.scheme)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
