//! A hostile server cannot make the client hold more than its body limit: a huge declared
//! length, an endless chunked body and an endless close-delimited body all end in
//! `Error::BodyTooLarge` within seconds, with the resident memory of the process staying
//! far below what was sent, and the client hangs up so the server's writes fail. Error
//! answers are read only up to the small error cap.
//!
//! The server here is written on a bare `TcpListener` so that the framing of every answer
//! (status line, `Content-Length`, chunk sizes, connection close) is exactly what the test
//! says, with nothing in between to correct it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use signed_api::defaults::DEFAULT_MAX_RESPONSE_BODY;
use signed_api::schemes::{ArmorCredentials, ArmorScheme, OvhCredentials};
use signed_api::{Client, Error, Method, Result, StatusCode, signed_api};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// An "endless" body stops after this many bytes. It is far beyond any limit under test;
/// it only keeps a regression from eating the machine: the call then ends with another
/// error than `BodyTooLarge`, and the memory bound trips first anyway.
const ENDLESS_CAP: u64 = 256 * MIB;

/// How far the resident memory may grow while the default 16 MiB limit is enforced (a
/// body buffer up to the limit plus its last reallocation and the HTTP stack's buffers).
const RSS_BOUND: u64 = 64 * MIB;

/// The memory measurements are process-wide: the tests of this file run one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Bytes the server sends as filler.
static FILLER: [u8; 64 * 1024] = [b'x'; 64 * 1024];

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/// How the end of the body is told to the client.
#[derive(Debug, Clone, Copy)]
enum Framing {
    /// `Content-Length: N` (which may lie about what follows).
    Length(u64),
    /// `Transfer-Encoding: chunked`, one chunk per piece.
    Chunked,
    /// An HTTP/1.0 answer with no length: the body ends when the connection closes.
    UntilClose,
}

#[derive(Debug, Clone)]
enum Body {
    /// These exact bytes.
    Fixed(Vec<u8>),
    /// `Some(n)` filler bytes, or `None` for an endless stream (up to [`ENDLESS_CAP`]).
    Filler(Option<u64>),
}

/// What the server answers to one request.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    framing: Framing,
    body: Body,
    /// Bytes per write (and per chunk when chunked).
    piece: usize,
}

impl Answer {
    /// A small ordinary answer with a `Content-Length`.
    fn text(status: u16, body: &str) -> Self {
        Answer {
            status,
            framing: Framing::Length(body.len() as u64),
            body: Body::Fixed(body.as_bytes().to_vec()),
            piece: FILLER.len(),
        }
    }

    /// `length` filler bytes (`None`: endless) framed by `framing`.
    fn filler(status: u16, framing: Framing, length: Option<u64>) -> Self {
        Answer {
            status,
            framing,
            body: Body::Filler(length),
            piece: FILLER.len(),
        }
    }

    fn in_pieces_of(mut self, piece: usize) -> Self {
        self.piece = piece.clamp(1, FILLER.len());
        self
    }
}

/// What became of one answer.
#[derive(Debug)]
struct Sent {
    /// The request target it answered.
    target: String,
    /// Body bytes written into the socket.
    body_bytes: u64,
    /// Whether a write failed: the client hung up before the body's end.
    cut_off: bool,
}

struct HostileServer {
    origin: String,
    requests: Arc<AtomicUsize>,
    sent: mpsc::UnboundedReceiver<Sent>,
    task: tokio::task::JoinHandle<()>,
}

impl HostileServer {
    async fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let (report, sent) = mpsc::unbounded_channel();
        let answer = Arc::new(answer);
        let task = {
            let requests = requests.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let answer = answer.clone();
                    let requests = requests.clone();
                    let report = report.clone();
                    tokio::spawn(async move {
                        if let Some(sent) = serve(stream, &*answer, &requests).await {
                            let _ = report.send(sent);
                        }
                    });
                }
            })
        };
        HostileServer {
            origin,
            requests,
            sent,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Waits for the answer to `target` to end (sent whole, or cut off by the client).
    /// Panics when the server is still writing after `patience`: the client never hung up.
    async fn finished(&mut self, target: &str, patience: Duration) -> Sent {
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let sent = tokio::time::timeout_at(deadline, self.sent.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!("the server is still sending {target} after {patience:?}")
                })
                .expect("the server stopped");
            if sent.target == target {
                return sent;
            }
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head, and a `Content-Length` body if any), writes one answer, and
/// closes the connection.
async fn serve(
    mut stream: TcpStream,
    answer: &(dyn Fn(&str) -> Answer + Send + Sync),
    requests: &AtomicUsize,
) -> Option<Sent> {
    let mut buffer = Vec::new();
    let target = signed_api_mock::testing::capture::read_request(&mut stream, &mut buffer)
        .await?
        .target;
    requests.fetch_add(1, Ordering::SeqCst);
    let answer = answer(&target);
    let (body_bytes, cut_off) = write_answer(&mut stream, &answer).await;
    Some(Sent {
        target,
        body_bytes,
        cut_off,
    })
}

