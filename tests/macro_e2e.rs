//! `#[signed_api]` end to end: one trait per built-in scheme, its generated client called
//! against a local server that verifies every signature with the runtime's own verifier
//! over the bytes it received. Between them the traits use every parameter role, every
//! method option and every return shape, and the tests check what reached the server.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use signed_api::clock::Clock;
use signed_api::schemes::{
    ArmorCredentials, ArmorVerifier, NopsCredentials, NopsVerifier, OvhCredentials, OvhVerifier,
    QredoCredentials, QredoScheme, QredoTimeMode, QredoVerifier,
};
use signed_api::verify::Verifier;
use signed_api::{Bytes, Error, Response, Result, RetryPolicy, StatusCode, signed_api};
use signed_api_mock::testing::capture::{CaptureServer, Captured, Reply};
use signed_api_mock::testing::key_2048;
use signed_api_mock::testing::unix_now as now;

/// Verifies `request` with `verifier`; a refused signature answers 401 (and fails the call
/// under test), an accepted one gets `reply`.
fn verified(verifier: &dyn Verifier, request: &Captured, origin: &str, reply: Reply) -> Reply {
    signed_api_mock::testing::capture::verified(verifier, request, origin, now(), reply)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRecord {
    pub field_type: String,
    pub sub_domain: String,
    pub target: String,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Record {
    pub id: u64,
    pub target: String,
}

/// The DNS records of an OVH zone.
#[signed_api(scheme = "ovh")]
pub trait OvhDns {
    /// The server's clock, in Unix seconds.
    #[get("/auth/time", unsigned)]
    async fn server_time(&self) -> Result<i64>;

    #[get("/domain/zone/{zone}/record")]
    async fn records(
        &self,
        zone: &str,
        #[query(rename = "fieldType")] field_type: Option<&str>,
        #[query(rename = "subDomain")] sub_domain: Option<String>,
        #[query] id: Vec<u64>,
    ) -> Result<Vec<u64>>;

    #[post("/domain/zone/{zone}/record", idempotent)]
    async fn create_record(
        &self,
        zone: &str,
        #[body] record: &NewRecord,
    ) -> Result<Response<Record>>;

    #[delete("/domain/zone/{zone}/record/{id}", timeout = "2s")]
    async fn delete_record(&self, zone: &str, id: u64) -> Result<()>;
}

fn ovh_credentials() -> OvhCredentials {
    OvhCredentials::new("app-key", "app-secret")
        .unwrap()
        .with_consumer_key("consumer")
        .unwrap()
}

/// An OVH server: `/auth/time` unsigned, everything else verified; a 503 for the first
/// POST, to show that `idempotent` lets it be retried.
async fn ovh_server() -> CaptureServer {
    let verifier = OvhVerifier::new(ovh_credentials(), 30);
    let posts = AtomicUsize::new(0);
    CaptureServer::start(move |request, origin| {
        let path = request.target.split('?').next().unwrap_or_default();
        match (request.method.as_str(), path) {
            ("GET", "/1.0/auth/time") => Reply::json(200, &now().to_string()),
            ("GET", "/1.0/domain/zone/example.com/record") => {
                verified(&verifier, request, origin, Reply::json(200, "[1,2,3]"))
            }
            ("POST", _) if posts.fetch_add(1, Ordering::SeqCst) == 0 => {
                Reply::json(503, r#"{"message":"busy"}"#)
            }
            ("POST", "/1.0/domain/zone/example.com/record") => {
                let reply = Reply::json(201, r#"{"id":42,"target":"192.0.2.1"}"#)
                    .with_header("X-Ovh-QueryID", "EU.ext-1.2");
                verified(&verifier, request, origin, reply)
            }
            ("DELETE", "/1.0/domain/zone/example.com/record/42") => verified(
                &verifier,
                request,
                origin,
                Reply::new(200, "text/plain", ""),
            ),
            _ => Reply::json(404, r#"{"message":"no such route"}"#),
        }
    })
    .await
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

#[tokio::test]
async fn ovh_client_signs_every_role_and_reads_every_shape() {
    let server = ovh_server().await;
    let ovh = OvhDnsClient::builder()
        .credentials(ovh_credentials())
        .base_url(server.url("/1.0"))
        .retry(fast_retries())
        .user_agent("dns-tool/1.0")
        .build()
        .unwrap();

    let time = ovh.server_time().await.unwrap();
    assert!((time - now()).abs() <= 2, "{time}");

    let ids = ovh
        .records("example.com", Some("A"), None, vec![7, 8])
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3]);

    let record = NewRecord {
        field_type: "A".into(),
        sub_domain: "www".into(),
        target: "192.0.2.1".into(),
    };
    let created = ovh.create_record("example.com", &record).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        created.headers().get("x-ovh-queryid").unwrap(),
        "EU.ext-1.2"
    );
    assert_eq!(
        created.body(),
        &Record {
            id: 42,
            target: "192.0.2.1".into()
        }
    );

    ovh.delete_record("example.com", 42).await.unwrap();

    let requests = server.requests();
    let targets: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            // The unsigned call, then the client's own clock synchronisation.
            ("GET", "/1.0/auth/time"),
            ("GET", "/1.0/auth/time"),
            // `subDomain` is None: left out; `id` is repeated; renames applied.
            (
                "GET",
                "/1.0/domain/zone/example.com/record?fieldType=A&id=7&id=8"
            ),
            ("POST", "/1.0/domain/zone/example.com/record"),
            ("POST", "/1.0/domain/zone/example.com/record"),
            ("DELETE", "/1.0/domain/zone/example.com/record/42"),
        ],
        "the POST, marked idempotent, is retried once after a 503"
    );
    assert!(
        requests[0].header("x-ovh-signature").is_none(),
        "an unsigned call carries no signature"
    );
    assert!(
        requests[2..]
            .iter()
            .all(|r| r.header("x-ovh-signature").is_some())
    );
    assert!(
        requests
            .iter()
            .all(|r| r.header("user-agent") == Some("dns-tool/1.0"))
    );
    assert_eq!(
        requests[4].body,
        br#"{"fieldType":"A","subDomain":"www","target":"192.0.2.1"}"#
    );
    assert_eq!(requests[4].header("content-type"), Some("application/json"));
}

/// nOps signs the path with its API key; the key goes in the query.
#[signed_api(scheme = "nops")]
pub trait Nops {
    #[get("/c/admin/projectaws/")]
    async fn projects(
        &self,
        #[header("X-Trace-Id")] trace: Option<&str>,
        #[header("X-Client")] client_name: &str,
    ) -> Result<String>;

    #[get("/c/{account}/report/")]
    async fn report(
        &self,
        account: u32,
        #[query] ids: &[u32],
        #[query] tags: Option<Vec<&str>>,
    ) -> Result<Bytes>;
}

#[tokio::test]
async fn nops_client_sends_headers_and_reads_text_and_bytes() {
    let key = key_2048();
    let verifier = NopsVerifier::new("42.nops-key", Some(key.public_key()), 300);
    let server = CaptureServer::start(move |request, origin| {
        let reply = if request.target.starts_with("/nops/c/admin/") {
            Reply::new(200, "text/plain", "projects: ✓")
        } else {
            Reply::new(200, "application/octet-stream", "\u{1}\u{2}report")
        };
        verified(&verifier, request, origin, reply)
    })
    .await;
    let credentials = NopsCredentials::new("42.nops-key")
        .unwrap()
        .with_private_key(key);
    let nops = NopsClient::builder()
        .credentials(credentials)
        .base_url(server.url("/nops"))
        .build()
        .unwrap();

    assert_eq!(
        nops.projects(Some("trace-1"), "e2e").await.unwrap(),
        "projects: ✓"
    );
    assert_eq!(nops.projects(None, "e2e").await.unwrap(), "projects: ✓");
    let report = nops.report(7, &[1, 2], None).await.unwrap();
    assert_eq!(report, Bytes::from_static(b"\x01\x02report"));
    nops.report(8, &[], Some(vec!["a b", "c&d"])).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].header("x-trace-id"), Some("trace-1"));
    assert_eq!(requests[0].header("x-client"), Some("e2e"));
    assert_eq!(requests[1].header("x-trace-id"), None, "None: left out");
    assert_eq!(
        requests[2].target,
        "/nops/c/7/report/?api_key=42.nops-key&ids=1&ids=2"
    );
    // `Option<Vec<_>>`: left out when `None`, one pair per element when `Some`.
    assert_eq!(
        requests[3].target,
        "/nops/c/8/report/?api_key=42.nops-key&tags=a%20b&tags=c%26d"
    );
}

