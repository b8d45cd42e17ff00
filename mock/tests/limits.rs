//! What a client can make the mock hold, and for how long: connections, request heads
//! and bodies, and the state the APIs keep. Each limit is set small here so that the
//! tests reach it quickly; the defaults are in `Limits::default()`.

mod common;

use std::time::{Duration, Instant};

use common::*;
use signed_api_mock::{Api, Faults, Limits, MockConfig, MockServer};
use signed_api_runtime::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start_with(limits: Limits) -> MockServer {
    MockServer::start(MockConfig::new(credentials()).limits(limits))
        .await
        .unwrap()
}

/// Waits until the server closes `stream` (or resets it); how long that took, `None`
/// when it stayed open for `patience`.
async fn closed_within(stream: &mut TcpStream, patience: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut sink = Vec::new();
    tokio::time::timeout(patience, stream.read_to_end(&mut sink))
        .await
        .ok()
        .map(|_| started.elapsed())
}

#[tokio::test]
async fn idle_and_slow_request_heads_lose_their_connection() {
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let mock = start_with(limits).await;

    // A connection that never sends a request.
    let mut idle = TcpStream::connect(mock.addr()).await.unwrap();
    let took = closed_within(&mut idle, Duration::from_secs(10)).await;
    assert!(took.is_some(), "an idle connection stayed open");

    // A head sent a byte at a time, never finished: the timeout runs from its first
    // byte, each new byte does not restart it.
    let mut slow = TcpStream::connect(mock.addr()).await.unwrap();
    let head = format!(
        "GET /ovh/1.0/auth/time HTTP/1.1\r\nhost: {}\r\nx-pad: ",
        mock.addr()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let trickle = async {
        while slow.write_all(b"a").await.is_ok() && started.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), trickle)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a trickled head kept its connection for {:?}",
        started.elapsed()
    );

    // A kept-alive connection is served as long as requests come.
    let mut kept = TcpStream::connect(mock.addr()).await.unwrap();
    for _ in 0..3 {
        let request = format!(
            "GET /ovh/1.0/auth/time HTTP/1.1\r\nhost: {}\r\n\r\n",
            mock.addr()
        );
        kept.write_all(request.as_bytes()).await.unwrap();
        let mut buffer = [0; 1024];
        let read = kept.read(&mut buffer).await.unwrap();
        assert!(buffer[..read].starts_with(b"HTTP/1.1 200"));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Past `max_connections`, a new client waits until a connection closes; it is then
/// served.
#[tokio::test]
async fn connections_past_the_limit_wait_for_a_slot() {
    let limits = Limits {
        max_connections: 2,
        ..Limits::default()
    };
    let mock = start_with(limits).await;
    let first = TcpStream::connect(mock.addr()).await.unwrap();
    let _second = TcpStream::connect(mock.addr()).await.unwrap();
    let request = format!(
        "GET /ovh/1.0/auth/time HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
        mock.addr()
    );
    let addr = mock.addr();
    let third = tokio::spawn(async move { send_raw(addr, request.as_bytes()).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!third.is_finished(), "a third connection was served");
    assert_eq!(mock.connections(), 2);
    drop(first);
    let answer = tokio::time::timeout(Duration::from_secs(10), third)
        .await
        .expect("the third connection was never served")
        .unwrap();
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(mock.connections(), 3);
}

/// The default limits leave room for the load the test suites put on the mock: 256
/// signed calls in flight at once, each held 200 ms by injected latency so that they
/// overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_and_fifty_six_calls_in_flight_pass() {
    let mock = start().await;
    mock.set_faults(
        Api::Armor,
        Faults::none().latency(Duration::from_millis(200)),
    );
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let calls: Vec<_> = (0..256)
        .map(|_| tokio::spawn(armor.request(Method::GET, "/vms").send()))
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().status(), 200);
    }
    assert_eq!(mock.requests(Api::Armor), 256);
}

