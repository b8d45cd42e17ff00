use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::*;
use crate::scheme::{Scheme, SignableRequest, SigningParams};
use crate::verify::{ReceivedRequest, Verifier, VerifyError};

const NOW: i64 = 1_440_938_160; // 2015-08-30T12:36:00Z

fn credentials() -> Sigv4Credentials {
    Sigv4Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap()
}

fn s3() -> Sigv4Scheme {
    Sigv4Scheme::new(credentials(), "eu-west-3", "s3").unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

/// Signs like the call path and returns what the server receives: the request's headers,
/// the signature's and `Host`.
fn sign(scheme: &Sigv4Scheme, method: &str, url: &str, sent: &HeaderMap, body: &[u8]) -> HeaderMap {
    let request = SignableRequest::new(method, url, body).with_headers(sent);
    let mut received = sent.clone();
    for (name, value) in scheme.sign(&request, &SigningParams::at(NOW)).unwrap() {
        received.insert(name, value);
    }
    received.insert("host", request.authority().parse().unwrap());
    received
}

fn verify(
    scheme: &Sigv4Scheme,
    method: &str,
    target: &str,
    received: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<(), VerifyError> {
    let request = ReceivedRequest::new("https", method, target, received, body)?;
    Sigv4Verifier::new(scheme.clone())
        .verify(&request, now)
        .map(drop)
}

#[test]
fn s3_requests_carry_the_payload_hash_and_sign_what_matters() {
    let sent = headers(&[
        ("content-type", "text/plain"),
        ("x-amz-meta-colour", "blue"),
        ("user-agent", "test"),
        ("range", "bytes=0-9"),
    ]);
    let url = "https://bucket.s3.eu-west-3.amazonaws.com/a%20b/c.txt?x-id=PutObject";
    let received = sign(&s3(), "PUT", url, &sent, b"hello");
    assert_eq!(
        received["x-amz-content-sha256"],
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(received["x-amz-date"], "20150830T123600Z");
    let authorization = received["authorization"].to_str().unwrap();
    assert!(
        authorization.contains(
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-colour,"
        ),
        "{authorization}"
    );
    assert!(received["authorization"].is_sensitive());
    let target = "/a%20b/c.txt?x-id=PutObject";
    assert_eq!(
        verify(&s3(), "PUT", target, &received, b"hello", NOW),
        Ok(())
    );
    // `range` is signed once the scheme is told to.
    let marked = s3().sign_header("Range").unwrap();
    let received = sign(&marked, "PUT", url, &sent, b"hello");
    assert!(
        received["authorization"]
            .to_str()
            .unwrap()
            .contains(";range;")
    );
}

#[test]
fn every_signed_part_is_checked_by_the_verifier() {
    let sent = headers(&[("content-type", "text/plain"), ("x-amz-meta-a", "1")]);
    let url = "https://h.example/bucket/key?list-type=2";
    let received = sign(&s3(), "PUT", url, &sent, b"body");
    let target = "/bucket/key?list-type=2";
    assert_eq!(
        verify(&s3(), "PUT", target, &received, b"body", NOW),
        Ok(())
    );
    // Another method, path, query, body, header value, or time.
    assert!(verify(&s3(), "POST", target, &received, b"body", NOW).is_err());
    assert!(
        verify(
            &s3(),
            "PUT",
            "/bucket/key2?list-type=2",
            &received,
            b"body",
            NOW
        )
        .is_err()
    );
    assert!(
        verify(
            &s3(),
            "PUT",
            "/bucket/key?list-type=1",
            &received,
            b"body",
            NOW
        )
        .is_err()
    );
    assert!(verify(&s3(), "PUT", target, &received, b"bodY", NOW).is_err());
    let mut changed = received.clone();
    changed.insert("x-amz-meta-a", "2".parse().unwrap());
    assert_eq!(
        verify(&s3(), "PUT", target, &changed, b"body", NOW),
        Err(VerifyError::BadSignature)
    );
    // A header added on the way that must be signed.
    let mut added = received.clone();
    added.insert("x-amz-acl", "public-read".parse().unwrap());
    assert!(matches!(
        verify(&s3(), "PUT", target, &added, b"body", NOW),
        Err(VerifyError::Malformed {
            what: "SignedHeaders",
            ..
        })
    ));
    assert!(matches!(
        verify(
            &s3(),
            "PUT",
            target,
            &received,
            b"body",
            NOW + SKEW_WINDOW + 1
        ),
        Err(VerifyError::Expired { .. })
    ));
    assert_eq!(
        verify(&s3(), "PUT", target, &received, b"body", NOW + SKEW_WINDOW),
        Ok(())
    );
    // Another key, region or service.
    let other = Sigv4Scheme::new(
        Sigv4Credentials::new("AKIDOTHER", "secret").unwrap(),
        "eu-west-3",
        "s3",
    )
    .unwrap();
    assert_eq!(
        verify(&other, "PUT", target, &received, b"body", NOW),
        Err(VerifyError::UnknownKey("access key id"))
    );
    let elsewhere = Sigv4Scheme::new(credentials(), "us-east-1", "s3").unwrap();
    assert!(verify(&elsewhere, "PUT", target, &received, b"body", NOW).is_err());
}

#[test]
fn caller_payload_hashes_are_checked_and_used() {
    let unsigned = headers(&[("x-amz-content-sha256", UNSIGNED_PAYLOAD)]);
    let url = "https://h.example/b/k";
    let received = sign(&s3(), "PUT", url, &unsigned, b"streamed");
    assert_eq!(received["x-amz-content-sha256"], UNSIGNED_PAYLOAD);
    assert_eq!(
        verify(&s3(), "PUT", "/b/k", &received, b"anything", NOW),
        Ok(())
    );
    for bad in ["STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "ABC", &"0".repeat(64)] {
        let given = headers(&[("x-amz-content-sha256", bad)]);
        let request = SignableRequest::new("PUT", url, b"x").with_headers(&given);
        assert!(
            s3().sign(&request, &SigningParams::at(NOW)).is_err(),
            "{bad}"
        );
    }
    // The verifier refuses a hash that is not the body's.
    let received = sign(&s3(), "PUT", url, &HeaderMap::new(), b"one");
    assert!(matches!(
        verify(&s3(), "PUT", "/b/k", &received, b"two", NOW),
        Err(VerifyError::Malformed {
            what: "x-amz-content-sha256",
            ..
        })
    ));
}

#[test]
fn presigned_urls_verify_until_they_expire() {
    let scheme = s3().clone().with_path_rule(PathRule::AsSent);
    let request = SignableRequest::new("GET", "https://h.example/b/k%2Fx?versionId=3", b"");
    let url = scheme
        .presign(&request, &SigningParams::at(NOW), Duration::from_secs(60))
        .unwrap();
    let target = url.strip_prefix("https://h.example").unwrap();
    assert!(
        target.contains("X-Amz-Expires=60&X-Amz-Signature="),
        "{target}"
    );
    let host = headers(&[("host", "h.example")]);
    assert_eq!(verify(&scheme, "GET", target, &host, b"", NOW + 60), Ok(()));
    assert!(matches!(
        verify(&scheme, "GET", target, &host, b"", NOW + 61),
        Err(VerifyError::Expired { .. })
    ));
    assert!(verify(&scheme, "PUT", target, &host, b"", NOW).is_err());
    let tampered = target.replace("versionId=3", "versionId=4");
    assert_eq!(
        verify(&scheme, "GET", &tampered, &host, b"", NOW),
        Err(VerifyError::BadSignature)
    );
    let doubled = format!("{target}&X-Amz-Expires=60");
    assert!(verify(&scheme, "GET", &doubled, &host, b"", NOW).is_err());
    for bad in [Duration::ZERO, MAX_PRESIGN_EXPIRY + Duration::from_secs(1)] {
        let err = scheme
            .presign(&request, &SigningParams::at(NOW), bad)
            .unwrap_err();
        assert!(err.to_string().contains("7 days"), "{err}");
    }
    let taken = SignableRequest::new("GET", "https://h.example/b?X-Amz-Date=1", b"");
    assert!(
        scheme
            .presign(&taken, &SigningParams::at(NOW), Duration::from_secs(5))
            .is_err()
    );
}

#[test]
fn session_tokens_are_signed_sent_and_hidden() {
    let with_token = credentials().with_session_token("TOKEN-VALUE").unwrap();
    let scheme = Sigv4Scheme::new(with_token, "us-east-1", "iam").unwrap();
    let received = sign(
        &scheme,
        "GET",
        "https://iam.amazonaws.com/",
        &HeaderMap::new(),
        b"",
    );
    assert_eq!(received["x-amz-security-token"], "TOKEN-VALUE");
    assert!(received["x-amz-security-token"].is_sensitive());
    assert_eq!(verify(&scheme, "GET", "/", &received, b"", NOW), Ok(()));
    // Without the token, or with another, the request is refused.
    let mut stripped = received.clone();
    stripped.remove("x-amz-security-token");
    assert!(verify(&scheme, "GET", "/", &stripped, b"", NOW).is_err());
    let debug = format!("{scheme:?}");
    assert!(
        !debug.contains("TOKEN-VALUE") && !debug.contains("wJalr"),
        "{debug}"
    );
    let parts = Sigv4Request {
        method: "GET",
        path: "/",
        query: "",
        headers: vec![("host", b"iam.amazonaws.com")],
        payload_hash: UNSIGNED_PAYLOAD,
    };
    let signed = scheme.sign_parts(&parts, NOW).unwrap();
    assert!(signed.canonical_request.contains("TOKEN-VALUE"));
    assert!(!format!("{signed:?}").contains("TOKEN-VALUE"));
}

#[test]
fn the_general_rule_normalises_and_encodes_twice() {
    let scheme = Sigv4Scheme::new(credentials(), "us-east-1", "execute-api").unwrap();
    let url = "https://h.example/a/./b/../c%20d";
    let received = sign(&scheme, "GET", url, &HeaderMap::new(), b"");
    assert!(!received.contains_key("x-amz-content-sha256"));
    assert_eq!(
        verify(&scheme, "GET", "/a/./b/../c%20d", &received, b"", NOW),
        Ok(())
    );
    // The same path written another way names the same canonical URI.
    assert_eq!(
        verify(&scheme, "GET", "/a/c%20d", &received, b"", NOW),
        Ok(())
    );
    let s3 = Sigv4Scheme::new(credentials(), "us-east-1", "s3").unwrap();
    let received = sign(&s3, "GET", url, &HeaderMap::new(), b"");
    assert!(verify(&s3, "GET", "/a/c%20d", &received, b"", NOW).is_err());
}

#[test]
fn bad_scopes_and_headers_are_refused() {
    for (region, service) in [
        ("", "s3"),
        ("eu/west", "s3"),
        ("eu-west-3", "s 3"),
        ("EU", "s3"),
    ] {
        assert!(
            Sigv4Scheme::new(credentials(), region, service).is_err(),
            "{region} {service}"
        );
    }
    for name in ["Host", "authorization", "content-length", "bad name"] {
        assert!(s3().sign_header(name).is_err(), "{name}");
    }
    assert!(
        s3().sign(
            &SignableRequest::new("GET", "https://h/", b""),
            &SigningParams::at(i64::MAX)
        )
        .is_err()
    );
}

#[test]
fn a_configuration_with_a_bad_region_cannot_sign() {
    use crate::builtin::CredentialScheme;
    let config = Sigv4Config {
        credentials: credentials(),
        region: "eu/west".into(),
        endpoint_url: None,
        profile: "default".into(),
    };
    let scheme = Sigv4Scheme::from_credentials(config);
    let err = scheme
        .sign(
            &SignableRequest::new("GET", "https://h/", b""),
            &SigningParams::at(NOW),
        )
        .unwrap_err();
    assert!(err.to_string().contains("region"), "{err}");
}
