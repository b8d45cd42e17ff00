//! The mock as a server: OVH's unsigned calls and consumer-key flow, unknown paths
//! (404 only after the signature check), the request counters and the injected faults.

mod common;

use std::time::{Duration, Instant};

use common::*;
use signed_api_mock::{Api, Faults};
use signed_api_runtime::schemes::{OvhCredentials, OvhScheme};
use signed_api_runtime::{Method, RetryPolicy};

#[tokio::test]
async fn ovh_time_is_unsigned_and_follows_the_clock_offset() {
    let mock = start().await;
    let answer = get_unsigned(&format!("{}/auth/time", mock.base_url(Api::Ovh))).await;
    assert_eq!(answer.status, 200);
    let server_time: i64 = answer.body.trim().parse().unwrap();
    assert!((server_time - now()).abs() <= 2, "{server_time}");

    mock.set_faults(Api::Ovh, Faults::none().clock_offset(-7200));
    let answer = get_unsigned(&format!("{}/auth/time", mock.base_url(Api::Ovh))).await;
    let skewed: i64 = answer.body.trim().parse().unwrap();
    assert!((skewed - (now() - 7200)).abs() <= 2, "{skewed}");
    let date = answer.headers["date"].to_str().unwrap();
    let date = httpdate_secs(date);
    assert!((date - (now() - 7200)).abs() <= 2, "{date}");

    // The runtime's client learns the offset from /auth/time and its calls pass.
    let ovh = signed_api_runtime::Client::builder(ovh_scheme(OVH_AS))
        .base_url(mock.base_url(Api::Ovh))
        .build()
        .unwrap();
    let me: serde_json::Value = ovh.request(Method::GET, "/me").json().await.unwrap();
    assert_eq!(me["nichandle"], "xx1111-ovh");
    assert!((ovh.clock().offset() + 7200).abs() <= 2);
}

/// Unix seconds of an HTTP date (`Tue, 14 Nov 2023 22:13:20 GMT`).
fn httpdate_secs(text: &str) -> i64 {
    let at = httpdate::parse_http_date(text).unwrap();
    at.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn the_consumer_key_flow_issues_keys_limited_to_their_rules() {
    let mock = start().await;
    let unsigned = signed_api_runtime::Client::builder(OvhScheme::new(
        OvhCredentials::new(OVH_AK, OVH_AS).unwrap(),
    ))
    .base_url(mock.base_url(Api::Ovh))
    .build()
    .unwrap();
    let body = serde_json::json!({ "accessRules": [{ "method": "GET", "path": "/me" }] });
    let credential: serde_json::Value = unsigned
        .request(Method::POST, "/auth/credential")
        .unsigned()
        .json_body(&body)
        .json()
        .await
        .unwrap();
    assert_eq!(credential["state"], "pendingValidation");
    let consumer_key = credential["consumerKey"].as_str().unwrap();
    assert!(
        credential["validationUrl"]
            .as_str()
            .unwrap()
            .starts_with(&mock.origin())
    );

    // Without the application header, the same call is refused.
    let answer = reqwest::Client::new()
        .post(format!("{}/auth/credential", mock.base_url(Api::Ovh)))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);

    let scheme = OvhScheme::new(
        OvhCredentials::new(OVH_AK, OVH_AS)
            .unwrap()
            .with_consumer_key(consumer_key)
            .unwrap(),
    );
    let ovh = client(&mock, Api::Ovh, scheme, None);
    let me = ovh.request(Method::GET, "/me").send().await.unwrap();
    assert_eq!(me.status(), 200);
    let refused = ovh
        .request(Method::GET, "/auth/currentCredential")
        .send()
        .await
        .unwrap_err();
    let refused = refused.api().unwrap();
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.code.as_deref(),
        Some("NOT_GRANTED_CALL"),
        "only GET /me was granted"
    );
}

