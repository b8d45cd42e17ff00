//! The mock refuses what the vendors refuse: tampered bodies, stale timestamps, replayed
//! Armor nonces and wrong keys, each in the vendor's status and error shape. Every test
//! first shows that the untampered request passes, so a refusal is the tampering's doing.

mod common;

use common::*;
use signed_api_mock::{Api, Faults, MockConfig, MockServer};
use signed_api_runtime::Method;
use signed_api_runtime::keys::RsaKey;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn tampered_bodies_are_refused() {
    let mock = start().await;
    let body = serde_json::json!({ "fieldType": "TXT", "subDomain": "x", "target": "signed" });
    let tampered = br#"{"fieldType":"TXT","subDomain":"x","target":"tampered"}"#;

    let ovh = client(&mock, Api::Ovh, ovh_scheme(OVH_AS), None);
    let prepared = ovh
        .request(Method::POST, "/domain/zone/example.com/record")
        .json_body(&body)
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared, Some(tampered)).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert_eq!(json(&answer.body)["errorCode"], "INVALID_SIGNATURE");
    assert_eq!(deliver(&prepared, None).await.status, 200);

    let key = RsaKey::from_pem_file(qredo_key()).unwrap();
    let qredo = client(&mock, Api::Qredo, qredo_scheme(key), None);
    let prepared = qredo
        .request(Method::POST, "/company")
        .json_body(&serde_json::json!({ "name": "Signed" }))
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared, Some(br#"{"name":"Tampered"}"#)).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    let error = json(&answer.body);
    assert_eq!(error["msg"], "errPartnerAuth");
    assert_eq!(error["detail"]["reason"], "signature mismatch");
    assert_eq!(deliver(&prepared, None).await.status, 200);

    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let prepared = armor
        .request(Method::POST, "/vms/101/power/off")
        .json_body(&serde_json::json!({ "reason": "signed" }))
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared, Some(br#"{"reason":"tampered"}"#)).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert!(
        json(&answer.body)["Message"]
            .as_str()
            .unwrap()
            .contains("signature mismatch")
    );
    // The refused attempt did not use up the nonce.
    assert_eq!(deliver(&prepared, None).await.status, 200);
}

#[tokio::test]
async fn stale_timestamps_are_refused() {
    let mock = start().await;
    let stale = now() - 3600;

    let ovh = client(&mock, Api::Ovh, ovh_scheme(OVH_AS), Some(stale));
    let answer = deliver(
        &ovh.request(Method::GET, "/me").prepare().await.unwrap(),
        None,
    )
    .await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert_eq!(json(&answer.body)["errorCode"], "QUERY_TIME_OUT");

    let key = RsaKey::from_pem_file(qredo_key()).unwrap();
    let qredo = client(&mock, Api::Qredo, qredo_scheme(key), Some(stale));
    let answer = deliver(
        &qredo
            .request(Method::GET, "/assets")
            .prepare()
            .await
            .unwrap(),
        None,
    )
    .await;
    assert_eq!(answer.status, 401, "{answer:?}");
    let reason = json(&answer.body)["detail"]["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reason.contains("timestamp"), "{reason}");

    // Armor: five minutes is the limit, to the second.
    let armor_me_signed_at = |timestamp: i64| {
        let armor = client(
            &mock,
            Api::Armor,
            armor_scheme(ARMOR_SECRET),
            Some(timestamp),
        );
        async move {
            let prepared = armor.request(Method::GET, "/me").prepare().await.unwrap();
            deliver(&prepared, None).await
        }
    };
    let answer = armor_me_signed_at(now() - 330).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    let answer = armor_me_signed_at(now() - 240).await;
    assert_eq!(answer.status, 200, "{answer:?}");

    // nOps signs a date: a signature of two days ago is refused at any hour.
    let key = RsaKey::from_pem_file(nops_key()).unwrap();
    let nops = client(&mock, Api::Nops, nops_scheme(key), Some(now() - 2 * 86_400));
    let prepared = nops
        .request(Method::GET, "/c/admin/projectaws/")
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared, None).await;
    assert_eq!(answer.status, 403, "{answer:?}");
    assert!(
        json(&answer.body)["detail"]
            .as_str()
            .unwrap()
            .contains("signature")
    );
}