/// The head of `request` claiming a body of `declared` bytes, then `sent` of them.
fn head_claiming(request: &RawRequest, declared: usize, sent: usize) -> Vec<u8> {
    let mut bytes = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    for (name, value) in &request.headers {
        bytes.push_str(&format!("{name}: {value}\r\n"));
    }
    bytes.push_str(&format!(
        "content-type: application/json\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n"
    ));
    let mut bytes = bytes.into_bytes();
    bytes.resize(bytes.len() + sent, b' ');
    bytes
}

/// Sends `bytes` and waits for the answer, at most `patience`, without sending anything
/// more: an answer means the mock did not wait for the rest of the body.
async fn answer_within(mock: &MockServer, bytes: &[u8], patience: Duration) -> RawAnswer {
    tokio::time::timeout(patience, send_raw(mock.addr(), bytes))
        .await
        .unwrap_or_else(|_| panic!("no answer within {patience:?}"))
}

/// A signed write with a JSON body on each API (OVH's record creation, nOps' project,
/// Qredo's company, Armor's comment, an S3 object in a bucket made for it), its body
/// left out.
async fn signed_post(mock: &MockServer, api: Api) -> RawRequest {
    let (method, path, body) = match api {
        Api::Ovh => (
            Method::POST,
            "/domain/zone/example.com/record",
            serde_json::json!({ "fieldType": "TXT", "target": "x" }),
        ),
        Api::Nops => (
            Method::POST,
            "/c/admin/projectaws/",
            serde_json::json!({ "name": "p", "account_number": "1" }),
        ),
        Api::Qredo => (Method::POST, "/company", serde_json::json!({ "name": "c" })),
        Api::Armor => (
            Method::POST,
            "/tickets/SUP-1001/comments",
            serde_json::json!({ "comment": "c" }),
        ),
        Api::S3 => (
            Method::PUT,
            "/limits/object.json",
            serde_json::json!({ "comment": "c" }),
        ),
    };
    let client = match api {
        Api::Ovh => client(mock, api, ovh_scheme(OVH_AS), None),
        Api::Nops => client(
            mock,
            api,
            nops_scheme(signed_api_runtime::keys::RsaKey::from_pem_file(nops_key()).unwrap()),
            None,
        ),
        Api::Qredo => client(
            mock,
            api,
            qredo_scheme(signed_api_runtime::keys::RsaKey::from_pem_file(qredo_key()).unwrap()),
            None,
        ),
        Api::Armor => client(mock, api, armor_scheme(ARMOR_SECRET), None),
        Api::S3 => {
            let s3 = client(mock, api, sigv4_scheme(S3_SECRET), None);
            // The object's bucket; a second call on the same mock finds it there.
            let _ = s3.request(Method::PUT, "/limits").send().await;
            s3
        }
    };
    let prepared = client
        .request(method, path)
        .json_body(&body)
        .prepare()
        .await
        .unwrap();
    // S3 signs `Content-Type`: `head_claiming` puts the same value back.
    RawRequest::from_prepared(&prepared, &mock.origin()).remove_header("content-type")
}

