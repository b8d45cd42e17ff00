//! The HTTP server: accepts connections, applies the faults, checks the request line and
//! headers, reads the body, verifies, then hands the request to the API's routes.
//!
//! It runs hyper directly (with the APIs' axum routers inside) because one fault needs a
//! level below axum: closing a connection without an answer, and because the body must
//! be read only once the headers have passed: a client that cannot name a key gets its
//! refusal without the mock reading (and holding) what it sends.

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode, Uri, header};
use axum::response::IntoResponse;
use bytes::{Bytes, BytesMut};
use hyper::body::{Body as _, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use signed_api_runtime::verify::ReceivedRequest;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::apis::{self, MockApi};
use crate::config::{Limits, MockConfig};
use crate::context::{Context, ServerTime};
use crate::faults::{Dice, Outcome};
use crate::reply;
use crate::{Api, Faults, MockCredentials, MockError, PerApi};

/// The smallest read buffer hyper accepts is 8 KiB; 64 KiB holds any request head the
/// five APIs send, and bounds what a connection buffers before its headers end (hyper's
/// default is about 400 KiB, times every open connection).
const READ_BUFFER: usize = 64 * 1024;

/// A running mock server. Dropping it stops it, as [`shutdown`](Self::shutdown) does
/// (without waiting).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    credentials: MockCredentials,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// What the connection tasks share.
struct Shared {
    apis: PerApi<Arc<dyn MockApi>>,
    routers: PerApi<Router>,
    faults: PerApi<RwLock<Faults>>,
    dice: Dice,
    requests: PerApi<AtomicU64>,
    other_requests: AtomicU64,
    connections: AtomicU64,
    addr: SocketAddr,
    limits: Limits,
    /// Bytes of request bodies held at once, all connections together.
    body_budget: Arc<Semaphore>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("addr", &self.addr)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}

/// The error that makes hyper close a connection without answering (the
/// dropped-connection fault).
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
struct Dropped;

impl MockServer {
    /// Binds `config.addr` and starts serving on the current tokio runtime.
    pub async fn start(config: MockConfig) -> Result<MockServer, MockError> {
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| MockError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| MockError::Bind {
            addr: config.addr,
            source,
        })?;
        let apis = apis::build(&config);
        // The body reaches a router read already, within `Limits::max_body`: axum's own
        // limit (2 MB) would refuse again, and the larger bodies a test allows.
        let routers = apis
            .as_ref()
            .map(|api| Arc::clone(api).router().layer(DefaultBodyLimit::disable()));
        let shared = Arc::new(Shared {
            apis,
            routers,
            faults: config.faults.clone().map(RwLock::new),
            dice: Dice::new(),
            requests: Default::default(),
            other_requests: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            addr,
            limits: config.limits,
            body_budget: Arc::new(Semaphore::new(
                config.limits.body_budget.min(Semaphore::MAX_PERMITS),
            )),
        });
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        tracing::debug!(%addr, "mock server listening");
        Ok(MockServer {
            addr,
            shared,
            credentials: config.credentials,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL of one API (`http://127.0.0.1:PORT/ovh/1.0`).
    pub fn base_url(&self, api: Api) -> String {
        format!("{}{}", self.origin(), api.prefix())
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &MockCredentials {
        &self.credentials
    }

    /// Requests received for one API so far (refused ones included).
    pub fn requests(&self, api: Api) -> u64 {
        self.shared.requests[api].load(Ordering::SeqCst)
    }

    /// Requests received so far, for any path.
    pub fn total_requests(&self) -> u64 {
        Api::ALL.iter().map(|api| self.requests(*api)).sum::<u64>()
            + self.shared.other_requests.load(Ordering::SeqCst)
    }

    /// TCP connections accepted so far, whether a request came on them or not.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Replaces the faults of one API, for the requests that arrive from now on.
    pub fn set_faults(&self, api: Api, faults: Faults) {
        *self.shared.faults[api]
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = faults;
    }

    /// The environment a client needs to call this mock: the five base URL variables, and
    /// the credentials that may be shown (generated or given explicitly; never those read
    /// from the environment, which the user has already).
    pub fn env_vars(&self) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = Api::ALL
            .into_iter()
            .map(|api| {
                (
                    api.descriptor().base_url_variable.to_owned(),
                    self.base_url(api),
                )
            })
            .collect();
        vars.extend(
            self.credentials
                .exports()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        vars
    }

    /// [`env_vars`](Self::env_vars) as `export NAME='value'` lines for a POSIX shell.
    pub fn usage(&self) -> String {
        self.env_vars()
            .iter()
            .map(|(name, value)| format!("export {name}='{}'\n", value.replace('\'', r"'\''")))
            .collect()
    }

    /// Stops accepting connections, closes the open ones and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Accepts connections while fewer than `max_connections` are open. A slot is taken
/// before accepting, not after: past the limit, new clients wait in the listen backlog
/// until a connection closes (they are slowed, not failed, and the load tests' bursts
/// never see the limit), rather than being accepted and dropped at once.
async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(
        shared
            .limits
            .max_connections
            .clamp(1, Semaphore::MAX_PERMITS),
    ));
    let mut slot: Option<OwnedSemaphorePermit> = None;
    // Dropping the set at the end aborts the connections still open.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            acquired = Arc::clone(&slots).acquire_owned(), if slot.is_none() => {
                match acquired {
                    Ok(acquired) => slot = Some(acquired),
                    Err(_) => break, // closed: never, the semaphore is ours
                }
            }
            accepted = listener.accept(), if slot.is_some() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: wait a little, go on.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                };
                let Some(slot) = slot.take() else { continue };
                shared.connections.fetch_add(1, Ordering::SeqCst);
                connections.spawn(connection(stream, Arc::clone(&shared), slot));
            }
        }
    }
}