/// Writes `answer`; returns the body bytes written and whether a write failed.
async fn write_answer(stream: &mut TcpStream, answer: &Answer) -> (u64, bool) {
    let mut head = match answer.framing {
        Framing::UntilClose => format!("HTTP/1.0 {} Hostile\r\n", answer.status),
        _ => format!(
            "HTTP/1.1 {} Hostile\r\nconnection: close\r\n",
            answer.status
        ),
    };
    match answer.framing {
        Framing::Length(length) => head.push_str(&format!("content-length: {length}\r\n")),
        Framing::Chunked => head.push_str("transfer-encoding: chunked\r\n"),
        Framing::UntilClose => {}
    }
    head.push_str("content-type: application/json\r\n\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return (0, true);
    }
    let (fixed, total): (&[u8], u64) = match &answer.body {
        Body::Fixed(bytes) => (bytes, bytes.len() as u64),
        Body::Filler(length) => (&FILLER, length.unwrap_or(ENDLESS_CAP)),
    };
    let mut written = 0u64;
    while written < total {
        let piece = usize::try_from(total - written)
            .unwrap_or(usize::MAX)
            .min(answer.piece);
        let bytes = match &answer.body {
            Body::Fixed(_) => &fixed[written as usize..written as usize + piece],
            Body::Filler(_) => &FILLER[..piece],
        };
        let outcome = match answer.framing {
            Framing::Chunked => write_chunk(stream, bytes).await,
            _ => stream.write_all(bytes).await,
        };
        if outcome.is_err() {
            return (written, true);
        }
        written += piece as u64;
    }
    if matches!(answer.framing, Framing::Chunked) && stream.write_all(b"0\r\n\r\n").await.is_err() {
        return (written, true);
    }
    let _ = stream.shutdown().await;
    (written, false)
}

async fn write_chunk(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    stream
        .write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
        .await?;
    stream.write_all(bytes).await?;
    stream.write_all(b"\r\n").await
}

// ---------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------

/// The resident memory of this process, from `VmRSS` in `/proc/self/status`.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .expect("VmRSS");
    let kib: u64 = line
        .trim_start_matches("VmRSS:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * KIB
}

/// Samples the resident memory every millisecond on a thread of its own, so that a peak
/// freed before the call returns is still seen.
struct PeakMemory {
    baseline: u64,
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    sampler: std::thread::JoinHandle<()>,
}