#[tokio::test]
async fn nops_accepts_the_neighbouring_day_only_near_midnight() {
    let mock = start().await;
    let midnight = (now() / 86_400 + 1) * 86_400;
    // The mock's clock reads ten seconds past the next midnight UTC.
    mock.set_faults(
        Api::Nops,
        Faults::none().clock_offset(midnight + 10 - now()),
    );
    let signed_at = |at: i64| {
        let key = RsaKey::from_pem_file(nops_key()).unwrap();
        client(&mock, Api::Nops, nops_scheme(key), Some(at))
    };
    let late_client = signed_at(midnight - 10); // still yesterday for the client
    let prepared = late_client
        .request(Method::GET, "/c/admin/projectaws/")
        .prepare()
        .await
        .unwrap();
    assert_eq!(deliver(&prepared, None).await.status, 200);
    let day_before = signed_at(midnight - 86_400 - 10);
    let prepared = day_before
        .request(Method::GET, "/c/admin/projectaws/")
        .prepare()
        .await
        .unwrap();
    assert_eq!(deliver(&prepared, None).await.status, 403);
}

#[tokio::test]
async fn replayed_armor_nonces_are_refused() {
    let mock = start().await;
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let prepared = armor.request(Method::GET, "/vms").prepare().await.unwrap();
    let first = deliver(&prepared, None).await;
    assert_eq!(first.status, 200, "{first:?}");
    let replay = deliver(&prepared, None).await;
    assert_eq!(replay.status, 401, "{replay:?}");
    assert!(
        json(&replay.body)["Message"]
            .as_str()
            .unwrap()
            .contains("Nonce already used")
    );
    // A fresh nonce goes through again.
    let fresh = armor.request(Method::GET, "/vms").prepare().await.unwrap();
    assert_eq!(deliver(&fresh, None).await.status, 200);
}

/// Armor joins path and nonce with no separator: `/vms/1` + nonce `1abc` signs the same
/// string as `/vms/11` + nonce `abc`. The re-cut request carries a nonce never seen, so
/// only remembering signatures refuses it.
#[tokio::test]
async fn a_recut_armor_request_is_refused_as_a_replay() {
    use signed_api_runtime::nonce::FixedNonce;
    use std::sync::Arc;
    let mock = start().await;
    let scheme = armor_scheme(ARMOR_SECRET).nonce_source(Arc::new(FixedNonce("1abc".into())));
    let armor = client(&mock, Api::Armor, scheme, None);
    let prepared = armor
        .request(Method::GET, "/vms/1")
        .prepare()
        .await
        .unwrap();
    let mut recut = prepared.clone();
    recut.url = prepared.url.replace("/vms/1", "/vms/11");
    let authorization = prepared.headers["authorization"].to_str().unwrap();
    assert!(authorization.contains(":1abc:"), "{authorization}");
    recut.headers.insert(
        "authorization",
        authorization.replace(":1abc:", ":abc:").parse().unwrap(),
    );
    let first = deliver(&prepared, None).await;
    assert_ne!(first.status, 401, "the original passes: {first:?}");
    let again = deliver(&recut, None).await;
    assert_eq!(again.status, 401, "{again:?}");
    assert!(again.body.contains("already used"), "{again:?}");
}

