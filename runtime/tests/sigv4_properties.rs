//! SigV4 sign-then-verify over random requests, under both path rules: methods, paths
//! with unicode, reserved characters, `//` and `.`/`..` segments, queries with repeated
//! names, empty values, `+` and `=`, and random bodies. What the client signs, the
//! verifier accepts from the bytes a server receives; one byte changed anywhere signed
//! (method, path, query, a signed header, the body) and it refuses.
//!
//! Case count: `SIGNED_API_FUZZ_CASES` (default 256), as for `fuzz.rs`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use signed_api_runtime::HeaderMap;
use signed_api_runtime::scheme::{HeaderName, HeaderValue, Scheme, SignableRequest, SigningParams};
use signed_api_runtime::schemes::sigv4::{PathRule, Sigv4Credentials, Sigv4Scheme, Sigv4Verifier};
use signed_api_runtime::verify::{ReceivedRequest, Verifier};

const NOW: i64 = 1_700_000_000;

/// What a URL carries unencoded: SigV4's unreserved characters.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn cases() -> u32 {
    std::env::var("SIGNED_API_FUZZ_CASES")
        .ok()
        .map(|value| {
            value
                .trim()
                .parse()
                .expect("SIGNED_API_FUZZ_CASES is a number")
        })
        .unwrap_or(256)
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        "[a-z0-9]{1,6}",
        "[ +=&?#%/:@!$'()*,;éß€ሴ😀a-z]{1,8}",
    ]
}

fn pair() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof!["[a-z]{1,3}", "[ +=&a-zé]{1,4}"],
        prop_oneof![Just(String::new()), "[a-z0-9]{1,4}", "[ +=&/?é~]{1,5}"],
    )
}

#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    body: Vec<u8>,
    s3: bool,
    meta: String,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"]),
        prop::collection::vec(segment(), 0..5),
        prop::collection::vec(pair(), 0..5),
        prop::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
        "[ a-zA-Z0-9]{0,12}",
    )
        .prop_map(|(method, segments, query, body, s3, meta)| Case {
            method,
            segments,
            query,
            body,
            s3,
            meta,
        })
}

impl Case {
    fn scheme(&self) -> Sigv4Scheme {
        let credentials = Sigv4Credentials::new("AKIDEXAMPLE", "secret/KEY+x").unwrap();
        let service = if self.s3 { "s3" } else { "execute-api" };
        let scheme = Sigv4Scheme::new(credentials, "eu-west-3", service).unwrap();
        assert_eq!(
            scheme.clone().with_path_rule(PathRule::AsSent).service(),
            service
        );
        scheme
    }

    /// The request-target as a client sends it: each segment encoded once.
    fn target(&self) -> String {
        let mut target = String::new();
        for segment in &self.segments {
            target.push('/');
            target.extend(utf8_percent_encode(segment, ENCODED));
        }
        if target.is_empty() {
            target.push('/');
        }
        if !self.query.is_empty() {
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(name, value)| {
                    format!(
                        "{}={}",
                        utf8_percent_encode(name, ENCODED),
                        utf8_percent_encode(value, ENCODED)
                    )
                })
                .collect();
            target.push('?');
            target.push_str(&pairs.join("&"));
        }
        target
    }
}

/// Signs `case` and returns the headers a server receives and the request-target.
fn signed(case: &Case) -> (HeaderMap, String) {
    let target = case.target();
    let url = format!("https://h.example:8443{target}");
    let mut sent = HeaderMap::new();
    sent.insert("user-agent", HeaderValue::from_static("t"));
    if !case.meta.is_empty() {
        sent.insert(
            "x-amz-meta-note",
            HeaderValue::from_str(&case.meta).unwrap(),
        );
    }
    let request = SignableRequest::new(case.method, &url, &case.body).with_headers(&sent);
    let mut received = sent.clone();
    for (name, value) in case
        .scheme()
        .sign(&request, &SigningParams::at(NOW))
        .unwrap()
    {
        received.insert(name, value);
    }
    received.insert("host", HeaderValue::from_static("h.example:8443"));
    (received, target)
}

fn verifies(case: &Case, method: &str, target: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let Ok(request) = ReceivedRequest::new("https", method, target, headers, body) else {
        return false;
    };
    Sigv4Verifier::new(case.scheme())
        .verify(&request, NOW)
        .is_ok()
}

fn run(test: impl Fn(Case) -> Result<(), TestCaseError>) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    if let Err(error) = TestRunner::new(config).run(&case(), test) {
        panic!("{error}");
    }
}

#[test]
fn what_is_signed_verifies() {
    run(|case| {
        let (headers, target) = signed(&case);
        prop_assert!(verifies(&case, case.method, &target, &headers, &case.body));
        Ok(())
    });
}

#[test]
fn one_changed_byte_fails() {
    run(|case| {
        let (headers, target) = signed(&case);
        let other_method = if case.method == "GET" { "PUT" } else { "GET" };
        prop_assert!(!verifies(
            &case,
            other_method,
            &target,
            &headers,
            &case.body
        ));
        // A path byte: append to the last segment (never a no-op under either rule).
        let (path, query) = target
            .split_once('?')
            .map_or((target.as_str(), None), |(p, q)| (p, Some(q)));
        let changed_path = match query {
            Some(query) => format!("{path}x?{query}"),
            None => format!("{path}x"),
        };
        prop_assert!(!verifies(
            &case,
            case.method,
            &changed_path,
            &headers,
            &case.body
        ));
        let changed_query = match query {
            Some(query) => format!("{path}?{query}&z=1"),
            None => format!("{path}?z=1"),
        };
        prop_assert!(!verifies(
            &case,
            case.method,
            &changed_query,
            &headers,
            &case.body
        ));
        let mut body = case.body.clone();
        match body.first_mut() {
            Some(byte) => *byte ^= 1,
            None => body.push(0),
        }
        prop_assert!(!verifies(&case, case.method, &target, &headers, &body));
        let mut changed = headers.clone();
        changed.insert(
            HeaderName::from_static("x-amz-meta-note"),
            HeaderValue::from_str(&format!("{}!", case.meta)).unwrap(),
        );
        prop_assert!(!verifies(&case, case.method, &target, &changed, &case.body));
        Ok(())
    });
}
