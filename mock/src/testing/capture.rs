//! A tiny HTTP/1.1 server for tests: it records every request byte for byte (request
//! target as received, headers, body) and answers with what a test's responder says.
//! Written by hand on a `TcpListener` so that nothing between the socket and the test
//! normalises what the client sent.

use std::sync::{Arc, Mutex};

use signed_api_runtime::HeaderMap;
use signed_api_runtime::scheme::{HeaderName, HeaderValue};
use signed_api_runtime::verify::{ReceivedRequest, Verifier};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Captured {
    /// The method as sent.
    pub method: String,
    /// The request target exactly as sent: path and query, still percent-encoded.
    pub target: String,
    /// The headers as sent.
    pub headers: HeaderMap,
    /// The body as sent.
    pub body: Vec<u8>,
}

impl Captured {
    /// A header's value as text, when present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers besides `content-length`, which the server adds.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// How long to wait before answering.
    pub delay: std::time::Duration,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Self {
        Self::new(status, "application/json", body)
    }

    /// An answer of this content type.
    pub fn new(status: u16, content_type: &str, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
            delay: std::time::Duration::ZERO,
        }
    }

    /// Answers only after `delay` (to trip client timeouts).
    pub fn after(mut self, delay: std::time::Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The answer with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Runs `verifier` over `request` as received at `server_now`: an accepted signature gets
/// `reply`, a refused one (or a request not in canonical form) a 401 with the reason.
pub fn verified(
    verifier: &dyn Verifier,
    request: &Captured,
    origin: &str,
    server_now: i64,
    reply: Reply,
) -> Reply {
    let scheme = origin
        .split_once("://")
        .map_or("http", |(scheme, _)| scheme);
    let received = ReceivedRequest::new(
        scheme,
        &request.method,
        &request.target,
        &request.headers,
        &request.body,
    );
    match received.and_then(|received| verifier.verify(&received, server_now)) {
        Ok(_) => reply,
        Err(error) => Reply::json(
            401,
            &serde_json::json!({ "message": error.to_string() }).to_string(),
        ),
    }
}

type Responder = dyn Fn(&Captured, &str) -> Reply + Send + Sync;

/// A running capture server; it stops when dropped.
pub struct CaptureServer {
    origin: String,
    requests: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl CaptureServer {
    /// Starts on a free loopback port. The responder gets each request and the server's
    /// origin (`http://127.0.0.1:PORT`), to rebuild the absolute URL the client signed.
    pub async fn start(
        responder: impl Fn(&Captured, &str) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let responder: Arc<Responder> = Arc::new(responder);
        let task = {
            let requests = requests.clone();
            let origin = origin.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let requests = requests.clone();
                    let responder = responder.clone();
                    let origin = origin.clone();
                    tokio::spawn(serve(stream, requests, responder, origin));
                }
            })
        };
        CaptureServer {
            origin,
            requests,
            task,
        }
    }

    /// Answers 200 with `{}` to everything.
    pub async fn ok() -> Self {
        Self::start(|_, _| Reply::json(200, "{}")).await
    }

    /// `http://127.0.0.1:PORT` followed by `prefix`.
    pub fn url(&self, prefix: &str) -> String {
        format!("{}{prefix}", self.origin)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().unwrap().clone()
    }

    /// The only request received; panics if there were more or none.
    pub fn single(&self) -> Captured {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:#?}");
        requests.into_iter().next().unwrap()
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: Arc<Mutex<Vec<Captured>>>,
    responder: Arc<Responder>,
    origin: String,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(captured) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let reply = responder(&captured, &origin);
        requests.lock().unwrap().push(captured);
        if !write_reply(&mut stream, &reply).await {
            return;
        }
    }
}

/// Writes `reply` (after its delay) with a `content-length`; `false` when the client has
/// gone.
pub async fn write_reply(stream: &mut TcpStream, reply: &Reply) -> bool {
    tokio::time::sleep(reply.delay).await;
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.is_ok() && stream.write_all(&reply.body).await.is_ok()
}

/// Reads one request (a `Content-Length` body, what reqwest sends for bytes and for a
/// stream of known length, or a chunked one, for a stream of unknown length); `buffer`
/// keeps what was read past it, for the next request on the connection.
pub async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Captured> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line.split_once(':')?;
        headers.append(
            HeaderName::from_bytes(name.trim().as_bytes()).ok()?,
            HeaderValue::from_bytes(value.trim().as_bytes()).ok()?,
        );
    }
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
    buffer.drain(..head_end + 4);
    let body = if chunked {
        read_chunked(stream, buffer).await?
    } else {
        let length: usize = headers
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        fill(stream, buffer, length).await?;
        buffer.drain(..length).collect()
    };
    Some(Captured {
        method,
        target,
        headers,
        body,
    })
}

/// Reads from `stream` until `buffer` holds at least `length` bytes; `None` when the
/// client hung up first.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>, length: usize) -> Option<()> {
    if buffer.len() >= length {
        return Some(());
    }
    let mut chunk = vec![0u8; 64 * 1024];
    while buffer.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some(())
}

/// Reads a chunked body (sizes in hex, extensions ignored, no trailers) from `buffer` and
/// `stream`, leaving what follows it in `buffer`.
async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(at) = buffer.windows(2).position(|w| w == b"\r\n") {
                break at;
            }
            let wanted = buffer.len() + 1;
            fill(stream, buffer, wanted).await?;
        };
        let line = std::str::from_utf8(&buffer[..line_end]).ok()?;
        let size = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        buffer.drain(..line_end + 2);
        fill(stream, buffer, size + 2).await?;
        body.extend_from_slice(&buffer[..size]);
        buffer.drain(..size + 2);
        if size == 0 {
            return Some(body);
        }
    }
}