#[tokio::test]
async fn qredo_nonces_must_increase() {
    use signed_api_runtime::nonce::FixedNonce;
    use signed_api_runtime::schemes::QredoTimeMode;
    use std::sync::Arc;
    let config = MockConfig::new(credentials()).qredo_mode(QredoTimeMode::Nonce);
    let mock = MockServer::start(config).await.unwrap();
    let with_nonce = |nonce: &str| {
        let key = RsaKey::from_pem_file(qredo_key()).unwrap();
        let scheme = qredo_scheme(key)
            .time_mode(QredoTimeMode::Nonce)
            .nonce_source(Arc::new(FixedNonce(nonce.to_owned())));
        client(&mock, Api::Qredo, scheme, None)
    };
    let send = |nonce: &'static str| {
        let client = with_nonce(nonce);
        async move {
            let prepared = client
                .request(Method::GET, "/assets")
                .prepare()
                .await
                .unwrap();
            deliver(&prepared, None).await
        }
    };
    assert_eq!(send("100").await.status, 200);
    assert_eq!(send("101").await.status, 200);
    let again = send("101").await;
    assert_eq!(again.status, 401, "{again:?}");
    assert_eq!(send("99").await.status, 401);
}

#[tokio::test]
async fn wrong_keys_are_refused() {
    let mock = start().await;

    // OVH: a wrong application secret breaks the signature; an unknown application key
    // is refused as such, with 403.
    let ovh = client(&mock, Api::Ovh, ovh_scheme("not-the-secret"), None);
    let answer = deliver(
        &ovh.request(Method::GET, "/me").prepare().await.unwrap(),
        None,
    )
    .await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert!(!answer.body.contains(OVH_AS) && !answer.body.contains(OVH_CK));
    let stranger = signed_api_runtime::schemes::OvhScheme::new(
        signed_api_runtime::schemes::OvhCredentials::new("other-ak", OVH_AS)
            .unwrap()
            .with_consumer_key(OVH_CK)
            .unwrap(),
    );
    let ovh = client(&mock, Api::Ovh, stranger, None);
    let answer = deliver(
        &ovh.request(Method::GET, "/me").prepare().await.unwrap(),
        None,
    )
    .await;
    assert_eq!(answer.status, 403, "{answer:?}");
    assert_eq!(json(&answer.body)["errorCode"], "INVALID_KEY");

    // nOps: a signature by another key.
    let nops = client(&mock, Api::Nops, nops_scheme(other_key()), None);
    let prepared = nops
        .request(Method::GET, "/c/admin/projectaws/")
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared, None).await;
    assert_eq!(answer.status, 403, "{answer:?}");
    // … and a wrong API key.
    let wrong_key = signed_api_runtime::schemes::NopsScheme::new(
        signed_api_runtime::schemes::NopsCredentials::new("77.wrong").unwrap(),
    );
    let nops = client(&mock, Api::Nops, wrong_key, None);
    let prepared = nops
        .request(Method::GET, "/c/admin/projectaws/")
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared, None).await;
    assert_eq!(answer.status, 401, "{answer:?}");
    assert!(!answer.body.contains("77.wrong"));

    // Qredo: a signature by another key.
    let qredo = client(&mock, Api::Qredo, qredo_scheme(other_key()), None);
    let answer = deliver(
        &qredo
            .request(Method::GET, "/assets")
            .prepare()
            .await
            .unwrap(),
        None,
    )
    .await;
    assert_eq!(answer.status, 401, "{answer:?}");

    // Armor: a wrong secret, then the right one in the wrong account.
    let armor = client(&mock, Api::Armor, armor_scheme("not-the-secret"), None);
    let answer = deliver(
        &armor.request(Method::GET, "/me").prepare().await.unwrap(),
        None,
    )
    .await;
    assert_eq!(answer.status, 401, "{answer:?}");
    let armor = client(&mock, Api::Armor, armor_scheme(ARMOR_SECRET), None);
    let mut prepared = armor.request(Method::GET, "/me").prepare().await.unwrap();
    prepared
        .headers
        .insert("x-account-context", "9999".parse().unwrap());
    let answer = deliver(&prepared, None).await;
    assert_eq!(answer.status, 403, "{answer:?}");
    assert!(!answer.body.contains(ARMOR_SECRET));
}
