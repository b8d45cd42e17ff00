//! What reaches the server is exactly what was signed: for each scheme, a local server
//! records the request target and body as received, and the scheme's own verifier checks
//! the signature against those received bytes (not against what the client thinks it sent).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use serde_json::json;
use signed_api_mock::testing::capture::{CaptureServer, Captured, Reply, verified};
use signed_api_mock::testing::key_2048;
use signed_api_mock::testing::unix_now as now;
use signed_api_runtime::scheme::{
    HeaderName, Headers, Scheme, SignableRequest, SigningParams, StringToSign,
};
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorScheme, ArmorVerifier, NopsCredentials, NopsKeyPlacement, NopsScheme,
    NopsVerifier, OvhCredentials, OvhScheme, OvhVerifier, QredoCredentials, QredoScheme,
    QredoTimeMode, QredoVerifier,
};
use signed_api_runtime::verify::Verifier;
use signed_api_runtime::{ApiErrorKind, Client, Error, Method};

/// Reserved and non-ASCII characters in a query value and a path parameter.
const AWKWARD: &str = "a b&c=d/e?f#g%h+i é ✓";

/// Runs `verifier` over a received request, answering 200 or 401 with the reason.
fn verify(verifier: &dyn Verifier, request: &Captured, origin: &str, server_now: i64) -> Reply {
    let ok = Reply::json(200, r#"{"verified":true}"#);
    verified(verifier, request, origin, server_now, ok)
}

/// Sends a GET with awkward characters and a POST with a unicode JSON body through
/// `client`, and checks that the server verified both and received exactly what
/// `prepare` says would be signed.
async fn exercise(server: &CaptureServer, client: &Client, path: &str) {
    let get = || {
        client
            .request(Method::GET, format!("{path}/{{id}}"))
            .path_param("id", AWKWARD)
            .query("q", AWKWARD)
            .query("plain", "1")
    };
    let prepared = get().prepare().await.unwrap();
    let answer: serde_json::Value = get().json().await.unwrap();
    assert_eq!(answer, json!({ "verified": true }));

    let body = json!({ "name": "Dupré ✓ 日本", "n": 1 });
    let post = || client.request(Method::POST, path).json_body(&body);
    let prepared_post = post().prepare().await.unwrap();
    let answer: serde_json::Value = post().json().await.unwrap();
    assert_eq!(answer, json!({ "verified": true }));

    let requests: Vec<Captured> = server
        .requests()
        .into_iter()
        .filter(|r| !r.target.ends_with("/auth/time"))
        .collect();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let (got, posted) = (&requests[0], &requests[1]);

    assert_eq!(got.method, "GET");
    assert_eq!(format!("{}{}", server.origin(), got.target), prepared.url);
    assert!(
        got.target
            .contains("/a%20b%26c%3Dd%2Fe%3Ff%23g%25h%2Bi%20%C3%A9%20%E2%9C%93?"),
        "{}",
        got.target
    );
    assert!(
        got.target
            .contains("q=a%20b%26c%3Dd%2Fe%3Ff%23g%25h%2Bi%20%C3%A9%20%E2%9C%93&plain=1"),
        "{}",
        got.target
    );
    assert!(got.body.is_empty());

    assert_eq!(posted.method, "POST");
    assert_eq!(
        format!("{}{}", server.origin(), posted.target),
        prepared_post.url
    );
    assert_eq!(posted.body, prepared_post.body.to_vec());
    assert_eq!(posted.body, serde_json::to_vec(&body).unwrap());
    assert!(
        String::from_utf8(posted.body.clone())
            .unwrap()
            .contains("Dupré ✓ 日本")
    );
    assert_eq!(posted.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn ovh_signs_what_it_sends() {
    let credentials = OvhCredentials::new("app-key", "app-secret")
        .unwrap()
        .with_consumer_key("consumer")
        .unwrap();
    let verifier = OvhVerifier::new(credentials.clone(), 30);
    let server = CaptureServer::start(move |request, origin| {
        if request.target == "/ovh/1.0/auth/time" {
            assert_eq!(request.header("x-ovh-application"), Some("app-key"));
            return Reply::json(200, &now().to_string());
        }
        verify(&verifier, request, origin, now())
    })
    .await;
    let client = Client::builder(OvhScheme::new(credentials))
        .base_url(server.url("/ovh/1.0"))
        .build()
        .unwrap();
    exercise(&server, &client, "/domain").await;
    assert_eq!(
        server.requests()[0].target,
        "/ovh/1.0/auth/time",
        "the server time is fetched first"
    );
}

#[tokio::test]
async fn nops_signs_what_it_sends_with_the_key_in_the_query_or_a_header() {
    for placement in [NopsKeyPlacement::Query, NopsKeyPlacement::Header] {
        let key = key_2048();
        let verifier = NopsVerifier::new("42.nops-key", Some(key.public_key()), 300);
        let server =
            CaptureServer::start(move |request, origin| verify(&verifier, request, origin, now()))
                .await;
        let credentials = NopsCredentials::new("42.nops-key")
            .unwrap()
            .with_private_key(key);
        let scheme = NopsScheme::new(credentials).key_placement(placement);
        let client = Client::builder(scheme)
            .base_url(server.url("/nops"))
            .build()
            .unwrap();
        exercise(&server, &client, "/c/admin/projectaws").await;
        for request in server.requests() {
            match placement {
                NopsKeyPlacement::Query => assert!(
                    request.target.contains("?api_key=42.nops-key"),
                    "{}",
                    request.target
                ),
                _ => {
                    assert!(!request.target.contains("api_key"));
                    assert_eq!(request.header("x-nops-api-key"), Some("42.nops-key"));
                }
            }
        }
    }
}

#[tokio::test]
async fn qredo_signs_what_it_sends_in_timestamp_and_nonce_modes() {
    for mode in [QredoTimeMode::Timestamp, QredoTimeMode::Nonce] {
        let key = key_2048();
        let verifier = QredoVerifier::new("qredo-key", key.public_key(), 30).mode(mode);
        let server =
            CaptureServer::start(move |request, origin| verify(&verifier, request, origin, now()))
                .await;
        let scheme =
            QredoScheme::new(QredoCredentials::new("qredo-key", key).unwrap()).time_mode(mode);
        let client = Client::builder(scheme)
            .base_url(server.url("/qredo/api/v1/p"))
            .build()
            .unwrap();
        exercise(&server, &client, "/company").await;
        let requests = server.requests();
        let header = if mode == QredoTimeMode::Nonce {
            "x-nonce"
        } else {
            "x-timestamp"
        };
        assert!(
            requests.iter().all(|r| r.header(header).is_some()),
            "{header}"
        );
        if mode == QredoTimeMode::Nonce {
            let nonces: Vec<u64> = requests
                .iter()
                .map(|r| r.header("x-nonce").unwrap().parse().unwrap())
                .collect();
            assert!(
                nonces.windows(2).all(|pair| pair[0] < pair[1]),
                "{nonces:?}"
            );
        }
    }
}

#[tokio::test]
async fn armor_signs_what_it_sends() {
    let credentials = ArmorCredentials::new("key-id", "armor-secret")
        .unwrap()
        .with_account("1024")
        .unwrap();
    let verifier = ArmorVerifier::new(credentials.clone(), 300);
    let server =
        CaptureServer::start(move |request, origin| verify(&verifier, request, origin, now()))
            .await;
    let client = Client::builder(ArmorScheme::new(credentials))
        .base_url(server.url("/armor"))
        .build()
        .unwrap();
    exercise(&server, &client, "/vms").await;
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.header("x-account-context") == Some("1024"))
    );
    let nonces: Vec<&str> = requests
        .iter()
        .map(|r| {
            r.header("authorization")
                .unwrap()
                .split(':')
                .nth(2)
                .unwrap()
        })
        .collect();
    assert_ne!(nonces[0], nonces[1], "a nonce per request");
}

/// Bad input is refused with a clear error before any byte is sent.
#[tokio::test]
async fn invalid_requests_send_nothing() {
    let server = CaptureServer::ok().await;
    let credentials = ArmorCredentials::new("key-id", "armor-secret").unwrap();
    let client = Client::builder(ArmorScheme::new(credentials))
        .base_url(server.url("/armor"))
        .build()
        .unwrap();
    let attempts: Vec<(&str, signed_api_runtime::Request)> = vec![
        (
            "header",
            client
                .request(Method::GET, "/me")
                .header("X-Note", "a\r\nInjected: yes"),
        ),
        (
            "header name",
            client.request(Method::GET, "/me").header("Bad Name", "v"),
        ),
        (
            "path",
            client
                .request(Method::GET, "/vms/{id}")
                .path_param("id", ".."),
        ),
        ("path", client.request(Method::GET, "/vms/{id}")),
        (
            "path",
            client
                .request(Method::GET, "/vms/{id}")
                .path_param("vm", "1"),
        ),
        ("path", client.request(Method::GET, "/vms?x=1")),
        (
            "method",
            client
                .request(Method::from_bytes(b"get").unwrap(), "/me")
                .path_param("x", "1"),
        ),
        (
            "body",
            client
                .request(Method::POST, "/me")
                .json_body(&1)
                .json_body(&2),
        ),
    ];
    for (what, request) in attempts {
        let err = request.send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{what}: {err:?}");
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());
}

/// The API's error shape is decoded, request id included.
#[tokio::test]
async fn vendor_errors_are_decoded() {
    let server = CaptureServer::start(|request, _| {
        if request.target.ends_with("/auth/time") {
            return Reply::json(200, &now().to_string());
        }
        Reply::json(
            403,
            r#"{"errorCode":"NOT_GRANTED_CALL","message":"This call has not been granted"}"#,
        )
        .with_header("X-Ovh-QueryID", "EU.ext-3.42")
    })
    .await;
    let credentials = OvhCredentials::new("ak", "as")
        .unwrap()
        .with_consumer_key("ck")
        .unwrap();
    let client = Client::builder(OvhScheme::new(credentials))
        .base_url(server.url("/1.0"))
        .build()
        .unwrap();
    let err = client
        .request(Method::DELETE, "/domain/zone/x")
        .empty()
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 403);
    assert_eq!(api.kind, ApiErrorKind::Forbidden);
    assert_eq!(api.code.as_deref(), Some("NOT_GRANTED_CALL"));
    assert_eq!(api.request_id.as_deref(), Some("EU.ext-3.42"));
    assert!(
        err.to_string().contains("This call has not been granted"),
        "{err}"
    );
}

