//! Host and request-target confusion: requests written by hand over a bare TCP stream
//! (no HTTP client in between to normalise them), each either refused with a 4xx or
//! verified against the bytes the mock received. Every test ends by sending the request
//! it tampered with, untampered, and seeing it pass: the refusals are the tampering's
//! doing, not a broken request.

mod common;

use common::*;
use signed_api_mock::{Api, MockServer};
use signed_api_runtime::keys::RsaKey;
use signed_api_runtime::scheme::Scheme;
use signed_api_runtime::schemes::NopsKeyPlacement;
use signed_api_runtime::{Client, Method, RetryPolicy};

/// The read endpoint the tests call on each API, relative to its prefix.
fn read_path(api: Api) -> &'static str {
    match api {
        Api::Ovh => "/me",
        Api::Nops => "/c/admin/projectaws/",
        Api::Qredo => "/assets",
        Api::Armor => "/me",
        Api::S3 => "/",
    }
}

/// A client of `api` signing with the mock's credentials, for `base_url`.
fn signer(api: Api, base_url: &str) -> Client {
    fn build(scheme: impl Scheme, base_url: &str) -> Client {
        Client::builder(scheme)
            .base_url(base_url)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    }
    match api {
        Api::Ovh => build(ovh_scheme(OVH_AS), base_url),
        Api::Nops => build(
            nops_scheme(RsaKey::from_pem_file(nops_key()).unwrap()),
            base_url,
        ),
        Api::Qredo => build(
            qredo_scheme(RsaKey::from_pem_file(qredo_key()).unwrap()),
            base_url,
        ),
        Api::Armor => build(armor_scheme(ARMOR_SECRET), base_url),
        Api::S3 => build(sigv4_scheme(S3_SECRET), base_url),
    }
}

/// A freshly signed `GET` of [`read_path`], as the client would send it.
async fn signed(mock: &MockServer, api: Api) -> RawRequest {
    let prepared = signer(api, &mock.base_url(api))
        .request(Method::GET, read_path(api))
        .prepare()
        .await
        .unwrap();
    RawRequest::from_prepared(&prepared, &mock.origin())
}

/// The header carrying each API's signature.
fn signature_header(api: Api) -> &'static str {
    match api {
        Api::Ovh => "x-ovh-signature",
        Api::Nops => "x-nops-signature",
        Api::Qredo => "x-sign",
        Api::Armor | Api::S3 => "authorization",
    }
}

/// The header naming each API's key (or, for Armor, the account it acts in; S3 names its
/// key in `Authorization`, and its signing time here).
fn key_header(api: Api) -> &'static str {
    match api {
        Api::Ovh => "x-ovh-consumer",
        Api::Nops => "x-nops-api-key",
        Api::Qredo => "x-api-key",
        Api::Armor => "x-account-context",
        Api::S3 => "x-amz-date",
    }
}

async fn assert_refused(mock: &MockServer, request: &RawRequest, what: &str) {
    let answer = send(mock, request).await;
    assert!(answer.refused(), "{what}: {request:?} -> {answer:?}");
}

async fn assert_passes(mock: &MockServer, request: &RawRequest, what: &str) {
    let answer = send(mock, request).await;
    assert_eq!(answer.status, 200, "{what}: {request:?} -> {answer:?}");
}

#[tokio::test]
async fn valid_raw_requests_pass() {
    let mock = start().await;
    for api in Api::ALL {
        assert_passes(&mock, &signed(&mock, api).await, api.name()).await;
    }
}

