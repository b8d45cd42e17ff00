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

/// `POST` (or `PUT`) `body` to `path`; the status.
async fn status_of(client: &Client, method: Method, path: &str, body: serde_json::Value) -> u16 {
    match client.request(method, path).json_body(&body).send().await {
        Ok(answer) => answer.status().as_u16(),
        Err(error) => error.api().unwrap().status.as_u16(),
    }
}

/// `POST` `body` to `path`, which must pass; the answer.
async fn created(client: &Client, path: &str, body: serde_json::Value) -> serde_json::Value {
    client
        .request(Method::POST, path)
        .json_body(&body)
        .json()
        .await
        .unwrap()
}

/// Every kind of item a signed client can create stops at the bound with 507, and room
/// made by a deletion is usable again.
#[tokio::test]
async fn items_signed_clients_create_are_bounded() {
    use serde_json::json;
    use signed_api_runtime::keys::RsaKey;
    let mock = start_with(Limits {
        max_items: 3,
        ..Limits::default()
    })
    .await;

    // OVH DNS records: two seeded, one more fits.
    let ovh = client(&mock, Api::Ovh, ovh_scheme(OVH_AS), None);
    let records = "/domain/zone/example.org/record";
    let record = || json!({ "fieldType": "TXT", "target": "t" });
    let kept = created(&ovh, records, record()).await;
    assert_eq!(status_of(&ovh, Method::POST, records, record()).await, 507);
    ovh.request(Method::DELETE, "/domain/zone/example.org/record/{id}")
        .path_param("id", kept["id"].as_u64().unwrap())
        .empty()
        .await
        .unwrap();
    assert_eq!(status_of(&ovh, Method::POST, records, record()).await, 200);

    // nOps projects (one seeded) and schedulers.
    let nops_key = RsaKey::from_pem_file(nops_key()).unwrap();
    let nops = client(&mock, Api::Nops, nops_scheme(nops_key), None);
    let projects = "/c/admin/projectaws/";
    let project = || json!({ "name": "p", "account_number": "123456789012" });
    for expected in [201, 201, 507] {
        assert_eq!(
            status_of(&nops, Method::POST, projects, project()).await,
            expected
        );
    }
    let schedulers = "/svc/notifications/scheduler/nops_scheduler";
    let scheduler = || {
        json!({ "project": 1, "account_number": "123456789012",
                "eventbridge_configuration": "4288edde-fe34-4d6f-b5cb-e7ca9ce823ed",
                "scheduler_for": "ec2", "hours_down": 12, "resources": ["i-1"],
                "actions": [] })
    };
    for expected in [201, 201, 201, 507] {
        assert_eq!(
            status_of(&nops, Method::POST, schedulers, scheduler()).await,
            expected
        );
    }

    // Qredo: companies, trusted parties, funds and wallets, whitelist, transactions.
    let qredo_key = RsaKey::from_pem_file(qredo_key()).unwrap();
    let qredo = client(&mock, Api::Qredo, qredo_scheme(qredo_key), None);
    let company = created(&qredo, "/company", json!({ "name": "c" })).await;
    let company = company["company_id"].as_str().unwrap().to_owned();
    for expected in [200, 200, 507] {
        assert_eq!(
            status_of(&qredo, Method::POST, "/company", json!({ "name": "c" })).await,
            expected
        );
    }
    let parties = format!("/company/{company}/trustedparty");
    let party = created(&qredo, &parties, json!({ "address": "a0" })).await;
    let party = party["trustedparty_id"].as_str().unwrap().to_owned();
    for (address, expected) in [("a1", 200), ("a2", 200), ("a3", 507), ("a0", 200)] {
        let body = json!({ "address": address });
        assert_eq!(
            status_of(&qredo, Method::POST, &parties, body).await,
            expected,
            "{address}"
        );
    }
    let group = json!({ "threshold": 1, "members": [party] });
    let fund_with = |wallets: usize| {
        let wallets: Vec<_> = (0..wallets)
            .map(|i| json!({ "name": format!("w{i}"), "asset": "BTC" }))
            .collect();
        json!({ "name": "f", "custodygroup_withdraw": group, "custodygroup_tx": group,
                "wallets": wallets })
    };
    let funds = format!("/company/{company}/fund");
    assert_eq!(
        status_of(&qredo, Method::POST, &funds, fund_with(4)).await,
        507
    );
    let fund = created(&qredo, &funds, fund_with(3)).await;
    let fund_id = fund["fund_id"].as_str().unwrap().to_owned();
    assert_eq!(
        status_of(&qredo, Method::POST, &funds, fund_with(1)).await,
        507
    );
    for expected in [200, 200, 507] {
        assert_eq!(
            status_of(&qredo, Method::POST, &funds, fund_with(0)).await,
            expected
        );
    }
    let whitelist = format!("/company/{company}/fund/{fund_id}/whitelist");
    for (address, expected) in [
        ("x1", 200),
        ("x2", 200),
        ("x3", 200),
        ("x4", 507),
        ("x1", 200),
    ] {
        let body = json!({ "name": "n", "asset": "BTC", "address": address });
        assert_eq!(
            status_of(&qredo, Method::POST, &whitelist, body).await,
            expected,
            "{address}"
        );
    }
    let deposit: serde_json::Value = qredo
        .request(Method::GET, format!("/company/{company}/fund/{fund_id}"))
        .json()
        .await
        .unwrap();
    let wallet = deposit["wallets"][0]["wallet_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let transfers = format!("/company/{company}/transfer");
    let transfer = |partner: &str| {
        json!({ "wallet_id": wallet, "counterparty_wallet_address": "elsewhere",
                "expires": now() + 3600, "send": { "symbol": "BTC", "amount": 1000 },
                "partner_txID": partner })
    };
    for (partner, expected) in [
        ("t1", 200),
        ("t2", 200),
        ("t3", 200),
        ("t4", 507),
        ("t1", 200),
    ] {
        let status = status_of(&qredo, Method::POST, &transfers, transfer(partner)).await;
        assert_eq!(status, expected, "{partner}");
    }

    // Armor ticket comments (one seeded).
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let comments = "/tickets/SUP-1001/comments";
    for expected in [200, 200, 507] {
        let body = json!({ "comment": "c" });
        assert_eq!(
            status_of(&armor, Method::POST, comments, body).await,
            expected
        );
    }
}

/// One item cannot be made large either: a JSON body over 64 KiB is refused (413).
#[tokio::test]
async fn stored_json_bodies_are_bounded() {
    let mock = start().await;
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let comments = "/tickets/SUP-1001/comments";
    let large = serde_json::json!({ "comment": "c".repeat(64 * 1024) });
    assert_eq!(status_of(&armor, Method::POST, comments, large).await, 413);
    let fits = serde_json::json!({ "comment": "c".repeat(60 * 1024) });
    assert_eq!(status_of(&armor, Method::POST, comments, fits).await, 200);
}

/// S3 keeps at most `max_items` buckets, `max_items` objects over all of them, and
/// `max_stored_bytes` of object data: past either, a write is refused and what is kept
/// stays readable; deleting makes room again.
#[tokio::test]
async fn s3_buckets_objects_and_bytes_are_bounded() {
    let mock = start_with(Limits {
        max_items: 2,
        max_stored_bytes: 10,
        ..Limits::default()
    })
    .await;
    let s3 = client(&mock, Api::S3, sigv4_scheme(S3_SECRET), None);
    let status = |result: signed_api_runtime::Result<signed_api_runtime::Response>| match result {
        Ok(answer) => (answer.status().as_u16(), None),
        Err(error) => {
            let error = error.api().unwrap().clone();
            (error.status.as_u16(), error.code)
        }
    };
    let put = |path: &'static str, body: &'static str| {
        s3.request(Method::PUT, path)
            .raw_body(body, "text/plain")
            .send()
    };
    for bucket in ["/one", "/two"] {
        assert_eq!(status(s3.request(Method::PUT, bucket).send().await).0, 200);
    }
    assert_eq!(
        status(s3.request(Method::PUT, "/three").send().await),
        (400, Some("TooManyBuckets".to_owned()))
    );
    assert_eq!(status(put("/one/a", "123456").await).0, 200);
    assert_eq!(status(put("/two/b", "1234").await).0, 200);
    let full = (507, Some("InsufficientStorage".to_owned()));
    assert_eq!(status(put("/one/c", "").await), full, "two objects at most");
    assert_eq!(
        status(put("/one/a", "1234567").await),
        full,
        "ten bytes at most"
    );
    assert_eq!(
        status(put("/one/a", "12").await).0,
        200,
        "a smaller replacement"
    );
    assert_eq!(
        s3.request(Method::GET, "/two/b").text().await.unwrap(),
        "1234"
    );
    s3.request(Method::DELETE, "/two/b").empty().await.unwrap();
    assert_eq!(status(put("/one/c", "12345678").await).0, 200);
    s3.request(Method::DELETE, "/two").empty().await.unwrap();
    assert_eq!(
        status(s3.request(Method::PUT, "/three").send().await).0,
        200
    );
}
