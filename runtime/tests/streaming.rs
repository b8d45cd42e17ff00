//! Bodies larger than memory, both ways.
//!
//! A download handed over unread (`send_streaming`) passes the body limit, arrives intact
//! chunk by chunk, takes as long as it needs while it moves and fails once it stops, and
//! up to its head is a call like any other: signed, retried, error answers decoded as
//! `send` decodes them, redirects refused.
//!
//! An upload read while sent (`file_body`, `stream_body`) is signed without its bytes by a
//! scheme that can (SigV4 with `x-amz-content-sha256`) and arrives as the file or stream
//! was, refused before any byte leaves by a scheme that signs bodies, sent once whatever
//! the answer, and bounded by its idleness, not its length.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use sha2::{Digest, Sha256};
use signed_api_mock::testing::capture::{
    CaptureServer, Captured, Reply, read_request, verified, write_reply,
};
use signed_api_mock::testing::unix_now as now;
use signed_api_runtime::defaults::DEFAULT_MAX_RESPONSE_BODY;
use signed_api_runtime::schemes::sigv4::{
    Sigv4Credentials, Sigv4Scheme, Sigv4Verifier, UNSIGNED_PAYLOAD,
};
use signed_api_runtime::schemes::{ArmorCredentials, ArmorScheme};
use signed_api_runtime::{
    ApiErrorKind, BodyStream, Client, Error, Method, Request, Response, RetryPolicy, StatusCode,
};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// The large download: three times the default body limit.
const BIG: usize = 48 * MIB;

/// Each request's timeout: every wait is bounded by it, no transfer here is shorter.
const TIMEOUT: Duration = Duration::from_millis(300);

/// Bytes per write of the download server.
const PIECE: usize = 64 * KIB;

const CONTENT_SHA256: &str = "x-amz-content-sha256";

// ---------------------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------------------

fn sigv4() -> Sigv4Scheme {
    let credentials = Sigv4Credentials::new("AKIDSTREAMING", "streaming/secret").unwrap();
    Sigv4Scheme::new(credentials, "eu-west-3", "s3").unwrap()
}

fn client(base_url: &str) -> Client {
    Client::builder(sigv4())
        .base_url(base_url)
        .timeout(TIMEOUT)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(20)))
        .build()
        .unwrap()
}

fn armor_client(base_url: &str) -> Client {
    let credentials = ArmorCredentials::new("key-id", "armor-secret").unwrap();
    Client::builder(ArmorScheme::new(credentials))
        .base_url(base_url)
        .timeout(TIMEOUT)
        .build()
        .unwrap()
}

