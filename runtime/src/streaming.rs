//! Bodies larger than memory, both ways: an upload read from a file or a stream while it
//! is sent ([`Request::file_body`](crate::Request::file_body),
//! [`Request::stream_body`](crate::Request::stream_body)), and a 2xx answer handed over
//! unread ([`Request::send_streaming`](crate::Request::send_streaming), [`BodyStream`]).
//!
//! Neither is held whole, so neither is bounded by the whole-request timeout: that would
//! cut a large transfer however steadily it moves. Each waits instead at most the
//! request's timeout for the next step (a chunk taken by the connection, the answer's
//! head, a chunk of the answer): an idle timeout.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use futures_core::stream::TryStream;
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::{Error, Result};

/// The error type a caller's upload stream may fail with.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How many bytes of a file are read at a time: few system calls, little memory.
const FILE_CHUNK: usize = 64 * 1024;

/// A body read while it is sent. It is sent once: the call path neither retries it nor
/// signs it again after anything may have left (see `Outgoing::repeatable`).
pub(crate) enum Upload {
    /// Opened afresh by each attempt, so a connection that was never made may be retried.
    File(PathBuf),
    /// Taken by the first attempt: a stream cannot be read twice.
    Stream(Option<Sending>),
}

impl Upload {
    /// A caller's stream of chunks, with its length when known.
    pub(crate) fn stream<S>(stream: S, length: Option<u64>) -> Self
    where
        S: TryStream + Send + 'static,
        S::Error: Into<BoxError>,
        Bytes: From<S::Ok>,
    {
        Upload::Stream(Some(Sending::watched(stream, length)))
    }

    /// The body of the next attempt: the file opened again, or the stream if no attempt
    /// took it yet (none can have: a stream is never retried, so this error is a guard).
    pub(crate) async fn next(&mut self) -> Result<Sending> {
        match self {
            Upload::File(path) => open_file(path).await,
            Upload::Stream(stream) => stream.take().ok_or_else(|| {
                Error::InvalidRequest("a streamed body is sent once and was sent already".into())
            }),
        }
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Upload::File(path) => f.debug_tuple("File").field(path).finish(),
            Upload::Stream(sending) => f
                .debug_struct("Stream")
                .field("length", &sending.as_ref().and_then(|s| s.length))
                .finish_non_exhaustive(),
        }
    }
}

/// Opens a body file: its length, from its metadata, becomes the `Content-Length`, and
/// no more than that is read, so a file that grows meanwhile cannot send more than was
/// declared (one that shrinks ends the body early, which the HTTP layer reports).
async fn open_file(path: &Path) -> Result<Sending> {
    let unreadable = |source| Error::Io {
        what: format!("the body file {} cannot be read", path.display()),
        source,
    };
    let file = tokio::fs::File::open(path).await.map_err(unreadable)?;
    let metadata = file.metadata().await.map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Error::InvalidRequest(format!(
            "the body file {} is not a regular file",
            path.display()
        )));
    }
    let length = metadata.len();
    let chunks = tokio_util::io::ReaderStream::with_capacity(file.take(length), FILE_CHUNK);
    Ok(Sending::watched(chunks, Some(length)))
}

/// What one attempt sends as its body.
pub(crate) struct Sending {
    pub(crate) body: reqwest::Body,
    /// Sent as `Content-Length` when known; the body goes chunked otherwise.
    pub(crate) length: Option<u64>,
    /// When the connection last took a chunk of a body read while sent.
    pub(crate) progress: Option<Progress>,
}

impl Sending {
    /// Bytes held in memory: reqwest knows their length and re-sends them as they are.
    pub(crate) fn bytes(bytes: Bytes) -> Self {
        Sending {
            body: reqwest::Body::from(bytes),
            length: None,
            progress: None,
        }
    }

    /// A stream whose every chunk taken marks progress.
    fn watched<S>(stream: S, length: Option<u64>) -> Self
    where
        S: TryStream + Send + 'static,
        S::Error: Into<BoxError>,
        Bytes: From<S::Ok>,
    {
        let progress = Progress::default();
        let watched = Watched {
            stream: Box::pin(stream),
            progress: progress.clone(),
        };
        Sending {
            body: body_of(watched),
            length,
            progress: Some(progress),
        }
    }
}

/// Reqwest's body for a stream of chunks. Apart from [`Sending::watched`] because there the
/// caller's `Bytes: From<S::Ok>` bound would be taken for the watched stream's own, which
/// the compiler then cannot match.
fn body_of<T>(chunks: T) -> reqwest::Body
where
    T: Stream<Item = Result<Bytes, BoxError>> + Send + 'static,
{
    reqwest::Body::wrap_stream(chunks)
}

