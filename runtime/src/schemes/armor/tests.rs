use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::credentials::ArmorCredentials;
use super::signer::ArmorScheme;
use crate::scheme::{Scheme, SignableRequest, SigningParams};

#[test]
fn bad_nonces_are_refused_before_signing() {
    let credentials = ArmorCredentials::new("id", "secret").unwrap();
    let scheme = ArmorScheme::new(credentials);
    let request = SignableRequest::new("GET", "https://api.armor.com/me", b"");
    for nonce in ["", "a:b", "a b", &"x".repeat(129)] {
        let params = SigningParams::at(1).with_nonce(nonce);
        assert!(scheme.sign(&request, &params).is_err(), "{nonce:?}");
    }
    let params = SigningParams::at(1).with_nonce("ok-nonce");
    assert!(scheme.sign(&request, &params).is_ok());
}

#[test]
fn account_context_is_a_constant_header() {
    let credentials = ArmorCredentials::new("id", "secret")
        .unwrap()
        .with_account("1024")
        .unwrap();
    let headers = ArmorScheme::new(credentials).constant_headers();
    assert_eq!(headers[0].0, "x-account-context");
    assert_eq!(headers[0].1, "1024");
    assert!(
        ArmorCredentials::new("id", "s")
            .unwrap()
            .with_account("1\r\n2")
            .is_err()
    );
    assert!(ArmorCredentials::new("a:b", "s").is_err());
}

#[test]
fn error_messages_are_read() {
    let scheme = ArmorScheme::new(ArmorCredentials::new("id", "s").unwrap());
    let error = scheme.responses().decode_error(
        StatusCode::UNAUTHORIZED,
        &HeaderMap::new(),
        br#"{"Message":"Permission Denied to requested resource."}"#,
    );
    assert_eq!(
        error.message.as_deref(),
        Some("Permission Denied to requested resource.")
    );
}