/// nOps answers a bad key with a 200 HTML page: that is an authentication error.
#[tokio::test]
async fn nops_html_success_is_an_authentication_error() {
    let server = CaptureServer::start(|_, _| {
        Reply::new(
            200,
            "text/html; charset=utf-8",
            "<html><body>Login</body></html>",
        )
    })
    .await;
    let client = Client::builder(NopsScheme::new(NopsCredentials::new("1.bad").unwrap()))
        .base_url(server.url(""))
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/c/admin/projectaws/")
        .json::<serde_json::Value>()
        .await
        .unwrap_err();
    assert_eq!(
        err.api().unwrap().kind,
        ApiErrorKind::Authentication,
        "{err}"
    );
}

/// Armor has no time endpoint: a refused timestamp teaches the client the server's clock
/// through the `Date` header, and the request is signed again once.
#[tokio::test]
async fn armor_corrects_its_clock_from_the_date_header_and_retries_once() {
    const SKEW: i64 = 3_600;
    let credentials = ArmorCredentials::new("key-id", "armor-secret").unwrap();
    let verifier = ArmorVerifier::new(credentials.clone(), 300);
    let server = CaptureServer::start(move |request, origin| {
        let server_now = now() + SKEW;
        let date = httpdate(server_now);
        verify(&verifier, request, origin, server_now).with_header("date", &date)
    })
    .await;
    let client = Client::builder(ArmorScheme::new(credentials))
        .base_url(server.url(""))
        .build()
        .unwrap();
    let answer: serde_json::Value = client.request(Method::GET, "/me").json().await.unwrap();
    assert_eq!(answer, json!({ "verified": true }));
    assert_eq!(server.requests().len(), 2, "refused once, then accepted");
    assert!(
        (client.clock().offset() - SKEW).abs() <= 2,
        "offset {}",
        client.clock().offset()
    );
}