impl PeakMemory {
    fn start() -> Self {
        let baseline = resident_bytes();
        let peak = Arc::new(AtomicU64::new(baseline));
        let stop = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, stop) = (peak.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(resident_bytes(), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        PeakMemory {
            baseline,
            peak,
            stop,
            sampler,
        }
    }

    /// How far above the baseline the resident memory went.
    fn growth(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.sampler.join().unwrap();
        let peak = self.peak.load(Ordering::Relaxed).max(resident_bytes());
        peak.saturating_sub(self.baseline)
    }
}

// ---------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------

fn armor_credentials() -> ArmorCredentials {
    ArmorCredentials::new("key-id", "armor-secret").unwrap()
}

fn armor_client(server: &HostileServer, limit: Option<u64>) -> Client {
    let mut builder = Client::builder(ArmorScheme::new(armor_credentials()))
        .base_url(server.url("/armor"))
        .timeout(Duration::from_secs(30));
    if let Some(limit) = limit {
        builder = builder.max_response_body(limit);
    }
    builder.build().unwrap()
}

/// Runs `call` while watching memory; panics if it is still running after 20 s.
async fn measured<T>(call: impl Future<Output = T>) -> (T, Duration, u64) {
    let memory = PeakMemory::start();
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the client was still reading after 20 s");
    let elapsed = started.elapsed();
    (outcome, elapsed, memory.growth())
}

fn assert_too_large<T>(outcome: Result<T>, limit: u64, what: &str) {
    match outcome {
        Err(Error::BodyTooLarge { status, limit: got }) => {
            assert_eq!(status, StatusCode::OK, "{what}");
            assert_eq!(got, limit, "{what}");
        }
        Ok(_) => panic!("{what}: expected BodyTooLarge, the call succeeded"),
        Err(other) => panic!("{what}: expected BodyTooLarge, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// 1. Success bodies over the limit
// ---------------------------------------------------------------------------------------

/// A 200 that never ends, framed three ways, against the default 16 MiB limit: the call
/// fails with `BodyTooLarge` within seconds, resident memory grows by far less than what
/// was sent, and the client hangs up so the server stops writing.
async fn endless_success(framing: Framing, what: &str) {
    let _serial = SERIAL.lock().await;
    let mut server = HostileServer::start(move |_| Answer::filler(200, framing, None)).await;
    let client = armor_client(&server, None);
    let (outcome, elapsed, growth) = measured(client.request(Method::GET, "/vms").bytes()).await;
    assert_too_large(outcome, DEFAULT_MAX_RESPONSE_BODY, what);
    assert!(
        elapsed < Duration::from_secs(10),
        "{what}: took {elapsed:?}"
    );
    assert!(
        growth < RSS_BOUND,
        "{what}: resident memory grew by {} MiB",
        growth / MIB
    );
    let sent = server.finished("/armor/vms", Duration::from_secs(5)).await;
    assert!(
        sent.cut_off,
        "{what}: the server sent its whole {} MiB: the client never hung up",
        sent.body_bytes / MIB
    );
    assert!(sent.body_bytes < ENDLESS_CAP, "{what}");
    assert_eq!(server.requests(), 1, "{what}: not sent again");
}

/// `Content-Length: 4294967296`, then bytes without end: refused on the declared length,
/// before the body is read.
#[tokio::test]
async fn a_declared_four_gib_body_is_refused() {
    endless_success(Framing::Length(4_294_967_296), "Content-Length: 4294967296").await;
}

/// No length, `Transfer-Encoding: chunked`, chunks without end.
#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_limit() {
    endless_success(Framing::Chunked, "endless chunked").await;
}

/// HTTP/1.0, no length: the body would end only when the server closes, which it never
/// does.
#[tokio::test]
async fn an_endless_close_delimited_body_is_cut_off_at_the_limit() {
    endless_success(Framing::UntilClose, "endless close-delimited").await;
}

/// With a 1024-byte limit, a body of exactly 1024 bytes is returned whole and one of
/// 1025 is refused, whichever the framing (the declared length is refused up front; the
/// others are counted as they arrive, here in 100-byte pieces).
#[tokio::test]
async fn a_body_at_the_limit_passes_and_one_byte_more_fails() {
    let _serial = SERIAL.lock().await;
    const LIMIT: u64 = 1024;
    for length in [LIMIT, LIMIT + 1] {
        let framings = [
            (Framing::Length(length), "content-length"),
            (Framing::Chunked, "chunked"),
            (Framing::UntilClose, "close-delimited"),
        ];
        for (framing, name) in framings {
            let what = format!("{name}, {length} bytes");
            let server = HostileServer::start(move |_| {
                Answer::filler(200, framing, Some(length)).in_pieces_of(100)
            })
            .await;
            let client = armor_client(&server, Some(LIMIT));
            let outcome = client.request(Method::GET, "/vms").bytes().await;
            if length <= LIMIT {
                let body = outcome.unwrap_or_else(|err| panic!("{what}: {err:?}"));
                assert_eq!(body.len() as u64, length, "{what}");
                assert!(body.iter().all(|&byte| byte == b'x'), "{what}");
            } else {
                assert_too_large(outcome, LIMIT, &what);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Error answers
// ---------------------------------------------------------------------------------------

/// A 500 with a 100 MiB body (or an endless one) is read only up to the 64 KiB error cap:
/// the API error comes back at once, memory hardly moves, and the client hangs up long
/// before the server has sent the body.
#[tokio::test]
async fn an_error_answer_is_read_only_up_to_the_error_cap() {
    let _serial = SERIAL.lock().await;
    let huge = 100 * MIB;
    let cases = [
        (Framing::Length(huge), Some(huge), "content-length 100 MiB"),
        (Framing::Chunked, None, "endless chunked"),
        (Framing::UntilClose, None, "endless close-delimited"),
    ];
    for (framing, length, what) in cases {
        let mut server = HostileServer::start(move |_| Answer::filler(500, framing, length)).await;
        let client = armor_client(&server, None);
        let (outcome, elapsed, growth) =
            measured(client.request(Method::GET, "/vms").bytes()).await;
        let err = outcome.unwrap_err();
        let api = err.api().unwrap_or_else(|| panic!("{what}: {err:?}"));
        assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR, "{what}");
        assert!(api.body_excerpt.starts_with("xxxx"), "{what}");
        assert!(elapsed < Duration::from_secs(3), "{what}: took {elapsed:?}");
        // Far less than the 16 MiB a success could hold.
        assert!(
            growth < 16 * MIB,
            "{what}: resident memory grew by {} MiB",
            growth / MIB
        );
        let sent = server.finished("/armor/vms", Duration::from_secs(5)).await;
        assert!(sent.cut_off, "{what}: the client read the whole body");
        // What the sockets' buffers took in, not what the client read; still far from the
        // whole body.
        assert!(
            sent.body_bytes < huge / 2,
            "{what}: {} MiB went out",
            sent.body_bytes / MIB
        );
        assert_eq!(server.requests(), 1, "{what}: not sent again");
    }
}

// ---------------------------------------------------------------------------------------
// 3. Typed clients
// ---------------------------------------------------------------------------------------

/// A client generated by `#[signed_api]` for OVH.
#[signed_api(scheme = "ovh")]
pub trait Zones {
    #[get("/domain/zone/{zone}/record")]
    async fn records(&self, zone: &str) -> Result<Vec<u64>>;
}

/// The generated client goes through the same call path: `/auth/time` is read, then the
/// endless answer fails with the same typed error; a huge error body is an API error.
#[tokio::test]
async fn a_generated_client_gets_the_same_typed_errors() {
    let _serial = SERIAL.lock().await;
    let mut server = HostileServer::start(|target| {
        if target.ends_with("/auth/time") {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            Answer::text(200, &now.to_string())
        } else if target.contains("/zone/broken/") {
            Answer::filler(500, Framing::Length(100 * MIB), Some(100 * MIB))
        } else {
            Answer::filler(200, Framing::Chunked, None)
        }
    })
    .await;
    let credentials = OvhCredentials::new("app-key", "app-secret")
        .unwrap()
        .with_consumer_key("consumer-key")
        .unwrap();
    let zones = ZonesClient::builder()
        .credentials(credentials)
        .base_url(server.url("/1.0"))
        .build()
        .unwrap();

    let (outcome, elapsed, growth) = measured(zones.records("example.com")).await;
    assert_too_large(outcome, DEFAULT_MAX_RESPONSE_BODY, "generated client");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(growth < RSS_BOUND, "grew by {} MiB", growth / MIB);
    let sent = server
        .finished(
            "/1.0/domain/zone/example.com/record",
            Duration::from_secs(5),
        )
        .await;
    assert!(sent.cut_off);

    let (outcome, elapsed, _) = measured(zones.records("broken")).await;
    let err = outcome.unwrap_err();
    assert_eq!(
        err.api().map(|api| api.status),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{err:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

/// The ready Armor client of `signed-api-clients`, against an endless close-delimited
/// answer: the same typed error, and the server is cut off.
#[tokio::test]
async fn a_ready_client_gets_the_same_typed_error() {
    use signed_api_clients::armor::{Armor, ArmorClient};

    let _serial = SERIAL.lock().await;
    let mut server = HostileServer::start(|_| Answer::filler(200, Framing::UntilClose, None)).await;
    let armor = ArmorClient::builder()
        .credentials(armor_credentials())
        .base_url(server.url(""))
        .build()
        .unwrap();
    let (outcome, elapsed, growth) = measured(armor.me()).await;
    assert_too_large(outcome, DEFAULT_MAX_RESPONSE_BODY, "ArmorClient::me");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(growth < RSS_BOUND, "grew by {} MiB", growth / MIB);
    assert!(server.finished("/me", Duration::from_secs(5)).await.cut_off);
}

/// A body that stops coming after the answer's head: the call ends at the request's
/// timeout with `Error::Timeout`, for a 2xx answer read whole and for an error answer
/// alike, and the client hangs up. The timer bounds the whole exchange, the body's last
/// byte included, not only the wait for the head.
#[tokio::test]
async fn a_body_that_stops_coming_ends_at_the_timeout() {
    const TIMEOUT: Duration = Duration::from_millis(300);
    for status in [200u16, 500] {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let (hung_up, mut hang_up) = mpsc::unbounded_channel();
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = Vec::new();
            signed_api_mock::testing::capture::read_request(&mut stream, &mut buffer)
                .await
                .unwrap();
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: \
                 1000\r\n\r\n{{\"first\": \"bytes\""
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            // Nothing more is sent; the client's hang-up shows as the end of its stream.
            let mut rest = [0u8; 64];
            let closed = tokio::time::timeout(Duration::from_secs(10), async {
                use tokio::io::AsyncReadExt;
                while stream.read(&mut rest).await.unwrap_or(0) > 0 {}
            })
            .await
            .is_ok();
            let _ = hung_up.send(closed);
        });
        // A POST is not retried after a timeout: the call is the one attempt.
        let client = Client::builder(ArmorScheme::new(armor_credentials()))
            .base_url(&origin)
            .timeout(TIMEOUT)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client
            .request(Method::POST, "/tickets")
            .json_body(&serde_json::json!({"subject": "stalled"}))
            .empty()
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert!(
            matches!(err, Error::Timeout(limit) if limit == TIMEOUT),
            "{status}: {err:?}"
        );
        assert!(
            elapsed >= TIMEOUT - Duration::from_millis(50) && elapsed < Duration::from_secs(3),
            "{status}: took {elapsed:?}"
        );
        drop(client);
        assert_eq!(
            hang_up.recv().await,
            Some(true),
            "{status}: the client hung up"
        );
        server.await.unwrap();
    }
}
