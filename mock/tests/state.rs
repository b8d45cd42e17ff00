//! The state the APIs keep is bounded: a client cannot make the mock grow without end,
//! and what it evicts or refuses stays consistent (an evicted key is refused, a kept one
//! still works). The bound is set small here (`Limits::max_items`) so that the tests
//! reach it quickly.

mod common;

use common::*;
use signed_api_mock::{Api, Limits, MockConfig, MockServer};
use signed_api_runtime::schemes::{OvhCredentials, OvhScheme};
use signed_api_runtime::{Client, Method};

async fn start_with(limits: Limits) -> MockServer {
    MockServer::start(MockConfig::new(credentials()).limits(limits))
        .await
        .unwrap()
}

/// A client signing with the mock's application and `consumer_key`.
fn ovh_as(mock: &MockServer, consumer_key: &str) -> Client {
    let credentials = OvhCredentials::new(OVH_AK, OVH_AS)
        .unwrap()
        .with_consumer_key(consumer_key)
        .unwrap();
    client(mock, Api::Ovh, OvhScheme::new(credentials), None)
}

/// `POST /auth/credential`, which needs only the application key; the new consumer key.
async fn issue(mock: &MockServer, body: &serde_json::Value) -> String {
    let unsigned = client(
        mock,
        Api::Ovh,
        OvhScheme::new(OvhCredentials::new(OVH_AK, OVH_AS).unwrap()),
        None,
    );
    let answer: serde_json::Value = unsigned
        .request(Method::POST, "/auth/credential")
        .unsigned()
        .json_body(body)
        .json()
        .await
        .unwrap();
    answer["consumerKey"].as_str().unwrap().to_owned()
}

fn rules() -> serde_json::Value {
    serde_json::json!({ "accessRules": [
        { "method": "GET", "path": "/me" },
        { "method": "POST", "path": "/auth/logout" },
    ] })
}

/// The status of `GET /me` signed with `consumer_key`.
async fn me(mock: &MockServer, consumer_key: &str) -> u16 {
    match ovh_as(mock, consumer_key)
        .request(Method::GET, "/me")
        .send()
        .await
    {
        Ok(answer) => answer.status().as_u16(),
        Err(error) => error.api().unwrap().status.as_u16(),
    }
}

