//! Sign, then verify: for random methods, paths, queries (spaces, `&`, `=`, unicode) and
//! bodies, a request prepared by the client verifies with the scheme's verifier, and
//! changing any signed part by one character makes verification fail.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use signed_api_runtime::clock::Clock;
use signed_api_runtime::keys::RsaKey;
use signed_api_runtime::scheme::{HeaderValue, Scheme};
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorScheme, ArmorVerifier, NopsCredentials, NopsScheme, NopsVerifier,
    OvhCredentials, OvhScheme, OvhVerifier, QredoCredentials, QredoScheme, QredoVerifier,
};
use signed_api_runtime::verify::{ReceivedRequest, Verifier};
use signed_api_runtime::{Client, HeaderMap, Method, PreparedRequest};

const NOW: i64 = 1_700_000_000;
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A random request.
#[derive(Debug, Clone)]
struct Case {
    method: &'static str,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    body: Vec<u8>,
}

fn text() -> impl Strategy<Value = String> {
    // Printable text with the characters that break naive encoders, and any Unicode.
    prop_oneof!["[a-zA-Z0-9 &=?#/%+.~_-]{1,12}", "\\PC{1,8}",]
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(&METHODS[..]),
        // `.` and `..` are refused as path parameters (tested elsewhere).
        prop::collection::vec(
            text().prop_filter("dot segment", |s| s != "." && s != ".."),
            1..4,
        ),
        prop::collection::vec((text(), text()), 1..4),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(method, segments, query, body)| Case {
            method,
            segments,
            query,
            body,
        })
}

/// The case with its body made valid UTF-8 (invalid sequences replaced).
fn with_utf8_body(mut case: Case) -> Case {
    case.body = String::from_utf8_lossy(&case.body)
        .into_owned()
        .into_bytes();
    case
}

/// Which part of a signed request a mutation changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Method,
    Path,
    Query,
    Body,
    Timestamp,
}

struct Harness {
    client: Client,
    verifier: Box<dyn Verifier>,
    /// The parts the scheme's signature covers.
    signed_parts: &'static [Part],
    /// Moves the signed timestamp by one second in the request's headers.
    bump_timestamp: fn(&mut HeaderMap),
}

impl Harness {
    fn new(
        scheme: impl Scheme,
        verifier: impl Verifier,
        signed_parts: &'static [Part],
        bump_timestamp: fn(&mut HeaderMap),
    ) -> Self {
        let client = Client::builder(scheme)
            .base_url("https://api.example.test/base")
            .clock(Clock::fixed(NOW))
            .build()
            .unwrap();
        Harness {
            client,
            verifier: Box::new(verifier),
            signed_parts,
            bump_timestamp,
        }
    }

    fn prepare(&self, case: &Case, runtime: &tokio::runtime::Runtime) -> PreparedRequest {
        let template: String = (0..case.segments.len())
            .map(|i| format!("/{{s{i}}}"))
            .collect();
        let mut request = self.client.request(
            Method::from_bytes(case.method.as_bytes()).unwrap(),
            template,
        );
        for (i, segment) in case.segments.iter().enumerate() {
            request = request.path_param(&format!("s{i}"), segment);
        }
        for (name, value) in &case.query {
            request = request.query(name, value);
        }
        if !case.body.is_empty() {
            request = request.raw_body(case.body.clone(), "application/octet-stream");
        }
        runtime.block_on(request.prepare()).unwrap()
    }

    fn verify(&self, method: &str, url: &str, headers: &HeaderMap, body: &[u8]) -> bool {
        let (origin, target) = split_origin(url);
        let mut headers = headers.clone();
        headers.insert("host", origin.parse().unwrap());
        let Ok(request) = ReceivedRequest::new("https", method, target, &headers, body) else {
            return false;
        };
        self.verifier.verify(&request, NOW).is_ok()
    }

    /// The property: the prepared request verifies; each signed part, changed, does not.
    fn check(
        &self,
        case: &Case,
        runtime: &tokio::runtime::Runtime,
        pick: usize,
    ) -> Result<(), TestCaseError> {
        let prepared = self.prepare(case, runtime);
        let method = prepared.method.as_str();
        let (url, headers, body) = (&prepared.url, &prepared.headers, &prepared.body[..]);
        prop_assert!(
            self.verify(method, url, headers, body),
            "unchanged request refused: {url}"
        );

        for part in self.signed_parts {
            let refused = match part {
                Part::Method => {
                    let other = METHODS.iter().find(|m| **m != method).unwrap();
                    !self.verify(other, url, headers, body)
                }
                Part::Path => {
                    let path_start = url.find("/base/").unwrap() + "/base/".len();
                    let path_end = url.find('?').unwrap_or(url.len());
                    !self.verify(
                        method,
                        &change_char(url, path_start..path_end, pick),
                        headers,
                        body,
                    )
                }
                Part::Query => {
                    let query_start = url.find('?').unwrap() + 1;
                    !self.verify(
                        method,
                        &change_char(url, query_start..url.len(), pick),
                        headers,
                        body,
                    )
                }
                Part::Body if !body.is_empty() => {
                    let mut changed = body.to_vec();
                    changed[pick % body.len()] ^= 0x01;
                    !self.verify(method, url, headers, &changed)
                }
                Part::Body => {
                    let added = b"x";
                    !self.verify(method, url, headers, added)
                }
                Part::Timestamp => {
                    let mut changed = headers.clone();
                    (self.bump_timestamp)(&mut changed);
                    !self.verify(method, url, &changed, body)
                }
            };
            prop_assert!(refused, "changed {part:?} still verified: {url}");
        }
        Ok(())
    }
}

