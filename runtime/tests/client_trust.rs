//! What the client believes of the server, and what it lets a caller do: a server's clock
//! is taken only within bounds and per client, a refused request is signed again only when
//! the server said its timestamp was out of time, a followed redirect never hands back
//! another URL's answer, Qredo nonces arrive in order, and a caller header that would
//! duplicate or override what the scheme or HTTP sets is refused before any byte leaves.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde_json::json;
use signed_api_mock::testing::capture::{CaptureServer, Captured, Reply, verified};
use signed_api_mock::testing::key_2048;
use signed_api_mock::testing::unix_now as now;
use signed_api_runtime::clock::Clock;
use signed_api_runtime::defaults::DEFAULT_USER_AGENT;
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsKeyPlacement, NopsScheme, OvhCredentials,
    OvhScheme, QredoCredentials, QredoScheme, QredoTimeMode, QredoVerifier,
};
use signed_api_runtime::{Client, Error, Method, RetryPolicy, StatusCode};

/// A fixed local time for the tests that need exact timestamps.
const T: i64 = 1_750_000_000;

/// The OVH base URL path of the tests; `/auth/time` is under it.
const OVH_ROOT: &str = "/1.0";
const OVH_TIME: &str = "/1.0/auth/time";

fn ovh_credentials() -> OvhCredentials {
    OvhCredentials::new("app-key", "app-secret")
        .unwrap()
        .with_consumer_key("consumer-key")
        .unwrap()
}

fn ovh_client(server: &CaptureServer) -> Client {
    Client::builder(OvhScheme::new(ovh_credentials()))
        .base_url(server.url(OVH_ROOT))
        .build()
        .unwrap()
}

fn armor_client(server: &CaptureServer) -> Client {
    let credentials = ArmorCredentials::new("key-id", "armor-secret")
        .unwrap()
        .with_account("1024")
        .unwrap();
    Client::builder(ArmorScheme::new(credentials))
        .base_url(server.url("/armor"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn is_time_request(request: &Captured) -> bool {
    request.target == OVH_TIME
}

/// The requests that were not `/auth/time`.
fn signed_requests(server: &CaptureServer) -> Vec<Captured> {
    server
        .requests()
        .into_iter()
        .filter(|request| !is_time_request(request))
        .collect()
}

fn time_requests(server: &CaptureServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| is_time_request(r))
        .count()
}

fn ovh_timestamp(request: &Captured) -> i64 {
    request
        .header("x-ovh-timestamp")
        .expect("a signed OVH request")
        .parse()
        .unwrap()
}

/// An OVH server whose `/auth/time` answers `times` in turn (the last one from then on)
/// and whose other endpoints answer `replies` in turn (likewise).
async fn scripted_ovh(times: Vec<i64>, replies: Vec<Reply>) -> CaptureServer {
    let time_calls = AtomicUsize::new(0);
    let other_calls = AtomicUsize::new(0);
    CaptureServer::start(move |request, _| {
        if is_time_request(request) {
            let index = time_calls.fetch_add(1, Ordering::SeqCst);
            let time = times[index.min(times.len() - 1)];
            return Reply::json(200, &time.to_string());
        }
        let index = other_calls.fetch_add(1, Ordering::SeqCst);
        replies[index.min(replies.len() - 1)].clone()
    })
    .await
}

fn http_date(unix_seconds: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix_seconds))
}

// ---------------------------------------------------------------------------------------
// 4. Absurd server times
// ---------------------------------------------------------------------------------------

/// `/auth/time` answering a time that is no date at all, or further than a day away: the
/// signed call fails with `Error::Clock` and nothing signed leaves (the old code wrapped or
/// panicked on `i64::MIN` and signed with timestamp 0 or years away).
#[tokio::test]
async fn ovh_absurd_server_times_fail_with_a_clock_error_and_send_nothing_signed() {
    let two_days = 2 * 24 * 3600;
    let absurd = [
        "-9223372036854775808".to_owned(),
        "0".to_owned(),
        "99999999999".to_owned(),
        (now() + two_days).to_string(),
        (now() - two_days).to_string(),
    ];
    for time in absurd {
        let answer = time.clone();
        let server = CaptureServer::start(move |request, _| {
            if is_time_request(request) {
                Reply::json(200, &answer)
            } else {
                Reply::json(200, "{}")
            }
        })
        .await;
        let client = ovh_client(&server);
        let err = client
            .request(Method::GET, "/me")
            .empty()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Clock(_)), "{time}: {err:?}");
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "{time}: {requests:#?}");
        assert!(is_time_request(&requests[0]), "{time}: {requests:#?}");
        assert!(requests[0].header("x-ovh-signature").is_none());
        assert!(!client.clock().has_offset(), "{time}");
        assert_eq!(client.clock().offset(), 0, "{time}");
    }
}

