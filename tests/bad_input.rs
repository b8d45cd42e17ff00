//! Bad input, one table: every row is an input the library must refuse, the error kind it
//! must be refused with, and what the counting server may have seen by then. No row may
//! panic; a row refused before sending must leave the server without a request (for OVH's
//! clock synchronisation: without a *signed* request); no error may show a credential.
//!
//! Adding a case is one line in `rows()`. The `bug_*` tests at the end pin the bugs this
//! table found (each fixed), with the inputs that showed them.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use signed_api::clock::Clock;
use signed_api::keys::{RsaBackend, RsaKey, RsaPublicKeyPem};
use signed_api::nonce::FixedNonce;
use signed_api::scheme::{CredentialScheme, Scheme};
use signed_api::schemes::ovh::ovh_endpoint_url;
use signed_api::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsKeyPlacement, NopsScheme, OvhCredentials,
    OvhScheme, QredoCredentials, QredoScheme, QredoTimeMode,
};
use signed_api::{Client, ClientBuilder, Error, Method, Request, Result, RetryPolicy, signed_api};
use signed_api_mock::testing::capture::Reply;
use signed_api_mock::testing::key_2048;
use signed_api_mock::testing::unix_now as now;
use signed_api_runtime::__workspace::parse_method;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------
// Credentials: every secret is a sentinel that no error may contain.

/// What every secret below starts with; no error's `Display` or `Debug` may contain it.
const SENTINEL: &str = "SENTINEL-SECRET";
const OVH_SECRET: &str = "SENTINEL-SECRET-1";
const OVH_CONSUMER: &str = "SENTINEL-SECRET-2";
/// nOps' client id is the key up to its first `.`: the secret part follows it.
const NOPS_KEY: &str = "client7.SENTINEL-SECRET-3";
const QREDO_KEY: &str = "SENTINEL-SECRET-4";
const ARMOR_SECRET: &str = "SENTINEL-SECRET-5";

fn ovh_credentials() -> OvhCredentials {
    OvhCredentials::new("app-key", OVH_SECRET)
        .and_then(|credentials| credentials.with_consumer_key(OVH_CONSUMER))
        .expect("valid OVH credentials")
}

fn armor_credentials() -> ArmorCredentials {
    ArmorCredentials::new("key-id", ARMOR_SECRET).expect("valid Armor credentials")
}

/// A clock that already knows the server's offset: no `/auth/time` before signing.
fn synced_clock() -> Clock {
    let clock = Clock::system();
    clock.set_offset(0);
    clock
}

/// A client of `origin` + `prefix`: no retries, a short timeout, the clock synchronised.
fn client(scheme: impl Scheme, origin: &str, prefix: &str) -> ClientBuilder {
    Client::builder(scheme)
        .base_url(format!("{origin}{prefix}"))
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(2))
        .clock(synced_clock())
}

fn ovh(origin: &str) -> Result<Client> {
    client(OvhScheme::new(ovh_credentials()), origin, "/1.0").build()
}

/// OVH with a clock that has never read the server time: the first signed call reads
/// `/auth/time` (unsigned) first.
fn ovh_unsynced(origin: &str) -> Result<Client> {
    Client::builder(OvhScheme::new(ovh_credentials()))
        .base_url(format!("{origin}/1.0"))
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(2))
        .build()
}

/// nOps, signing with the 2048-bit test key, the API key in the query.
fn nops(origin: &str) -> Result<Client> {
    let credentials = NopsCredentials::new(NOPS_KEY)?.with_private_key(key_2048());
    client(NopsScheme::new(credentials), origin, "").build()
}

/// nOps with the API key in `X-Nops-Api-Key`.
fn nops_header(api_key: &str, origin: &str) -> Result<Client> {
    let scheme =
        NopsScheme::new(NopsCredentials::new(api_key)?).key_placement(NopsKeyPlacement::Header);
    client(scheme, origin, "").build()
}

fn qredo(origin: &str) -> Result<Client> {
    let scheme = QredoScheme::new(QredoCredentials::new(QREDO_KEY, key_2048())?);
    client(scheme, origin, "/api/v1/p").build()
}

/// Qredo in nonce mode, with the nonce source a test chooses.
fn qredo_nonce(nonce: &str, origin: &str) -> Result<Client> {
    let scheme = QredoScheme::new(QredoCredentials::new(QREDO_KEY, key_2048())?)
        .time_mode(QredoTimeMode::Nonce)
        .nonce_source(Arc::new(FixedNonce(nonce.to_owned())));
    client(scheme, origin, "/api/v1/p").build()
}

fn armor(origin: &str) -> Result<Client> {
    client(ArmorScheme::new(armor_credentials()), origin, "").build()
}

/// Armor with every nonce drawn from a custom source.
fn armor_nonce(nonce: impl Into<String>, origin: &str) -> Result<Client> {
    let nonces: Arc<dyn signed_api::nonce::NonceSource> = Arc::new(FixedNonce(nonce.into()));
    let scheme = ArmorScheme::new(armor_credentials()).nonce_source(nonces);
    client(scheme, origin, "").build()
}

/// Sends and decodes JSON, the common case of a typed return.
async fn go(request: Request) -> Result<()> {
    request.json::<Value>().await.map(drop)
}

// ---------------------------------------------------------------------------------------
// `#[signed_api]` clients.

#[signed_api(scheme = "ovh")]
pub trait OvhDns {
    #[get("/domain/zone/{zone}/record/{id}")]
    async fn record(&self, zone: &str, id: &str) -> Result<Value>;

    #[get("/me")]
    async fn me(&self, #[header("X-Trace")] trace: &str) -> Result<Value>;

    #[get("/domain")]
    async fn domains(&self) -> Result<Vec<String>>;
}

#[signed_api(scheme = "armor")]
pub trait ArmorVms {
    #[get("/vms/{id}")]
    async fn vm(&self, id: &str) -> Result<Value>;

    #[post("/vms/{id}/rename")]
    async fn rename(&self, id: &str, #[form] form: &Value) -> Result<()>;

    #[get("/vms")]
    async fn vms(&self, #[header("X-Trace")] trace: &str) -> Result<Vec<u64>>;
}

#[signed_api(scheme = "nops")]
pub trait NopsProjects {
    #[get("/c/admin/projectaws/")]
    async fn projects(&self, #[query] api_key: &str) -> Result<Value>;
}

fn ovh_dns(origin: &str) -> Result<OvhDnsClient> {
    OvhDnsClient::builder()
        .credentials(ovh_credentials())
        .base_url(format!("{origin}/1.0"))
        .retry(RetryPolicy::none())
        .clock(synced_clock())
        .build()
}

fn ovh_dns_unsynced(origin: &str) -> Result<OvhDnsClient> {
    OvhDnsClient::builder()
        .credentials(ovh_credentials())
        .base_url(format!("{origin}/1.0"))
        .retry(RetryPolicy::none())
        .build()
}

fn armor_vms(origin: &str) -> Result<ArmorVmsClient> {
    ArmorVmsClient::builder()
        .credentials(armor_credentials())
        .base_url(origin)
        .retry(RetryPolicy::none())
        .clock(synced_clock())
        .build()
}

fn nops_projects(origin: &str) -> Result<NopsProjectsClient> {
    NopsProjectsClient::builder()
        .credentials(NopsCredentials::new(NOPS_KEY)?)
        .base_url(origin)
        .retry(RetryPolicy::none())
        .build()
}

// ---------------------------------------------------------------------------------------
// The counting server: records every request, answers what the row's script says.

/// A request as it arrived.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
}

/// Headers that authenticate a request, in any of the four schemes.
const CREDENTIAL_HEADERS: &[&str] = &[
    "x-ovh-signature",
    "x-ovh-consumer",
    "x-ovh-timestamp",
    "authorization",
    "x-sign",
    "x-api-key",
    "x-timestamp",
    "x-nonce",
    "x-nops-signature",
    "x-nops-api-key",
];

impl Seen {
    /// Whether the request carries a signature or a credential.
    fn signed(&self) -> bool {
        self.target.contains("api_key=")
            || self
                .headers
                .iter()
                .any(|(name, _)| CREDENTIAL_HEADERS.contains(&name.as_str()))
    }
}

/// What the server answers to one request.
#[derive(Debug, Clone)]
enum Answer {
    /// A well-formed answer with a matching `content-length`; the connection stays open.
    Reply(Reply),
    /// These bytes as they are, then the connection is closed.
    Raw(Vec<u8>),
}

type Script = Arc<dyn Fn(&Seen) -> Answer + Send + Sync>;

/// `/auth/time` answers the current time; everything else `200 {}`.
fn default_script() -> Script {
    Arc::new(|seen| {
        if seen.target.ends_with("/auth/time") {
            Answer::Reply(Reply::json(200, &now().to_string()))
        } else {
            Answer::Reply(Reply::json(200, "{}"))
        }
    })
}

/// Every request gets `answer`, except `/auth/time`, which answers the current time.
fn always(answer: Answer) -> Script {
    Arc::new(move |seen| {
        if seen.target.ends_with("/auth/time") {
            Answer::Reply(Reply::json(200, &now().to_string()))
        } else {
            answer.clone()
        }
    })
}

/// `/auth/time` answers `answer`; everything else `200 {}`.
fn server_time(answer: Answer) -> Script {
    Arc::new(move |seen| {
        if seen.target.ends_with("/auth/time") {
            answer.clone()
        } else {
            Answer::Reply(Reply::json(200, "{}"))
        }
    })
}

fn reply(reply: Reply) -> Answer {
    Answer::Reply(reply)
}

fn raw(bytes: impl Into<Vec<u8>>) -> Answer {
    Answer::Raw(bytes.into())
}

struct Server {
    origin: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let task = {
            let seen = seen.clone();
            tokio::spawn(async move {
                // Dropped with the task: a connection still waiting to answer goes too.
                let mut connections = tokio::task::JoinSet::new();
                while let Ok((stream, _)) = listener.accept().await {
                    connections.spawn(serve(stream, seen.clone(), script.clone()));
                }
            })
        };
        Server { origin, seen, task }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, seen: Arc<Mutex<Vec<Seen>>>, script: Script) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await {
        let answer = script(&request);
        seen.lock().unwrap().push(request);
        match answer {
            Answer::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Answer::Reply(reply) => {
                if !signed_api_mock::testing::capture::write_reply(&mut stream, &reply).await {
                    return;
                }
            }
        }
    }
}

/// Reads one request, with its headers as lower-cased names and text values.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Seen> {
    let captured = signed_api_mock::testing::capture::read_request(stream, buffer).await?;
    let headers = captured
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    Some(Seen {
        method: captured.method,
        target: captured.target,
        headers,
    })
}

// ---------------------------------------------------------------------------------------
// The table.

/// The variants of `signed_api::Error` a row can expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Config,
    Key,
    InvalidRequest,
    Signing,
    Decode,
    Api,
    Clock,
    BodyTooLarge,
    Redirected,
    Timeout,
    Transport,
}