/// `length` bytes of a fixed pseudo-random sequence (xorshift): a byte lost, repeated or
/// moved changes their hash.
fn pattern(length: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut bytes = Vec::with_capacity(length + 8);
    while bytes.len() < length {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(length);
    bytes
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A file of this test process, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "signed-api-streaming-{}-{name}",
            std::process::id()
        ));
        TempFile(path)
    }

    fn with(name: &str, bytes: &[u8]) -> Self {
        let file = TempFile::new(name);
        std::fs::write(&file.0, bytes).unwrap();
        file
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ---------------------------------------------------------------------------------------
// The download server
// ---------------------------------------------------------------------------------------

/// How the download server answers one request.
#[derive(Clone)]
enum Serve {
    /// 200 with these bytes, in pieces of [`PIECE`], each after `pause`; framed by a
    /// `Content-Length` or, when `chunked`, chunk by chunk.
    Body {
        bytes: Arc<Vec<u8>>,
        chunked: bool,
        pause: Duration,
    },
    /// 200 declaring `declared` bytes, of which it sends `sent`, then falls silent.
    Stall { declared: usize, sent: usize },
    /// A small answer, as the capture server writes it.
    Small(Reply),
}

impl Serve {
    fn body(bytes: &Arc<Vec<u8>>) -> Self {
        Serve::Body {
            bytes: bytes.clone(),
            chunked: false,
            pause: Duration::ZERO,
        }
    }
}

/// A server written on a bare `TcpListener`, so that each answer's framing and pace are
/// exactly what the test says. It verifies every request's SigV4 signature first and
/// answers a 401 to a wrong one.
struct Downloads {
    origin: String,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

type Route = dyn Fn(&Captured, usize) -> Serve + Send + Sync;

impl Downloads {
    /// `route` gets each request and its number (from 0).
    async fn start(route: impl Fn(&Captured, usize) -> Serve + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let route: Arc<Route> = Arc::new(route);
        let task = {
            let (origin, requests) = (origin.clone(), requests.clone());
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (origin, requests, route) =
                        (origin.clone(), requests.clone(), route.clone());
                    tokio::spawn(serve(stream, origin, requests, route));
                }
            })
        };
        Downloads {
            origin,
            requests,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Downloads {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    origin: String,
    requests: Arc<AtomicUsize>,
    route: Arc<Route>,
) {
    let verifier = Sigv4Verifier::new(sigv4());
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let number = requests.fetch_add(1, Ordering::SeqCst);
        let check = verified(&verifier, &request, &origin, now(), Reply::json(200, "{}"));
        let serve = if check.status == 200 {
            route(&request, number)
        } else {
            Serve::Small(check)
        };
        if !answer(&mut stream, serve).await {
            return;
        }
    }
}

/// Writes one answer; `false` when the client hung up or the answer ends the connection.
async fn answer(stream: &mut TcpStream, serve: Serve) -> bool {
    match serve {
        Serve::Small(reply) => write_reply(stream, &reply).await,
        Serve::Body {
            bytes,
            chunked,
            pause,
        } => {
            let framing = if chunked {
                "transfer-encoding: chunked".to_owned()
            } else {
                format!("content-length: {}", bytes.len())
            };
            let head = format!("HTTP/1.1 200 OK\r\n{framing}\r\n\r\n");
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            for piece in bytes.chunks(PIECE) {
                tokio::time::sleep(pause).await;
                let written = if chunked {
                    let size = format!("{:x}\r\n", piece.len());
                    stream.write_all(size.as_bytes()).await.is_ok()
                        && stream.write_all(piece).await.is_ok()
                        && stream.write_all(b"\r\n").await.is_ok()
                } else {
                    stream.write_all(piece).await.is_ok()
                };
                if !written {
                    return false;
                }
            }
            !chunked || stream.write_all(b"0\r\n\r\n").await.is_ok()
        }
        Serve::Stall { declared, sent } => {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {declared}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&pattern(sent)).await;
            tokio::time::sleep(Duration::from_secs(10)).await;
            false
        }
    }
}

/// Reads a streamed body to its end: its hash, its length and its largest chunk.
async fn drain(body: &mut BodyStream) -> (Vec<u8>, usize, usize) {
    let mut hasher = Sha256::new();
    let (mut length, mut largest) = (0, 0);
    while let Some(chunk) = body.chunk().await.unwrap() {
        hasher.update(&chunk);
        length += chunk.len();
        largest = largest.max(chunk.len());
    }
    (hasher.finalize().to_vec(), length, largest)
}

fn get(client: &Client, path: &str) -> Request {
    client.request(Method::GET, path.to_owned())
}

// ---------------------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------------------