/// Heads that cannot pass get their refusal at once, the body never read: the mock does
/// not wait for the megabyte each one announces.
#[tokio::test]
async fn bodies_are_read_only_after_the_headers_pass() {
    let mock = start().await;
    let stale = (now() - 3600).to_string();
    for api in Api::ALL {
        let request = signed_post(&mock, api).await;
        let mut refused = vec![];
        match api {
            Api::Ovh => {
                refused.push(request.clone().set_header("x-ovh-application", "other"));
                refused.push(request.clone().remove_header("x-ovh-consumer"));
                refused.push(request.clone().remove_header("x-ovh-signature"));
                refused.push(request.clone().set_header("x-ovh-timestamp", &stale));
            }
            Api::Nops => {
                let mut wrong = request.clone();
                wrong.target = wrong.target.replace(NOPS_KEY, "77.wrong");
                refused.push(wrong);
                let mut keyless = request.clone();
                keyless.target = "/nops/c/admin/projectaws/".to_owned();
                refused.push(keyless);
                refused.push(request.clone().remove_header("x-nops-signature"));
            }
            Api::Qredo => {
                refused.push(request.clone().set_header("x-api-key", "other"));
                refused.push(request.clone().remove_header("x-sign"));
                refused.push(request.clone().set_header("x-timestamp", &stale));
                refused.push(request.clone().add_header("x-nonce", "1"));
            }
            Api::Armor => {
                let authorization = request.header("authorization").unwrap();
                let other_key = authorization.replace(ARMOR_ID, "other-id");
                refused.push(request.clone().set_header("authorization", &other_key));
                let (fields, _) = authorization.rsplit_once(':').unwrap();
                let stale_auth = format!("{fields}:{stale}");
                refused.push(request.clone().set_header("authorization", &stale_auth));
                refused.push(request.clone().remove_header("x-account-context"));
            }
            Api::S3 => {
                let authorization = request.header("authorization").unwrap();
                let other_key = authorization.replace(S3_KEY_ID, "AKIAOTHERKEY00000000");
                refused.push(request.clone().set_header("authorization", &other_key));
                refused.push(request.clone().remove_header("authorization"));
                refused.push(request.clone().remove_header("x-amz-date"));
                let s3 = client(&mock, api, sigv4_scheme(S3_SECRET), Some(now() - 3600));
                let prepared = s3
                    .request(Method::PUT, "/limits/object.json")
                    .json_body(&serde_json::json!({ "comment": "c" }))
                    .prepare()
                    .await
                    .unwrap();
                refused.push(
                    RawRequest::from_prepared(&prepared, &mock.origin())
                        .remove_header("content-type"),
                );
            }
        }
        for refused in refused {
            let bytes = head_claiming(&refused, 1_000_000, 0);
            let answer = answer_within(&mock, &bytes, Duration::from_secs(5)).await;
            assert!(answer.refused(), "{api}: {refused:?} -> {answer:?}");
        }
    }
}

/// An Armor nonce already used is refused before the body is read, too.
#[tokio::test]
async fn a_replayed_armor_nonce_is_refused_before_the_body() {
    let mock = start().await;
    let request = signed_post(&mock, Api::Armor).await;
    let body = br#"{"comment":"c"}"#;
    let mut whole = head_claiming(&request, body.len(), 0);
    whole.extend_from_slice(body);
    assert_eq!(send_raw(mock.addr(), &whole).await.status, 200);
    let again = head_claiming(&request, 1_000_000, 0);
    let answer = answer_within(&mock, &again, Duration::from_secs(5)).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert!(answer.text.contains("Nonce already used"), "{answer:?}");
}

/// A body announced over the limit is refused before any of it is read; one that does
/// not arrive in time gets 408; a body that would take the bodies in flight over the
/// budget gets 503. The same heads with their whole body pass.
#[tokio::test]
async fn bodies_are_read_within_the_limits() {
    let limits = Limits {
        max_body: 4096,
        body_timeout: Duration::from_secs(1),
        body_budget: 2048,
        ..Limits::default()
    };
    let mock = start_with(limits).await;
    for api in Api::ALL {
        let request = signed_post(&mock, api).await;
        let too_large = head_claiming(&request, 4097, 0);
        let answer = answer_within(&mock, &too_large, Duration::from_secs(5)).await;
        assert_eq!(answer.status, 413, "{api}: {answer:?}");

        let started = Instant::now();
        let half = head_claiming(&request, request.body.len(), request.body.len() / 2);
        let answer = answer_within(&mock, &half, Duration::from_secs(5)).await;
        assert_eq!(answer.status, 408, "{api}: {answer:?}");
        assert!(started.elapsed() >= Duration::from_secs(1));

        let mut over_budget = head_claiming(&request, 3000, 0);
        over_budget.extend_from_slice(&[b' '; 3000]);
        let answer = answer_within(&mock, &over_budget, Duration::from_secs(5)).await;
        assert_eq!(answer.status, 503, "{api}: {answer:?}");
        assert!(answer.text.contains("retry-after: 1"), "{api}: {answer:?}");

        let mut whole = head_claiming(&request, request.body.len(), 0);
        whole.extend_from_slice(&request.body);
        let answer = answer_within(&mock, &whole, Duration::from_secs(5)).await;
        assert!(
            answer.status == 200 || answer.status == 201,
            "{api}: {answer:?}"
        );
    }
}
