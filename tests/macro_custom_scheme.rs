//! The custom-scheme example (`examples/custom_scheme.rs`), run against its own verifying
//! server: a user-written `Scheme` plugged in with `#[signed_api(scheme = Type)]`.

#[allow(dead_code, unused_imports)]
#[path = "../examples/custom_scheme.rs"]
mod example;

use example::{HmacSha256, HmacSha256Verifier, Note, NotesClient, start_server};
use signed_api::Error;
use signed_api::scheme::{Scheme, SignableRequest, SigningParams};
use signed_api::verify::{ReceivedRequest, Verifier};

#[tokio::test]
async fn the_example_runs_against_a_verifying_server() {
    let server = start_server(HmacSha256Verifier::new("k1", "s3cret", 60)).await;
    let client = NotesClient::builder()
        .scheme(HmacSha256::new("k1", "s3cret").unwrap())
        .base_url(server.url("/v1"))
        .build()
        .unwrap();
    let (id, found) = example::run(&client).await.unwrap();
    assert_eq!(id, 17);
    assert_eq!(
        found,
        [Note {
            title: "signed".into(),
            text: "every request".into()
        }]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "/v1/notes");
    assert_eq!(requests[1].target, "/v1/notes?q=sign");
    assert!(requests.iter().all(|r| r.header("x-signature").is_some()));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_server() {
    let server = start_server(HmacSha256Verifier::new("k1", "s3cret", 60)).await;
    let client = NotesClient::builder()
        .scheme(HmacSha256::new("k1", "not-the-secret").unwrap())
        .base_url(server.url(""))
        .build()
        .unwrap();
    let error = example::run(&client).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 401);
    assert!(error.to_string().contains("signature mismatch"), "{error}");
}

#[test]
fn a_body_changed_after_signing_fails_verification() {
    let scheme = HmacSha256::new("k1", "s3cret").unwrap();
    let url = "http://127.0.0.1:1/v1/notes?q=a";
    let signed = SignableRequest::new("POST", url, br#"{"a":1}"#);
    let headers = scheme
        .sign(&signed, &SigningParams::at(1_700_000_000))
        .unwrap();
    let mut headers: signed_api::HeaderMap = headers.into_iter().collect();
    headers.insert("host", "127.0.0.1:1".parse().unwrap());
    let verifier = HmacSha256Verifier::new("k1", "s3cret", 60);
    let received = |body: &'static [u8]| {
        ReceivedRequest::new("http", "POST", "/v1/notes?q=a", &headers, body).unwrap()
    };
    assert!(
        verifier
            .verify(&received(br#"{"a":1}"#), 1_700_000_010)
            .is_ok()
    );
    assert!(
        verifier
            .verify(&received(br#"{"a":2}"#), 1_700_000_010)
            .is_err()
    );
    assert!(
        verifier
            .verify(&received(br#"{"a":1}"#), 1_700_001_000)
            .is_err(),
        "outside the window"
    );
}

#[test]
fn the_builder_needs_a_scheme_and_the_secret_never_shows() {
    let error = NotesClient::builder()
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = NotesClient::builder()
        .scheme(HmacSha256::new("k1", "s3cret").unwrap())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("base URL"), "{error}");
    let client = NotesClient::builder()
        .scheme(HmacSha256::new("k1", "sentinel-secret-42").unwrap())
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("sentinel-secret-42"));
}