/// The attack reproduced: a captured nOps signature (it covers the path, not the host)
/// for `current_client`, sent to the projects with a `Host` that carries the signed path
/// and turns the real request-target into a query. A server that rebuilt the URL from
/// `Host` checked the signature against `/nops/c/admin/current_client/` and answered the
/// projects.
#[tokio::test]
async fn a_captured_nops_signature_does_not_open_another_path_through_host() {
    let mock = start().await;
    let port = mock.addr().port();
    let scheme = nops_scheme(RsaKey::from_pem_file(nops_key()).unwrap())
        .key_placement(NopsKeyPlacement::Header);
    let captured = client(&mock, Api::Nops, scheme, None)
        .request(Method::GET, "/c/admin/current_client/")
        .prepare()
        .await
        .unwrap();
    let captured = RawRequest::from_prepared(&captured, &mock.origin());
    assert_eq!(captured.target, "/nops/c/admin/current_client/");

    let mut attack = captured.clone().set_header(
        "host",
        &format!("127.0.0.1:{port}/nops/c/admin/current_client/?"),
    );
    attack.target = "/nops/c/admin/projectaws/".to_owned();
    let answer = send(&mock, &attack).await;
    assert!(answer.refused(), "{answer:?}");
    assert!(!answer.text.contains("demo-project"), "{answer:?}");

    // Without the crafted Host the signature does not fit the projects either…
    let mut other_path = captured.clone();
    other_path.target = "/nops/c/admin/projectaws/".to_owned();
    assert_refused(&mock, &other_path, "signature of another path").await;
    // … and it is a valid signature for the path it was made for.
    assert_passes(&mock, &captured, "the captured request").await;
}

/// `Host` values that are not `host[:port]`, two `Host` headers, none: each refused, on
/// every API (nOps and Armor do not sign the host, so a lax server accepted several; S3
/// signs it).
#[tokio::test]
async fn hosts_that_are_not_host_and_port_are_refused() {
    let mock = start().await;
    let authority = mock.addr().to_string();
    let bad_hosts = [
        format!("{authority}/x"),
        format!("{authority}/"),
        format!("{authority}?x"),
        format!("{authority}?"),
        format!("{authority}#x"),
        format!("user@{authority}"),
        format!("user:password@{authority}"),
        format!("127.0.0.1 :{}", mock.addr().port()),
        format!("{authority} x"),
        format!("{authority}:1"),
        format!("{authority}\\x"),
        String::new(),
    ];
    for api in Api::ALL {
        for host in &bad_hosts {
            let request = signed(&mock, api).await.set_header("host", host);
            assert_refused(&mock, &request, &format!("{api}, Host {host:?}")).await;
        }
        let request = signed(&mock, api).await;
        let twice = request.clone().add_header("host", &authority);
        assert_refused(&mock, &twice, &format!("{api}, Host twice")).await;
        let other = request.clone().add_header("host", "example.com");
        assert_refused(&mock, &other, &format!("{api}, two different Hosts")).await;
        let none = request.clone().remove_header("host");
        assert_refused(&mock, &none, &format!("{api}, no Host")).await;
        assert_passes(&mock, &request, api.name()).await;
    }
}

/// OVH and Qredo sign the whole URL, S3 its `Host` and path. A client whose base URL has an extra path segment
/// signs `http://127.0.0.1:PORT/x/...`; sending the same bytes with that segment moved
/// into `Host` gives a server that rebuilds the URL from `Host` the URL that was signed,
/// for a request-target that was not. The mock checks the `Host` first and refuses.
#[tokio::test]
async fn a_signature_over_a_path_moved_into_host_is_refused() {
    let mock = start().await;
    let authority = mock.addr().to_string();
    for api in [Api::Ovh, Api::Qredo, Api::S3] {
        let shifted = format!("{}/x{}", mock.origin(), api.prefix());
        let prepared = signer(api, &shifted)
            .request(Method::GET, read_path(api))
            .prepare()
            .await
            .unwrap();
        let mut request = RawRequest::from_prepared(&prepared, &mock.origin());
        assert!(request.target.starts_with("/x/"), "{request:?}");
        request.target = request.target["/x".len()..].to_owned();
        let request = request.set_header("host", &format!("{authority}/x"));
        assert_refused(&mock, &request, &format!("{api}, path in Host")).await;
        assert_passes(&mock, &signed(&mock, api).await, api.name()).await;
    }
}