/// OVH: the offset comes from `/auth/time` before the first signed call.
#[tokio::test]
async fn ovh_signs_with_the_server_time() {
    const SKEW: i64 = -7_200;
    let credentials = OvhCredentials::new("ak", "as")
        .unwrap()
        .with_consumer_key("ck")
        .unwrap();
    let verifier = OvhVerifier::new(credentials.clone(), 5);
    let server = CaptureServer::start(move |request, origin| {
        if request.target == "/1.0/auth/time" {
            return Reply::json(200, &(now() + SKEW).to_string());
        }
        verify(&verifier, request, origin, now() + SKEW)
    })
    .await;
    let client = Client::builder(OvhScheme::new(credentials))
        .base_url(server.url("/1.0"))
        .build()
        .unwrap();
    client.request(Method::GET, "/me").empty().await.unwrap();
    client.request(Method::GET, "/me").empty().await.unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/1.0/auth/time", "/1.0/me", "/1.0/me"]);
}

/// RSA signatures run off the async workers; they still complete on a current-thread
/// runtime, and calls spawned concurrently share one scheme (their futures are `Send`).
#[test]
fn rsa_signing_works_on_a_current_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let key = key_2048();
        let verifier = QredoVerifier::new("k", key.public_key(), 30);
        let server =
            CaptureServer::start(move |request, origin| verify(&verifier, request, origin, now()))
                .await;
        let scheme: Arc<dyn Scheme> =
            Arc::new(QredoScheme::new(QredoCredentials::new("k", key).unwrap()));
        let client = Client::builder(scheme)
            .base_url(server.url(""))
            .build()
            .unwrap();
        let calls: Vec<_> = (0..4)
            .map(|_| {
                tokio::spawn(
                    client
                        .request(Method::GET, "/assets")
                        .json::<serde_json::Value>(),
                )
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), json!({ "verified": true }));
        }
    });
}

