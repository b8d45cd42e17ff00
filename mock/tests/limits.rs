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