#[tokio::test]
async fn absolute_form_targets_are_refused() {
    let mock = start().await;
    for api in Api::ALL {
        let request = signed(&mock, api).await;
        for origin in [mock.origin(), "http://example.com".to_owned()] {
            let mut absolute = request.clone();
            absolute.target = format!("{origin}{}", request.target);
            assert_refused(&mock, &absolute, &format!("{api}, {}", absolute.target)).await;
        }
        assert_passes(&mock, &request, api.name()).await;
    }
}

#[tokio::test]
async fn methods_that_are_not_upper_case_are_refused() {
    let mock = start().await;
    for api in Api::ALL {
        let request = signed(&mock, api).await;
        for method in ["get", "Get", "gET"] {
            let mut lower = request.clone();
            lower.method = method.to_owned();
            assert_refused(&mock, &lower, &format!("{api}, {method}")).await;
        }
        assert_passes(&mock, &request, api.name()).await;
    }
}

/// OVH and Armor sign the timestamp as a number, so `+T` and `0T` reproduce the signature
/// of `T`: a lax parser accepted the same signature under another text. (White space
/// around a header value is not part of it in HTTP, so it is not tried here.)
#[tokio::test]
async fn timestamps_with_a_sign_or_leading_zeros_are_refused() {
    let mock = start().await;

    let request = signed(&mock, Api::Ovh).await;
    let timestamp = request.header("x-ovh-timestamp").unwrap().to_owned();
    for variant in [
        format!("+{timestamp}"),
        format!("0{timestamp}"),
        format!("00{timestamp}"),
    ] {
        let tampered = request.clone().set_header("x-ovh-timestamp", &variant);
        assert_refused(&mock, &tampered, &format!("OVH timestamp {variant:?}")).await;
    }
    assert_passes(&mock, &request, "OVH").await;

    let request = signed(&mock, Api::Armor).await;
    let authorization = request.header("authorization").unwrap().to_owned();
    let (fields, timestamp) = authorization.rsplit_once(':').unwrap();
    for variant in [format!("+{timestamp}"), format!("0{timestamp}")] {
        let tampered = request
            .clone()
            .set_header("authorization", &format!("{fields}:{variant}"));
        assert_refused(&mock, &tampered, &format!("Armor timestamp {variant:?}")).await;
    }
    // The refusals did not use up the nonce.
    assert_passes(&mock, &request, "Armor").await;
}

/// A signature or key header sent twice, valid copy first or last, or the same valid
/// value twice: a server reading the first copy while another part reads the last must
/// not be possible, so both are refused.
#[tokio::test]
async fn duplicated_signature_and_key_headers_are_refused() {
    let mock = start().await;
    for api in Api::ALL {
        let request = signed(&mock, api).await;
        for name in [signature_header(api), key_header(api)] {
            let valid = request.header(name).map(str::to_owned);
            let Some(valid) = valid else {
                // nOps sends its key in the query: a second `api_key` there.
                let mut twice = request.clone();
                let key = twice.target.split("api_key=").nth(1).unwrap().to_owned();
                twice.target.push_str(&format!("&api_key={key}"));
                assert_refused(&mock, &twice, &format!("{api}, api_key twice")).await;
                let both = request.clone().add_header(name, &key);
                assert_refused(&mock, &both, &format!("{api}, key in query and {name}")).await;
                continue;
            };
            let same_twice = request.clone().add_header(name, &valid);
            assert_refused(&mock, &same_twice, &format!("{api}, {name} twice")).await;
            let junk_after = request.clone().add_header(name, "junk");
            assert_refused(&mock, &junk_after, &format!("{api}, {name} + junk")).await;
            let junk_first = request
                .clone()
                .set_header(name, "junk")
                .add_header(name, &valid);
            assert_refused(&mock, &junk_first, &format!("{api}, junk + {name}")).await;
        }
        assert_passes(&mock, &request, api.name()).await;
    }
}