/// An RFC 7231 date for `unix` seconds, as a server's `Date` header.
fn httpdate(unix: i64) -> String {
    let time = UNIX_EPOCH + std::time::Duration::from_secs(unix as u64);
    httpdate::fmt_http_date(time)
}

/// A redirect is answered to the caller, not followed: following it would hand the API
/// key and the signature to whatever host the `Location` names.
#[tokio::test]
async fn redirects_are_not_followed_with_the_credentials() {
    let elsewhere = CaptureServer::ok().await;
    let target = elsewhere.url("/collect");
    let server = CaptureServer::start(move |_, _| {
        Reply::new(302, "text/plain", "").with_header("Location", &target)
    })
    .await;
    let credentials = QredoCredentials::new("qredo-api-key", key_2048()).unwrap();
    let client = Client::builder(QredoScheme::new(credentials))
        .base_url(server.url("/qredo/api/v1/p"))
        .build()
        .unwrap();

    let err = client
        .request(Method::GET, "/assets")
        .send()
        .await
        .unwrap_err();

    match err {
        Error::Api(api) => assert_eq!(api.status.as_u16(), 302, "{api:?}"),
        other => panic!("expected the 302 as an API error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
    assert!(
        elsewhere.requests().is_empty(),
        "the signed request went to the redirect target: {:#?}",
        elsewhere.requests()
    );
}

/// A scheme of one's own whose constant header says how many times it has been asked for.
#[derive(Debug, Default)]
struct CountedConstants {
    asked: AtomicUsize,
}

impl Scheme for CountedConstants {
    fn name(&self) -> &str {
        "counted"
    }

    fn string_to_sign(
        &self,
        _request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> signed_api_runtime::Result<StringToSign> {
        Ok(StringToSign::new().public(params.timestamp.to_string()))
    }

    fn sign(
        &self,
        _request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> signed_api_runtime::Result<Headers> {
        Ok(vec![(
            HeaderName::from_static("x-signed-at"),
            params.timestamp.into(),
        )])
    }

    fn constant_headers(&self) -> Headers {
        let asked = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
        vec![(HeaderName::from_static("x-constant"), asked.into())]
    }
}

/// The client asks for a scheme's constant headers once, when it is built (as the trait
/// documents), and sends those values with every request, signed or not.
#[tokio::test]
async fn constant_headers_are_asked_once_and_sent_with_every_request() {
    let server = CaptureServer::start(|_, _| Reply::json(200, "{}")).await;
    let scheme = Arc::new(CountedConstants::default());
    let client = Client::builder(Arc::clone(&scheme))
        .base_url(server.url(""))
        .build()
        .unwrap();
    for path in ["/a", "/b"] {
        client.request(Method::GET, path).empty().await.unwrap();
    }
    client
        .request(Method::GET, "/c")
        .unsigned()
        .empty()
        .await
        .unwrap();
    let sent: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-constant").map(str::to_owned))
        .collect();
    assert_eq!(sent, vec![Some("1".to_owned()); 3]);
    assert_eq!(scheme.asked.load(Ordering::SeqCst), 1);
}
