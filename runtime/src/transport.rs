//! The call path shared by generated clients, the typed clients and the command line:
//! build the final URL and body once, sign them, send exactly them, read the answer.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{DATE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use crate::clock::Clock;
use crate::error::{Error, Result, excerpt};
use crate::request::{Request, Target};
use crate::response::Response;
use crate::retry::RetryPolicy;
use crate::scheme::{ClockSync, Scheme, SigningParams};
use crate::secret::Secret;
use crate::url::BaseUrl;

/// Time allowed for one request when the caller sets none.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The `User-Agent` sent unless another is configured.
pub const DEFAULT_USER_AGENT: &str = concat!("signed-api/", env!("CARGO_PKG_VERSION"));

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
    clock_sync: tokio::sync::Mutex<()>,
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
}

impl Client {
    /// Starts configuring a client that signs with `scheme`.
    pub fn builder(scheme: impl Scheme) -> ClientBuilder {
        Self::builder_shared(Arc::new(scheme))
    }

    /// As [`builder`](Self::builder), for a scheme already behind an `Arc`.
    pub fn builder_shared(scheme: Arc<dyn Scheme>) -> ClientBuilder {
        ClientBuilder {
            scheme,
            base_url: None,
            http: None,
            clock: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: None,
            retry: RetryPolicy::default(),
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

    /// Signs `target` at the current time. With `offline`, no clock synchronisation is
    /// attempted and the canonical string is returned too (for dry runs).
    pub(crate) async fn sign_target(
        &self,
        target: &Target,
        signed: bool,
        offline: bool,
    ) -> Result<(HeaderMap, i64, Option<Secret>)> {
        if signed && !offline {
            self.ensure_clock_synced().await?;
        }
        let mut headers = target.headers.clone();
        let timestamp = self.inner.clock.now();
        if !signed {
            return Ok((headers, timestamp, None));
        }
        let scheme = &self.inner.scheme;
        let nonce = scheme.nonce(timestamp);
        let mut params = SigningParams::at(timestamp);
        if let Some(nonce) = &nonce {
            params = params.with_nonce(nonce);
        }
        let canonical = if offline {
            Some(scheme.canonical_string(&target.signable(), &params)?)
        } else {
            None
        };
        let signature = if scheme.is_cpu_heavy(&target.signable()) && !offline {
            self.sign_off_thread(target, timestamp, nonce).await?
        } else {
            scheme.sign(&target.signable(), &params)?
        };
        for (name, value) in signature {
            headers.insert(name, value);
        }
        Ok((headers, timestamp, canonical))
    }

    /// Runs an expensive signature (RSA) on tokio's blocking pool so it does not stall
    /// the async workers.
    async fn sign_off_thread(
        &self,
        target: &Target,
        timestamp: i64,
        nonce: Option<String>,
    ) -> Result<crate::scheme::Headers> {
        let scheme = self.inner.scheme.clone();
        let method = target.method.clone();
        let url = target.url.clone();
        let body = target
            .body
            .as_ref()
            .map(|body| body.bytes.clone())
            .unwrap_or_default();
        let sign = move || {
            let request = crate::scheme::SignableRequest::new(method.as_str(), &url, &body);
            let mut params = SigningParams::at(timestamp);
            if let Some(nonce) = &nonce {
                params = params.with_nonce(nonce);
            }
            scheme.sign(&request, &params)
        };
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => handle
                .spawn_blocking(sign)
                .await
                .map_err(|e| Error::Signing(format!("the signing task failed: {e}")))?,
            Err(_) => sign(),
        }
    }

    pub(crate) async fn execute(&self, mut request: Request) -> Result<Response<Bytes>> {
        let timeout = request.timeout.unwrap_or(self.inner.timeout);
        let signed = request.signed;
        let idempotent = request.is_idempotent();
        let span = tracing::info_span!(
            "signed_api.call",
            scheme = self.inner.scheme.name(),
            method = %request.method,
            path = %request.template,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let target = request.target()?;
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
                let (headers, _, _) = self.sign_target(&target, signed, false).await?;
                let started = Instant::now();
                let outcome = self.dispatch(&target, headers, attempt_timeout).await;
                let span = tracing::Span::current();
                span.record("attempt", attempt);
                span.record("latency_ms", started.elapsed().as_millis() as u64);
                let (status, response_headers, body) = match outcome {
                    Ok(answer) => answer,
                    Err(error) => {
                        // A connection never made sent nothing: safe to retry any method.
                        let nothing_sent = matches!(&error, Error::Transport(e) if e.is_connect());
                        let delay = policy.delay(attempt, None);
                        if (idempotent || nothing_sent)
                            && error.is_transient()
                            && self.may_retry(attempt, delay, call_started)
                        {
                            tracing::debug!(%error, ?delay, "transient failure; retrying");
                            tokio::time::sleep(delay).await;
                            continue;
                        }
                        return Err(error);
                    }
                };
                span.record("status", status.as_u16());
                self.learn_from_date(&response_headers);
                if status.is_success() {
                    self.inner
                        .scheme
                        .check_success(status, &response_headers, &body)?;
                    return Ok(Response::new(status, response_headers, body));
                }
                if signed
                    && !resynced
                    && matches!(status.as_u16(), 400 | 401 | 403)
                    && self.resync_after_refusal(offset_used).await
                {
                    // A refused request was not carried out: signing it again is safe.
                    tracing::debug!(
                        offset = self.inner.clock.offset(),
                        "clock offset corrected; signing again"
                    );
                    resynced = true;
                    continue;
                }
                // 429 means "not processed": safe to retry whatever the method.
                let delay = policy.delay(attempt, Some(&response_headers));
                if RetryPolicy::is_retryable_status(status)
                    && (idempotent || status == StatusCode::TOO_MANY_REQUESTS)
                    && self.may_retry(attempt, delay, call_started)
                {
                    tracing::debug!(%status, ?delay, "server busy; retrying");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                let error = self
                    .inner
                    .scheme
                    .decode_error(status, &response_headers, &body);
                tracing::debug!(%status, code = ?error.code, "API error");
                return Err(Error::Api(Box::new(error)));
            }
        }
        .instrument(span)
        .await
    }

    /// Whether another attempt fits the policy after waiting `delay`.
    fn may_retry(&self, attempt: u32, delay: Duration, call_started: Instant) -> bool {
        let policy = &self.inner.retry;
        attempt < policy.attempts()
            && policy
                .overall_deadline()
                .is_none_or(|deadline| call_started.elapsed() + delay < deadline)
    }

    /// Sends exactly the signed bytes and reads the whole answer.
    async fn dispatch(
        &self,
        target: &Target,
        headers: HeaderMap,
        timeout: Duration,
    ) -> Result<(StatusCode, HeaderMap, Bytes)> {
        let mut builder = self
            .inner
            .http
            .request(target.method.clone(), target.url.as_str())
            .headers(headers)
            .timeout(timeout);
        if let Some(body) = &target.body {
            builder = builder.body(body.bytes.clone());
        }
        let map = |error: reqwest::Error| {
            if error.is_timeout() {
                Error::Timeout(timeout)
            } else {
                Error::transport(error)
            }
        };
        let response = builder.send().await.map_err(map)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(map)?;
        Ok((status, headers, body))
    }

    /// Fetches the server time before the first signed call, for schemes that have a time
    /// endpoint. Concurrent first calls wait for one fetch.
    async fn ensure_clock_synced(&self) -> Result<()> {
        let ClockSync::ServerTime { path } = self.inner.scheme.clock_sync() else {
            return Ok(());
        };
        if self.inner.clock.has_offset() {
            return Ok(());
        }
        let _one_at_a_time = self.inner.clock_sync.lock().await;
        if self.inner.clock.has_offset() {
            return Ok(());
        }
        self.fetch_server_time(path).await.map(drop)
    }

    async fn fetch_server_time(&self, path: &'static str) -> Result<i64> {
        let mut request = self.request(Method::GET, path).unsigned();
        let target = request.target()?;
        let headers = target.headers.clone();
        let (status, response_headers, body) =
            self.dispatch(&target, headers, self.inner.timeout).await?;
        if !status.is_success() {
            let error = self
                .inner
                .scheme
                .decode_error(status, &response_headers, &body);
            return Err(Error::Api(Box::new(error)));
        }
        let text = std::str::from_utf8(&body).unwrap_or("").trim();
        let server_time: i64 = text.parse().map_err(|_| Error::Decode {
            status,
            message: format!("{path} did not answer a Unix time"),
            body_excerpt: excerpt(&body),
        })?;
        let offset = self.inner.clock.learn_server_time(server_time);
        tracing::debug!(offset, "learned the server clock offset");
        Ok(offset)
    }

    /// Learns the offset from a `Date` header, for schemes that rely on it. Changes of
    /// under two seconds are noise (the header has one-second resolution).
    fn learn_from_date(&self, headers: &HeaderMap) {
        if self.inner.scheme.clock_sync() != ClockSync::DateHeader {
            return;
        }
        let Some(date) = headers.get(DATE).and_then(|value| value.to_str().ok()) else {
            return;
        };
        let Ok(server) = httpdate::parse_http_date(date) else {
            return;
        };
        let Ok(server) = server.duration_since(std::time::UNIX_EPOCH) else {
            return;
        };
        let clock = &self.inner.clock;
        let offset = server.as_secs() as i64 - clock.local_now();
        if (offset - clock.offset()).abs() >= 2 {
            clock.set_offset(offset);
        }
    }

    /// After a refused signed request: refreshes the clock offset and says whether it
    /// changed, that is whether signing again has a chance to succeed. A refused request
    /// was not carried out, so sending it again is safe even for a POST.
    async fn resync_after_refusal(&self, offset_used: i64) -> bool {
        match self.inner.scheme.clock_sync() {
            ClockSync::ServerTime { path } => {
                let _one_at_a_time = self.inner.clock_sync.lock().await;
                if self.inner.clock.offset() != offset_used {
                    return true; // another call already corrected it
                }
                matches!(self.fetch_server_time(path).await, Ok(offset) if offset != offset_used)
            }
            ClockSync::DateHeader => self.inner.clock.offset() != offset_used,
            _ => false,
        }
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
    /// whatever host the answer names.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Times signatures with `clock` (tests pin it; clients can share one).
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
                clock: self.clock.unwrap_or_default(),
                timeout: self.timeout,
                user_agent,
                retry: self.retry,
                clock_sync: tokio::sync::Mutex::new(()),
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