/// 48 MiB, three times the default limit: `send` refuses it from its declared length,
/// `send_streaming` hands it over and it arrives intact, in chunks far smaller than the
/// body, its declared length known beforehand.
#[tokio::test]
async fn a_download_above_the_body_limit_streams_through_intact() {
    assert!(BIG as u64 > DEFAULT_MAX_RESPONSE_BODY);
    let bytes = Arc::new(pattern(BIG));
    let server = Downloads::start({
        let bytes = bytes.clone();
        move |_, _| Serve::body(&bytes)
    })
    .await;
    let client = client(&server.url("/bucket"));

    let refused = get(&client, "/big.bin").send().await.unwrap_err();
    assert!(matches!(refused, Error::BodyTooLarge { .. }), "{refused:?}");

    let response = get(&client, "/big.bin").send_streaming().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body().content_length(), Some(BIG as u64));
    let mut body = response.into_body();
    let (hash, length, largest) = drain(&mut body).await;
    assert_eq!(length, BIG);
    assert_eq!(hash, sha256(&bytes));
    assert!(largest <= MIB, "a chunk of {largest} bytes");
    // The end stays the end.
    assert!(body.chunk().await.unwrap().is_none());
    assert_eq!(server.requests(), 2);
}

/// `write_to` writes the whole body into a file and says how much it wrote.
#[tokio::test]
async fn write_to_writes_the_whole_body_out() {
    let bytes = Arc::new(pattern(BIG));
    let server = Downloads::start({
        let bytes = bytes.clone();
        move |_, _| Serve::body(&bytes)
    })
    .await;
    let target = TempFile::new("download");
    let mut file = tokio::fs::File::create(&target.0).await.unwrap();
    let written = client(&server.url("/bucket"))
        .request(Method::GET, "/big.bin")
        .send_streaming()
        .await
        .unwrap()
        .into_body()
        .write_to(&mut file)
        .await
        .unwrap();
    drop(file);
    assert_eq!(written, BIG as u64);
    assert_eq!(sha256(&std::fs::read(&target.0).unwrap()), sha256(&bytes));
}

/// The timeout bounds each wait, not the transfer: a chunked body that keeps coming for
/// three times the timeout arrives whole (its length unknown beforehand), and one that
/// stops mid-way fails with a timeout of the request's length, soon after it stopped.
#[tokio::test]
async fn a_download_is_bounded_by_its_idleness_not_its_length() {
    let bytes = Arc::new(pattern(20 * PIECE));
    let server = Downloads::start({
        let bytes = bytes.clone();
        move |request, _| match request.target.as_str() {
            "/bucket/drip" => Serve::Body {
                bytes: bytes.clone(),
                chunked: true,
                pause: Duration::from_millis(50),
            },
            _ => Serve::Stall {
                declared: MIB,
                sent: PIECE,
            },
        }
    })
    .await;
    let client = client(&server.url("/bucket"));

    let started = Instant::now();
    let mut drip = get(&client, "/drip")
        .send_streaming()
        .await
        .unwrap()
        .into_body();
    assert_eq!(drip.content_length(), None);
    let (hash, length, _) = drain(&mut drip).await;
    assert!(started.elapsed() > 3 * TIMEOUT, "{:?}", started.elapsed());
    assert_eq!((hash, length), (sha256(&bytes), bytes.len()));

    let mut stalled = get(&client, "/stall")
        .send_streaming()
        .await
        .unwrap()
        .into_body();
    let mut received = 0;
    let started = Instant::now();
    let error = loop {
        match stalled.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("a stalled body ended after {received} bytes"),
            Err(error) => break error,
        }
    };
    assert!(
        matches!(error, Error::Timeout(limit) if limit == TIMEOUT),
        "{error:?}"
    );
    assert_eq!(received, PIECE);
    assert!(started.elapsed() < 4 * TIMEOUT, "{:?}", started.elapsed());
}