/// The ids `GET /me/api/credential` lists, asked with the configured key.
async fn listed(mock: &MockServer) -> Vec<u64> {
    ovh_as(mock, OVH_CK)
        .request(Method::GET, "/me/api/credential")
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn ovh_credentials_issued_without_a_signature_are_bounded() {
    let mock = start_with(Limits {
        max_items: 3,
        ..Limits::default()
    })
    .await;
    assert_eq!(me(&mock, OVH_CK).await, 200);

    let a = issue(&mock, &rules()).await;
    assert_eq!(me(&mock, &a).await, 200);
    let b = issue(&mock, &rules()).await;
    let c = issue(&mock, &rules()).await;
    // Full: the oldest credential never used goes first.
    let d = issue(&mock, &rules()).await;
    assert_eq!(me(&mock, &b).await, 403, "b was evicted");
    for kept in [&a, &c, &d] {
        assert_eq!(me(&mock, kept).await, 200);
    }
    // All in use now: the oldest goes.
    let e = issue(&mock, &rules()).await;
    assert_eq!(me(&mock, &a).await, 403, "a was evicted");
    assert_eq!(me(&mock, &e).await, 200);
    // A logged-out credential goes before any other.
    ovh_as(&mock, &c)
        .request(Method::POST, "/auth/logout")
        .empty()
        .await
        .unwrap();
    let f = issue(&mock, &rules()).await;
    for kept in [&d, &e, &f] {
        assert_eq!(me(&mock, kept).await, 200);
    }
    assert_eq!(me(&mock, &c).await, 403);
    assert_eq!(
        listed(&mock).await.len(),
        4,
        "the configured one and three issued"
    );

    // A flood of requests nobody uses keeps the store at its bound, and the keys in use.
    let mut flood = Vec::new();
    for _ in 0..50 {
        flood.push(issue(&mock, &rules()).await);
    }
    let ids = listed(&mock).await;
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(ids[0], 1, "the configured credential is never evicted");
    assert_eq!(me(&mock, OVH_CK).await, 200);
    assert_eq!(me(&mock, &flood[0]).await, 403);
    assert_eq!(me(&mock, &flood[49]).await, 200);
}

#[tokio::test]
async fn deleted_ovh_credentials_are_refused() {
    let mock = start().await;
    let key = issue(&mock, &rules()).await;
    assert_eq!(me(&mock, &key).await, 200);
    let ids = listed(&mock).await;
    let id = *ids.last().unwrap();
    ovh_as(&mock, OVH_CK)
        .request(Method::DELETE, "/me/api/credential/{id}")
        .path_param("id", id)
        .empty()
        .await
        .unwrap();
    assert_eq!(me(&mock, &key).await, 403);
    assert_eq!(listed(&mock).await, vec![1]);
    // The configured credential too, once deleted.
    ovh_as(&mock, OVH_CK)
        .request(Method::DELETE, "/me/api/credential/1")
        .empty()
        .await
        .unwrap();
    assert_eq!(me(&mock, OVH_CK).await, 403);
}

/// What one credential request may hold is bounded too: its body (before it is read,
/// when declared) and its rules.
#[tokio::test]
async fn ovh_credential_requests_are_bounded() {
    let mock = start().await;
    let rule = serde_json::json!({ "method": "GET", "path": "/me" });
    let many = serde_json::json!({ "accessRules": vec![rule.clone(); 65] });
    let unsigned = client(
        &mock,
        Api::Ovh,
        OvhScheme::new(OvhCredentials::new(OVH_AK, OVH_AS).unwrap()),
        None,
    );
    let refused = unsigned
        .request(Method::POST, "/auth/credential")
        .unsigned()
        .json_body(&many)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.api().unwrap().status, 400);
    let long_path = format!("/{}", "x".repeat(5000));
    let large = serde_json::json!({ "accessRules": [{ "method": "GET", "path": long_path }] });
    let refused = unsigned
        .request(Method::POST, "/auth/credential")
        .unsigned()
        .json_body(&large)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.api().unwrap().status, 413);
    let enough = serde_json::json!({ "accessRules": vec![rule; 64] });
    let key = issue(&mock, &enough).await;
    assert_eq!(me(&mock, &key).await, 200);
}

/// Armor nonces are remembered while their timestamp is in the window, however many:
/// when the store is full of them, new requests get 503 (and `Retry-After`) and the old
/// nonces are still refused; once the window has moved past them they are forgotten and
/// room is made, their replays now refused by the timestamp check.
#[tokio::test]
async fn armor_nonces_are_forgotten_by_timestamp_only() {
    use signed_api_mock::Faults;
    let mock = start_with(Limits {
        max_nonces: 3,
        ..Limits::default()
    })
    .await;
    let signed_at = now();
    let prepare_at = |at: i64| {
        let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), Some(at));
        async move { armor.request(Method::GET, "/me").prepare().await.unwrap() }
    };
    let mut accepted = Vec::new();
    for _ in 0..3 {
        let prepared = prepare_at(signed_at).await;
        assert_eq!(deliver(&prepared, None).await.status, 200);
        accepted.push(prepared);
    }
    let full = deliver(&prepare_at(signed_at).await, None).await;
    assert_eq!(full.status, 503, "{full:?}");
    let retry_after: i64 = full.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=302).contains(&retry_after), "{retry_after}");
    for replay in &accepted {
        let answer = deliver(replay, None).await;
        assert_eq!(answer.status, 401, "{answer:?}");
        assert!(answer.body.contains("Nonce already used"), "{answer:?}");
    }

    // The mock's clock moves past the window of the nonces it holds.
    let window = 300;
    mock.set_faults(Api::Armor, Faults::none().clock_offset(window + 2));
    let later = signed_at + window + 2;
    for _ in 0..3 {
        let prepared = prepare_at(later).await;
        assert_eq!(deliver(&prepared, None).await.status, 200);
    }
    for replay in &accepted {
        let answer = deliver(replay, None).await;
        assert_eq!(answer.status, 401, "{answer:?}");
        assert!(answer.body.contains("timestamp"), "{answer:?}");
    }
}
