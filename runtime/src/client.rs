//! The call path shared by generated clients, the typed clients and the command line:
//! build the final URL and body once, sign them, send exactly them, read the answer.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{DATE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use crate::clock::{Clock, DEFAULT_MAX_CLOCK_OFFSET};
use crate::error::{Error, Result, excerpt};
use crate::request::{Outgoing, Request, Signing};
use crate::response::Response;
use crate::retry::{Failure, Repeatable, RetryPolicy};
use crate::scheme::StringToSign;
use crate::scheme::{ClockSync, Scheme, SigningParams};
use crate::url::BaseUrl;

/// Time allowed for one request when the caller sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest response body a client reads unless configured otherwise: far above any
/// API answer of the built-in schemes, far below what would hurt a process.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 16 * 1024 * 1024;

/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("signed-api/", env!("CARGO_PKG_VERSION"));

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

    /// Signs `outgoing` at the current time. For a dry run, no clock synchronisation is
    /// attempted and the string to sign is returned too.
    pub(crate) async fn sign_outgoing(
        &self,
        outgoing: &Outgoing,
        purpose: Purpose,
        sync_timeout: Duration,
    ) -> Result<(HeaderMap, i64, Option<StringToSign>)> {
        let signed = outgoing.signing == Signing::Signed;
        let offline = purpose == Purpose::DryRun;
        if signed && !offline {
            if !self.inner.clock.has_offset() && self.reads_server_time() {
                // The clock sync sends a request of its own: refuse a header clash before it.
                self.trial_sign(outgoing)?;
            }
            self.ensure_clock_synced(sync_timeout).await?;
        }
        let mut headers = outgoing.headers.clone();
        let timestamp = self.inner.clock.now();
        if !signed {
            return Ok((headers, timestamp, None));
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
        refuse_clash(&signature, &headers, scheme.name())?;
        for (name, value) in signature {
            headers.insert(name, value);
        }
        Ok((headers, timestamp, string_to_sign))
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
        let body = outgoing
            .body
            .as_ref()
            .map(|body| body.bytes.clone())
            .unwrap_or_default();
        let sign = move || {
            let request = crate::scheme::SignableRequest::new(method.as_str(), &url, &body)
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

    pub(crate) async fn execute(&self, mut request: Request) -> Result<Response<Bytes>> {
        let timeout = request.timeout.unwrap_or(self.inner.timeout);
        let repeatable = if request.is_idempotent() {
            Repeatable::Always
        } else {
            Repeatable::IfNotProcessed
        };
        let span = tracing::info_span!(
            "signed_api.call",
            scheme = self.inner.scheme.name(),
            method = %request.method,
            path = %request.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let outgoing = request.outgoing()?;
        async move {
            let policy = &self.inner.retry;
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
                let offset_used = self.inner.clock.offset();
                let started = Instant::now();
                let outcome = self.attempt(&outgoing, attempt_timeout).await;
                let span = tracing::Span::current();
                span.record("attempt", attempt);
                span.record("latency_ms", started.elapsed().as_millis() as u64);
                let (status, response_headers, body) = match outcome {
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
                span.record("status", status.as_u16());
                self.learn_from_date(status, &response_headers);
                if status.is_success() {
                    self.inner.scheme.responses().check_success(
                        status,
                        &response_headers,
                        &body,
                    )?;
                    return Ok(Response::new(status, response_headers, body));
                }
                if outgoing.signing == Signing::Signed
                    && !resynced
                    && self.inner.scheme.responses().is_clock_refusal(
                        status,
                        &response_headers,
                        &body,
                    )
                    && self
                        .resync_after_refusal(offset_used, attempt_timeout)
                        .await
                {
                    // The server refused the timestamp, so it did not carry the request
                    // out, and the clock moved enough to expect another answer: signing
                    // again is safe, even for a POST.
                    tracing::debug!(
                        offset = self.inner.clock.offset(),
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
                    self.inner
                        .scheme
                        .responses()
                        .decode_error(status, &response_headers, &body);
                tracing::debug!(%status, code = ?error.code, "API error");
                return Err(Error::Api(Box::new(error)));
            }
        }
        .instrument(span)
        .await
    }

    /// One attempt: sign, send, read the answer. For a scheme whose nonces must arrive in
    /// increasing order (Qredo's nonce mode), drawing the nonce, signing and sending happen
    /// under one lock held until the server has answered, so no later nonce can overtake
    /// an earlier one on the way.
    async fn attempt(
        &self,
        outgoing: &Outgoing,
        timeout: Duration,
    ) -> Result<(StatusCode, HeaderMap, Bytes)> {
        let started = Instant::now();
        let ordered =
            outgoing.signing == Signing::Signed && self.inner.scheme.nonces_must_increase();
        let in_order = if ordered {
            Some(self.inner.send_order.lock().await)
        } else {
            None
        };
        let (headers, _, _) = self.sign_outgoing(outgoing, Purpose::Send, timeout).await?;
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Error::Timeout(timeout));
        }
        // A timeout reports the attempt's whole allowance, signing included.
        let response = self
            .send(outgoing, headers, left)
            .await
            .map_err(|error| match error {
                Error::Timeout(_) => Error::Timeout(timeout),
                other => other,
            })?;
        drop(in_order);
        self.read_answer(outgoing, response, timeout).await
    }

    /// Sends exactly the signed bytes; returns once the answer's head has arrived.
    async fn send(
        &self,
        outgoing: &Outgoing,
        headers: HeaderMap,
        timeout: Duration,
    ) -> Result<reqwest::Response> {
        let mut builder = self
            .inner
            .http
            .request(outgoing.method.clone(), outgoing.url.as_str())
            .headers(headers)
            .timeout(timeout);
        if let Some(body) = &outgoing.body {
            builder = builder.body(body.bytes.clone());
        }
        builder
            .send()
            .await
            .map_err(|e| transport_error(e, timeout))
    }

    /// Reads an answer's head and body, refusing an answer from another URL (a redirect
    /// followed by a caller's HTTP client) and a body over the limit. Error bodies are
    /// read only as far as a diagnosis needs.
    async fn read_answer(
        &self,
        outgoing: &Outgoing,
        mut response: reqwest::Response,
        timeout: Duration,
    ) -> Result<(StatusCode, HeaderMap, Bytes)> {
        let status = response.status();
        if response.url().as_str() != outgoing.url {
            return Err(Error::Redirected { status });
        }
        let headers = std::mem::take(response.headers_mut());
        let limit = self.inner.max_response_body;
        let body = if status.is_success() {
            read_body(&mut response, status, limit, timeout, Overflow::Refuse).await?
        } else {
            let limit = limit.min(ERROR_BODY_LIMIT);
            read_body(&mut response, status, limit, timeout, Overflow::Truncate).await?
        };
        Ok((status, headers, body))
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

    async fn fetch_server_time(&self, path: &'static str, timeout: Duration) -> Result<i64> {
        let mut request = self.request(Method::GET, path).unsigned();
        let outgoing = request.outgoing()?;
        let response = self
            .send(&outgoing, outgoing.headers.clone(), timeout)
            .await?;
        let (status, response_headers, body) =
            self.read_answer(&outgoing, response, timeout).await?;
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
    let capacity = declared.unwrap_or(0).min(limit).min(ERROR_BODY_LIMIT);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(e, timeout))?
    {
        let room = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_sub(body.len());
        if chunk.len() > room {
            if overflow == Overflow::Refuse {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(body))
}

fn transport_error(error: reqwest::Error, timeout: Duration) -> Error {
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
        let agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(agent)
            .map_err(|_| Error::Config("the user agent contains invalid characters".into()))?;
        let http = match self.http {
            Some(http) => http,
            // A redirect is answered to the caller, never followed: following it would send
            // the API key and signature to another host, and a signature made for one URL
            // is refused at any other anyway.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                scheme: self.scheme,
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