#[derive(Serialize)]
pub struct CompanyForm {
    pub name: String,
    pub city: Option<String>,
}

/// Qredo signs timestamp, URL and body with RSA.
#[signed_api(scheme = "qredo")]
pub trait Qredo {
    #[put("/company/{company}")]
    async fn rename(&self, company: &str, #[form] form: &CompanyForm) -> Result<Response<String>>;

    #[patch("/company/{company}/trust")]
    async fn trust(&self, company: &str, #[body] body: Value) -> Result<Response<()>>;

    #[get("/company/{company}/logo")]
    async fn logo(&self, company: &str) -> Result<Response<Bytes>>;
}

#[tokio::test]
async fn qredo_client_sends_form_and_json_bodies_and_reads_responses() {
    let key = key_2048();
    let verifier = QredoVerifier::new("qredo-key", key.public_key(), 30).mode(QredoTimeMode::Nonce);
    let server = CaptureServer::start(move |request, origin| {
        let reply = match request.method.as_str() {
            "PUT" => Reply::new(200, "text/plain", "renamed"),
            "PATCH" => Reply::json(202, r#"{"ignored":true}"#).with_header("x-request-id", "r-1"),
            _ => Reply::new(200, "image/png", "PNG"),
        };
        verified(&verifier, request, origin, reply)
    })
    .await;
    let scheme = QredoScheme::new(QredoCredentials::new("qredo-key", key).unwrap())
        .time_mode(QredoTimeMode::Nonce);
    let qredo = QredoClient::builder()
        .scheme(scheme)
        .base_url(server.url("/qredo/api/v1/p"))
        .build()
        .unwrap();

    let form = CompanyForm {
        name: "Dupré & fils".into(),
        city: None,
    };
    let renamed = qredo.rename("c/1", &form).await.unwrap();
    assert_eq!(renamed.body(), "renamed");
    let trusted = qredo
        .trust("c1", json!({ "address": "0xabc", "ok": true }))
        .await
        .unwrap();
    assert_eq!(trusted.status(), StatusCode::ACCEPTED);
    assert_eq!(trusted.headers().get("x-request-id").unwrap(), "r-1");
    let logo = qredo.logo("c1").await.unwrap();
    assert_eq!(logo.body().as_ref(), b"PNG");

    let requests = server.requests();
    assert_eq!(requests[0].method, "PUT");
    // A path parameter is one segment: its `/` is encoded.
    assert_eq!(requests[0].target, "/qredo/api/v1/p/company/c%2F1");
    assert_eq!(requests[0].body, b"name=Dupr%C3%A9+%26+fils");
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[1].method, "PATCH");
    assert_eq!(requests[1].body, br#"{"address":"0xabc","ok":true}"#);
    assert!(requests.iter().all(|r| r.header("x-nonce").is_some()));
}

/// What the caller of [`Armor`] gets wrong, converted from the runtime's error.
#[derive(Debug)]
pub struct ArmorFailure(pub Error);

impl From<Error> for ArmorFailure {
    fn from(error: Error) -> Self {
        ArmorFailure(error)
    }
}

/// Armor's API: HMAC-SHA512 over method, path, nonce and time.
#[signed_api(scheme = "armor")]
pub trait Armor {
    #[get("/vms/{id}")]
    async fn vm(&self, id: &str, #[header("X-Request-Id")] request_id: String) -> Result<Value>;

    #[post("/vms")]
    async fn create_vm(&self, #[body] spec: &Value) -> std::result::Result<Value, ArmorFailure>;

    #[get("/slow", timeout = "300ms")]
    async fn slow(&self) -> Result<()>;

    #[get("/missing")]
    async fn missing(&self) -> std::result::Result<(), ArmorFailure>;
}

fn armor_credentials() -> ArmorCredentials {
    ArmorCredentials::new("key-id", "armor-secret")
        .unwrap()
        .with_account("1024")
        .unwrap()
}

async fn armor_server() -> CaptureServer {
    let verifier = ArmorVerifier::new(armor_credentials(), 300);
    CaptureServer::start(move |request, origin| match request.target.as_str() {
        "/armor/slow" => Reply::json(200, "{}").after(Duration::from_secs(3)),
        "/armor/missing" => Reply::json(404, r#"{"message":"no such thing"}"#),
        _ => {
            let echo = json!({
                "method": request.method,
                "target": request.target,
                "body": String::from_utf8_lossy(&request.body),
            });
            verified(
                &verifier,
                request,
                origin,
                Reply::json(200, &echo.to_string()),
            )
        }
    })
    .await
}

fn armor_client(server: &CaptureServer) -> ArmorClient {
    ArmorClient::builder()
        .credentials(armor_credentials())
        .base_url(server.url("/armor"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn armor_client_decodes_json_and_converts_errors() {
    let server = armor_server().await;
    let armor = armor_client(&server);

    let vm = armor.vm("a b", "req-1".into()).await.unwrap();
    assert_eq!(vm["target"], "/armor/vms/a%20b");
    let created = armor.create_vm(&json!({ "name": "web-1" })).await.unwrap();
    assert_eq!(created["method"], "POST");
    assert_eq!(created["body"], r#"{"name":"web-1"}"#);

    let ArmorFailure(error) = armor.missing().await.unwrap_err();
    assert_eq!(error.api().expect("an API error").status, 404, "{error}");

    let requests = server.requests();
    assert_eq!(requests[0].header("x-request-id"), Some("req-1"));
    assert!(
        requests
            .iter()
            .all(|r| r.header("x-account-context") == Some("1024"))
    );
}

#[tokio::test]
async fn an_endpoint_timeout_bounds_the_call() {
    let server = armor_server().await;
    let armor = armor_client(&server);
    let started = Instant::now();
    let error = armor.slow().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

/// Generated futures are `Send`: calls run on other worker threads, from clones of one
/// client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_futures_are_send_and_clients_clone() {
    let server = armor_server().await;
    let armor = armor_client(&server);
    let calls: Vec<_> = (0..4)
        .map(|i| {
            let armor = armor.clone();
            tokio::spawn(async move { armor.vm(&i.to_string(), format!("req-{i}")).await })
        })
        .collect();
    for (i, call) in calls.into_iter().enumerate() {
        let vm = call.await.unwrap().unwrap();
        assert_eq!(vm["target"], format!("/armor/vms/{i}"));
    }
    assert_eq!(server.requests().len(), 4);
}

/// The builder's options reach the wire: the caller's `reqwest::Client` is the one used
/// (its default header shows up), and signatures are timed by the given clock.
#[tokio::test]
async fn the_builder_reuses_an_http_client_and_signs_with_its_clock() {
    let server = armor_server().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-shared-pool",
        reqwest::header::HeaderValue::from_static("yes"),
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    // Two minutes behind: inside Armor's window, and unlike the real time.
    let signed_at = now() - 120;
    let armor = ArmorClient::builder()
        .credentials(armor_credentials())
        .base_url(server.url("/armor"))
        .http_client(http)
        .clock(Clock::fixed(signed_at))
        .user_agent("vm-tool/2")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let vm = armor.vm("9", "req-9".into()).await.unwrap();
    assert_eq!(vm["target"], "/armor/vms/9", "verified by the server");
    let requests = server.requests();
    assert_eq!(requests[0].header("x-shared-pool"), Some("yes"));
    assert_eq!(requests[0].header("user-agent"), Some("vm-tool/2"));
    let authorization = requests[0].header("authorization").unwrap();
    assert!(
        authorization.ends_with(&format!(":{signed_at}")),
        "signed at the clock's time: {authorization}"
    );
}

/// The trait stays as written: a test double implements it, and code written against the
/// trait runs with either.
#[tokio::test]
async fn the_trait_can_be_implemented_by_a_fake() {
    struct FakeDns {
        deleted: Mutex<Vec<u64>>,
    }
    impl OvhDns for FakeDns {
        async fn server_time(&self) -> Result<i64> {
            Ok(0)
        }
        async fn records(
            &self,
            _zone: &str,
            _field_type: Option<&str>,
            _sub_domain: Option<String>,
            id: Vec<u64>,
        ) -> Result<Vec<u64>> {
            Ok(id)
        }
        async fn create_record(&self, _: &str, _: &NewRecord) -> Result<Response<Record>> {
            Err(Error::Config("read-only fake".into()))
        }
        async fn delete_record(&self, _zone: &str, id: u64) -> Result<()> {
            self.deleted.lock().unwrap().push(id);
            Ok(())
        }
    }
    async fn purge(dns: &impl OvhDns) -> Result<usize> {
        let ids = dns.records("example.com", None, None, vec![1, 2]).await?;
        for id in &ids {
            dns.delete_record("example.com", *id).await?;
        }
        Ok(ids.len())
    }
    let fake = FakeDns {
        deleted: Mutex::new(Vec::new()),
    };
    assert_eq!(purge(&fake).await.unwrap(), 2);
    assert_eq!(*fake.deleted.lock().unwrap(), [1, 2]);
}

#[test]
fn the_builder_resolves_endpoints_and_reports_what_is_missing() {
    let err = OvhDnsClient::builder().build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains(".credentials("), "{err}");

    let ca = OvhDnsClient::builder()
        .credentials(ovh_credentials())
        .endpoint("ovh-ca")
        .build()
        .unwrap();
    assert_eq!(
        ca.client().base_url().as_str(),
        "https://ca.api.ovh.com/1.0"
    );

    // The last of base_url and endpoint wins.
    let local = OvhDnsClient::builder()
        .credentials(ovh_credentials())
        .endpoint("ovh-ca")
        .base_url("http://127.0.0.1:9/1.0")
        .build()
        .unwrap();
    assert_eq!(local.client().base_url().as_str(), "http://127.0.0.1:9/1.0");

    let default = ArmorClient::builder()
        .credentials(armor_credentials())
        .timeout(Duration::from_secs(7))
        .build()
        .unwrap();
    assert_eq!(
        default.client().base_url().as_str(),
        "https://api.armor.com"
    );
    assert_eq!(default.client().timeout(), Duration::from_secs(7));

    let err = QredoClient::builder()
        .credentials(QredoCredentials::new("k", key_2048()).unwrap())
        .endpoint("moon")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("moon"), "{err}");
}

/// Input errors come back from the call, and nothing is sent.
#[tokio::test]
async fn bad_input_fails_the_call_before_anything_is_sent() {
    let server = armor_server().await;
    let armor = armor_client(&server);
    let error = armor.vm("..", "req".into()).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let error = armor
        .vm("1", "a\r\nInjected: yes".into())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(server.requests().is_empty());
}