/// `text` with the character at a position within `range` (chosen by `pick`) replaced by
/// another ASCII letter.
fn change_char(text: &str, range: std::ops::Range<usize>, pick: usize) -> String {
    let positions: Vec<usize> = text[range.clone()]
        .char_indices()
        .map(|(at, _)| range.start + at)
        .collect();
    let at = positions[pick % positions.len()];
    let old = text[at..].chars().next().unwrap();
    let new = if old == 'Q' { 'Z' } else { 'Q' };
    format!("{}{new}{}", &text[..at], &text[at + old.len_utf8()..])
}

fn bump_header(headers: &mut HeaderMap, name: &'static str) {
    let value: i64 = headers[name].to_str().unwrap().parse().unwrap();
    headers.insert(
        name,
        HeaderValue::from_str(&(value + 1).to_string()).unwrap(),
    );
}

fn key_2048() -> RsaKey {
    RsaKey::from_pem_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/keys/rsa2048-pkcs1.pem"
    ))
    .unwrap()
}

fn config(cases: u32) -> ProptestConfig {
    // Integration tests have no lib.rs beside them to persist failures next to.
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    // OVH's bodies are JSON: its verifier refuses bytes that are not UTF-8 (they are what a
    // SHA-1 length extension appends).
    fn ovh_round_trips(case in case().prop_map(with_utf8_body), pick in any::<usize>()) {
        let credentials = OvhCredentials::new("ak", "as").unwrap().with_consumer_key("ck").unwrap();
        let harness = Harness::new(
            OvhScheme::new(credentials.clone()),
            OvhVerifier::new(credentials, 60),
            &[Part::Method, Part::Path, Part::Query, Part::Body, Part::Timestamp],
            |headers| bump_header(headers, "x-ovh-timestamp"),
        );
        harness.check(&case, &runtime(), pick)?;
    }

    #[test]
    fn armor_round_trips(case in case(), pick in any::<usize>()) {
        let credentials = ArmorCredentials::new("key-id", "secret").unwrap();
        let harness = Harness::new(
            ArmorScheme::new(credentials.clone()),
            ArmorVerifier::new(credentials, 300),
            // Armor signs the path only, not the query.
            &[Part::Method, Part::Path, Part::Body, Part::Timestamp],
            |headers| {
                let value = headers["authorization"].to_str().unwrap().to_owned();
                let (rest, timestamp) = value.rsplit_once(':').unwrap();
                let bumped = format!("{rest}:{}", timestamp.parse::<i64>().unwrap() + 1);
                headers.insert("authorization", HeaderValue::from_str(&bumped).unwrap());
            },
        );
        harness.check(&case, &runtime(), pick)?;
    }
}

proptest! {
    // RSA: fewer cases, each signs and verifies several times.
    #![proptest_config(config(32))]

    #[test]
    fn qredo_round_trips(case in case(), pick in any::<usize>()) {
        let key = key_2048();
        let harness = Harness::new(
            QredoScheme::new(QredoCredentials::new("api-key", key.clone()).unwrap()),
            QredoVerifier::new("api-key", key.public_key(), 30),
            // Qredo does not sign the method.
            &[Part::Path, Part::Query, Part::Body, Part::Timestamp],
            |headers| bump_header(headers, "x-timestamp"),
        );
        harness.check(&case, &runtime(), pick)?;
    }

    #[test]
    fn nops_round_trips(case in case(), pick in any::<usize>()) {
        let key = key_2048();
        let harness = Harness::new(
            NopsScheme::new(NopsCredentials::new("7.key").unwrap().with_private_key(key.clone())),
            NopsVerifier::new("7.key", Some(key.public_key()), 0),
            // nOps signs the path and the key for the whole day: nothing else.
            &[Part::Path],
            |_| {},
        );
        harness.check(&case, &runtime(), pick)?;
    }
}

/// `https://host/target` as the server sees it: the `Host` header and the request-target.
fn split_origin(url: &str) -> (&str, &str) {
    let rest = url.strip_prefix("https://").unwrap();
    let at = rest.find('/').unwrap();
    (&rest[..at], &rest[at..])
}