#[tokio::test]
async fn unknown_paths_are_404_only_after_the_signature_check() {
    let mock = start().await;
    let unsigned = get_unsigned(&format!("{}/no/such/path", mock.base_url(Api::Armor))).await;
    assert_eq!(unsigned.status, 401, "{unsigned:?}");
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let error = armor
        .request(Method::GET, "/no/such/path")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().status, 404);
    let outside = get_unsigned(&format!("{}/elsewhere", mock.origin())).await;
    assert_eq!(outside.status, 404);
    assert_eq!(mock.requests(Api::Armor), 2);
    assert_eq!(mock.total_requests(), 3);
}

#[tokio::test]
async fn records_are_created_listed_read_and_deleted() {
    let mock = start().await;
    let ovh = client(&mock, Api::Ovh, ovh_scheme(OVH_AS), None);
    let record: serde_json::Value = ovh
        .request(Method::POST, "/domain/zone/{zone}/record")
        .path_param("zone", "example.org")
        .json_body(&serde_json::json!({ "fieldType": "TXT", "subDomain": "ü", "target": "✓ ok" }))
        .json()
        .await
        .unwrap();
    let id = record["id"].as_u64().unwrap();
    let ids: Vec<u64> = ovh
        .request(Method::GET, "/domain/zone/example.org/record")
        .query("subDomain", "ü")
        .json()
        .await
        .unwrap();
    assert_eq!(ids, vec![id]);
    let read: serde_json::Value = ovh
        .request(Method::GET, "/domain/zone/example.org/record/{id}")
        .path_param("id", id)
        .json()
        .await
        .unwrap();
    assert_eq!(read["target"], "✓ ok");
    ovh.request(Method::DELETE, "/domain/zone/example.org/record/{id}")
        .path_param("id", id)
        .empty()
        .await
        .unwrap();
    let gone = ovh
        .request(Method::GET, "/domain/zone/example.org/record/{id}")
        .path_param("id", id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.api().unwrap().status, 404);
}

#[tokio::test]
async fn faults_are_injected_per_api() {
    let mock = start().await;
    let ovh_time = format!("{}/auth/time", mock.base_url(Api::Ovh));

    mock.set_faults(Api::Ovh, Faults::none().error_rate(1.0));
    let answer = get_unsigned(&ovh_time).await;
    assert_eq!(answer.status, 503);
    assert!(
        answer.body.contains("message"),
        "vendor shape: {}",
        answer.body
    );
    // Only the API with the fault misbehaves.
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    assert_eq!(
        armor
            .request(Method::GET, "/me")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    mock.set_faults(Api::Ovh, Faults::none().rate_limit(1.0, 7));
    let answer = get_unsigned(&ovh_time).await;
    assert_eq!(answer.status, 429);
    assert_eq!(answer.headers["retry-after"], "7");

    mock.set_faults(Api::Ovh, Faults::none().drop_rate(1.0));
    let dropped = reqwest::get(&ovh_time).await;
    assert!(dropped.is_err(), "{dropped:?}");

    mock.set_faults(Api::Ovh, Faults::none().latency(Duration::from_millis(300)));
    let started = Instant::now();
    assert_eq!(get_unsigned(&ovh_time).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // The runtime's retries get through a 503 that clears. The fault is lifted once the
    // mock has refused a first attempt, not after a fixed sleep: backoff has full jitter,
    // so a timed clear can come after the last attempt on a slow machine.
    mock.set_faults(Api::Armor, Faults::none().error_rate(1.0));
    let refused_before = mock.requests(Api::Armor);
    let retrying = signed_api_runtime::Client::builder(armor_scheme(ARMOR_SECRET))
        .base_url(mock.base_url(Api::Armor))
        .retry(
            RetryPolicy::default()
                .max_attempts(50)
                .backoff(Duration::from_millis(20), Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let call = tokio::spawn(async move { retrying.request(Method::GET, "/vms").send().await });
    while mock.requests(Api::Armor) == refused_before {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    mock.set_faults(Api::Armor, Faults::none());
    assert_eq!(call.await.unwrap().unwrap().status(), 200);
}