fn kind_of(error: &Error) -> Option<Kind> {
    Some(match error {
        Error::Config(_) => Kind::Config,
        Error::Key(_) => Kind::Key,
        Error::InvalidRequest(_) => Kind::InvalidRequest,
        Error::Signing(_) => Kind::Signing,
        Error::Decode { .. } => Kind::Decode,
        Error::Api(_) => Kind::Api,
        Error::Clock(_) => Kind::Clock,
        Error::BodyTooLarge { .. } => Kind::BodyTooLarge,
        Error::Redirected { .. } => Kind::Redirected,
        Error::Timeout(_) => Kind::Timeout,
        Error::Transport(_) => Kind::Transport,
        _ => return None,
    })
}

/// What the counting server may have seen when the error came back.
#[derive(Debug, Clone, Copy)]
enum Sent {
    /// The input was refused before sending: no request at all.
    Nothing,
    /// Refused before any signed request; unsigned ones (OVH's `/auth/time`) may have gone.
    NothingSigned,
    /// The bad input is the answer: exactly this many requests arrived.
    Requests(usize),
    /// The request was addressed elsewhere (a closed port): the server has nothing to say.
    Elsewhere,
}

type Outcome = Pin<Box<dyn Future<Output = Result<()>> + Send>>;
type Action = Arc<dyn Fn(String) -> Outcome + Send + Sync>;

struct Row {
    group: &'static str,
    name: &'static str,
    expect: Kind,
    sent: Sent,
    script: Option<Script>,
    /// Gets the counting server's origin (`http://127.0.0.1:PORT`).
    action: Action,
}

impl Row {
    /// The server answers with `script` instead of the default one.
    fn script(mut self, script: Script) -> Self {
        self.script = Some(script);
        self
    }
}

/// A row whose action is async (it talks to the counting server).
fn row<F, R>(group: &'static str, name: &'static str, expect: Kind, sent: Sent, action: F) -> Row
where
    F: Fn(String) -> R + Send + Sync + 'static,
    R: Future<Output = Result<()>> + Send + 'static,
{
    Row {
        group,
        name,
        expect,
        sent,
        script: None,
        action: Arc::new(move |origin| Box::pin(action(origin))),
    }
}

/// A row whose action is a plain call (a key or credentials constructor): nothing to send.
fn call<T, F>(group: &'static str, name: &'static str, expect: Kind, action: F) -> Row
where
    F: Fn() -> Result<T> + Send + Sync + 'static,
{
    let action = Arc::new(action);
    row(group, name, expect, Sent::Nothing, move |_| {
        let action = action.clone();
        async move { action().map(drop) }
    })
}