/// A server an hour off is believed: its time is learned and signed with.
#[tokio::test]
async fn ovh_learns_and_signs_with_a_server_time_an_hour_off() {
    let server = CaptureServer::start(|request, _| {
        if is_time_request(request) {
            Reply::json(200, &(now() + 3_600).to_string())
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let client = ovh_client(&server);
    let before = now();
    client.request(Method::GET, "/me").empty().await.unwrap();
    let after = now();
    let signed = signed_requests(&server);
    assert_eq!(signed.len(), 1, "{signed:#?}");
    let timestamp = ovh_timestamp(&signed[0]);
    assert!(
        (before + 3_600 - 1..=after + 3_600 + 1).contains(&timestamp),
        "X-Ovh-Timestamp {timestamp}, local {before}..{after}"
    );
    assert!(
        (3_599..=3_601).contains(&client.clock().offset()),
        "{}",
        client.clock().offset()
    );
}

/// Armor learns its clock from `Date`: a date that is no plausible time or more than a day
/// away does not move the offset, even on a 200.
#[tokio::test]
async fn armor_ignores_absurd_date_headers() {
    let local = u64::try_from(now()).unwrap();
    let dates = [
        http_date(0),                   // 1970
        http_date(946_684_800),         // 2000: before any plausible server time
        http_date(253_402_300_799),     // 9999-12-31
        http_date(local + 2 * 86_400),  // two days ahead
        http_date(local - 2 * 86_400),  // two days behind
        "not a date at all".to_owned(), // unparsable
        "Sun, 06 Nov 1994 08:49:37 GMT".to_owned(),
    ];
    for date in dates {
        let header = date.clone();
        let server =
            CaptureServer::start(move |_, _| Reply::json(200, "{}").with_header("date", &header))
                .await;
        let client = armor_client(&server);
        client.request(Method::GET, "/vms").empty().await.unwrap();
        assert_eq!(client.clock().offset(), 0, "Date: {date}");
        assert!(!client.clock().has_offset(), "Date: {date}");
    }
}

/// A `Date` an hour off on a 2xx is the API's own clock: it is learned.
#[tokio::test]
async fn armor_learns_a_date_an_hour_off_from_a_success() {
    let server = CaptureServer::start(|_, _| {
        let date = http_date(u64::try_from(now() + 3_600).unwrap());
        Reply::json(200, "{}").with_header("date", &date)
    })
    .await;
    let client = armor_client(&server);
    client.request(Method::GET, "/vms").empty().await.unwrap();
    let offset = client.clock().offset();
    assert!((3_599..=3_601).contains(&offset), "offset {offset}");
}

/// A 502 or 503 page comes from a gateway or proxy, whose clock says nothing about the
/// API's: its `Date` is not learned.
#[tokio::test]
async fn armor_ignores_the_date_of_a_gateway_error_page() {
    for status in [502, 503] {
        let server = CaptureServer::start(move |_, _| {
            let date = http_date(u64::try_from(now() + 3_600).unwrap());
            Reply::new(status, "text/html", "<html>Bad gateway</html>").with_header("date", &date)
        })
        .await;
        let client = armor_client(&server);
        let err = client
            .request(Method::GET, "/vms")
            .empty()
            .await
            .unwrap_err();
        assert_eq!(err.api().map(|api| api.status.as_u16()), Some(status));
        assert_eq!(client.clock().offset(), 0, "{status}");
        assert!(!client.clock().has_offset(), "{status}");
    }
}

// ---------------------------------------------------------------------------------------
// 5. One clock, two servers
// ---------------------------------------------------------------------------------------

/// Two clients built from one `Clock` talk to servers 200 s apart: each signs with its own
/// server's time, and neither moves the other's offset (the old code shared the offset, so
/// the second client signed with the first server's time).
#[tokio::test]
async fn clients_sharing_a_clock_keep_their_own_offsets() {
    let ahead = CaptureServer::start(|request, _| {
        if is_time_request(request) {
            Reply::json(200, &(now() + 100).to_string())
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let behind = CaptureServer::start(|request, _| {
        if is_time_request(request) {
            Reply::json(200, &(now() - 100).to_string())
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let shared = Clock::system();
    let build = |server: &CaptureServer| {
        Client::builder(OvhScheme::new(ovh_credentials()))
            .base_url(server.url(OVH_ROOT))
            .clock(shared.clone())
            .build()
            .unwrap()
    };
    let (a, b) = (build(&ahead), build(&behind));

    let before = now();
    a.request(Method::GET, "/me").empty().await.unwrap();
    b.request(Method::GET, "/me").empty().await.unwrap();
    a.request(Method::GET, "/me").empty().await.unwrap();
    b.request(Method::GET, "/me").empty().await.unwrap();
    let after = now();

    for (server, skew) in [(&ahead, 100), (&behind, -100)] {
        assert_eq!(time_requests(server), 1, "the time is read once per client");
        let signed = signed_requests(server);
        assert_eq!(signed.len(), 2);
        for request in &signed {
            let timestamp = ovh_timestamp(request);
            assert!(
                (before + skew - 1..=after + skew + 1).contains(&timestamp),
                "server {skew:+} s: X-Ovh-Timestamp {timestamp}, local {before}..{after}"
            );
        }
    }
    assert!((99..=101).contains(&a.clock().offset()), "{:?}", a.clock());
    assert!(
        (-101..=-99).contains(&b.clock().offset()),
        "{:?}",
        b.clock()
    );
    assert_eq!(shared.offset(), 0, "the shared clock itself is left alone");
    assert!(!shared.has_offset());
}

// ---------------------------------------------------------------------------------------
// 6. OVH resync
// ---------------------------------------------------------------------------------------

fn post_record(client: &Client) -> signed_api_runtime::Request {
    client
        .request(Method::POST, "/domain/zone/{zone}/record")
        .path_param("zone", "example.com")
        .json_body(&json!({ "fieldType": "A", "target": "203.0.113.7" }))
}

fn ovh_fixed_client(server: &CaptureServer) -> Client {
    Client::builder(OvhScheme::new(ovh_credentials()))
        .base_url(server.url(OVH_ROOT))
        .clock(Clock::fixed(T))
        .build()
        .unwrap()
}

/// A validation error is final: the POST may have had effects, so it is sent once, and
/// the server time is not read again (though it would now give another time).
#[tokio::test]
async fn ovh_validation_errors_are_not_resent() {
    let refusals = [
        r#"{"errorCode":"INVALID_ARGUMENT","httpCode":"400 Bad Request","message":"Invalid value for fieldType"}"#,
        r#"{"class":"Client::BadRequest","message":"Invalid field"}"#,
    ];
    for refusal in refusals {
        let server = scripted_ovh(vec![T, T + 60], vec![Reply::json(400, refusal)]).await;
        let client = ovh_fixed_client(&server);
        let err = post_record(&client).empty().await.unwrap_err();
        assert_eq!(
            err.api().map(|api| api.status),
            Some(StatusCode::BAD_REQUEST)
        );
        assert_eq!(signed_requests(&server).len(), 1, "{refusal}");
        assert_eq!(time_requests(&server), 1, "{refusal}");
        assert_eq!(client.clock().offset(), 0);
    }
}

/// `QUERY_TIME_OUT` says the timestamp was refused: the server time is read again and the
/// POST signed again once, with the corrected time.
#[tokio::test]
async fn ovh_time_refusal_is_signed_again_once_with_the_corrected_time() {
    let refused = Reply::json(
        401,
        r#"{"errorCode":"QUERY_TIME_OUT","httpCode":"401 Unauthorized","message":"Query out of time"}"#,
    );
    let server = scripted_ovh(vec![T, T + 60], vec![refused, Reply::json(200, "{}")]).await;
    let client = ovh_fixed_client(&server);
    post_record(&client).empty().await.unwrap();
    let posts = signed_requests(&server);
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert_eq!(ovh_timestamp(&posts[0]), T);
    assert_eq!(ovh_timestamp(&posts[1]), T + 60);
    assert_eq!(posts[0].body, posts[1].body);
    assert_ne!(
        posts[0].header("x-ovh-signature"),
        posts[1].header("x-ovh-signature")
    );
    assert_eq!(time_requests(&server), 2);
    assert_eq!(client.clock().offset(), 60);
}

/// The same refusal when the server time has not moved (or moved by one second, the
/// resolution of the clock) would be refused again: the POST is not sent twice.
#[tokio::test]
async fn ovh_time_refusal_is_not_resent_when_the_server_time_did_not_move() {
    for second_time in [T, T + 1] {
        let refused = Reply::json(
            401,
            r#"{"errorCode":"QUERY_TIME_OUT","message":"Query out of time"}"#,
        );
        let server = scripted_ovh(vec![T, second_time], vec![refused]).await;
        let client = ovh_fixed_client(&server);
        let err = post_record(&client).empty().await.unwrap_err();
        let api = err.api().expect("the API's refusal");
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        assert_eq!(api.code.as_deref(), Some("QUERY_TIME_OUT"));
        assert_eq!(
            signed_requests(&server).len(),
            1,
            "server time {second_time}"
        );
        assert_eq!(time_requests(&server), 2, "the time is read again once");
    }
}

/// A failed read of the server time is remembered: calls in quick succession, one after
/// the other or all at once, make one `/auth/time` request between them, and none of them
/// sends a signed request.
#[tokio::test]
async fn ovh_failed_time_read_is_remembered() {
    let server = CaptureServer::start(|request, _| {
        if is_time_request(request) {
            Reply::json(500, r#"{"message":"Internal server error"}"#)
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let client = ovh_client(&server);
    let first = client
        .request(Method::GET, "/me")
        .empty()
        .await
        .unwrap_err();
    assert_eq!(
        first.api().map(|api| api.status),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{first:?}"
    );
    for _ in 0..3 {
        let err = client
            .request(Method::GET, "/me")
            .empty()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Clock(_)), "{err:?}");
    }
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let client = client.clone();
        calls.spawn(async move { client.request(Method::POST, "/auth/logout").empty().await });
    }
    while let Some(outcome) = calls.join_next().await {
        let err = outcome.unwrap().unwrap_err();
        assert!(matches!(err, Error::Clock(_)), "{err:?}");
    }
    assert_eq!(time_requests(&server), 1, "{:#?}", server.requests());
    assert!(signed_requests(&server).is_empty());
}

/// The read of the server time is part of the call and keeps to the call's timeout: a
/// `/auth/time` that answers after 5 s fails a call limited to 300 ms in about 300 ms.
#[tokio::test]
async fn ovh_time_read_respects_the_request_timeout() {
    let server = CaptureServer::start(|request, _| {
        if is_time_request(request) {
            Reply::json(200, &now().to_string()).after(Duration::from_secs(5))
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let client = ovh_client(&server);
    let started = Instant::now();
    let err = post_record(&client)
        .timeout(Duration::from_millis(300))
        .empty()
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(err, Error::Timeout(limit) if limit == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_millis(1_500),
        "{elapsed:?}"
    );
    assert_eq!(time_requests(&server), 1);
    assert!(signed_requests(&server).is_empty());
}

// ---------------------------------------------------------------------------------------
// 7. Redirects followed by a caller's HTTP client
// ---------------------------------------------------------------------------------------

fn following_http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap()
}

/// A caller-supplied client that follows redirects: the answer of the redirect target is
/// refused with `Error::Redirected`, never returned as the answer of the signed URL.
#[tokio::test]
async fn a_followed_redirect_is_refused() {
    let server = CaptureServer::start(|request, origin| match request.target.as_str() {
        "/armor/vms" => Reply::new(302, "text/plain", "moved")
            .with_header("location", &format!("{origin}/armor/elsewhere")),
        _ => Reply::json(200, r#"{"planted":"answer of another URL"}"#),
    })
    .await;
    let credentials = ArmorCredentials::new("key-id", "armor-secret")
        .unwrap()
        .with_account("1024")
        .unwrap();
    let client = Client::builder(ArmorScheme::new(credentials))
        .base_url(server.url("/armor"))
        .http_client(following_http_client())
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/vms")
        .text()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Redirected { status } if status == StatusCode::OK),
        "{err:?}"
    );
    assert!(!format!("{err:?} {err}").contains("planted"), "{err:?}");
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    // The redirect was followed: the signed headers (here Armor's Authorization and
    // X-Account-Context) did reach the second URL before the answer was refused. The
    // client can only refuse the answer, not recall the request: that is why the docs of
    // `ClientBuilder::http_client` say to build the client with `Policy::none()`.
    assert_eq!(targets, ["/armor/vms", "/armor/elsewhere"]);
}

/// The same through OVH to another host: refused as well. (That host did receive
/// X-Ovh-Application, X-Ovh-Consumer and the signature: reqwest strips only
/// `Authorization` and cookies across hosts, hence the advice to disable redirects.)
#[tokio::test]
async fn a_redirect_to_another_host_is_refused() {
    let elsewhere = CaptureServer::start(|_, _| Reply::json(200, "[1,2,3]")).await;
    let landing = elsewhere.url("/ids");
    let server = CaptureServer::start(move |request, _| {
        if is_time_request(request) {
            Reply::json(200, &now().to_string())
        } else {
            Reply::new(302, "text/plain", "moved").with_header("location", &landing)
        }
    })
    .await;
    let client = Client::builder(OvhScheme::new(ovh_credentials()))
        .base_url(server.url(OVH_ROOT))
        .http_client(following_http_client())
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, "/domain/zone")
        .json::<Vec<u64>>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    assert_eq!(elsewhere.requests().len(), 1, "the redirect was followed");
}

/// The default HTTP client does not follow at all: the 3xx is the answer.
#[tokio::test]
async fn the_default_client_does_not_follow_redirects() {
    let server = CaptureServer::start(|request, origin| match request.target.as_str() {
        "/armor/vms" => Reply::new(302, "text/plain", "moved")
            .with_header("location", &format!("{origin}/armor/elsewhere")),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let err = armor_client(&server)
        .request(Method::GET, "/vms")
        .empty()
        .await
        .unwrap_err();
    assert_eq!(err.api().map(|api| api.status), Some(StatusCode::FOUND));
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------
// 8. Qredo nonce order under concurrency
// ---------------------------------------------------------------------------------------

/// 32 concurrent calls through one client in nonce mode: the nonces arrive strictly
/// increasing, as a Qredo server requires (the old code drew the nonce, then signed on the
/// blocking pool, so a later nonce could overtake an earlier one and be refused).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn qredo_nonces_arrive_in_increasing_order_under_concurrency() {
    const CALLS: usize = 32;
    let key = key_2048();
    let verifier = QredoVerifier::new("qredo-key", key.public_key(), 30).mode(QredoTimeMode::Nonce);
    let arrivals: Arc<Mutex<Vec<u64>>> = Arc::default();
    let server = CaptureServer::start({
        let arrivals = arrivals.clone();
        move |request, origin| {
            let reply = verified(&verifier, request, origin, now(), Reply::json(200, "{}"));
            if reply.status != 200 {
                return reply;
            }
            let Some(nonce) = request
                .header("x-nonce")
                .and_then(|n| n.parse::<u64>().ok())
            else {
                return Reply::json(400, r#"{"msg":"no nonce"}"#);
            };
            // Like Qredo: a nonce not greater than the last accepted one is refused.
            let mut arrivals = arrivals.lock().unwrap();
            let in_order = arrivals.last().is_none_or(|last| nonce > *last);
            arrivals.push(nonce);
            if in_order {
                reply
            } else {
                Reply::json(401, r#"{"msg":"nonce too low"}"#)
            }
        }
    })
    .await;
    let scheme = QredoScheme::new(QredoCredentials::new("qredo-key", key).unwrap())
        .time_mode(QredoTimeMode::Nonce);
    let client = Client::builder(scheme)
        .base_url(server.url("/qredo/api/v1/p"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Arc::new(tokio::sync::Barrier::new(CALLS));
    let mut calls = tokio::task::JoinSet::new();
    for index in 0..CALLS {
        let client = client.clone();
        let start = start.clone();
        calls.spawn(async move {
            start.wait().await;
            client
                .request(Method::POST, "/company")
                .json_body(&json!({ "name": format!("company {index}") }))
                .empty()
                .await
        });
    }
    while let Some(outcome) = calls.join_next().await {
        outcome.unwrap().unwrap();
    }
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), CALLS);
    assert!(
        arrivals.windows(2).all(|pair| pair[0] < pair[1]),
        "nonces in arrival order: {arrivals:?}"
    );
}

// ---------------------------------------------------------------------------------------
// 9. Caller headers
// ---------------------------------------------------------------------------------------

/// Each caller header (or query parameter) that duplicates what the scheme, the body or
/// HTTP framing sets is refused with `Error::InvalidRequest`, and nothing at all reaches
/// the server (not even OVH's `/auth/time`).
#[tokio::test]
async fn conflicting_caller_headers_are_refused_before_anything_is_sent() {
    // A working OVH server: were a check to come after the clock sync, the call would
    // get as far as `/auth/time` and the count below would show it.
    let ovh_server = CaptureServer::start(|request, _| {
        if is_time_request(request) {
            Reply::json(200, &now().to_string())
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let ovh = ovh_client(&ovh_server);
    let body = json!({ "fieldType": "A" });
    let ovh_cases: Vec<(&str, signed_api_runtime::Request)> = vec![
        (
            "second X-Ovh-Application",
            ovh.request(Method::GET, "/me")
                .header("X-Ovh-Application", "another-app"),
        ),
        (
            "X-OVH-APPLICATION in capitals",
            ovh.request(Method::GET, "/me")
                .header("X-OVH-APPLICATION", "another-app"),
        ),
        (
            "Content-Type beside a JSON body",
            ovh.request(Method::POST, "/domain/zone/x/record")
                .json_body(&body)
                .header("Content-Type", "text/plain"),
        ),
        (
            "Host",
            ovh.request(Method::GET, "/me")
                .header("Host", "evil.example"),
        ),
        (
            "Content-Length",
            ovh.request(Method::POST, "/domain/zone/x/record")
                .json_body(&body)
                .header("Content-Length", "0"),
        ),
        (
            "Transfer-Encoding",
            ovh.request(Method::POST, "/domain/zone/x/record")
                .json_body(&body)
                .header("Transfer-Encoding", "chunked"),
        ),
    ];

    let qredo_server = CaptureServer::ok().await;
    let qredo = Client::builder(QredoScheme::new(
        QredoCredentials::new("qredo-key", key_2048()).unwrap(),
    ))
    .base_url(qredo_server.url("/qredo/api/v1/p"))
    .build()
    .unwrap();

    let armor_server = CaptureServer::ok().await;
    let armor = armor_client(&armor_server);

    let nops_server = CaptureServer::ok().await;
    let nops = Client::builder(
        NopsScheme::new(NopsCredentials::new("42.nops-key").unwrap())
            .key_placement(NopsKeyPlacement::Query),
    )
    .base_url(nops_server.url("/nops"))
    .build()
    .unwrap();
    let nops_header_server = CaptureServer::ok().await;
    let nops_header = Client::builder(
        NopsScheme::new(NopsCredentials::new("42.nops-key").unwrap())
            .key_placement(NopsKeyPlacement::Header),
    )
    .base_url(nops_header_server.url("/nops"))
    .build()
    .unwrap();

    let other_cases: Vec<(&str, signed_api_runtime::Request)> = vec![
        (
            "x-api-key on Qredo",
            qredo
                .request(Method::GET, "/company")
                .header("x-api-key", "another-key"),
        ),
        (
            "Authorization on Armor",
            armor
                .request(Method::GET, "/vms")
                .header("Authorization", "ARMOR-PSK forged:sig:nonce:1"),
        ),
        (
            "api_key in the query on nOps",
            nops.request(Method::GET, "/c/admin/projectaws/")
                .query("api_key", "another-key"),
        ),
        (
            "X-Nops-Api-Key on nOps (header placement)",
            nops_header
                .request(Method::GET, "/c/admin/projectaws/")
                .header("X-Nops-Api-Key", "another-key"),
        ),
    ];
    for (what, request) in ovh_cases.into_iter().chain(other_cases) {
        let err = request.send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{what}: {err:?}");
        assert!(
            !err.to_string().contains("another-key"),
            "{what}: the error repeats the value: {err}"
        );
    }
    for server in [
        &ovh_server,
        &qredo_server,
        &armor_server,
        &nops_server,
        &nops_header_server,
    ] {
        assert!(server.requests().is_empty(), "{:#?}", server.requests());
    }
}

/// A caller header that duplicates one of OVH's signature headers is refused too: the
/// refusal should come before anything is sent, as for every other invalid input.
///
/// Ignored: it exposes a runtime bug. The signature headers (X-Ovh-Consumer,
/// X-Ovh-Timestamp, X-Ovh-Signature) are only compared with the caller's headers after
/// signing, and `sign_target` reads the server time first, so an unsigned
/// `GET /auth/time` reaches the server before the `InvalidRequest`.
#[tokio::test]
async fn ovh_caller_signature_headers_are_refused_before_the_time_is_read() {
    for name in ["X-Ovh-Signature", "X-Ovh-Timestamp", "X-Ovh-Consumer"] {
        let server = CaptureServer::start(|_, _| Reply::json(200, &now().to_string())).await;
        let err = ovh_client(&server)
            .request(Method::GET, "/me")
            .header(name, "caller-value")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{name}: {err:?}");
        assert!(
            server.requests().is_empty(),
            "{name}: {:#?}",
            server.requests()
        );
    }
}

/// A caller's `User-Agent` replaces the default: one `User-Agent` goes out.
#[tokio::test]
async fn a_caller_user_agent_replaces_the_default() {
    let server = CaptureServer::ok().await;
    let client = armor_client(&server);
    client
        .request(Method::GET, "/vms")
        .header("User-Agent", "caller-agent/2.0")
        .empty()
        .await
        .unwrap();
    client.request(Method::GET, "/vms").empty().await.unwrap();
    let requests = server.requests();
    let agents = |request: &Captured| -> Vec<String> {
        request
            .headers
            .get_all("user-agent")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(agents(&requests[0]), ["caller-agent/2.0"]);
    assert_eq!(agents(&requests[1]), [DEFAULT_USER_AGENT]);
}

/// A caller header that carries a credential, on a scheme that does not set it, is marked
/// sensitive: `Debug` of the prepared request hides its value (and still shows an
/// ordinary header's, so the check means something).
#[tokio::test]
async fn caller_credential_headers_are_hidden_by_debug() {
    let server = CaptureServer::ok().await;
    let ovh = ovh_client(&server);
    let nops = Client::builder(NopsScheme::new(
        NopsCredentials::new("42.nops-key").unwrap(),
    ))
    .base_url(server.url("/nops"))
    .build()
    .unwrap();
    let secrets = [
        ("Authorization", "Bearer hunter2-bearer"),
        ("X-Api-Key", "xak-0123456789"),
        ("X-Vendor-Token", "tok-abcdef"),
        ("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
    ];
    for client in [&ovh, &nops] {
        let mut request = client
            .request(Method::GET, "/resource")
            .header("X-Note", "plainly-visible");
        for (name, value) in secrets {
            request = request.header(name, value);
        }
        let prepared = request.prepare().await.unwrap();
        let shown = format!("{prepared:?}");
        assert!(shown.contains("plainly-visible"), "{shown}");
        for (name, value) in secrets {
            assert!(!shown.contains(value), "{name} is shown: {shown}");
            let header = prepared.headers.get(name).expect("still sent");
            assert_eq!(header.to_str().unwrap(), value);
            assert!(header.is_sensitive(), "{name}");
        }
    }
    assert!(server.requests().is_empty());
}