/// Up to the head, a streamed call is a call: an error answer comes back as `send`'s
/// does, decoded alike; a busy answer to a GET is retried, signed afresh.
#[tokio::test]
async fn before_its_head_a_streamed_download_is_an_ordinary_call() {
    const NO_SUCH_KEY: &str = "<Error><Code>NoSuchKey</Code><Message>The specified key \
        does not exist.</Message><RequestId>R-1</RequestId></Error>";
    let bytes = Arc::new(pattern(3 * PIECE + 5));
    let server = Downloads::start({
        let bytes = bytes.clone();
        move |request, number| match request.target.as_str() {
            "/bucket/missing" => Serve::Small(Reply::new(404, "application/xml", NO_SUCH_KEY)),
            _ if number == 2 => Serve::Small(Reply::new(503, "application/xml", "")),
            _ => Serve::body(&bytes),
        }
    })
    .await;
    let client = client(&server.url("/bucket"));

    let sent = get(&client, "/missing").send().await.unwrap_err();
    let streamed = get(&client, "/missing").send_streaming().await.unwrap_err();
    let api = streamed.api().expect("an API error");
    assert_eq!(Some(api), sent.api());
    assert_eq!(api.kind, ApiErrorKind::NotFound);
    assert_eq!(api.code.as_deref(), Some("NoSuchKey"));
    assert_eq!(api.request_id.as_deref(), Some("R-1"));

    // Request 2 is answered 503, request 3 is the body.
    let mut body = get(&client, "/retried")
        .send_streaming()
        .await
        .unwrap()
        .into_body();
    assert_eq!(drain(&mut body).await.0, sha256(&bytes));
    assert_eq!(server.requests(), 4);
}

/// A redirect is refused as on every call: the default client answers it as an error
/// without following it, and the answer of a redirect a caller's client followed is
/// refused rather than streamed.
#[tokio::test]
async fn redirects_are_refused_on_the_streaming_path() {
    let planted = Arc::new(b"the answer of another URL".to_vec());
    let server = Downloads::start({
        let planted = planted.clone();
        move |request, _| match request.target.as_str() {
            "/bucket/moved" => Serve::Small(
                Reply::new(302, "text/plain", "").with_header("location", "/bucket/elsewhere"),
            ),
            _ => Serve::body(&planted),
        }
    })
    .await;
    let error = get(&client(&server.url("/bucket")), "/moved")
        .send_streaming()
        .await
        .unwrap_err();
    assert_eq!(error.api().map(|api| api.status), Some(StatusCode::FOUND));
    assert_eq!(server.requests(), 1);

    let following = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap();
    let client = Client::builder(sigv4())
        .base_url(server.url("/bucket"))
        .http_client(following)
        .timeout(TIMEOUT)
        .build()
        .unwrap();
    let error = get(&client, "/moved").send_streaming().await.unwrap_err();
    // Followed to the same host with headers signed for another path: whatever it
    // answered, it is not handed over.
    assert!(matches!(error, Error::Redirected { .. }), "{error:?}");
    assert_eq!(server.requests(), 3);
}

// ---------------------------------------------------------------------------------------
// Uploads
// ---------------------------------------------------------------------------------------

/// A capture server that checks every request's SigV4 signature as S3 would and answers
/// 200 to a valid one.
async fn s3_capture() -> CaptureServer {
    let verifier = Sigv4Verifier::new(sigv4());
    CaptureServer::start(move |request, origin| {
        verified(
            &verifier,
            request,
            origin,
            now(),
            Reply::new(200, "application/xml", ""),
        )
    })
    .await
}

fn put(client: &Client, key: &str) -> Request {
    client
        .request(Method::PUT, "/bucket/{key+}")
        .path_param("key", key)
        .header(CONTENT_SHA256, UNSIGNED_PAYLOAD)
}

/// A file is sent as it is, with its length, signed with `UNSIGNED-PAYLOAD`: the
/// verifier accepts it and the bytes received are the file's.
#[tokio::test]
async fn a_file_uploads_with_its_length_and_a_valid_signature() {
    let bytes = pattern(3 * MIB + 17);
    let file = TempFile::with("upload", &bytes);
    let server = s3_capture().await;
    let client = client(&server.url(""));
    put(&client, "photos/a.bin")
        .file_body(&file.0)
        .empty()
        .await
        .unwrap();
    let request = server.single();
    assert_eq!(request.target, "/bucket/photos/a.bin");
    assert_eq!(request.header(CONTENT_SHA256), Some(UNSIGNED_PAYLOAD));
    let length = bytes.len().to_string();
    assert_eq!(request.header("content-length"), Some(length.as_str()));
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert!(request.body == bytes, "the file arrived changed");
}

