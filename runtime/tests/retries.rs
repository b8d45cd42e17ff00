//! Faults are survived by retrying, only where sending twice cannot do harm, and every
//! attempt carries a fresh signature.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use signed_api_mock::testing::capture::{CaptureServer, Reply};
use signed_api_runtime::schemes::{ArmorCredentials, ArmorScheme};
use signed_api_runtime::{ApiErrorKind, Client, Error, Method, RetryPolicy};

/// Answers the scripted replies in turn, then 200 `{}`.
async fn scripted(replies: Vec<Reply>) -> CaptureServer {
    let served = Arc::new(AtomicUsize::new(0));
    CaptureServer::start(move |_, _| {
        let index = served.fetch_add(1, Ordering::SeqCst);
        replies
            .get(index)
            .cloned()
            .unwrap_or_else(|| Reply::json(200, "{}"))
    })
    .await
}

fn client(server: &CaptureServer, retry: RetryPolicy) -> Client {
    let credentials = ArmorCredentials::new("key-id", "secret").unwrap();
    Client::builder(ArmorScheme::new(credentials))
        .base_url(server.url(""))
        .timeout(Duration::from_millis(300))
        .retry(retry.backoff(Duration::from_millis(1), Duration::from_millis(20)))
        .build()
        .unwrap()
}

fn unavailable() -> Reply {
    Reply::json(503, r#"{"Message":"busy"}"#)
}

#[tokio::test]
async fn idempotent_requests_are_retried_and_signed_afresh() {
    let server = scripted(vec![unavailable(), Reply::json(502, "{}")]).await;
    client(&server, RetryPolicy::default())
        .request(Method::GET, "/vms")
        .empty()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let signatures: Vec<&str> = requests
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert!(
        signatures[0] != signatures[1] && signatures[1] != signatures[2],
        "{signatures:#?}"
    );
}

/// An attempt hands its headers over to be sent, and the next one builds them again:
/// every attempt sends the same headers as the first, in the same order, the signature's
/// aside, and the body with them.
#[tokio::test]
async fn every_attempt_sends_the_headers_of_the_first() {
    let server = scripted(vec![unavailable(), Reply::json(502, "{}")]).await;
    client(&server, RetryPolicy::default())
        .request(Method::PUT, "/vms/101")
        .header("x-request-tag", "first")
        .header("x-request-tag", "second")
        .header("user-agent", "caller-agent/1.0")
        .json_body(&serde_json::json!({"name": "web"}))
        .empty()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let unsigned = |captured: &signed_api_mock::testing::capture::Captured| {
        let headers: Vec<(String, String)> = captured
            .headers
            .iter()
            .filter(|(name, _)| *name != "authorization")
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
            .collect();
        (headers, captured.body.clone())
    };
    let (first, body) = unsigned(&requests[0]);
    for name in ["x-request-tag", "user-agent", "content-type", "accept"] {
        assert!(first.iter().any(|(n, _)| n == name), "{name} in {first:?}");
    }
    let tags: Vec<&str> = first
        .iter()
        .filter(|(n, _)| n == "x-request-tag")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(tags, ["first", "second"]);
    assert_eq!(body, br#"{"name":"web"}"#);
    for later in &requests[1..] {
        assert_eq!(unsigned(later), (first.clone(), body.clone()));
        assert!(later.header("authorization").is_some());
    }
}

#[tokio::test]
async fn a_post_is_not_sent_twice() {
    let server = scripted(vec![unavailable()]).await;
    let err = client(&server, RetryPolicy::default())
        .request(Method::POST, "/vms")
        .json_body(&serde_json::json!({"name": "web"}))
        .empty()
        .await
        .unwrap_err();
    assert_eq!(err.api().unwrap().kind, ApiErrorKind::Unavailable, "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_post_declared_idempotent_is_retried() {
    let server = scripted(vec![unavailable()]).await;
    client(&server, RetryPolicy::default())
        .request(Method::POST, "/tickets/search")
        .idempotent()
        .empty()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn rate_limited_requests_wait_for_retry_after_whatever_the_method() {
    let server = scripted(vec![Reply::json(429, "{}").with_header("retry-after", "0")]).await;
    client(&server, RetryPolicy::default())
        .request(Method::POST, "/vms")
        .empty()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = scripted(vec![unavailable(); 10]).await;
    let err = client(&server, RetryPolicy::default().max_attempts(4))
        .request(Method::GET, "/vms")
        .empty()
        .await;
    assert!(err.is_err());
    assert_eq!(server.requests().len(), 4);

    let server = scripted(vec![unavailable(); 10]).await;
    let err = client(&server, RetryPolicy::none())
        .request(Method::GET, "/vms")
        .empty()
        .await;
    assert!(err.is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_for_a_get_but_not_for_a_post() {
    let slow = || Reply::json(200, "{}").after(Duration::from_secs(2));
    let server = scripted(vec![slow()]).await;
    client(&server, RetryPolicy::default())
        .request(Method::GET, "/me")
        .empty()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);

    let server = scripted(vec![slow()]).await;
    let err = client(&server, RetryPolicy::default())
        .request(Method::POST, "/vms")
        .empty()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout(limit) if limit == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_overall_deadline_bounds_the_whole_call() {
    let slow = || Reply::json(200, "{}").after(Duration::from_secs(2));
    let server = scripted(vec![slow(), slow(), slow()]).await;
    let started = std::time::Instant::now();
    let err = client(
        &server,
        RetryPolicy::default()
            .max_attempts(10)
            .deadline(Duration::from_millis(500)),
    )
    .request(Method::GET, "/me")
    .empty()
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(server.requests().len() <= 2);
}
