//! Requests signed by botocore, AWS's own Python signer (`tests/vectors/sigv4-botocore/`,
//! made by the `generate.py` beside them): the same request signed here at the same time
//! gives the same headers, byte for byte, and the same presigned URL parameters. Covers
//! what AWS's suite does not: S3's rules with real object keys, `UNSIGNED-PAYLOAD`, the
//! session token in both forms, and metadata headers.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use signed_api_runtime::HeaderMap;
use signed_api_runtime::scheme::{HeaderName, HeaderValue, Scheme, SignableRequest, SigningParams};
use signed_api_runtime::schemes::sigv4::{Sigv4Credentials, Sigv4Scheme, Sigv4Verifier};
use signed_api_runtime::verify::{ReceivedRequest, Verifier};

fn load() -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/sigv4-botocore/cases.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn scheme(vectors: &serde_json::Value, case: &serde_json::Value) -> Sigv4Scheme {
    let mut credentials = Sigv4Credentials::new(
        vectors["access_key_id"].as_str().unwrap(),
        vectors["secret_access_key"].as_str().unwrap(),
    )
    .unwrap();
    if case["session_token"].as_bool().unwrap() {
        credentials = credentials
            .with_session_token(vectors["session_token"].as_str().unwrap())
            .unwrap();
    }
    Sigv4Scheme::new(
        credentials,
        case["region"].as_str().unwrap(),
        case["service"].as_str().unwrap(),
    )
    .unwrap()
}

fn headers(case: &serde_json::Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for pair in case["headers"].as_array().unwrap() {
        headers.append(
            HeaderName::from_bytes(pair[0].as_str().unwrap().as_bytes()).unwrap(),
            HeaderValue::from_str(pair[1].as_str().unwrap()).unwrap(),
        );
    }
    if case["unsigned_payload"].as_bool().unwrap() {
        headers.insert(
            "x-amz-content-sha256",
            HeaderValue::from_static("UNSIGNED-PAYLOAD"),
        );
    }
    headers
}

fn body(case: &serde_json::Value) -> Vec<u8> {
    let hex = case["body_hex"].as_str().unwrap();
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).unwrap())
        .collect()
}

/// A URL's query parameters as a sorted map, and what comes before the `?`.
fn split_url(url: &str) -> (&str, BTreeMap<&str, &str>) {
    let (base, query) = url.split_once('?').unwrap();
    let pairs = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    (base, pairs)
}

#[test]
fn header_signatures_equal_botocores() {
    let vectors = load();
    let timestamp = vectors["timestamp"].as_i64().unwrap();
    let mut checked = 0;
    for case in vectors["cases"].as_array().unwrap() {
        if case["form"] != "header" {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let scheme = scheme(&vectors, case);
        let sent = headers(case);
        let body = body(case);
        let url = case["url"].as_str().unwrap();
        let request =
            SignableRequest::new(case["method"].as_str().unwrap(), url, &body).with_headers(&sent);
        let ours: BTreeMap<String, String> = scheme
            .sign(&request, &SigningParams::at(timestamp))
            .unwrap()
            .into_iter()
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
            .collect();
        let mut theirs: BTreeMap<String, String> =
            serde_json::from_value(case["added_headers"].clone()).unwrap();
        if case["unsigned_payload"].as_bool().unwrap() {
            // Set by the caller here, by botocore's signer there.
            assert_eq!(
                theirs.remove("x-amz-content-sha256").unwrap(),
                "UNSIGNED-PAYLOAD"
            );
        }
        assert_eq!(ours, theirs, "{name}");

        // And our verifier accepts botocore's request as it would arrive.
        let mut received = sent.clone();
        for (header, value) in &theirs {
            received.insert(
                HeaderName::from_bytes(header.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        received.insert("host", HeaderValue::from_str(request.authority()).unwrap());
        let target = request.path_and_query();
        let arrived =
            ReceivedRequest::new("https", request.method, target, &received, &body).unwrap();
        Sigv4Verifier::new(scheme)
            .verify(&arrived, timestamp + 60)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn presigned_urls_equal_botocores() {
    let vectors = load();
    let timestamp = vectors["timestamp"].as_i64().unwrap();
    let mut checked = 0;
    for case in vectors["cases"].as_array().unwrap() {
        if case["form"] != "query" {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let scheme = scheme(&vectors, case);
        let url = case["url"].as_str().unwrap();
        let request = SignableRequest::new(case["method"].as_str().unwrap(), url, b"");
        let expires = Duration::from_secs(case["expires"].as_u64().unwrap());
        let ours = scheme
            .presign(&request, &SigningParams::at(timestamp), expires)
            .unwrap();
        let theirs = case["presigned_url"].as_str().unwrap();
        // The same parameters, whatever their order (botocore puts X-Amz-Expires earlier).
        assert_eq!(split_url(&ours), split_url(theirs), "{name}");

        let host = HeaderMap::from_iter([(
            HeaderName::from_static("host"),
            HeaderValue::from_str(request.authority()).unwrap(),
        )]);
        let target = &theirs[theirs.find(request.path()).unwrap()..];
        let arrived = ReceivedRequest::new("https", request.method, target, &host, b"").unwrap();
        Sigv4Verifier::new(scheme)
            .verify(&arrived, timestamp + 30)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        checked += 1;
    }
    assert_eq!(checked, 3);
}