/// A stream is sent as it comes: with a `Content-Length` when its length is given,
/// chunked when not; signed with `UNSIGNED-PAYLOAD` or with its SHA-256 given beforehand,
/// which the verifier checks against the bytes received.
#[tokio::test]
async fn a_stream_uploads_with_or_without_its_length() {
    let bytes = pattern(MIB + 3);
    let chunks = || {
        let pieces: Vec<Result<Bytes, std::io::Error>> = bytes
            .chunks(100 * KIB)
            .map(|piece| Ok(Bytes::copy_from_slice(piece)))
            .collect();
        futures_util::stream::iter(pieces)
    };
    let server = s3_capture().await;
    let client = client(&server.url(""));

    put(&client, "known")
        .stream_body(chunks(), Some(bytes.len() as u64))
        .empty()
        .await
        .unwrap();
    client
        .request(Method::PUT, "/bucket/unknown")
        .header(CONTENT_SHA256, hex(&sha256(&bytes)))
        .header("content-type", "video/mp4")
        .stream_body(chunks(), None)
        .empty()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let length = bytes.len().to_string();
    assert_eq!(requests[0].header("content-length"), Some(length.as_str()));
    assert_eq!(requests[1].header("transfer-encoding"), Some("chunked"));
    assert_eq!(requests[1].header("content-type"), Some("video/mp4"));
    for request in &requests {
        assert!(request.body == bytes, "{} arrived changed", request.target);
    }
}

/// A stream that yields another length than the one it declared fails the request.
#[tokio::test]
async fn a_stream_shorter_than_its_length_fails() {
    let server = s3_capture().await;
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"only this"))]);
    let error = put(&client(&server.url("")), "short")
        .stream_body(chunks, Some(1000))
        .empty()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

/// A scheme that signs the raw body (Armor), or SigV4 without `x-amz-content-sha256`,
/// would sign an empty body and send another: refused before a byte leaves. Unsigned, a
/// streamed body goes.
#[tokio::test]
async fn a_streamed_body_is_refused_by_a_scheme_that_signs_bodies() {
    let file = TempFile::with("refused", b"some bytes");
    let server = CaptureServer::ok().await;
    let stream = || futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
    let armor = armor_client(&server.url(""));
    let s3 = client(&server.url(""));
    let refused = [
        armor.request(Method::PUT, "/vms/1").file_body(&file.0),
        armor
            .request(Method::POST, "/vms")
            .stream_body(stream(), Some(1)),
        s3.request(Method::PUT, "/bucket/key").file_body(&file.0),
        s3.request(Method::PUT, "/bucket/key")
            .stream_body(stream(), None),
    ];
    for request in refused {
        let error = request.send().await.unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("expected a refusal, got {error:?}");
        };
        assert!(message.contains("file_body"), "{message}");
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());

    armor
        .request(Method::PUT, "/public/upload")
        .unsigned()
        .file_body(&file.0)
        .empty()
        .await
        .unwrap();
    assert_eq!(server.single().body, b"some bytes");
}

/// A file that cannot be opened fails with `Error::Io` before anything is sent.
#[tokio::test]
async fn a_missing_file_fails_before_anything_is_sent() {
    let server = s3_capture().await;
    let missing = TempFile::new("never-written");
    let error = put(&client(&server.url("")), "missing")
        .file_body(&missing.0)
        .empty()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("never-written"), "{error}");
    assert!(server.requests().is_empty());
}