/// When an upload last moved, shared between the body (which marks it) and the attempt
/// (which waits while it moves).
#[derive(Clone)]
pub(crate) struct Progress(Arc<Mutex<Instant>>);

impl Default for Progress {
    fn default() -> Self {
        Progress(Arc::new(Mutex::new(Instant::now())))
    }
}

impl Progress {
    fn mark(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
    }

    fn last(&self) -> Instant {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A body stream that marks [`Progress`] at every chunk the connection takes.
struct Watched<S> {
    /// Boxed so that it is pinned without `unsafe` projections.
    stream: Pin<Box<S>>,
    progress: Progress,
}

impl<S> Stream for Watched<S>
where
    S: TryStream,
    S::Error: Into<BoxError>,
    Bytes: From<S::Ok>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.stream.as_mut().try_poll_next(cx);
        if let Poll::Ready(Some(_)) = &polled {
            self.progress.mark();
        }
        polled.map(|chunk| chunk.map(|chunk| chunk.map(Bytes::from).map_err(Into::into)))
    }
}

/// Waits for `sending` (a request's head and body going out, then the answer's head) as
/// long as it moves: fails with [`Error::Timeout`] once `idle` has passed with neither a
/// chunk of the upload taken by the connection nor the answer's head arrived. Boxed: only
/// a streamed body takes this path, and inline its state would be part of every call's
/// future, streamed or not.
pub(crate) fn until_idle<F: Future>(
    sending: F,
    progress: Option<&Progress>,
    idle: Duration,
) -> Pin<Box<impl Future<Output = Result<F::Output>>>> {
    Box::pin(async move {
        let started = Instant::now();
        let mut sending = std::pin::pin!(sending);
        loop {
            let moved = progress.map_or(started, |progress| progress.last().max(started));
            let Some(deadline) = moved.checked_add(idle) else {
                return Ok(sending.await); // a timeout beyond the end of time: none
            };
            let deadline = tokio::time::Instant::from_std(deadline);
            match tokio::time::timeout_at(deadline, sending.as_mut()).await {
                Ok(output) => return Ok(output),
                Err(_) if progress.is_some_and(|progress| progress.last() > moved) => continue,
                Err(_) => return Err(Error::Timeout(idle)),
            }
        }
    })
}

/// The body of a 2xx answer, handed over unread by
/// [`Request::send_streaming`](crate::Request::send_streaming): read it chunk by chunk
/// with [`chunk`](Self::chunk), or into a file or any writer with [`write_to`](Self::write_to).
///
/// No body limit applies (`ClientBuilder::max_response_body` bounds what the client holds
/// in memory; here the caller holds each chunk and chose to). Each chunk is awaited at
/// most the request's timeout, however long the whole body takes. Dropping the stream
/// before its end closes the connection.
pub struct BodyStream {
    response: reqwest::Response,
    idle: Duration,
}

impl BodyStream {
    pub(crate) fn new(response: reqwest::Response, idle: Duration) -> Self {
        BodyStream { response, idle }
    }

    /// The next chunk of the body, or `None` at its end. Fails with [`Error::Timeout`]
    /// when no byte arrived within the request's timeout, and with [`Error::Transport`]
    /// when the connection broke (a body shorter than its `Content-Length` among others).
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        match tokio::time::timeout(self.idle, self.response.chunk()).await {
            Ok(chunk) => chunk.map_err(|error| crate::client::transport_error(error, self.idle)),
            Err(_) => Err(Error::Timeout(self.idle)),
        }
    }

    /// The body's length as the answer declared it, if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// Writes the rest of the body to `out`, flushes it, and returns the bytes written.
    /// A failed write fails with [`Error::Io`]; what was written before stays written.
    pub async fn write_to<W>(&mut self, out: &mut W) -> Result<u64>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let failed = |source| Error::Io {
            what: "the response body could not be written".into(),
            source,
        };
        let mut written = 0u64;
        while let Some(chunk) = self.chunk().await? {
            out.write_all(&chunk).await.map_err(failed)?;
            written = written.saturating_add(chunk.len() as u64);
        }
        out.flush().await.map_err(failed)?;
        Ok(written)
    }
}

impl fmt::Debug for BodyStream {
    /// The length and the timeout, never a byte of the body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyStream")
            .field("content_length", &self.content_length())
            .field("idle_timeout", &self.idle)
            .finish_non_exhaustive()
    }
}
