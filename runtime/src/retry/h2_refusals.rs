//! Requests an HTTP/2 server refuses unprocessed (`REFUSED_STREAM`) are sent again by the
//! retry policy, signed afresh, whatever their method; reqwest's own retry layer, off in
//! the default client, never resends them behind the policy's back.
//!
//! The server is `h2`'s, over cleartext with prior knowledge (no TLS to set up), and the
//! client the default one with only `http2_prior_knowledge` added.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;

use super::{Failure, Repeatable, RetryPolicy, refused_unprocessed};
use crate::client::default_http;
use crate::error::Error;
use crate::schemes::{ArmorCredentials, ArmorScheme};
use crate::{Client, Request};

/// An HTTP/2 server that resets its first `refusals` streams with `REFUSED_STREAM`, then
/// answers `200 {}`. Returns its base URL and the `Authorization` of every stream, in
/// order.
async fn refusing_server(refusals: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let Ok(mut connection) = h2::server::handshake(socket).await else {
                    return;
                };
                while let Some(Ok((request, mut respond))) = connection.accept().await {
                    let streams = {
                        let mut log = log.lock().unwrap();
                        log.push(
                            request
                                .headers()
                                .get("authorization")
                                .and_then(|value| value.to_str().ok())
                                .unwrap_or_default()
                                .to_owned(),
                        );
                        log.len()
                    };
                    if streams <= refusals {
                        respond.send_reset(h2::Reason::REFUSED_STREAM);
                        continue;
                    }
                    let head = http::Response::builder()
                        .status(200)
                        .header("content-type", "application/json")
                        .body(())
                        .unwrap();
                    if let Ok(mut body) = respond.send_response(head, false) {
                        let _ = body.send_data(Bytes::from_static(b"{}"), true);
                    }
                }
            });
        }
    });
    (url, seen)
}

fn client(base_url: &str, retry: RetryPolicy) -> Client {
    let credentials = ArmorCredentials::new("key-id", "secret").unwrap();
    Client::builder(ArmorScheme::new(credentials))
        .base_url(base_url)
        .http_client(default_http().http2_prior_knowledge().build().unwrap())
        .timeout(Duration::from_secs(5))
        .retry(retry.backoff(Duration::from_millis(1), Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn post(client: &Client) -> Request {
    client
        .request(Method::POST, "/tickets")
        .json_body(&serde_json::json!({"subject": "disk full"}))
}

#[tokio::test]
async fn a_refused_post_is_sent_again_signed_afresh() {
    let (url, seen) = refusing_server(1).await;
    post(&client(&url, RetryPolicy::default()))
        .empty()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert!(
        seen[0].starts_with("ARMOR-PSK ") && seen[0] != seen[1],
        "{seen:#?}"
    );
}

#[tokio::test]
async fn without_retries_a_refusal_is_the_callers_and_sent_once() {
    let (url, seen) = refusing_server(1).await;
    let error = post(&client(&url, RetryPolicy::none()))
        .empty()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(e) if refused_unprocessed(e)),
        "{error:?}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refusal_may_repeat_what_was_not_processed_but_not_a_file_body() {
    let (url, _) = refusing_server(usize::MAX).await;
    let error = client(&url, RetryPolicy::none())
        .request(Method::GET, "/vms")
        .empty()
        .await
        .unwrap_err();
    let policy = RetryPolicy::default();
    let may = |repeatable| {
        policy
            .next_attempt(Failure::NoAnswer(&error), repeatable, 1, Duration::ZERO)
            .is_some()
    };
    assert!(may(Repeatable::Always));
    assert!(may(Repeatable::IfNotProcessed));
    assert!(!may(Repeatable::IfNothingSent));
    assert!(!may(Repeatable::Never));
}