/// A PUT is idempotent, yet a streamed body answered 503 is not sent again (a stream
/// cannot be read twice; a file was read once and sent), and a refused timestamp is not
/// signed again for one, while the same request with its bytes in memory is.
#[tokio::test]
async fn a_streamed_upload_is_sent_once() {
    let busy = CaptureServer::start(|_, _| Reply::new(503, "application/xml", "")).await;
    let file = TempFile::with("busy", &pattern(100 * KIB));
    let client_busy = client(&busy.url(""));
    let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("abc"))]);
    for request in [
        put(&client_busy, "stream").stream_body(stream, Some(3)),
        put(&client_busy, "file").file_body(&file.0),
    ] {
        let error = request.empty().await.unwrap_err();
        assert_eq!(
            error.api().map(|api| api.kind),
            Some(ApiErrorKind::Unavailable),
            "{error:?}"
        );
    }
    assert_eq!(busy.requests().len(), 2, "{:#?}", busy.requests());

    // S3's answer to a timestamp out of its window, with its own clock an hour ahead.
    let skewed = CaptureServer::start(|_, _| {
        let an_hour_ahead = std::time::UNIX_EPOCH + Duration::from_secs(now() as u64 + 3600);
        Reply::new(
            403,
            "application/xml",
            "<Error><Code>RequestTimeTooSkewed</Code></Error>",
        )
        .with_header("date", &httpdate::fmt_http_date(an_hour_ahead))
    })
    .await;
    let error = put(&client(&skewed.url("")), "file")
        .file_body(&file.0)
        .empty()
        .await
        .unwrap_err();
    assert_eq!(error.api().map(|api| api.status.as_u16()), Some(403));
    assert_eq!(
        skewed.requests().len(),
        1,
        "signed again after its body went"
    );
    let _ = put(&client(&skewed.url("")), "bytes")
        .bytes_body(pattern(KIB))
        .empty()
        .await;
    assert_eq!(
        skewed.requests().len(),
        3,
        "bytes in memory are signed again"
    );
}

/// The timeout bounds each wait of an upload too: a stream that keeps yielding for
/// three times the timeout goes whole, one that stops fails with a timeout.
#[tokio::test]
async fn an_upload_is_bounded_by_its_idleness_not_its_length() {
    let server = s3_capture().await;
    let client = client(&server.url(""));
    let paced = |pause: Duration, pieces: usize| {
        futures_util::stream::unfold(0, move |sent| async move {
            if sent == pieces {
                return None;
            }
            tokio::time::sleep(pause).await;
            Some((
                Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; KIB])),
                sent + 1,
            ))
        })
    };

    let started = Instant::now();
    put(&client, "slow")
        .stream_body(paced(Duration::from_millis(100), 10), None)
        .empty()
        .await
        .unwrap();
    assert!(started.elapsed() > 3 * TIMEOUT, "{:?}", started.elapsed());
    assert_eq!(server.single().body.len(), 10 * KIB);

    let started = Instant::now();
    let error = put(&client, "stalled")
        .stream_body(paced(Duration::from_secs(5), 2), None)
        .empty()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout(limit) if limit == TIMEOUT),
        "{error:?}"
    );
    assert!(started.elapsed() < 4 * TIMEOUT, "{:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------

/// A request with a stream in it still crosses threads and is shared as before, and
/// neither the request nor a streamed answer shows a byte of its body in `Debug`.
#[tokio::test]
async fn streamed_bodies_keep_requests_shareable_and_out_of_debug() {
    fn shareable<T: Send + Sync>(_: &T) {}
    fn sendable<T: Send>() {}
    let bytes = Arc::new(b"SECRET-LOOKING-BYTES".repeat(100));
    let server = Downloads::start({
        let bytes = bytes.clone();
        move |_, _| Serve::body(&bytes)
    })
    .await;
    let client = client(&server.url("/bucket"));
    let stream =
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("SECRET-LOOKING"))]);
    let request = put(&client, "k").stream_body(stream, Some(14));
    shareable(&request);
    assert!(!format!("{request:?}").contains("SECRET"), "{request:?}");
    sendable::<Response<BodyStream>>();

    let response = get(&client, "/k").send_streaming().await.unwrap();
    let shown = format!("{response:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.contains("BodyStream"), "{shown}");
}