/// Serves one connection, holding its slot until it closes.
async fn connection(stream: TcpStream, shared: Arc<Shared>, _slot: OwnedSemaphorePermit) {
    // hyper adds the timeout to an `Instant`, which panics past its range: a year is as
    // good as forever here.
    let header_timeout = shared
        .limits
        .header_timeout
        .min(std::time::Duration::from_secs(365 * 86_400));
    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(READ_BUFFER)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// One request, start to end.
async fn handle(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Dropped> {
    let Some((api, _)) = Api::split_path(request.uri().path()) else {
        shared.other_requests.fetch_add(1, Ordering::SeqCst);
        let message = format!(
            "no API at this path; the mock serves {}",
            Api::list(Api::prefix)
        );
        return Ok(reply::json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "message": message }),
        ));
    };
    shared.requests[api].fetch_add(1, Ordering::SeqCst);
    let faults = shared.faults[api]
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let time = ServerTime::now(faults.clock_offset_secs);
    let handler = &shared.apis[api];
    let mut response = match shared.dice.decide(&faults) {
        Outcome::Drop => return Err(Dropped),
        Outcome::Unavailable => handler.error(
            StatusCode::SERVICE_UNAVAILABLE,
            "The service is temporarily unavailable (injected fault)",
        ),
        Outcome::RateLimited(retry_after) => {
            let mut response = handler.error(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests (injected fault)",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Outcome::Serve => serve(&shared, api, request, time).await,
    };
    handler.finish(&mut response);
    if let Ok(date) = HeaderValue::from_str(&time.http_date()) {
        response.headers_mut().insert(header::DATE, date);
    }
    Ok(response)
}

/// Checks the request line and headers, then reads the body, verifies, routes.
async fn serve(
    shared: &Shared,
    api: Api,
    request: Request<Incoming>,
    time: ServerTime,
) -> Response<Body> {
    let handler = &shared.apis[api];
    let (mut parts, body) = request.into_parts();
    // An absolute-form target (`GET http://other/x`) is refused: its authority would not be
    // the Host the signature is checked against.
    if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
        return handler.error(
            StatusCode::BAD_REQUEST,
            "absolute-form request targets are not accepted",
        );
    }
    // The request-target exactly as received (neither decoded nor normalised).
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |target| target.as_str())
        .to_owned();
    let relative = &target[api.prefix().len()..];
    let relative_path = relative.split('?').next().unwrap_or_default();
    if let Err(refusal) = check_head(handler.as_ref(), &parts, &target, relative_path, time) {
        return *refusal;
    }
    let (body, _held) = match read_body(shared, &parts.headers, body).await {
        Ok(read) => read,
        Err(error) => return error.answer(handler.as_ref()),
    };
    let received = match ReceivedRequest::new(
        "http",
        parts.method.as_str(),
        &target,
        &parts.headers,
        &body,
    ) {
        Ok(received) => received,
        Err(error) => return handler.error(StatusCode::BAD_REQUEST, &error.to_string()),
    };
    let origin = format!("http://{}", received.authority());
    let caller = match handler.authenticate(&received, relative_path, time.unix) {
        Ok(caller) => caller,
        Err(refusal) => return *refusal,
    };
    let relative_target = if relative.starts_with('/') {
        relative.to_owned()
    } else {
        format!("/{relative}")
    };
    parts.uri = match relative_target.parse::<Uri>() {
        Ok(uri) => uri,
        Err(_) => return handler.error(StatusCode::BAD_REQUEST, "invalid request target"),
    };
    parts.extensions.insert(Context {
        now: time.unix,
        origin,
        caller,
    });
    let inner = Request::from_parts(parts, Body::from(body));
    match shared.routers[api].clone().oneshot(inner).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
    .into_response()
}