/// Runs every row; collects every failure, then fails with all of them.
async fn run(rows: Vec<Row>) {
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, "");
    for row in rows {
        let label = format!("[{}] {}", row.group, row.name);
        let server = Server::start(row.script.unwrap_or_else(default_script)).await;
        let action = row.action.clone();
        let origin = server.origin.clone();
        let started = Instant::now();
        // Spawned, so that a panic is caught and reported with the row's name.
        let outcome = tokio::spawn(async move { action(origin).await }).await;
        let elapsed = started.elapsed();
        if elapsed > slowest.0 {
            slowest = (elapsed, row.name);
        }
        let mut fail = |why: String| failures.push(format!("{label}: {why}"));
        let error = match outcome {
            Err(join) => {
                fail(format!("panicked: {join}"));
                continue;
            }
            Ok(Ok(())) => {
                fail(format!("accepted; expected Error::{:?}", row.expect));
                continue;
            }
            Ok(Err(error)) => error,
        };
        println!("{label}: {error}");
        if kind_of(&error) != Some(row.expect) {
            fail(format!(
                "expected Error::{:?}, got {error:?} ({error})",
                row.expect
            ));
        }
        let mut shown = vec![error.to_string(), format!("{error:?}")];
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            shown.push(cause.to_string());
            source = cause.source();
        }
        if shown.iter().any(|text| text.contains(SENTINEL)) {
            fail(format!("the error shows a secret: {shown:?}"));
        }
        let seen = server.seen();
        let signed = seen.iter().filter(|seen| seen.signed()).count();
        match row.sent {
            Sent::Nothing if !seen.is_empty() => {
                fail(format!("refused, yet the server saw {seen:?}"))
            }
            Sent::NothingSigned if signed > 0 => {
                fail(format!("refused, yet a signed request arrived: {seen:?}"))
            }
            Sent::Requests(count) if seen.len() != count => fail(format!(
                "the server saw {} requests, not {count}: {seen:?}",
                seen.len()
            )),
            _ => {}
        }
        if elapsed > Duration::from_secs(10) {
            fail(format!("took {elapsed:?}"));
        }
    }
    println!("slowest row: {} ({:?})", slowest.1, slowest.0);
    assert!(
        failures.is_empty(),
        "{} failing rows:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Keys generated with OpenSSL when this test was written.

/// RSA-2048 PKCS#8 encrypted with AES-256 (`openssl genpkey -algorithm RSA -aes256 -pass pass:x`).
const ENCRYPTED_PKCS8: &str = "\
-----BEGIN ENCRYPTED PRIVATE KEY-----\n\
MIIFLTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI4ZG+TS9BSAUCAggA\n\
MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBDRXppa6ImkXIPbyTla8p3HBIIE\n\
0E+RpXUGbqrlMXtCw/d68VT50rhtokVGfzXUF/Q8a5AC/YN+gCunBvoi/RCqMXsG\n\
RlrRmFNxG9w/rtwwr9VqC/1PqDypKBufcBl80F+giovc+Arg71nUyAVPPmlP81r0\n\
t+3NOMZQDM2ZwMV9+QOfbLOn7dc241+7QSBozdn8V94P5YoLXHvKfrwHkS0j2STL\n\
1wwu2RSWH3Svm5fMK2OK/3ZvJbnTpSGmn1qkuj9Jp+CLi+K29bQlZnMFbXO3NNZE\n\
BfsXFbRH2yeHeVyaGNtJHhjpCnkl230VsdOYY46370tKoG3/vUwDRdaweNYJmvua\n\
2WFd+f0Aul7B5PENdcsEPBnIn6djfoVys5XOII/63yZlYRnD8S5PvWPBzoMxb0UX\n\
zZscRZ2LaVqz9OVnQUoIDHBC8JHbp1qp+ZW+d9gglkiCx8b3e9lFnKFVQZrmnkNw\n\
MywI7fhdb6a4TTyX0I6InDpF5KCu/06vuxuP9YdlYg5Sko6v9/ItKluc1XBOPeaE\n\
cb7HHkyi3MDGHhq37TJALenbNQzSY5sXO28ySPJNgFS6UumdkVQR9ctrQdLBx0+e\n\
v05MzXFtAH1vTWZzrcdDKT2CLxJKq80pZ4AB2kwSGcukDuijAJ4yllbmDf9IHNKn\n\
ZGY7F5t0t520r7x3olGmfCEdCYSjFdlZ3JPKAczXie7NaNe1CBIoO7uGy4kyKEs0\n\
U8GS5v57meNp+D/O58ZSn+G2NoL0K7B0KOl6pBuB+p1zPu70aKv/I35nrJNz/og8\n\
sdHhOQVM7xxHo59QA+/8lMNALI+KxkdQFTtRkSCi7uqaRVQvPB372l1No+Y1/cYH\n\
tSpQ4Hpy9ggCRleiPMj7OGZUxgiJBpmn3+sawvqOWzocB6SdXnfQv2t21BZhHWBj\n\
kKZZlMkwrRwzToJ4XvYtWgji2MNfeNgD/qLhA1DC4H5eIOiPYxUqfCsdIcvspQNR\n\
e/uzufkQa1nCiiOFiifNhNwqm4c66D/1AJo3ofRGXkNU75naAztIHlrHY+koZdqv\n\
uKR0JO9ZT73XpM9JTSu/jzuLb97E12L6YVuF6AwhfV6XxCwPskJwSogkbbTBq9x+\n\
tbSKcgqmSUI5pGXS7V+zGENE7wFtmqNKvRdr3v31iVOEWK7xYcty3wU0Ub7dpcPt\n\
KgcjMO7cuj2S4BuutY8fairBrR4PGgXOSVwnWJPFgHYadNoqdt9Pvo/MmhKA/7yn\n\
iTPZq4UIfdnRrJ1D7ic0ToGOPPxHxkraao440YCegNDKR/NVVKqnsU1pmmVjD1D+\n\
bE+pmf6KzRz8IkbcunKKFRg7QK4L2hS+J+AlcwQGpI2HcDmP+W0scudEFwCczlSL\n\
yirBIMeWs8dZAYRllvfD0yfkXkuJWbgw/NckMXynE89str2tycProPDsKYF0v5uu\n\
b5peMFWhQ3FRHDEmVk2APEGVS89In/o+NY3N+/99UhJ4i4kvbmCitH2Zrzy+2Chn\n\
8+G4obJjRYpd/Rld+UCORz1g6gyekaIpWgSqXzovX0pypPmzDqsKNM1NObZuR0NY\n\
Hw/7JZMCiHEjxjxqJawoBVHj9Tolivf6k/I0BFxzuFVFl016ZXxdZqiz4HJxLKwU\n\
5W+ZzFUX5TOkLz5Op8Z6MZBkwRpSGYj4SCmSi2rh2tLE\n\
-----END ENCRYPTED PRIVATE KEY-----\n\
";

/// EC P-256, PKCS#8 (`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`).
const EC_P256_PKCS8: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRggJx9jZ3YPwhYPQ\n\
fE8OAhLg054Qw9ZKLVethEapC46hRANCAAS5zv/fMd5Fot0NbHg9MQnwVyoT63hi\n\
akTH0onomCKp9hTVxNWHWMyphsyChknFvj4bnHW41c56IZTJpHxXhUz6\n\
-----END PRIVATE KEY-----\n\
";

/// EC P-256, SEC 1 (`openssl ecparam -name prime256v1 -genkey -noout`).
const EC_P256_SEC1: &str = "\
-----BEGIN EC PRIVATE KEY-----\n\
MHcCAQEEILPx+XWuCWOpvbp3D1bUm05W3QhmIycsgduZeDPdxFp2oAoGCCqGSM49\n\
AwEHoUQDQgAEqH2lSC1C7kFJ7KQM/GLTzQ66IWidOa3nzsqI5i5fh+pX62pxOcc+\n\
rvWUEhgcGNKUGnylcXRyPTiSQ7KwzgyOKA==\n\
-----END EC PRIVATE KEY-----\n\
";

/// Ed25519, PKCS#8 (`openssl genpkey -algorithm ED25519`).
const ED25519_PKCS8: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEIDsEzu8EFaA3DLwx4DLPaxYHKd1DNcsIWck60wqhBAXX\n\
-----END PRIVATE KEY-----\n\
";

/// RSA-PSS 1024, PKCS#8 (`openssl genpkey -algorithm RSA-PSS`): RSA maths, another OID.
const RSA_PSS_PKCS8: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIICdQIBADALBgkqhkiG9w0BAQoEggJhMIICXQIBAAKBgQDeO/LfuNadYz+rG1Ur\n\
k0ZSLfukAia9EsjhJuUN83IeND3POAuGhOHR92QHmi7/0TOfiwdwvLKE+20OzqCR\n\
62H1Rh6MebVCzWtR0OCpK6k5xjaopLS9g9gvMCaZYt5raF0hZp38DaWaDApUD5SV\n\
NVU5NkyjvlO5ehHwAgWKW5XAzwIDAQABAoGAZeN4W+gjxW7+ftV+PAc+w2i/qZcu\n\
6ZrWLJwngjjuRjjPadUZO6hq3FgfLXkcOT9R+sDEPYTWGDAp9RL4/U28z9t3lqqK\n\
bDn3rda4xEpYbz0Hgs/kYHhrm1cfTIypAL5cMrDqMlGZfY44sEYHl9DT1z3Y+UFR\n\
2+guYlhTHBVegZECQQD0xh88TxqA7wZ5U3IV4KbuRDChOTrkN6xXL1hyqV7fV/jL\n\
eIX4fNWGrtDUvCa/+rlqxq2JFPakTcgHgdTJx3gpAkEA6G0wVFEqiUSVcgbNxMLC\n\
DIAj9eQ3wGt1jwPzhH4sLOTgPq4NOpswkub0etty6Sj6/yTgKg602EkhsXxevQFw\n\
NwJAM2J8IC8DA1oqY8Huy0T0BkTuaIoZINvHJC5eRQPlVMGlCyHsDfQ25yU/1ckB\n\
4X+C+TVoLMTn2iox+dF5mDp1sQJBAJfz+qrFPcfsXL/ljtVadr7xb5EsmP5lwr+z\n\
V5uBWaQoJisUY3WzS/heoetIWUHyFtaD50HXx4e3mB2PL+jlbdUCQQDaH0STomTW\n\
ID2M6Jg6NXLyrSWSaApei4nvYJT4fA9+JnJQeqrr+l+DE5iw/m9fuXHS/6tMSDBP\n\
TjgsrVRxHari\n\
-----END PRIVATE KEY-----\n\
";

/// RSA 1024 with three primes (`-pkeyopt rsa_keygen_primes:3`).
const RSA_MULTIPRIME: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIICmAIBADANBgkqhkiG9w0BAQEFAASCAoIwggJ+AgEBAoGBANcfJBIZTAu4u23k\n\
UkIvadwcoGCDwEjfOcSnbsqrLgs+dtM28x06lOicRXsgDoM07Ks971rhelzErFOr\n\
7KM+v5HZL9M+itgK06uspoqRirPspzfWMMgJ7VdjBVuuHjSDNhH8wrJv3wptMtV0\n\
dbt16XuMBAQ6KTkYyIHeITVbcbdXAgMBAAECgYEAudG6dK/JUm616AzLSURvaqSH\n\
nBbyZ3/7BHWkbAhFc4z3UycqBVtu+SbThpRf4UCM7b4AI80l0enTru0ioVzPodjJ\n\
tunkR03SjOuN7Y0IGzBDZqSrVNq1HgXENEMoW2+sFNKzXbt8ePyIaBYJQRd9QRDY\n\
ScVWtgV/BBefH3+dhwECKzbHobnf+8Yig2fVa4T2Sxokx9rygtBMGtY7CGl4vF30\n\
aLPmza4d4LGKVNECKx/w1RduVZNnwHINBv2BmbBNE/WchV72NOYDULAwNeAAo7hs\n\
B/VYNnEpmU0CKyU4+VfILtivUwMXLfwnL1kQbQ0FhIXtcL7pVgn1FGnzTcIQruoF\n\
O0zoZkECKxq9ErZFwE/g6ALSEwr/hnhHXjEbca8Ybxoqpk6IXWGDR4torJTf3tuG\n\
1nUCKxdAqCdKMwVXioJQlCLN5CXnIsPNj7XUSihQHMw3RKpBoTdj+tFrcFw9XdIw\n\
gYowgYcCKx95dsqvLP+EQIuPtnYktZ5tKFHqfTt5GH0d9ww3izqQDn18N/tUbxlI\n\
5sMCKxu3K+IDK869ONEsdfHHFZ8yZCTuJeTvF59leZxqdNHW9MuPTQSmL0bGqV0C\n\
Kxbzmdqgcm6ZNK6KLamDNWyadxj4bH0fkYA+YJXAVzypa78cP012rsFMi/0=\n\
-----END PRIVATE KEY-----\n\
";

/// An OpenSSH private key (`ssh-keygen -t ed25519`).
const OPENSSH_ED25519: &str = "\
-----BEGIN OPENSSH PRIVATE KEY-----\n\
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
QyNTUxOQAAACDu1A7V1X8HonJ8TVY8fm+NwPT0X5NsSHGSZFlFmx1ktgAAAJC6F2mkuhdp\n\
pAAAAAtzc2gtZWQyNTUxOQAAACDu1A7V1X8HonJ8TVY8fm+NwPT0X5NsSHGSZFlFmx1ktg\n\
AAAEBqNZVpmPTUJVqW1seeo6tfjGGCKciWyngyWPFFkMRFB+7UDtXVfweicnxNVjx+b43A\n\
9PRfk2xIcZJkWUWbHWS2AAAAB3Jvb3RAdm0BAgMEBQY=\n\
-----END OPENSSH PRIVATE KEY-----\n\
";

/// RSA 512, PKCS#1 (`openssl genrsa -traditional 512`).
const RSA512_PKCS1: &str = "\
-----BEGIN RSA PRIVATE KEY-----\n\
MIIBOgIBAAJBANVyyh8kzZj76afKZwILfza79TORGpXjJMIZ3C45scjO7ijz2sAc\n\
vokqJZ+Mjg0Sgo2gLVIDpJFAxgBV4jnRf4cCAwEAAQJAV+XJbkHNmK5EbiBfguwR\n\
Gw0T0IR0mjzLqlLT5QVFPReZDl2pAKwG9qv1N7azyFVh7TUFdqwggrXd1G6Q44qT\n\
oQIhAPddQW5YHpRf4u8A56cjXAwzFCHPNrckdHlXGGWjCg69AiEA3OZrvfYKdixJ\n\
L/ua0GJSYsAq9kQQ5Aa1msN0dAgoPZMCIAPxu7pbs1kgUkkHVapHmQ8kvVxwpmmz\n\
LhxFNEFioSVtAiArCTk0aRrgqwAXOQ2QS5eBZa75C4m+4w++dxXZBT3RwQIhAMaD\n\
7dBoKLI/1pwkYuHlUJcOaqoSInJVnfUYj9w2fXgN\n\
-----END RSA PRIVATE KEY-----\n\
";

/// RSA 8194, PKCS#8 (`openssl genpkey -pkeyopt rsa_keygen_bits:8194`): the smallest size over
/// the 8192 bits aws-lc-rs takes (keys.rs itself sets no upper bound on parsed keys).
const RSA8194_PKCS8: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIISQwIBADANBgkqhkiG9w0BAQEFAASCEi0wghIpAgEAAoIEAQJ8BTwY+ELu1wiq\n\
0Dr096e/Pt6CJEwlqVWY2+35hlIk27jIADOPLBtxKei93FEpI4Y98TwcPsd+RPob\n\
nrzOT7BplnOl2QHzeELABoLG+byWMJ4reYy5Xn7UZRXZ1iwvMvKblr0BwcZUo/k8\n\
6BUtsdJgSgh6MB+EyxIBX5DEogcfhknFxjXoHGDMToeD6cEG4zcQkJ59SLyKgc+X\n\
9mJYQvZf8VDbLR4k9a9hvCxrFfI8G3rjKmeEdYAySv/ZwhzgSKvnMhrUjWq+P/ZI\n\
tI8GamwRp1c0o5f3SoDT2OEvn26VC9RTHwaytO1IEspJL3IT6MMzxOB2iRJhhAH/\n\
qwPyonFgXpCVoapSZg2bTBr+SMTvEjDHq8gHChIF+o4B2GH8kU9oc3UDetHHbtIe\n\
ujGx6AkMvRLEd3DyHzjVJZvyRzgaORE4lIVM43w96hlpAcWQYkkh8eYnKp3dvzik\n\
h7r06J0X5DIHCX7BlV7f1OuoGtPGReIIEM1W8XyzAZtWH/eiuM12DgWUQwzcmUUT\n\
McQhcMfQpbaWUPo1phTC0N7r4YveB0AzaU6Xgx8QEltoMWJLVJQ49qHNWm5Z6Qvc\n\
AVcR0P60EV5vdvjEs1kzsUH4erXUtmyMLWLANIm4gdmPcCSA0zwJJr9mCirW5TGG\n\
7gnoeF1lKhG00e5RapDihLUQ3dHIIMWyxFBgCB0TVGMf51yRsOiAHYVDuIA/da6V\n\
YqzSUVdwjtZCqVWW/ytQ8yHwyjJyq+QHa3boH9+NeDQWfWIDJfKchckrU6KliXqY\n\
+cQbuyBmY4D+Rj9Rcch3eMHCcYT1HvBIeKIHKiNEI9MOijkyyx16gUdB+g8Vs/0V\n\
qDvN8vk+a4awWVLPi3XhdSj0pcdHZYb0Wt/JeEsk3OCEBn2PX1JHklIGVrxwbi2F\n\
bglqtYjMaH2DLc61/HiU0IvFwJPQcanCl5Ks4WoMvKTYXky6zpYlyz3jb90zUDGn\n\
cSrOpmdZlMZTCaStJs11gyGMbV+jFKuL3lCclC+mKPIzOAKY1OGAGk8WLSVKtHpG\n\
Gzh6ewTsSdHPLLk1LO6H9mBDkCBWky0AMs2+pgwKWXXC0JsHZ8sItxGkODsG0Od7\n\
pHIEFA33JS2YyowZYsLuWmRZJquix07NwbRpv2glpMIkDlZDoO9TEFwuSAc2T56l\n\
Sm2tImVc0mKuVCRh8oEoH87EA6QupGaodZef+kzgq2nzDgzXXOIvyZjDCLZ9sXPl\n\
CevtgpMIEkpKaBu6Z1rVY3vlF4MqOp7cUojOnCk1RxV2o3clOGDG/lfmuLnIri3S\n\
e7ToMUrnaIQ1aUqPIk4xmj7ggH6z9RILbUa/19xL8Vka0Vd6CQ0HU/ePvIxkeKuc\n\
G2f3UUyFAgMBAAECggQBAIcyaar5Iuk4Rnxg1Rd7iWnqyEurwZAD5dEfdv+ioNV6\n\
61WATXVyr8anXPT23z26cm+6Vse+RJO/v9adMI8+e0aGl8C6V2LUvoOpHqWDMqZO\n\
YWDmbpZ80sL9Vd6/WxcRYmbWbQjxkuItFO7weogDE7AqLJEkp56HuCUYlmJl+tOl\n\
rQrgblcPqTfkvYO57bE0HWFlDHufOYzLuUAZPKB8Y3jTiBd/CLhcjVJeOKbuvFYw\n\
lTeyrNyISZ7nOGmmjJLUf84eZXunL/iPCiA8WWbIun4qLyxeVhBYAviFUqDX6B7A\n\
q/qbTsYwFXxLmjpiXoKC6POZNwmba4/VCsO5K5apFyagE2XrPpRTYzMOw3IoL8yN\n\
9laLWnK8nkYtE4Cq6XFRxipy2H3L3sng8cNcWvHxW/McQeAHb7fYETGl0/d1UiSo\n\
2tNHJurINIHIwGwE12Uwr1EK5ZyPv40Cd9zpiUFELRiGBmheiVZHFSrJTOqoATpV\n\
Yo3KXIvNu28luUpeczpgxDQDGQaCFjrSTc+dtY5SNfdRMnXTcsxyqFkdIzXK9PtW\n\
WTxUd0NXuQOmk02bqcRPj05ohs5rGaf9FOtIUaTU4z+NraBODuVpJl4JoPdbxkkY\n\
GgzWHPa0dE4HNCL8eJX10P41AVyEbsTNZXDEKtECvP+jKK5iLaGa4H92LDMQo+ZA\n\
/K3XqVUbXZArxjeo62GxXHSS6e4Ef9eXbo4XniQEviyKZwlXWEQ6Pmy/fukwOQHs\n\
jBwQoJtiYU2+JowN8PiQqJhhs/D9OTrapHZlZMe8h8CZghn+lWs2BdLt+B0CNhws\n\
ur/rXZV4pSWrdmaOEjIZmAN7Z/eNq/G2XuNdKgcN73wVqzwhPg31PH4+jZxWGglG\n\
uZe4mRv3pQM11QxTAOsru2DsiVSe2pfqEbI7k/2eGeo2ElOU7q9ZRxIA6kuyR9Or\n\
iDvNGLQJyrn9p6uQP03EEGNltGN4wF9/kSlaHinl+IhbjSUxLAJwdd3wl8XjSGqL\n\
LPjORDNjaoLlERr/wT9DM1aELruzrgsLzHpk5ZiSAFAl7lm2cH9Cke+0ZuFw3Zim\n\
enjNezBBP2CUuFUrP7eihnrvdfCdVVYVaBK3kNyZkG2HREH/iiWvIJUYwdrvCGn7\n\
DaAnNcKa97vGt6YvfZkPXfg0x1fMfhnYcCHkz3Wvyqwoq+QKPJCXqtcmsyhWBHOK\n\
quubFRZP3O/sqFk9giOlLVSozQ479HVU9DGrusg6OnDq18vB0zInHtQan8fp88PO\n\
isA4MGmp4Z/mJUe796oQTCjPXGA+1FUkbu7+uayaO6KAPMYFMzfqYdTEetd3+m78\n\
JEyzLARFkkQTDdAmZPZ00ncF5J4m/muT5tVCftvvA4ECggIBAb94O1klqAeuW1Tv\n\
AcfHfZLFnLZt54x43bYc5PY+grUcAWuJd0P4sew2WjJlrEBgTGazO12+dfJ9ekGU\n\
GFPbaI/LHMSyEp9BlXOq2u0dJqOrA1UBeO+jbOiin+moWwrGNx8Zuwzgd0/Of8le\n\
/w9keKQNrWNxyiRwAGlyj0jxvaYyFeYTRaAUPeUfnqHxU6FvH2HcG7Uah/ggeSV9\n\
cEWz0PH39NY5OzSKB0HmZ+pWQnyATMYUbHXTUnLcyGsnhr4T2urbDeey886wtCOB\n\
i9qApC03G4DibK2D/KXRBErW2VA7z2/kizFOEPzcBXJiqEHtXPuNfB+ns7UE85o5\n\
YTj56bjhm0ODFuFkv+OW1bbWw5jWGcDFB9Oq/meozgBAprloonEBYACu4RgZD6K1\n\
x+UKysMDJBbbsXf20cY9EufOsuNYAq1a4Bzypz3BuwFztlrvlYQJKcUC3uBSh96J\n\
/tuO+rUSqmeLssUK+6R2AWxgMCAll7D36qFcNgyCSkwNGUYpeHZIUpdsvG+oO/V1\n\
A/XUblgVqe3jfXVlsoSUIw8cHMFsPVxCaAU52QNjJWNW91CEehB4hueq6NAz+DIV\n\
dv8+uV9SmuNkq7gdIuTkrjVub4y/FVk0g01bHTnzMywjaXV4iTMdbayz/AnWpHrr\n\
zzWcQDazKmPrI8kbsvdSEHk9nG5lAoICAQFr3vpmOZvsPXUpZfcJtPZXXX53BCc/\n\
9k/SlmeMD7PDskd8CeD7QyVgWMQNgKiN5mNr5Zqvz7GYPDvVUvTi0I0XFq7u7IZ9\n\
bQiQ4VVNy3OVrz4W3SnwQWg3REQpLbB35cCj6O1L7LeXrPqbcjHlWeTW3fsrjhNx\n\
TTbBA1VFVDTDYcy8kU6uwjm6qiZuHXnCn9OSOSe4wiWBcDTBi+MscVkAWzsEz9eb\n\
sg3gRwiBl28RqE1laEOAY6XhRgaKo1LtY0q5jQKXyfmvNbrj2bMP29VckzUnb6dK\n\
EZErDRukaP8e+a2kL7b47/k77Zc7h9+4JbXJBcQ10HGZLwtV4TxZSUbhzViiWqVU\n\
S4Fzmc0WOLgDLHlEvRiixBDYdRVmZA2tGVgBvyHRtzS+GmmnWqnDQa916/7VEuPk\n\
1Jc+8C6SrUucUGEvtk1xY5urUcE8ftiTbIwnzaM8+LdciOtk2A853TAkGPxa+vna\n\
IojF0xeog/9BfHuwsFPHqTUR0s8qRNBeZVUhTnog3a6+vPRGGBcmAPD75BhSe470\n\
HDb9v5CwF0OgaajG4PUsWhtl9Zs17dDkRuzHFcVVSOzvA8ZZYDth8K1iIVraAejC\n\
A+IX0dJpFlfDLdvFsLkg0HboC8njwF1A7moHKISrbBDrcCYmsVRA+uo1wnf5/34y\n\
1g/FgT0wgS7zoQKCAgEBarJI4LR+I2O3Ufu85LMVXN9ibBhfg+QASfnXuKToi2Zc\n\
3E57ZpPxm7Zem9T/rtqfcus6ZnzX26rLatZgdbA1a8BF3EU+hOnC+xN1CpcDV8xp\n\
EgD0hsFfqJ0Qo3M8AFq0GThg/kn/S6fkulOOyGo2wzr23NFB+RDztIUQER8pCso0\n\
J95dJCjkFpDvovIaSJLqzAZ+SuhrZ7ril3m6hDUBWvAR+4Y+MBLlWQwqFK7Ai2vv\n\
TusFEugsP0AoD3rlY7JyUsUl2zWZG2LtUI5TztNQv/mYCHr/fhGqurjWEtddJASm\n\
2lpUXK2bZWnt3E6NdYqxQJDpGDt1lXejANIbtPQU9y+fCzT5Wc6xHweGyQIBXyPD\n\
khXihzZlqZ4RA/FjcouWh6SGrWcSutatbsSLd2KtAS7NlN2UVtmwJVAhv9Ux+MbA\n\
vMUZPT2OQ6eBLecd202xUmme+rqd7xPWX5JZCpw1KIotp2p7h+2kFSU1eCPrPlNa\n\
Ri5dd1dn0/HTyRsg7lb09mMe1vBjONoTZ5zmjd8XZbyBlXo8mejJr17nn/q4cCuM\n\
/PgymnHOLkmx53h5VEFdM3aOWr+UoBZPykDNyIyN8u7g7woNilnLi960Okj+kAXe\n\
hwTinNQKt4siYld9xqLiCpWC7WaiF1Ns1NnIhfrVrcDBzmWtBvi1snRJOAyxfGUC\n\
ggIAKeKpAEtxX2hTrEhIf52NHdFtVVXtDrfTyHH3yW+lScmj4OtiMoowKz8MkmFV\n\
BcCXgTwU6lgGIXgNiyjZd6J6G0ZJLMedU6LRcZv+rc3VqE1b4FXlFfrxfCsnjXXs\n\
8mBIJJYTesHtAFCxKGOkyrnmVbWHzCO2qTwyKVWw4yImULdZUfuICyXgb1RWyCYs\n\
dfLf790UbXgryRKZgA4SQHNrw1a9HHiwYQPGBSMoH4LHDklJX3r5CjZuSdg9uIfE\n\
a/8aAvHwcniVfU26DbBppFGx5c4sODXqE+ShyUrg+7P6ah5jlprHfTBiiDt5RSkG\n\
37O3kURQqcEs0m1P6Lrcr4p31lZE9atpjKKEbEIwEXbF99eOvhLmWxYmukQACqFJ\n\
0bsxHkJaKkHkmF2B+/m7wPY2tGROGUjrYtP19RDAy7GXGo9GIK/jikHlEXt/uu7/\n\
DzlXiN1rBQG8WbKJJjqYxhhoCj+2DOMHD80Z4WvDNWq8X1VtB5HEkx8vNLYHkt4I\n\
/lS7z/GwrUfXba1ikQ8E2yMQmm5PPm9qrT7yNZNvnFWRO03uV7ZdgpV8wefbzgFq\n\
IlzntKMU7BRQ8dKFapRhQYzq6HjedGnz2SGJTSSiC+a+g4Er4z3MkbJtfZidzNG/\n\
6lGHcvt/ChyOdgua2KlhAXngq/+OwABhDokFl76gxIyaUwECggIAIb1D8+2/ymiI\n\
LQkXrGyCNTcCYv8iTLoDP2UBaAdzF9tcDcrYg3fsZZbXcGIM+hJOInp6IkA/M9O7\n\
VuPhAqlTcNNfXBMZ141TXwpys5SVWlW/nXrQKX2YDhWoVqclyy1mSSENaASqdH2u\n\
5BNE8+eE4SiQvSgjRWaVfT8i+hYwD2eUj2x2EoRH7sBxcE6WfYiyMIwQGZCzMwih\n\
HEtubTmV7t01nUaJJO39ux5lf8emv1dapRv6SykjZtoPqWpbPwcGMFbktDgCbjjh\n\
1yRlKW5hZav4miLvDEVWWtIo+CmCBou+zLk1q+z7foLukrsHvDsHzRtDCdd7QtEi\n\
+KrZAFFXuNkpcZrHRkC5KNYz4CtOejR5rjO/IL5REqcpfILhEFwpbw0qGPpcLxnM\n\
uoo6dX0sRIhn1thttxXVZsE5CjQz2xNRBpXYwNDGr2BbCNqv3DhYXWLaCEjqgSeb\n\
KoLHrZ/SaQIEnWTOFbDw5GguuffsRYn9OuSFLMPND2u+rb7YNdT3YkvaDsVU42xX\n\
Lu22p8BqhOJu0PvtiOYDtPVQynuxzjPPxzto9FSLqaCqwkCFM/bIL1P3sMD3TJDJ\n\
WW3sNSJGA6yA58+ayw+VY64tfyzzcRJeZq/plypkEqIlbJm69fwK0ACb/CJnLH1A\n\
Bh8WT2D3Qpo+2724rH+clLr5UtcGQbY=\n\
-----END PRIVATE KEY-----\n\
";

/// A PKCS#1 RSA public key (`openssl rsa -RSAPublicKey_out`).
const RSA_PUBLIC_PKCS1: &str = "\
-----BEGIN RSA PUBLIC KEY-----\n\
MEgCQQDVcsofJM2Y++mnymcCC382u/UzkRqV4yTCGdwuObHIzu4o89rAHL6JKiWf\n\
jI4NEoKNoC1SA6SRQMYAVeI50X+HAgMBAAE=\n\
-----END RSA PUBLIC KEY-----\n\
";

// ---------------------------------------------------------------------------------------
// Inputs.

fn test_file(relative: &str) -> String {
    format!("{}/tests/{relative}", env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(test_file(relative)).unwrap()
}

/// Loads a key from a temporary file holding `bytes`, then removes the file.
fn from_temp_file(name: &str, bytes: &[u8]) -> Result<RsaKey> {
    let path = std::env::temp_dir().join(format!("bad_input-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let key = RsaKey::from_pem_file(&path);
    let _ = std::fs::remove_file(&path);
    key
}

/// The 2048-bit PKCS#1 test key as PEM text.
fn pkcs1() -> String {
    read("vectors/keys/rsa2048-pkcs1.pem")
}

fn pkcs8() -> String {
    read("vectors/keys/rsa2048-pkcs8.pem")
}

/// A port nothing listens on.
async fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    origin
}

/// A chunked answer of `chunks` chunks of 1 KiB, with no `content-length`.
fn chunked(chunks: usize) -> Vec<u8> {
    let mut out =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..chunks {
        out.extend_from_slice(b"400\r\n");
        out.extend_from_slice(&[b' '; 1024]);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

const HTML: &str = "<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>";

/// Armor answers 401 with this `Date`: the call fails once, the clock does not move.
fn armor_401_with_date(date: &'static str) -> Script {
    always(reply(
        Reply::json(401, r#"{"message":"unauthorized"}"#).with_header("date", date),
    ))
}

async fn armor_keeps_its_clock(origin: String) -> Result<()> {
    let client = armor(&origin)?;
    let result = go(client.request(Method::GET, "/vms")).await;
    assert_eq!(client.clock().offset(), 0, "an absurd Date moved the clock");
    result
}

/// OVH: `/auth/time` answers the real time once, then `then`; every signed call is refused
/// with `QUERY_TIME_OUT`, so the client reads the time again (and gets `then`).
fn query_time_out_then(then: Answer) -> Script {
    let reads = std::sync::atomic::AtomicUsize::new(0);
    Arc::new(move |seen| {
        if !seen.target.ends_with("/auth/time") {
            reply(Reply::json(
                401,
                r#"{"errorCode":"QUERY_TIME_OUT","message":"Query out of time"}"#,
            ))
        } else if reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            reply(Reply::json(200, &now().to_string()))
        } else {
            then.clone()
        }
    })
}

/// OVH's first signed call, whose `/auth/time` answers what the row's script says.
async fn ovh_first_call(origin: String) -> Result<()> {
    go(ovh_unsynced(&origin)?.request(Method::GET, "/me")).await
}

/// The one row whose refusal depends on a feature: keys.rs sets no upper bound on the
/// size of a parsed key; aws-lc-rs (feature `aws-lc`, on by default) refuses keys over
/// 8192 bits, the `rsa` crate alone takes any size.
const OVER_THE_MAXIMUM: &str = "8194-bit RSA (over the 8192-bit maximum of aws-lc-rs)";

fn rows() -> Vec<Row> {
    let mut rows = all_rows();
    rows.retain(|row| cfg!(feature = "aws-lc") || row.name != OVER_THE_MAXIMUM);
    rows
}

fn all_rows() -> Vec<Row> {
    use Kind as K;
    use Sent as S;
    vec![
        // ---- keys -------------------------------------------------------------------------
        call("keys", "garbage text", K::Key, || RsaKey::from_pem("this is not a key")),
        call("keys", "empty text", K::Key, || RsaKey::from_pem("")),
        call("keys", "white space only", K::Key, || RsaKey::from_pem(" \n\t\r\n")),
        call("keys", "control bytes", K::Key, || RsaKey::from_pem("\0\u{1}\u{7f}\u{fffd}")),
        call("keys", "BEGIN line never closed", K::Key, || RsaKey::from_pem("-----BEGIN RSA PRIVATE KEY")),
        call("keys", "truncated PEM (first half)", K::Key, || { let pem = pkcs1(); RsaKey::from_pem(&pem[..pem.len() / 2]) }),
        call("keys", "PEM without its END line", K::Key, || RsaKey::from_pem(pkcs1().split("-----END").next().unwrap())),
        call("keys", "PEM with a base64 line dropped", K::Key, || { let pem = pkcs1(); let mut lines: Vec<&str> = pem.lines().collect(); lines.remove(5); RsaKey::from_pem(&lines.join("\n")) }),
        call("keys", "PEM whose END label differs", K::Key, || RsaKey::from_pem(&pkcs1().replace("END RSA PRIVATE KEY", "END PRIVATE KEY"))),
        call("keys", "wrong label: CERTIFICATE", K::Key, || RsaKey::from_pem(&pkcs1().replace("RSA PRIVATE KEY", "CERTIFICATE"))),
        call("keys", "wrong label: lower case", K::Key, || RsaKey::from_pem(&pkcs1().replace("RSA PRIVATE KEY", "rsa private key"))),
        call("keys", "RSA label over text that is not base64", K::Key, || RsaKey::from_pem("-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----\n")),
        call("keys", "PKCS#8 label over PKCS#1 DER", K::Key, || RsaKey::from_pem(&pkcs1().replace("RSA PRIVATE KEY", "PRIVATE KEY"))),
        call("keys", "PKCS#1 label over PKCS#8 DER", K::Key, || RsaKey::from_pem(&pkcs8().replace("PRIVATE KEY", "RSA PRIVATE KEY"))),
        call("keys", "encrypted PKCS#8, no passphrase", K::Key, || RsaKey::from_pem(ENCRYPTED_PKCS8)),
        call("keys", "encrypted PKCS#8 file", K::Key, || RsaKey::from_pem_file(test_file("vectors/keys/rsa2048-encrypted.pem"))),
        call("keys", "EC P-256 (PKCS#8)", K::Key, || RsaKey::from_pem(EC_P256_PKCS8)),
        call("keys", "EC P-256 (SEC 1)", K::Key, || RsaKey::from_pem(EC_P256_SEC1)),
        call("keys", "EC P-256 file", K::Key, || RsaKey::from_pem_file(test_file("vectors/keys/ec-p256-pkcs8.pem"))),
        call("keys", "Ed25519", K::Key, || RsaKey::from_pem(ED25519_PKCS8)),
        call("keys", "Ed25519 file", K::Key, || RsaKey::from_pem_file(test_file("vectors/keys/ed25519-pkcs8.pem"))),
        call("keys", "RSA-PSS key (another OID)", K::Key, || RsaKey::from_pem(RSA_PSS_PKCS8)),
        call("keys", "OpenSSH private key", K::Key, || RsaKey::from_pem(OPENSSH_ED25519)),
        call("keys", "three-prime RSA", K::Key, || RsaKey::from_pem(RSA_MULTIPRIME)),
        call("keys", "512-bit RSA", K::Key, || RsaKey::from_pem(RSA512_PKCS1)),
        call("keys", "512-bit RSA file", K::Key, || RsaKey::from_pem_file(test_file("vectors/keys/rsa512-pkcs1.pem"))),
        call("keys", OVER_THE_MAXIMUM, K::Key, || RsaKey::from_pem(RSA8194_PKCS8)),
        call("keys", "public key (SPKI) for a private one", K::Key, || RsaKey::from_pem(&read("vectors/keys/rsa2048-pkcs8.pub.pem"))),
        call("keys", "public key (PKCS#1) for a private one", K::Key, || RsaKey::from_pem(RSA_PUBLIC_PKCS1)),
        call("keys", "private key for a public one", K::Key, || RsaPublicKeyPem::from_pem(&pkcs8())),
        call("keys", "path that does not exist", K::Key, || RsaKey::from_pem_file(test_file("vectors/keys/no-such-key.pem"))),
        call("keys", "path is a directory", K::Key, || RsaKey::from_pem_file(test_file("keys"))),
        call("keys", "file of DER bytes (not UTF-8)", K::Key, || from_temp_file("der.pem", &[0x30, 0x82, 0x04, 0xa4, 0xff, 0xfe, 0x00])),
        call("keys", "empty file", K::Key, || from_temp_file("empty.pem", b"")),
        call("keys", "generate 512 bits", K::Key, || RsaKey::generate(512)),
        call("keys", "generate 16385 bits", K::Key, || RsaKey::generate(16385)),
        call("keys", "generate usize::MAX bits", K::Key, || RsaKey::generate(usize::MAX)),
        call("keys", "aws-lc backend on a 1024-bit key", K::Signing, || RsaKey::from_pem_file(test_file("vectors/keys/rsa1024-pkcs1.pem"))?.sign_with(RsaBackend::AwsLc, b"message")),
        // ---- credentials ------------------------------------------------------------------
        call("credentials", "nOps: empty API key", K::Config, || NopsCredentials::new("")),
        call("credentials", "nOps: white-space API key", K::Config, || NopsCredentials::new(" \t ")),
        call("credentials", "nOps: API key with BEL", K::Config, || NopsCredentials::new(format!("{NOPS_KEY}\u{7}"))),
        call("credentials", "nOps: API key with a trailing LF", K::Config, || NopsCredentials::new(format!("{NOPS_KEY}\n"))),
        call("credentials", "nOps: API key with DEL", K::Config, || NopsCredentials::new(format!("{NOPS_KEY}\u{7f}"))),
        call("credentials", "OVH: empty application key", K::Config, || OvhCredentials::new("", OVH_SECRET)),
        call("credentials", "OVH: white-space application key", K::Config, || OvhCredentials::new("  ", OVH_SECRET)),
        call("credentials", "OVH: application key with CR LF", K::Config, || OvhCredentials::new("app\r\nkey", OVH_SECRET)),
        call("credentials", "OVH: empty application secret", K::Config, || OvhCredentials::new("app-key", "")),
        call("credentials", "OVH: white-space application secret", K::Config, || OvhCredentials::new("app-key", " \n ")),
        call("credentials", "OVH: empty consumer key", K::Config, || OvhCredentials::new("app-key", OVH_SECRET)?.with_consumer_key("")),
        call("credentials", "OVH: white-space consumer key", K::Config, || OvhCredentials::new("app-key", OVH_SECRET)?.with_consumer_key("\t ")),
        row("credentials", "OVH: signed call without a consumer key", K::Signing, S::Nothing, |o| async move { go(client(OvhScheme::new(OvhCredentials::new("app-key", OVH_SECRET)?), &o, "/1.0").build()?.request(Method::GET, "/me")).await }),
        call("credentials", "Qredo: empty API key", K::Config, || QredoCredentials::new("", key_2048())),
        call("credentials", "Qredo: white-space API key", K::Config, || QredoCredentials::new("   ", key_2048())),
        call("credentials", "Qredo: API key with CR LF", K::Config, || QredoCredentials::new(format!("{QREDO_KEY}\r\n"), key_2048())),
        call("credentials", "Qredo: API key with NUL", K::Config, || QredoCredentials::new(format!("{QREDO_KEY}\0"), key_2048())),
        call("credentials", "Armor: empty key id", K::Config, || ArmorCredentials::new("", ARMOR_SECRET)),
        call("credentials", "Armor: white-space key id", K::Config, || ArmorCredentials::new(" ", ARMOR_SECRET)),
        call("credentials", "Armor: key id with `:`", K::Config, || ArmorCredentials::new("key:id", ARMOR_SECRET)),
        call("credentials", "Armor: key id with LF", K::Config, || ArmorCredentials::new("key-id\n", ARMOR_SECRET)),
        call("credentials", "Armor: empty secret", K::Config, || ArmorCredentials::new("key-id", "")),
        call("credentials", "Armor: white-space secret", K::Config, || ArmorCredentials::new("key-id", "  ")),
        call("credentials", "Armor: empty account id", K::Config, || armor_credentials().with_account("")),
        call("credentials", "Armor: white-space account id", K::Config, || armor_credentials().with_account("  ")),
        row("credentials", "Armor nonce with `:`", K::Signing, S::Nothing, |o| async move { go(armor_nonce("abc:def", &o)?.request(Method::GET, "/vms")).await }),
        row("credentials", "Armor nonce of 129 characters", K::Signing, S::Nothing, |o| async move { go(armor_nonce("n".repeat(129), &o)?.request(Method::GET, "/vms")).await }),
        row("credentials", "Armor empty nonce", K::Signing, S::Nothing, |o| async move { go(armor_nonce("", &o)?.request(Method::GET, "/vms")).await }),
        row("credentials", "Armor nonce with a space", K::Signing, S::Nothing, |o| async move { go(armor_nonce("abc def", &o)?.request(Method::GET, "/vms")).await }),
        row("credentials", "Armor nonce with LF", K::Signing, S::Nothing, |o| async move { go(armor_nonce("abc\ndef", &o)?.request(Method::GET, "/vms")).await }),
        row("credentials", "Armor nonce with `:` (#[signed_api])", K::Signing, S::Nothing, |o| async move { ArmorVmsClient::builder().scheme(ArmorScheme::new(armor_credentials()).nonce_source(Arc::new(FixedNonce("a:b".into())))).base_url(o).retry(RetryPolicy::none()).build()?.vm("1").await.map(drop) }),
        // ---- requests: path parameters and templates ----------------------------------------
        row("requests", "path parameter `..`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/{id}").path_param("id", "..")).await }),
        row("requests", "path parameter `.`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/{id}").path_param("id", ".")).await }),
        row("requests", "path parameter empty", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/{id}").path_param("id", "")).await }),
        row("requests", "path parameter `..` (#[signed_api], Armor)", K::InvalidRequest, S::Nothing, |o| async move { armor_vms(&o)?.vm("..").await.map(drop) }),
        row("requests", "path parameter `.` (#[signed_api], Armor)", K::InvalidRequest, S::Nothing, |o| async move { armor_vms(&o)?.vm(".").await.map(drop) }),
        row("requests", "path parameter `..` (#[signed_api], OVH)", K::InvalidRequest, S::Nothing, |o| async move { ovh_dns(&o)?.record("..", "1").await.map(drop) }),
        row("requests", "path parameter empty (#[signed_api], OVH)", K::InvalidRequest, S::Nothing, |o| async move { ovh_dns(&o)?.record("example.com", "").await.map(drop) }),
        row("requests", "template without a leading `/`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "vms")).await }),
        row("requests", "template with `?`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms?x=1")).await }),
        row("requests", "template with `#`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms#top")).await }),
        row("requests", "template with a `..` segment", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/../admin")).await }),
        row("requests", "template with a `.` segment", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/./vms")).await }),
        row("requests", "template with an unclosed `{`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/{id").path_param("id", "1")).await }),
        row("requests", "template with a stray `}`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/id}")).await }),
        row("requests", "placeholder without a value", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms/{id}")).await }),
        row("requests", "value without a placeholder", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").path_param("id", "1")).await }),
        // ---- requests: headers -------------------------------------------------------------
        row("requests", "header value with CR", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace", "a\rb")).await }),
        row("requests", "header value with LF", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace", "a\nb")).await }),
        row("requests", "header value injecting a header", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace", "a\r\nX-Evil: 1")).await }),
        row("requests", "header value with NUL", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace", "a\0b")).await }),
        row("requests", "header value with DEL", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace", "a\u{7f}b")).await }),
        row("requests", "header value with U+0085 (C1 control)", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace", "caf\u{e9}\u{85}")).await }),
        row("requests", "header value with CR (#[signed_api], OVH)", K::InvalidRequest, S::Nothing, |o| async move { ovh_dns(&o)?.me("a\r\nX-Evil: 1").await.map(drop) }),
        row("requests", "header value with NUL (#[signed_api], Armor)", K::InvalidRequest, S::Nothing, |o| async move { armor_vms(&o)?.vms("a\0b").await.map(drop) }),
        row("requests", "header name with a space", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X Trace", "1")).await }),
        row("requests", "header name empty", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("", "1")).await }),
        row("requests", "header name with `:`", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trace:", "1")).await }),
        row("requests", "header name with CR LF", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-A\r\nX-B", "1")).await }),
        row("requests", "header name not ASCII", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("X-Trac\u{e9}", "1")).await }),
        // ---- requests: a caller header the scheme or HTTP sets ------------------------------
        row("requests", "Armor: caller Authorization", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("Authorization", "ARMOR-PSK forged")).await }),
        row("requests", "Armor: caller AUTHORIZATION (upper case)", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("AUTHORIZATION", "ARMOR-PSK forged")).await }),
        row("requests", "Armor: caller X-Account-Context", K::InvalidRequest, S::Nothing, |o| async move { go(client(ArmorScheme::new(armor_credentials().with_account("acct-1")?), &o, "").build()?.request(Method::GET, "/vms").header("X-Account-Context", "acct-2")).await }),
        row("requests", "OVH: caller X-Ovh-Application", K::InvalidRequest, S::Nothing, |o| async move { go(ovh(&o)?.request(Method::GET, "/me").header("X-Ovh-Application", "other")).await }),
        row("requests", "OVH: caller X-Ovh-Signature", K::InvalidRequest, S::Nothing, |o| async move { go(ovh(&o)?.request(Method::GET, "/me").header("X-Ovh-Signature", "$1$forged")).await }),
        row("requests", "OVH: caller X-Ovh-Timestamp", K::InvalidRequest, S::Nothing, |o| async move { go(ovh(&o)?.request(Method::GET, "/me").header("X-Ovh-Timestamp", "1")).await }),
        row("requests", "Qredo: caller x-api-key", K::InvalidRequest, S::Nothing, |o| async move { go(qredo(&o)?.request(Method::GET, "/assets").header("x-api-key", "other")).await }),
        row("requests", "Qredo: caller x-sign", K::InvalidRequest, S::Nothing, |o| async move { go(qredo(&o)?.request(Method::GET, "/assets").header("x-sign", "forged")).await }),
        row("requests", "Qredo: caller x-timestamp", K::InvalidRequest, S::Nothing, |o| async move { go(qredo(&o)?.request(Method::GET, "/assets").header("x-timestamp", "1")).await }),
        row("requests", "nOps: caller X-Nops-Signature", K::InvalidRequest, S::Nothing, |o| async move { go(nops(&o)?.request(Method::GET, "/c/admin/projectaws/").header("X-Nops-Signature", "forged")).await }),
        row("requests", "nOps: caller X-Nops-Api-Key (key in a header)", K::InvalidRequest, S::Nothing, |o| async move { go(nops_header(NOPS_KEY, &o)?.request(Method::GET, "/c/admin/projectaws/").header("X-Nops-Api-Key", "other")).await }),
        row("requests", "caller Host", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").header("Host", "evil.example")).await }),
        row("requests", "caller Content-Length", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").json_body(&json!({})).header("Content-Length", "0")).await }),
        row("requests", "caller Transfer-Encoding", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").json_body(&json!({})).header("Transfer-Encoding", "chunked")).await }),
        row("requests", "caller Content-Type beside a JSON body", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").json_body(&json!({})).header("Content-Type", "text/plain")).await }),
        row("requests", "nOps: caller api_key query", K::InvalidRequest, S::Nothing, |o| async move { go(nops(&o)?.request(Method::GET, "/c/admin/projectaws/").query("api_key", "forged")).await }),
        row("requests", "nOps: caller api_key query (#[signed_api])", K::InvalidRequest, S::Nothing, |o| async move { nops_projects(&o)?.projects("forged").await.map(drop) }),
        // ---- requests: methods -------------------------------------------------------------
        call("requests", "method `GE T`", K::InvalidRequest, || parse_method("GE T")),
        call("requests", "method empty", K::InvalidRequest, || parse_method("")),
        call("requests", "method with CR LF", K::InvalidRequest, || parse_method("G\r\nET")),
        call("requests", "method not ASCII", K::InvalidRequest, || parse_method("G\u{c9}T")),
        // ---- requests: bodies --------------------------------------------------------------
        row("requests", "body set twice", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").json_body(&json!({"a": 1})).json_body(&json!({"b": 2}))).await }),
        row("requests", "JSON body, then a form body", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").json_body(&json!({"a": 1})).form_body([("b", "2")])).await }),
        row("requests", "form body with a nested object", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").form(&json!({"name": "x", "tags": {"a": 1}}))).await }),
        row("requests", "form body with a nested array", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").form(&json!({"ids": [1, 2]}))).await }),
        row("requests", "form body that is not a map", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").form(&json!([1, 2]))).await }),
        row("requests", "form body with a nested value (#[signed_api])", K::InvalidRequest, S::Nothing, |o| async move { armor_vms(&o)?.rename("1", &json!({"name": {"first": "x"}})).await }),
        row("requests", "JSON body that does not serialise", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").json_body(&std::collections::BTreeMap::from([((1u8, 2u8), 3u8)]))).await }),
        row("requests", "raw body whose content type has CR LF", K::InvalidRequest, S::Nothing, |o| async move { go(armor(&o)?.request(Method::POST, "/vms").raw_body("x", "text/plain\r\nX-Evil: 1")).await }),
        row("requests", "a zero timeout", K::Timeout, S::Nothing, |o| async move { go(armor(&o)?.request(Method::GET, "/vms").timeout(Duration::ZERO)).await }),
        row("requests", "nOps: local clock at i64::MAX (no UTC date)", K::Signing, S::Nothing, |o| async move { go(client(NopsScheme::new(NopsCredentials::new(NOPS_KEY)?.with_private_key(key_2048())), &o, "").clock(Clock::fixed(i64::MAX)).build()?.request(Method::GET, "/c/admin/projectaws/")).await }),
        row("requests", "nOps: local clock at i64::MIN (no UTC date)", K::Signing, S::Nothing, |o| async move { go(client(NopsScheme::new(NopsCredentials::new(NOPS_KEY)?.with_private_key(key_2048())), &o, "").clock(Clock::fixed(i64::MIN)).build()?.request(Method::GET, "/c/admin/projectaws/")).await }),
        // ---- requests: base URLs, endpoints, client settings --------------------------------
        row("requests", "base URL with a query", K::Config, S::Nothing, |o| async move { client(ArmorScheme::new(armor_credentials()), &o, "/?x=1").build().map(drop) }),
        row("requests", "base URL with a fragment", K::Config, S::Nothing, |o| async move { client(ArmorScheme::new(armor_credentials()), &o, "/#top").build().map(drop) }),
        row("requests", "base URL with user info", K::Config, S::Nothing, |o| async move { client(ArmorScheme::new(armor_credentials()), &o.replacen("http://", "http://user:SENTINEL-SECRET-9@", 1), "").build().map(drop) }),
        row("requests", "base URL without a scheme", K::Config, S::Nothing, |o| async move { client(ArmorScheme::new(armor_credentials()), o.trim_start_matches("http://"), "").build().map(drop) }),
        row("requests", "base URL `localhost:8080` (scheme `localhost`)", K::Config, S::Nothing, |_| async move { client(ArmorScheme::new(armor_credentials()), "localhost:8080", "").build().map(drop) }),
        row("requests", "base URL ftp://", K::Config, S::Nothing, |o| async move { client(ArmorScheme::new(armor_credentials()), &o.replacen("http://", "ftp://", 1), "").build().map(drop) }),
        row("requests", "base URL file://", K::Config, S::Nothing, |_| async move { client(ArmorScheme::new(armor_credentials()), "file:///etc/passwd", "").build().map(drop) }),
        row("requests", "base URL empty", K::Config, S::Nothing, |_| async move { client(ArmorScheme::new(armor_credentials()), "", "").build().map(drop) }),
        row("requests", "base URL white space", K::Config, S::Nothing, |_| async move { client(ArmorScheme::new(armor_credentials()), "  \t", "").build().map(drop) }),
        row("requests", "base URL `http://` without a host", K::Config, S::Nothing, |_| async move { client(ArmorScheme::new(armor_credentials()), "http://", "").build().map(drop) }),
        row("requests", "no base URL", K::Config, S::Nothing, |_| async move { Client::builder(ArmorScheme::new(armor_credentials())).build().map(drop) }),
        row("requests", "user agent with CR LF", K::Config, S::Nothing, |o| async move { client(ArmorScheme::new(armor_credentials()), &o, "").user_agent("ua\r\nX-Evil: 1").build().map(drop) }),
        row("requests", "base URL with a query (#[signed_api])", K::Config, S::Nothing, |o| async move { OvhDnsClient::builder().credentials(ovh_credentials()).base_url(format!("{o}/1.0?x=1")).build().map(drop) }),
        row("requests", "unknown OVH endpoint (#[signed_api])", K::Config, S::Nothing, |_| async move { OvhDnsClient::builder().credentials(ovh_credentials()).endpoint("ovh-mars").build().map(drop) }),
        row("requests", "no credentials (#[signed_api])", K::Config, S::Nothing, |_| async move { OvhDnsClient::builder().build().map(drop) }),
        call("requests", "unknown OVH endpoint name", K::Config, || ovh_endpoint_url("ovh-mars")),
        call("requests", "empty OVH endpoint name", K::Config, || ovh_endpoint_url("")),
        call("requests", "unknown Qredo endpoint name", K::Config, || QredoScheme::endpoint_url("mainnet")),
        call("requests", "unknown Armor endpoint name", K::Config, || ArmorScheme::endpoint_url("eu")),
        call("requests", "unknown nOps endpoint name", K::Config, || NopsScheme::endpoint_url("uat")),
        // ---- responses ---------------------------------------------------------------------
        row("responses", "invalid JSON for a typed return", K::Decode, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::json(200, "{not json")))),
        row("responses", "JSON of another shape", K::Decode, S::Requests(1), |o| async move { armor(&o)?.request(Method::GET, "/vms").json::<Vec<u64>>().await.map(drop) }).script(always(reply(Reply::json(200, r#"{"a":1}"#)))),
        row("responses", "`null` for a typed return", K::Decode, S::Requests(1), |o| async move { armor(&o)?.request(Method::GET, "/vms").json::<Vec<u64>>().await.map(drop) }).script(always(reply(Reply::json(200, "null")))),
        row("responses", "empty body for a typed return", K::Decode, S::Requests(1), |o| async move { armor(&o)?.request(Method::GET, "/vms").json::<Vec<u64>>().await.map(drop) }).script(always(reply(Reply::json(200, "")))),
        row("responses", "white-space body for a typed return", K::Decode, S::Requests(1), |o| async move { armor(&o)?.request(Method::GET, "/vms").json::<Vec<u64>>().await.map(drop) }).script(always(reply(Reply::json(200, " \r\n ")))),
        row("responses", "HTML page on 200 (Armor)", K::Decode, S::Requests(1), |o| async move { armor(&o)?.request(Method::GET, "/vms").json::<Vec<u64>>().await.map(drop) }).script(always(reply(Reply::new(200, "text/html", HTML)))),
        row("responses", "HTML page on 200 (OVH)", K::Decode, S::Requests(1), |o| async move { go(ovh(&o)?.request(Method::GET, "/me")).await }).script(always(reply(Reply::new(200, "text/html", HTML)))),
        row("responses", "HTML page on 200 (Qredo)", K::Decode, S::Requests(1), |o| async move { go(qredo(&o)?.request(Method::GET, "/assets")).await }).script(always(reply(Reply::new(200, "text/html", HTML)))),
        row("responses", "HTML page on 200 (nOps: a refused key)", K::Api, S::Requests(1), |o| async move { go(nops(&o)?.request(Method::GET, "/c/admin/projectaws/")).await }).script(always(reply(Reply::new(200, "text/html", HTML)))),
        row("responses", "JSON labelled text/html on 200 (nOps: a refused key)", K::Api, S::Requests(1), |o| async move { go(nops(&o)?.request(Method::GET, "/c/admin/projectaws/")).await }).script(always(reply(Reply::new(200, "text/html; charset=utf-8", "[1]")))),
        row("responses", "JSON nested 100 000 deep", K::Decode, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::json(200, &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)))))),
        row("responses", "body that is not UTF-8, as text", K::Decode, S::Requests(1), |o| async move { armor(&o)?.request(Method::GET, "/vms").text().await.map(drop) }).script(always(reply(Reply { body: vec![b'o', b'k', 0xff, 0xfe], ..Reply::new(200, "text/plain", "") }))),
        row("responses", "invalid JSON (#[signed_api])", K::Decode, S::Requests(1), |o| async move { ovh_dns(&o)?.domains().await.map(drop) }).script(always(reply(Reply::json(200, "[\"a\",")))),
        row("responses", "HTML page on 200 (#[signed_api])", K::Decode, S::Requests(1), |o| async move { ovh_dns(&o)?.domains().await.map(drop) }).script(always(reply(Reply::new(200, "text/html", HTML)))),
        row("responses", "empty body for Vec<u64> (#[signed_api])", K::Decode, S::Requests(1), |o| async move { armor_vms(&o)?.vms("t").await.map(drop) }).script(always(reply(Reply::json(200, "")))),
        row("responses", "body over max_response_body (content-length)", K::BodyTooLarge, S::Requests(1), |o| async move { go(client(ArmorScheme::new(armor_credentials()), &o, "").max_response_body(16).build()?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::json(200, &format!("[{}1]", "1,".repeat(40)))))),
        row("responses", "body over max_response_body (chunked)", K::BodyTooLarge, S::Requests(1), |o| async move { go(client(ArmorScheme::new(armor_credentials()), &o, "").max_response_body(1000).build()?.request(Method::GET, "/vms")).await }).script(always(raw(chunked(4)))),
        row("responses", "content-length larger than the body, then close", K::Transport, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(raw("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"truncated\":"))),
        row("responses", "connection closed with no answer", K::Transport, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(raw(""))),
        row("responses", "an answer that is not HTTP", K::Transport, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(raw("SSH-2.0-OpenSSH_9.6\r\n\r\n"))),
        row("responses", "only a 103 interim answer, then close", K::Transport, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(raw("HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n"))),
        row("responses", "status 999", K::Api, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::json(999, "{}")))),
        row("responses", "connection refused", K::Transport, S::Elsewhere, |_| async move { go(armor(&closed_port().await)?.request(Method::GET, "/vms")).await }),
        row("responses", "nOps: body cut short (the key is in the URL)", K::Transport, S::Requests(1), |o| async move { go(nops(&o)?.request(Method::GET, "/c/admin/projectaws/")).await }).script(always(raw("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n[1,"))),
        row("responses", "nOps: answer slower than the timeout (the key is in the URL)", K::Timeout, S::Requests(1), |o| async move { go(nops(&o)?.request(Method::GET, "/c/admin/projectaws/").timeout(Duration::from_millis(100))).await }).script(always(reply(Reply::json(200, "{}").after(Duration::from_secs(5))))),
        row("responses", "nOps: connection refused (the key is in the URL)", K::Transport, S::Elsewhere, |_| async move { go(nops(&closed_port().await)?.request(Method::GET, "/c/admin/projectaws/")).await }),
        row("responses", "answer slower than the timeout", K::Timeout, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms").timeout(Duration::from_millis(100))).await }).script(always(reply(Reply::json(200, "{}").after(Duration::from_secs(5))))),
        row("responses", "404", K::Api, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::json(404, r#"{"message":"no such VM"}"#)))),
        row("responses", "500 with a 1 MiB body", K::Api, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::new(500, "text/plain", &"x".repeat(1 << 20))))),
        row("responses", "302 to another host (not followed)", K::Api, S::Requests(1), |o| async move { go(armor(&o)?.request(Method::GET, "/vms")).await }).script(always(reply(Reply::json(302, "").with_header("location", "http://evil.example/steal")))),
        row("responses", "redirect followed by a caller's HTTP client", K::Redirected, S::Requests(2), |o| async move { go(client(ArmorScheme::new(armor_credentials()), &o, "").http_client(reqwest::Client::builder().no_proxy().build().unwrap()).build()?.request(Method::GET, "/vms")).await }).script(Arc::new(|seen: &Seen| if seen.target == "/vms" { reply(Reply::json(302, "").with_header("location", "/elsewhere")) } else { reply(Reply::json(200, "{}")) })),
        row("responses", "Armor: 401 with a Date in the year 9999", K::Api, S::Requests(1), armor_keeps_its_clock).script(armor_401_with_date("Fri, 31 Dec 9999 23:59:59 GMT")),
        row("responses", "Armor: 401 with a Date in 1970", K::Api, S::Requests(1), armor_keeps_its_clock).script(armor_401_with_date("Thu, 01 Jan 1970 00:00:00 GMT")),
        row("responses", "Armor: 401 with an unparsable Date", K::Api, S::Requests(1), armor_keeps_its_clock).script(armor_401_with_date("yesterday, around noon")),
        row("responses", "Armor: 401 with a Date two days ahead", K::Api, S::Requests(1), armor_keeps_its_clock).script(Arc::new(|_: &Seen| reply(Reply::json(401, r#"{"message":"unauthorized"}"#).with_header("date", &httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2 * 86_400)))))),
        // ---- responses: OVH's /auth/time ---------------------------------------------------
        row("server time", "i64::MIN", K::Clock, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "-9223372036854775808")))),
        row("server time", "i64::MAX", K::Clock, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "9223372036854775807")))),
        row("server time", "0", K::Clock, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "0")))),
        row("server time", "-1", K::Clock, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "-1")))),
        row("server time", "three days ahead", K::Clock, S::NothingSigned, ovh_first_call).script(Arc::new(|seen: &Seen| reply(Reply::json(200, &if seen.target.ends_with("/auth/time") { (now() + 3 * 86_400).to_string() } else { "{}".to_owned() })))),
        row("server time", "`abc`", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "abc")))),
        row("server time", "empty body", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "")))),
        row("server time", "a number over i64", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "99999999999999999999999")))),
        row("server time", "`1e9`", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "1e9")))),
        row("server time", "a fraction", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "1700000000.5")))),
        row("server time", "a JSON string", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(200, "\"1700000000\"")))),
        row("server time", "an HTML page", K::Decode, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::new(200, "text/html", HTML)))),
        row("server time", "500", K::Api, S::NothingSigned, ovh_first_call).script(server_time(reply(Reply::json(500, r#"{"message":"down"}"#)))),
        row("server time", "connection closed", K::Transport, S::NothingSigned, ovh_first_call).script(server_time(raw(""))),
        row("server time", "over max_response_body", K::BodyTooLarge, S::NothingSigned, |o| async move { go(Client::builder(OvhScheme::new(ovh_credentials())).base_url(format!("{o}/1.0")).retry(RetryPolicy::none()).max_response_body(4).build()?.request(Method::GET, "/me")).await }),
        row("server time", "i64::MIN (#[signed_api])", K::Clock, S::NothingSigned, |o| async move { ovh_dns_unsynced(&o)?.domains().await.map(drop) }).script(server_time(reply(Reply::json(200, "-9223372036854775808")))),
        row("server time", "QUERY_TIME_OUT, then an absurd time", K::Api, S::Requests(3), ovh_first_call).script(query_time_out_then(reply(Reply::json(200, "-9223372036854775808")))),
        row("server time", "caller X-Ovh-Consumer", K::InvalidRequest, S::NothingSigned, |o| async move { go(ovh_unsynced(&o)?.request(Method::GET, "/me").header("X-Ovh-Consumer", "other")).await }),
        row("server time", "consumer key with CR LF", K::Config, S::NothingSigned, |o| async move { go(Client::builder(OvhScheme::new(OvhCredentials::new("app-key", OVH_SECRET)?.with_consumer_key(format!("{OVH_CONSUMER}\r\n"))?)).base_url(format!("{o}/1.0")).retry(RetryPolicy::none()).build()?.request(Method::GET, "/me")).await }),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_input_is_a_typed_error_and_refused_input_sends_nothing() {
    let rows = rows();
    assert!(rows.len() >= 60, "only {} rows", rows.len());
    let mut groups = std::collections::BTreeMap::<&str, usize>::new();
    for row in &rows {
        *groups.entry(row.group).or_default() += 1;
    }
    println!("{} rows: {groups:?}", rows.len());
    run(rows).await;
}

// ---------------------------------------------------------------------------------------
// Inputs that are not refused, by design: what happens to them instead.

/// Path parameter values that look like path syntax are not errors: each is encoded into
/// its one segment and sent (only `""`, `.` and `..` are refused, in the table above).
#[tokio::test]
async fn path_parameters_that_look_like_syntax_stay_in_their_segment() {
    let cases = [
        ("/", "%2F"),
        ("a/b", "a%2Fb"),
        ("?", "%3F"),
        ("#", "%23"),
        ("%", "%25"),
        ("%2e%2e", "%252e%252e"),
        ("%2F", "%252F"),
        ("\0", "%00"),
        ("\r\n", "%0D%0A"),
        ("../admin", "..%2Fadmin"),
        ("..;", "..%3B"),
        ("...", "..."),
        ("a\\b", "a%5Cb"),
        (" ", "%20"),
        ("\u{e9}", "%C3%A9"),
    ];
    for (value, encoded) in cases {
        let server = Server::start(default_script()).await;
        let direct = armor(&server.origin)
            .unwrap()
            .request(Method::GET, "/vms/{id}")
            .path_param("id", value);
        go(direct)
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));
        let via_macro = armor_vms(&server.origin).unwrap().vm(value).await;
        via_macro.unwrap_or_else(|e| panic!("{value:?} (#[signed_api]): {e}"));
        let targets: Vec<String> = server.seen().into_iter().map(|seen| seen.target).collect();
        let expected = format!("/vms/{encoded}");
        assert_eq!(targets, [expected.as_str(), expected.as_str()], "{value:?}");
    }
}

/// A method with a space or CR/LF cannot even be built; a lower-case one is upper-cased,
/// signed and sent alike.
#[tokio::test]
async fn invalid_methods_cannot_be_built_and_lower_case_ones_are_upper_cased() {
    for bad in [&b"GE T"[..], b"G\r\nET", b"", b"G\0T"] {
        assert!(Method::from_bytes(bad).is_err(), "{bad:?}");
    }
    let server = Server::start(default_script()).await;
    let armor = armor(&server.origin).unwrap();
    for method in [&b"get"[..], b"pAtCh"] {
        go(armor.request(Method::from_bytes(method).unwrap(), "/vms"))
            .await
            .unwrap();
    }
    let methods: Vec<String> = server.seen().into_iter().map(|seen| seen.method).collect();
    assert_eq!(methods, ["GET", "PATCH"]);
}

/// A JSON body under another content type decodes: the client reads the body, not the
/// label. (nOps is the exception: `text/html` means a refused key; see the table.)
#[tokio::test]
async fn json_under_another_content_type_still_decodes() {
    for content_type in [
        "text/plain",
        "application/octet-stream",
        "application/xml",
        "",
    ] {
        let server = Server::start(always(reply(Reply::new(200, content_type, "[1,2,3]")))).await;
        let ids: Vec<u64> = armor(&server.origin)
            .unwrap()
            .request(Method::GET, "/vms")
            .json()
            .await
            .unwrap_or_else(|e| panic!("{content_type:?}: {e}"));
        assert_eq!(ids, [1, 2, 3], "{content_type:?}");
    }
}

/// An absurd `Date` on a successful Armor answer is ignored: the call succeeds and the
/// clock stays where it was.
#[tokio::test]
async fn an_absurd_date_on_a_success_changes_nothing() {
    for date in [
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "not a date",
        "",
    ] {
        let server = Server::start(always(reply(
            Reply::json(200, "[1]").with_header("date", date),
        )))
        .await;
        let client = armor(&server.origin).unwrap();
        let ids: Vec<u64> = client
            .request(Method::GET, "/vms")
            .json()
            .await
            .unwrap_or_else(|e| panic!("{date:?}: {e}"));
        assert_eq!(ids, [1]);
        assert_eq!(client.clock().offset(), 0, "{date:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Bugs this table found, each fixed: kept as regression tests.

/// `BaseUrl::parse` refuses a base URL with a query, and quotes the whole URL in the
/// error, query included: an API key put there shows in the message.
#[tokio::test]
async fn bug_base_url_error_shows_its_query() {
    run(vec![row(
        "bugs",
        "base URL whose query holds a key",
        Kind::Config,
        Sent::Nothing,
        |o| async move {
            client(
                ArmorScheme::new(armor_credentials()),
                &o,
                "/?api_key=SENTINEL-SECRET-3",
            )
            .build()
            .map(drop)
        },
    )])
    .await;
}

/// The user info is masked up to the first `@`, but URL parsers end it at the last one: a
/// password with a raw `@` shows after the mask when the rest of the URL is invalid.
#[tokio::test]
async fn bug_base_url_error_shows_a_password_after_at() {
    run(vec![row(
        "bugs",
        "password with `@`, invalid host",
        Kind::Config,
        Sent::Nothing,
        |_| async move {
            client(
                ArmorScheme::new(armor_credentials()),
                "http://user:x@SENTINEL-SECRET-9@[::1/",
                "",
            )
            .build()
            .map(drop)
        },
    )])
    .await;
}

/// With a max backoff of `Duration::MAX` and a deadline, a `Retry-After` of u64::MAX
/// seconds on an answer that took a second or more overflows `elapsed + delay` in
/// `RetryPolicy::next_attempt` (retry.rs): a panic instead of an error.
#[tokio::test]
async fn bug_huge_retry_after_panics() {
    run(vec![
        row(
            "bugs",
            "503 after 1.1 s with Retry-After u64::MAX",
            Kind::Api,
            Sent::Requests(1),
            |o| async move {
                let retry = RetryPolicy::default()
                    .backoff(Duration::from_millis(1), Duration::MAX)
                    .deadline(Duration::from_secs(5));
                go(client(ArmorScheme::new(armor_credentials()), &o, "")
                    .retry(retry)
                    .build()?
                    .request(Method::GET, "/vms"))
                .await
            },
        )
        .script(always(reply(
            Reply::json(503, "{}")
                .with_header("retry-after", "18446744073709551615")
                .after(Duration::from_millis(1100)),
        ))),
    ])
    .await;
}

/// Credentials with control characters are `Error::Config` everywhere else; the Armor
/// account id comes back as `Error::InvalidRequest` (from `header_value`).
#[tokio::test]
async fn bug_armor_account_id_with_control_characters_is_not_a_config_error() {
    run(vec![
        call("bugs", "Armor: account id with CR LF", Kind::Config, || {
            armor_credentials().with_account("acct\r\n")
        }),
        call("bugs", "Armor: account id with NUL", Kind::Config, || {
            armor_credentials().with_account("acct\0")
        }),
    ])
    .await;
}

/// The OVH application key with CR/LF is refused when the credentials are made; the
/// consumer key is taken, and refused only when a call is signed (after `/auth/time` has
/// been read).
#[tokio::test]
async fn bug_ovh_consumer_key_with_control_characters_is_accepted() {
    run(vec![call(
        "bugs",
        "OVH: consumer key with CR LF",
        Kind::Config,
        || {
            OvhCredentials::new("app-key", OVH_SECRET)?
                .with_consumer_key(format!("{OVH_CONSUMER}\r\n"))
        },
    )])
    .await;
}

/// Armor checks every nonce its source makes; Qredo's nonce mode signs and sends whatever
/// its source returns: an empty or non-numeric `x-nonce` goes out, and one with CR/LF is
/// refused as InvalidRequest rather than as a signing failure.
#[tokio::test]
async fn bug_qredo_nonces_from_a_custom_source_are_not_checked() {
    run(vec![
        row(
            "bugs",
            "Qredo: empty nonce",
            Kind::Signing,
            Sent::Nothing,
            |o| async move { go(qredo_nonce("", &o)?.request(Method::GET, "/assets")).await },
        ),
        row(
            "bugs",
            "Qredo: nonce `abc`",
            Kind::Signing,
            Sent::Nothing,
            |o| async move { go(qredo_nonce("abc", &o)?.request(Method::GET, "/assets")).await },
        ),
        row(
            "bugs",
            "Qredo: nonce with CR LF",
            Kind::Signing,
            Sent::Nothing,
            |o| async move { go(qredo_nonce("1\r\n2", &o)?.request(Method::GET, "/assets")).await },
        ),
    ])
    .await;
}