/// Qredo's signed payload starts with the timestamp or the nonce and does not say which.
/// A timestamp-mode request captured at T and sent two days later to a nonce-mode mock
/// is refused as it is (it carries `x-timestamp`), with both headers, and relabelled
/// `x-nonce: T`: relabelled, it is byte for byte a nonce-mode request with nonce T, which
/// only the nonce order can refuse (T in seconds is below the microsecond nonces the
/// mock's own client has used). A timestamp-mode mock refuses nonce-mode requests.
#[tokio::test]
async fn qredo_requests_of_the_other_mode_are_refused() {
    use signed_api_mock::{Faults, MockConfig};
    use signed_api_runtime::schemes::QredoTimeMode;

    let signed_at = now();
    let two_days = 2 * 86_400;
    let config = MockConfig::new(credentials())
        .qredo_mode(QredoTimeMode::Nonce)
        .faults(Api::Qredo, Faults::none().clock_offset(two_days));
    let nonce_mock = MockServer::start(config).await.unwrap();
    let qredo_key = || RsaKey::from_pem_file(qredo_key()).unwrap();
    let prepare = |client: Client| async move {
        client
            .request(Method::GET, "/assets")
            .prepare()
            .await
            .unwrap()
    };

    // The nonce-mode mock's own client gets through.
    let own = client(
        &nonce_mock,
        Api::Qredo,
        qredo_scheme(qredo_key()).time_mode(QredoTimeMode::Nonce),
        None,
    );
    let own = RawRequest::from_prepared(&prepare(own).await, &nonce_mock.origin());
    assert_passes(&nonce_mock, &own, "nonce mode on the nonce-mode mock").await;

    let captured = client(
        &nonce_mock,
        Api::Qredo,
        qredo_scheme(qredo_key()),
        Some(signed_at),
    );
    let captured = RawRequest::from_prepared(&prepare(captured).await, &nonce_mock.origin());
    let timestamp = captured.header("x-timestamp").unwrap().to_owned();
    assert_eq!(timestamp, signed_at.to_string());
    assert_refused(&nonce_mock, &captured, "x-timestamp on a nonce-mode mock").await;
    let relabelled = captured
        .clone()
        .remove_header("x-timestamp")
        .add_header("x-nonce", &timestamp);
    assert_refused(&nonce_mock, &relabelled, "x-timestamp relabelled x-nonce").await;
    let both = captured.clone().add_header("x-nonce", &timestamp);
    assert_refused(&nonce_mock, &both, "x-timestamp and x-nonce").await;

    // The other way round: nonce-mode requests on a timestamp-mode mock.
    let timestamp_mock = start().await;
    let nonce_client = client(
        &timestamp_mock,
        Api::Qredo,
        qredo_scheme(qredo_key()).time_mode(QredoTimeMode::Nonce),
        None,
    );
    let with_nonce =
        RawRequest::from_prepared(&prepare(nonce_client).await, &timestamp_mock.origin());
    let nonce = with_nonce.header("x-nonce").unwrap().to_owned();
    assert_refused(
        &timestamp_mock,
        &with_nonce,
        "x-nonce on a timestamp-mode mock",
    )
    .await;
    let relabelled = with_nonce
        .clone()
        .remove_header("x-nonce")
        .add_header("x-timestamp", &nonce);
    assert_refused(
        &timestamp_mock,
        &relabelled,
        "x-nonce relabelled x-timestamp",
    )
    .await;
    let both = with_nonce.add_header("x-timestamp", &now().to_string());
    assert_refused(&timestamp_mock, &both, "x-nonce and x-timestamp").await;
    let own = client(&timestamp_mock, Api::Qredo, qredo_scheme(qredo_key()), None);
    let own = RawRequest::from_prepared(&prepare(own).await, &timestamp_mock.origin());
    assert_passes(
        &timestamp_mock,
        &own,
        "timestamp mode on the timestamp-mode mock",
    )
    .await;
}
