use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::credentials::OvhCredentials;
use super::signer::OvhScheme;
use super::verifier::OvhVerifier;
use crate::error::ApiErrorKind;
use crate::scheme::{Scheme, SignableRequest, SigningParams};
use crate::verify::{ReceivedRequest, Verifier, VerifyError};

fn scheme() -> OvhScheme {
    OvhScheme::new(
        OvhCredentials::new("AK", "AS")
            .unwrap()
            .with_consumer_key("CK")
            .unwrap(),
    )
}

#[test]
fn versioned_paths_drop_the_1_0_suffix() {
    let scheme = scheme();
    let base_url_for = |base: &'static str, path: &'static str| {
        let (base, kept) = scheme.address(base, path).unwrap();
        assert_eq!(kept, path, "the path itself is kept");
        base.into_owned()
    };
    let base = "https://eu.api.ovh.com/1.0";
    assert_eq!(base_url_for(base, "/v2/call"), "https://eu.api.ovh.com");
    assert_eq!(base_url_for(base, "/v1"), "https://eu.api.ovh.com");
    assert_eq!(base_url_for(base, "/v10/call"), base);
    assert_eq!(base_url_for(base, "/me"), base);
    assert_eq!(
        base_url_for("http://127.0.0.1:1/ovh", "/v1/x"),
        "http://127.0.0.1:1/ovh"
    );
}

#[test]
fn a_body_that_is_not_utf8_is_refused_even_when_signed() {
    let url = "https://eu.api.ovh.com/1.0/domain";
    let mut headers = HeaderMap::new();
    headers.insert("host", "eu.api.ovh.com".parse().unwrap());
    let verify = |body: &[u8]| {
        let signable = SignableRequest::new("POST", url, body);
        let mut headers = headers.clone();
        for (name, value) in scheme().constant_headers() {
            headers.insert(name, value);
        }
        for (name, value) in scheme()
            .sign(&signable, &SigningParams::at(1_700_000_000))
            .unwrap()
        {
            headers.insert(name, value);
        }
        let received =
            ReceivedRequest::new("https", "POST", "/1.0/domain", &headers, body).unwrap();
        OvhVerifier::new(scheme().credentials.clone(), 300).verify(&received, 1_700_000_000)
    };
    assert!(verify("{\"a\":\"caf\u{e9}\"}".as_bytes()).is_ok());
    // What a length extension's body looks like: the old body, `+`, the old timestamp,
    // then SHA-1 padding (0x80, zeros, the bit length).
    let extended = b"{}+1700000000\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x40";
    let err = verify(extended).unwrap_err();
    assert!(
        matches!(err, VerifyError::Malformed { what: "body", .. }),
        "{err:?}"
    );
}

#[test]
fn signing_without_a_consumer_key_is_a_clear_error() {
    let scheme = OvhScheme::new(OvhCredentials::new("AK", "AS").unwrap());
    let request = SignableRequest::new("GET", "https://eu.api.ovh.com/1.0/me", b"");
    let err = scheme.sign(&request, &SigningParams::at(1)).unwrap_err();
    assert!(err.to_string().contains("consumer key"), "{err}");
}

#[test]
fn blank_credentials_are_refused() {
    assert!(OvhCredentials::new("", "AS").is_err());
    assert!(OvhCredentials::new("AK", " ").is_err());
    assert!(
        OvhCredentials::new("AK", "AS")
            .unwrap()
            .with_consumer_key("")
            .is_err()
    );
    assert!(OvhCredentials::new("A\nK", "AS").is_err());
}

#[test]
fn error_bodies_are_decoded() {
    let mut headers = HeaderMap::new();
    headers.insert("x-ovh-queryid", "EU.ext-1.abc".parse().unwrap());
    let body = br#"{"errorCode":"INVALID_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential is not valid"}"#;
    let error = scheme()
        .responses()
        .decode_error(StatusCode::FORBIDDEN, &headers, body);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.code.as_deref(), Some("INVALID_CREDENTIAL"));
    assert_eq!(
        error.message.as_deref(),
        Some("This credential is not valid")
    );
    assert_eq!(error.request_id.as_deref(), Some("EU.ext-1.abc"));
}
