//! How a mock server is set up: where it listens, what it accepts, how it misbehaves.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use signed_api_runtime::schemes::qredo::QredoTimeMode;

use crate::{Api, Faults, MockCredentials, MockError, PerApi};

/// How far from the server's time a signed timestamp may be, per API, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    /// OVH's `X-Ovh-Timestamp` (OVH does not document its window; five minutes).
    pub ovh: i64,
    /// Qredo's `x-timestamp` (not documented either; five minutes).
    pub qredo: i64,
    /// Armor's timestamp (Armor documents ±5 minutes).
    pub armor: i64,
    /// S3's `x-amz-date` (AWS: 15 minutes). A presigned URL is good until its own
    /// `X-Amz-Expires`, however long after this; only its signing time in the future is
    /// held to this window.
    pub s3: i64,
    /// How close to midnight UTC an nOps signature for the neighbouring day is still
    /// accepted (client and server clocks never agree to the second).
    pub nops_midnight_grace: i64,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            ovh: 300,
            qredo: 300,
            armor: signed_api_runtime::schemes::armor::ARMOR_WINDOW,
            s3: signed_api_runtime::schemes::sigv4::SKEW_WINDOW,
            nops_midnight_grace: 300,
        }
    }
}

/// How much a client may make the mock hold, and for how long. The mock listens on a
/// socket, so anyone who reaches it can send it anything; these keep its memory and
/// connections bounded whatever they send. The defaults are far above what test suites
/// and the typed clients need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send a request's line and headers; also how long an
    /// idle kept-alive connection stays open (hyper counts both as reading a head). A
    /// client that trickles its headers, or holds a connection without a request, loses
    /// it after this long.
    pub header_timeout: Duration,
    /// How long a client may take to send a whole body once its headers have passed the
    /// checks (408 after that).
    pub body_timeout: Duration,
    /// The largest body read (413 above; a `Content-Length` above it is refused before
    /// any byte is read). The mock is for API calls, not uploads.
    pub max_body: usize,
    /// Bytes of request bodies held at once, all connections together (503 with
    /// `Retry-After` when a body would go over). Without it, the worst case is
    /// `max_connections` × `max_body`.
    pub body_budget: usize,
    /// Connections served at once. Past it, the mock stops accepting until one closes:
    /// new clients wait in the listen backlog (they are slowed, not failed), and each
    /// slot frees within `header_timeout` when its client goes quiet.
    pub max_connections: usize,
    /// Items of each kind a client can create, kept at once: OVH credentials and DNS
    /// records, nOps projects and schedulers, Qredo companies, trusted parties, funds,
    /// wallets, whitelist entries and transactions, Armor ticket comments, S3 buckets and
    /// S3 objects (all buckets together; the seeded demo items count too). OVH
    /// credentials, issued by `POST /auth/credential` with no signature, evict the oldest
    /// unused ones (logged-out ones first), whose consumer keys are refused from then on;
    /// other kinds are refused when full (507; S3 buckets with S3's `TooManyBuckets`).
    /// Each item comes from a JSON body of at most 64 KiB, but for S3 objects, which are
    /// bounded by `max_body` each and by `max_stored_bytes` together.
    pub max_items: usize,
    /// Bytes of S3 object data kept, all buckets together (507 past it). Without it, S3
    /// could hold `max_items` × `max_body`.
    pub max_stored_bytes: usize,
    /// Armor nonces remembered within the time window. Nonces are forgotten once their
    /// timestamp has left the window (a replay then fails the timestamp check); when
    /// this many are still inside it, new requests get 503 rather than a nonce being
    /// forgotten early, which would let it be replayed.
    pub max_nonces: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_body: 2 * 1024 * 1024,
            body_budget: 128 * 1024 * 1024,
            max_connections: 4096,
            max_items: 10_000,
            max_stored_bytes: 256 * 1024 * 1024,
            max_nonces: 100_000,
        }
    }
}

/// The set-up of a [`MockServer`](crate::MockServer).
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Where to listen; port 0 picks a free port (the default, for tests).
    pub addr: SocketAddr,
    /// What the five APIs accept.
    pub credentials: MockCredentials,
    /// The faults of each API, one field per API (`faults.ovh`, or `faults[api]`).
    pub faults: PerApi<Faults>,
    /// The timestamp windows.
    pub windows: Windows,
    /// Whether Qredo requests carry `x-timestamp` (the default) or an increasing
    /// `x-nonce`. One mode only: the signed payload does not say which it holds.
    pub qredo_mode: QredoTimeMode,
    /// What a client may make the mock hold.
    pub limits: Limits,
}

impl MockConfig {
    /// Accepts `credentials`, listens on 127.0.0.1 on a free port, no faults.
    pub fn new(credentials: MockCredentials) -> Self {
        MockConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials,
            faults: Default::default(),
            windows: Windows::default(),
            qredo_mode: QredoTimeMode::Timestamp,
            limits: Limits::default(),
        }
    }

    /// Credentials from the environment variables of the command line (demo credentials
    /// for the APIs that have none; their keys go to [`demo_dir`]).
    pub fn from_env() -> Result<Self, MockError> {
        Ok(Self::new(MockCredentials::from_env(&demo_dir())?))
    }

    /// Listens on this port of 127.0.0.1.
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Sets the faults of one API.
    pub fn faults(mut self, api: Api, faults: Faults) -> Self {
        self.faults[api] = faults;
        self
    }

    /// Takes Qredo requests in `mode` only.
    pub fn qredo_mode(mut self, mode: QredoTimeMode) -> Self {
        self.qredo_mode = mode;
        self
    }

    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the timestamp windows.
    pub fn windows(mut self, windows: Windows) -> Self {
        self.windows = windows;
        self
    }
}

/// Where demo keys are written: a folder of the system's temporary directory, one per
/// process, so that two mocks never overwrite each other's keys.
pub fn demo_dir() -> PathBuf {
    std::env::temp_dir().join(format!("signed-api-mock-{}", std::process::id()))
}
