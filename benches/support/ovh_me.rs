//! OVH's `GET /me` against the mock, called by the typed client and by a plain reqwest
//! loop: the same server, the same credentials, the same decoded model.
//!
//! The plain side sends headers signed once, before its loop (OVH accepts a timestamp for
//! minutes), so what the typed client costs beyond it is what it adds per call: signing,
//! URL building, the retry and clock machinery, error mapping.

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use signed_api::scheme::{HeaderName, HeaderValue, Scheme, SignableRequest, SigningParams};
use signed_api::schemes::{OvhCredentials, OvhScheme};
use signed_api_clients::ovh::{Nichandle, OvhClient};
use signed_api_mock::{Api, MockConfig, MockCredentials, MockServer, OvhMockCredentials};

/// The OVH credentials the mock accepts and both sides sign with. Fixed rather than
/// generated, so that a peer client in another language (`benches/peers/python-ovh.py`
/// repeats them) can sign for the same server; they guard nothing, the mock listens on
/// 127.0.0.1 only.
pub const AK: &str = "bench-application-key";
pub const AS: &str = "bench-application-secret";
pub const CK: &str = "bench-consumer-key";

/// [`AK`], [`AS`] and [`CK`] as credentials.
pub fn credentials() -> OvhCredentials {
    OvhCredentials::new(AK, AS)
        .unwrap()
        .with_consumer_key(CK)
        .unwrap()
}

/// The mock on the current tokio runtime, accepting [`credentials`] for OVH, and the demo
/// folder to remove once it is shut down.
pub async fn start_mock() -> (MockServer, PathBuf) {
    let demo = signed_api_mock::demo_dir();
    let mut accepted = MockCredentials::demo(&demo).unwrap();
    accepted.ovh = OvhMockCredentials::new(AK, AS, CK).unwrap();
    let mock = MockServer::start(MockConfig::new(accepted)).await.unwrap();
    (mock, demo)
}

/// The OVH API's base URL on `mock`.
pub fn base_url(mock: &MockServer) -> String {
    mock.base_url(Api::Ovh)
}

/// Runs the mock until standard input reaches its end, after printing its OVH base URL
/// (one line): the server of the counting benches, in a process of its own so that none
/// of its work is counted.
pub fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mock, demo) = runtime.block_on(start_mock());
    println!("{}", base_url(&mock));
    // Dropping stdout's lock is not enough for a pipe: flush so the reader sees the line.
    std::io::Write::flush(&mut std::io::stdout()).unwrap();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    runtime.block_on(mock.shutdown());
    let _ = std::fs::remove_dir_all(demo);
}

/// The typed client of the OVH API at `base_url`.
pub fn typed_client(base_url: &str) -> OvhClient {
    OvhClient::builder()
        .credentials(credentials())
        .base_url(base_url)
        .build()
        .unwrap()
}

/// `GET /me` with plain reqwest and headers signed once, when it is made.
pub struct PlainMe {
    http: reqwest::Client,
    url: String,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl PlainMe {
    /// Signs `GET {base_url}/me` now, for every call to come.
    pub fn new(base_url: &str) -> Self {
        let url = format!("{base_url}/me");
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let headers = OvhScheme::new(credentials())
            .sign(
                &SignableRequest::new("GET", &url, b""),
                &SigningParams::at(now),
            )
            .unwrap();
        PlainMe {
            http: reqwest::Client::new(),
            url,
            headers,
        }
    }

    /// One call, with reqwest's whole-request `timeout` when given, decoded as the typed
    /// client decodes it.
    pub async fn me(&self, timeout: Option<Duration>) -> Nichandle {
        let mut request = self.http.get(&self.url).header("x-ovh-application", AK);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap().error_for_status().unwrap();
        let body = response.bytes().await.unwrap();
        serde_json::from_slice::<Nichandle>(&body).unwrap()
    }
}