/// Everything the request line and the headers can tell, before any byte of the body is
/// read: the method, request-target and one `Host` in canonical form (host[:port], so
/// that it cannot move the path), then the API's own header checks (a known key, the
/// signature headers present, the timestamp in the window). The request is given an empty
/// body here; the signature is verified once the body is read.
fn check_head(
    handler: &dyn MockApi,
    parts: &Parts,
    target: &str,
    relative_path: &str,
    time: ServerTime,
) -> Result<(), apis::Refusal> {
    let head = ReceivedRequest::new("http", parts.method.as_str(), target, &parts.headers, &[])
        .map_err(|error| Box::new(handler.error(StatusCode::BAD_REQUEST, &error.to_string())))?;
    handler.pre_authenticate(&head, relative_path, time.unix)
}

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyError {
    /// Over `max_body`, declared or sent.
    TooLarge,
    /// Not all there within `body_timeout`.
    TimedOut,
    /// The bodies being read already hold `body_budget`.
    Busy,
    /// The connection failed or the framing was wrong.
    Broken,
}

impl BodyError {
    fn answer(self, handler: &dyn MockApi) -> Response<Body> {
        match self {
            BodyError::TooLarge => handler.error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the body is larger than the mock accepts",
            ),
            BodyError::TimedOut => handler.error(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time",
            ),
            BodyError::Busy => {
                let mut response = handler.error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the mock is reading too many bodies at once; try again",
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(1));
                response
            }
            BodyError::Broken => {
                handler.error(StatusCode::BAD_REQUEST, "the body could not be read")
            }
        }
    }
}

/// Reads the body within the limits: a declared length over `max_body` is refused before
/// reading, the whole body must come within `body_timeout`, and its bytes are counted
/// against the body budget until the request is answered (the permit returned).
async fn read_body(
    shared: &Shared,
    headers: &HeaderMap,
    body: Incoming,
) -> Result<(Bytes, Option<OwnedSemaphorePermit>), BodyError> {
    let limits = shared.limits;
    if declared_length(headers).is_some_and(|length| length > limits.max_body as u64) {
        return Err(BodyError::TooLarge);
    }
    tokio::time::timeout(
        limits.body_timeout,
        collect(&shared.body_budget, limits.max_body, body),
    )
    .await
    .unwrap_or(Err(BodyError::TimedOut))
}

/// The largest `Content-Length` sent (hyper has already refused conflicting or malformed
/// ones).
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get_all(header::CONTENT_LENGTH)
        .iter()
        .filter_map(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
        .max()
}

/// The body's data frames, up to `limit` bytes, each taken from `budget` first.
async fn collect(
    budget: &Arc<Semaphore>,
    limit: usize,
    body: Incoming,
) -> Result<(Bytes, Option<OwnedSemaphorePermit>), BodyError> {
    let mut body = pin!(body);
    let mut bytes = BytesMut::new();
    let mut held: Option<OwnedSemaphorePermit> = None;
    while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
        let Ok(data) = frame.map_err(|_| BodyError::Broken)?.into_data() else {
            continue; // trailers
        };
        if data.len() > limit.saturating_sub(bytes.len()) {
            return Err(BodyError::TooLarge);
        }
        let permits = u32::try_from(data.len()).map_err(|_| BodyError::TooLarge)?;
        let permit = Arc::clone(budget)
            .try_acquire_many_owned(permits)
            .map_err(|_| BodyError::Busy)?;
        match &mut held {
            Some(held) => held.merge(permit),
            None => held = Some(permit),
        }
        bytes.extend_from_slice(&data);
    }
    Ok((bytes.freeze(), held))
}
