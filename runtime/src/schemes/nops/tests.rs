use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::string_to_sign::utc_date;
use super::*;
use crate::error::ApiErrorKind;
use crate::keys::RsaKey;
use crate::scheme::{Scheme, SignableRequest, SigningParams};

#[test]
fn utc_dates_are_zero_padded() {
    assert_eq!(utc_date(0).unwrap(), "1970-01-01");
    assert_eq!(utc_date(1_641_772_800).unwrap(), "2022-01-10");
    assert_eq!(utc_date(1_641_772_799).unwrap(), "2022-01-09");
}

#[test]
fn client_id_is_the_key_up_to_the_first_dot() {
    let credentials = NopsCredentials::new("123.abc.def").unwrap();
    assert_eq!(credentials.client_id(), "123");
    assert_eq!(NopsCredentials::new("nodot").unwrap().client_id(), "nodot");
    assert!(NopsCredentials::new(" ").is_err());
}

#[test]
fn signatures_are_cached_per_day_and_path() {
    let pem = include_str!("../../../../tests/vectors/keys/rsa1024-pkcs1.pem");
    let key = RsaKey::from_pem(pem).unwrap();
    let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap().with_private_key(key));
    let url = |path: &str| format!("https://app.nops.io{path}?api_key=1.k");
    let (a, b) = (url("/c/a/"), url("/c/b/"));
    let request_a = SignableRequest::new("GET", &a, b"");
    let request_b = SignableRequest::new("GET", &b, b"");
    let day = 1_700_006_400; // midnight UTC
    assert!(scheme.is_cpu_heavy(&request_a));
    let first = scheme.sign(&request_a, &SigningParams::at(day)).unwrap();
    assert!(
        !scheme.is_cpu_heavy(&request_a),
        "the second call of the day is a lookup"
    );
    let later = scheme
        .sign(&request_a, &SigningParams::at(day + 86_399))
        .unwrap();
    assert_eq!(first, later);
    scheme
        .sign(&request_b, &SigningParams::at(day + 5))
        .unwrap();
    assert_eq!(scheme.cached_signatures(), 2);
    let next_day = scheme
        .sign(&request_a, &SigningParams::at(day + 86_400))
        .unwrap();
    assert_ne!(first, next_day, "a new day signs a new message");
    assert_eq!(
        scheme.cached_signatures(),
        1,
        "yesterday's signatures are dropped"
    );
}

#[test]
fn html_success_is_an_authentication_error() {
    let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap());
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "text/html; charset=utf-8".parse().unwrap());
    let err = scheme
        .responses()
        .check_success(StatusCode::OK, &headers, b"<!doctype html>")
        .unwrap_err();
    assert_eq!(err.api().unwrap().kind, ApiErrorKind::Authentication);
    assert!(
        scheme
            .responses()
            .check_success(StatusCode::OK, &HeaderMap::new(), b"[]")
            .is_ok()
    );
}

#[test]
fn a_refused_signature_is_an_authentication_error_and_a_refused_permission_is_not() {
    let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap());
    let kind = |body: &str| {
        scheme
            .responses()
            .decode_error(StatusCode::FORBIDDEN, &HeaderMap::new(), body.as_bytes())
            .kind
    };
    assert_eq!(
        kind(r#"{"detail":"Incorrect authentication credentials."}"#),
        ApiErrorKind::Authentication
    );
    assert_eq!(
        kind(r#"{"detail":"Authentication failed: the signature does not verify"}"#),
        ApiErrorKind::Authentication
    );
    assert_eq!(
        kind(r#"{"detail":"You do not have permission to perform this action."}"#),
        ApiErrorKind::Forbidden
    );
}

#[test]
fn without_a_private_key_nothing_is_signed() {
    let scheme = NopsScheme::new(NopsCredentials::new("1.k").unwrap());
    let request = SignableRequest::new(
        "GET",
        "https://app.nops.io/c/admin/projectaws/?api_key=1.k",
        b"",
    );
    assert!(
        scheme
            .sign(&request, &SigningParams::at(0))
            .unwrap()
            .is_empty()
    );
    assert_eq!(scheme.query_pairs(), vec![("api_key", "1.k")]);
    let header = scheme.key_placement(NopsKeyPlacement::Header);
    assert!(header.query_pairs().is_empty());
    assert_eq!(header.constant_headers()[0].0, "x-nops-api-key");
}
