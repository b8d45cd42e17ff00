//! Fuzz targets, written as property tests over hostile or random input:
//!
//! 1. URL and query building: `Client::request(..).path_param(..).query(..).prepare()`;
//! 2. each scheme's `string_to_sign` and `sign` over arbitrary requests, timestamps and
//!    nonces;
//! 3. PEM key loading over arbitrary text, made-up DER and mutations of the test keys;
//! 4. every verifier over arbitrary received requests, and over signed requests with one
//!    header byte, target byte, method or `Host` changed;
//! 5. sign, then verify what a server sees: `Host` from the URL's authority and the
//!    request-target from its path and query, in memory and over a socket.
//!
//! `runtime/tests/roundtrip.rs` changes each signed part of a request by one character; this file
//! does not repeat that.
//!
//! Case counts come from the environment: `SIGNED_API_FUZZ_CASES` (default 256) for each
//! target, `SIGNED_API_FUZZ_RSA_CASES` (default: an eighth of it) for the targets that parse
//! RSA keys or sign and verify with RSA on every case. The `PROPTEST_*` variables (such as
//! `PROPTEST_RNG_SEED`) apply as usual.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::Url;
use signed_api_mock::testing::capture::{CaptureServer, Reply, verified};
use signed_api_mock::testing::unix_now as now;
use signed_api_runtime::clock::Clock;
use signed_api_runtime::keys::{RsaKey, RsaPublicKeyPem};
use signed_api_runtime::scheme::{HeaderName, HeaderValue, Scheme, SignableRequest, SigningParams};
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorNonce, ArmorScheme, ArmorVerifier, NopsCredentials, NopsKeyPlacement,
    NopsScheme, NopsVerifier, OvhCredentials, OvhScheme, OvhVerifier, QredoCredentials,
    QredoScheme, QredoTimeMode, QredoVerifier,
};
use signed_api_runtime::verify::{ReceivedRequest, Verified, Verifier, VerifyError};
use signed_api_runtime::{Client, Error, HeaderMap, Method, PreparedRequest};

// ---------------------------------------------------------------------------------------
// Running the targets
// ---------------------------------------------------------------------------------------

fn env_cases(name: &str) -> Option<u32> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a number of cases")),
    )
}

/// Cases per target: `SIGNED_API_FUZZ_CASES`, 256 by default.
fn cases() -> u32 {
    env_cases("SIGNED_API_FUZZ_CASES").unwrap_or(256)
}

/// Cases per RSA-heavy target: `SIGNED_API_FUZZ_RSA_CASES`, an eighth of [`cases`] by
/// default.
fn rsa_cases() -> u32 {
    env_cases("SIGNED_API_FUZZ_RSA_CASES").unwrap_or_else(|| (cases() / 8).max(1))
}

/// Runs `test` over `cases` values of `strategy`; a failure panics with the smallest
/// failing input proptest found.
fn fuzz<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let config = Config {
        cases,
        // Integration tests have no lib.rs beside them to persist failures next to.
        failure_persistence: None,
        ..Config::default()
    };
    if let Err(error) = TestRunner::new(config).run(&strategy, test) {
        panic!("{error}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One HTTP client for every `signed_api_runtime::Client` made here (building one per case would
/// load the TLS roots each time).
fn http() -> reqwest::Client {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    HTTP.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    })
    .clone()
}

/// The 2048-bit test key, parsed once (parsing is slow in a debug build).
fn key_2048() -> RsaKey {
    static KEY: OnceLock<RsaKey> = OnceLock::new();
    KEY.get_or_init(|| RsaKey::from_pem(PRIVATE_PEMS[1]).unwrap())
        .clone()
}

/// The 1024-bit test key (signed by the `rsa` crate, not aws-lc-rs).
fn key_1024() -> RsaKey {
    static KEY: OnceLock<RsaKey> = OnceLock::new();
    KEY.get_or_init(|| RsaKey::from_pem(PRIVATE_PEMS[0]).unwrap())
        .clone()
}

// ---------------------------------------------------------------------------------------
// Credentials, and the signed requests every verifier target starts from
// ---------------------------------------------------------------------------------------

const NOW: i64 = 1_700_000_000;
const OVH_APP_KEY: &str = "ovh-application-key";
const OVH_SECRET: &str = "ovh-application-secret-0xF00D";
const OVH_CONSUMER: &str = "ovh-consumer-key-0xBEEF";
const ARMOR_KEY_ID: &str = "armor-key-id";
const ARMOR_SECRET: &str = "armor-secret-key-0xCAFE";
const ARMOR_ACCOUNT: &str = "1024";
const QREDO_API_KEY: &str = "qredo-api-key-0xD00D";
const NOPS_API_KEY: &str = "7.nops-api-key-0xFACE";
/// What no error message may show.
const SECRETS: [&str; 5] = [
    OVH_SECRET,
    OVH_CONSUMER,
    ARMOR_SECRET,
    QREDO_API_KEY,
    NOPS_API_KEY,
];

fn ovh_credentials() -> OvhCredentials {
    OvhCredentials::new(OVH_APP_KEY, OVH_SECRET)
        .unwrap()
        .with_consumer_key(OVH_CONSUMER)
        .unwrap()
}

fn armor_credentials(with_account: bool) -> ArmorCredentials {
    let credentials = ArmorCredentials::new(ARMOR_KEY_ID, ARMOR_SECRET).unwrap();
    if with_account {
        credentials.with_account(ARMOR_ACCOUNT).unwrap()
    } else {
        credentials
    }
}

/// A scheme as configured on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Ovh,
    /// With `X-Account-Context`, UUID nonces.
    Armor,
    /// Without an account, 16 random alphanumerics as nonces.
    ArmorRandomNonce,
    /// The timestamp as the nonce.
    ArmorTimestampNonce,
    QredoTimestamp,
    QredoNonce,
    /// The API key in the query, signed.
    NopsQuery,
    /// The API key in `X-Nops-Api-Key`, signed.
    NopsHeader,
    /// The API key in the query, no signature.
    NopsUnsigned,
}

/// What a scheme's verifier holds a request to in its request-target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetSigning {
    /// The whole URL (OVH, Qredo).
    Whole,
    /// The path (Armor).
    Path,
    /// The path and the `api_key` query parameter (nOps).
    PathAndApiKey,
}

const ALL_VARIANTS: [Variant; 9] = [
    Variant::Ovh,
    Variant::Armor,
    Variant::ArmorRandomNonce,
    Variant::ArmorTimestampNonce,
    Variant::QredoTimestamp,
    Variant::QredoNonce,
    Variant::NopsQuery,
    Variant::NopsHeader,
    Variant::NopsUnsigned,
];

/// One variant per scheme and mode whose signature covers the path: what the mutation
/// target signs and then changes.
const SIGNED_VARIANTS: [Variant; 6] = [
    Variant::Ovh,
    Variant::Armor,
    Variant::QredoTimestamp,
    Variant::QredoNonce,
    Variant::NopsQuery,
    Variant::NopsHeader,
];

impl Variant {
    fn builder(self) -> signed_api_runtime::ClientBuilder {
        let nops = |placement, signed: bool| {
            let mut credentials = NopsCredentials::new(NOPS_API_KEY).unwrap();
            if signed {
                credentials = credentials.with_private_key(key_2048());
            }
            Client::builder(NopsScheme::new(credentials).key_placement(placement))
        };
        let qredo = |mode| {
            let credentials = QredoCredentials::new(QREDO_API_KEY, key_2048()).unwrap();
            Client::builder(QredoScheme::new(credentials).time_mode(mode))
        };
        match self {
            Variant::Ovh => Client::builder(OvhScheme::new(ovh_credentials())),
            Variant::Armor => Client::builder(ArmorScheme::new(armor_credentials(true))),
            Variant::ArmorRandomNonce => Client::builder(
                ArmorScheme::new(armor_credentials(false)).nonce_strategy(ArmorNonce::Random),
            ),
            Variant::ArmorTimestampNonce => Client::builder(
                ArmorScheme::new(armor_credentials(false)).nonce_strategy(ArmorNonce::Timestamp),
            ),
            Variant::QredoTimestamp => qredo(QredoTimeMode::Timestamp),
            Variant::QredoNonce => qredo(QredoTimeMode::Nonce),
            Variant::NopsQuery => nops(NopsKeyPlacement::Query, true),
            Variant::NopsHeader => nops(NopsKeyPlacement::Header, true),
            Variant::NopsUnsigned => nops(NopsKeyPlacement::Query, false),
        }
    }

    fn client(self, base_url: &str, clock: Clock) -> Client {
        self.builder()
            .base_url(base_url)
            .clock(clock)
            .http_client(http())
            .build()
            .unwrap()
    }

    fn verifier(self) -> Box<dyn Verifier> {
        let public = || key_2048().public_key();
        match self {
            Variant::Ovh => Box::new(OvhVerifier::new(ovh_credentials(), 300)),
            Variant::Armor => Box::new(ArmorVerifier::new(armor_credentials(true), 300)),
            Variant::ArmorRandomNonce | Variant::ArmorTimestampNonce => {
                Box::new(ArmorVerifier::new(armor_credentials(false), 300))
            }
            Variant::QredoTimestamp => Box::new(QredoVerifier::new(QREDO_API_KEY, public(), 30)),
            Variant::QredoNonce => {
                Box::new(QredoVerifier::new(QREDO_API_KEY, public(), 30).mode(QredoTimeMode::Nonce))
            }
            Variant::NopsQuery | Variant::NopsHeader => {
                Box::new(NopsVerifier::new(NOPS_API_KEY, Some(public()), 300))
            }
            Variant::NopsUnsigned => Box::new(NopsVerifier::new(NOPS_API_KEY, None, 300)),
        }
    }

    /// How far the verifier's clock may be from the signer's.
    fn window(self) -> i64 {
        match self {
            Variant::QredoTimestamp => 30,
            _ => 300,
        }
    }

    /// The headers whose every byte the verifier checks.
    fn signed_headers(self) -> &'static [&'static str] {
        match self {
            Variant::Ovh => &[
                "host",
                "x-ovh-application",
                "x-ovh-consumer",
                "x-ovh-timestamp",
                "x-ovh-signature",
            ],
            Variant::Armor => &["authorization", "x-account-context"],
            Variant::ArmorRandomNonce | Variant::ArmorTimestampNonce => &["authorization"],
            Variant::QredoTimestamp => &["host", "x-api-key", "x-timestamp", "x-sign"],
            Variant::QredoNonce => &["host", "x-api-key", "x-nonce", "x-sign"],
            Variant::NopsQuery => &["x-nops-signature"],
            Variant::NopsHeader => &["x-nops-signature", "x-nops-api-key"],
            Variant::NopsUnsigned => &[],
        }
    }

    /// A header the verifier refuses to see at all (the other mode's, the other place).
    fn forbidden_header(self) -> Option<&'static str> {
        match self {
            Variant::QredoTimestamp => Some("x-nonce"),
            Variant::QredoNonce => Some("x-timestamp"),
            Variant::NopsQuery | Variant::NopsUnsigned => Some("x-nops-api-key"),
            _ => None,
        }
    }

    fn signs_method(self) -> bool {
        matches!(
            self,
            Variant::Ovh
                | Variant::Armor
                | Variant::ArmorRandomNonce
                | Variant::ArmorTimestampNonce
        )
    }

    fn target_signing(self) -> TargetSigning {
        match self {
            Variant::Ovh | Variant::QredoTimestamp | Variant::QredoNonce => TargetSigning::Whole,
            Variant::Armor | Variant::ArmorRandomNonce | Variant::ArmorTimestampNonce => {
                TargetSigning::Path
            }
            Variant::NopsQuery | Variant::NopsHeader | Variant::NopsUnsigned => {
                TargetSigning::PathAndApiKey
            }
        }
    }

    /// Whether a change from target `old` to `new` touches what the verifier checks.
    fn target_change_is_checked(self, old: &str, new: &str) -> bool {
        match self.target_signing() {
            TargetSigning::Whole => old != new,
            TargetSigning::Path => path_of(old) != path_of(new),
            TargetSigning::PathAndApiKey => {
                path_of(old) != path_of(new) || api_keys(old) != api_keys(new)
            }
        }
    }

    /// Checks what a verified request reports against the request that was signed.
    fn check_verified(
        self,
        verified: &Verified,
        prepared: &PreparedRequest,
    ) -> Result<(), TestCaseError> {
        let header = |name: &str| {
            prepared
                .headers
                .get(name)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        match self {
            Variant::Ovh | Variant::QredoTimestamp => {
                prop_assert_eq!(verified.timestamp, Some(prepared.timestamp));
                prop_assert_eq!(&verified.nonce, &None);
            }
            Variant::Armor | Variant::ArmorRandomNonce | Variant::ArmorTimestampNonce => {
                let authorization = header("authorization").unwrap();
                let nonce = authorization.split(':').nth(2).map(str::to_owned);
                prop_assert_eq!(verified.timestamp, Some(prepared.timestamp));
                prop_assert_eq!(&verified.nonce, &nonce);
                if self == Variant::ArmorTimestampNonce {
                    prop_assert_eq!(nonce, Some(prepared.timestamp.to_string()));
                }
            }
            Variant::QredoNonce => {
                prop_assert_eq!(verified.timestamp, None);
                prop_assert_eq!(&verified.nonce, &header("x-nonce"));
            }
            Variant::NopsQuery | Variant::NopsHeader | Variant::NopsUnsigned => {
                prop_assert_eq!(verified, &Verified::default());
            }
        }
        Ok(())
    }
}

/// The path of a request-target (before the first `?`).
fn path_of(target: &str) -> &str {
    target.split_once('?').map_or(target, |(path, _)| path)
}

/// The decoded values of every `api_key` in a request-target's query.
fn api_keys(target: &str) -> Vec<String> {
    let Some((_, query)) = target.split_once('?') else {
        return Vec::new();
    };
    let Ok(url) = Url::parse(&format!("http://h/?{query}")) else {
        return vec!["<unparsable>".into()];
    };
    url.query_pairs()
        .filter(|(name, _)| name == "api_key")
        .map(|(_, value)| value.into_owned())
        .collect()
}

/// What a server sees of a URL: the `Host` header (the URL's authority, as the HTTP client
/// writes it) and the request-target (path and query), both taken apart by the `url`
/// crate rather than by string cutting.
fn as_received(url: &str) -> (String, String) {
    let parsed = Url::parse(url).unwrap();
    let host = parsed.host_str().unwrap();
    let authority = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let target = match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    };
    (authority, target)
}

/// The headers of a prepared request plus `Host`, in order.
fn received_headers(prepared: &PreparedRequest, host: &str) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![(
        HeaderName::from_static("host"),
        HeaderValue::from_str(host).unwrap(),
    )];
    headers.extend(
        prepared
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    headers
}

fn header_map(headers: &[(HeaderName, HeaderValue)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.append(name.clone(), value.clone());
    }
    map
}

/// Runs a verifier over a request as received; `Err` also when the request is not even
/// in canonical form.
fn verify_received(
    verifier: &dyn Verifier,
    scheme: &str,
    method: &str,
    target: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: i64,
) -> Result<Verified, VerifyError> {
    ReceivedRequest::new(scheme, method, target, headers, body)
        .and_then(|request| verifier.verify(&request, now))
}

fn assert_no_secret(message: &str) -> Result<(), TestCaseError> {
    for secret in SECRETS {
        prop_assert!(
            !message.contains(secret),
            "a secret shows in the message {message:?}"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Shared generators
// ---------------------------------------------------------------------------------------

/// Pieces that break encoders and parsers.
#[rustfmt::skip]
const HOSTILE_PIECES: &[&str] = &[
    "", ".", "..", "...", "/", "//", "%", "%2e", "%2E%2e", "%00", "%zz", "%2F", "%25", "\0",
    "?", "#", "&", "=", "+", " ", "\t", "\r\n", "\\", "é", "✓", "日本", "\u{85}",
    "\u{200b}", "\u{feff}", "\u{10ffff}", "a", "api_key", "{", "}", "{p0}", ":", "@", "[",
    "]", "'", "\"", "<", ">", "|", "^", "`", "~", "$", ";",
];

/// Any text: arbitrary characters (controls and NUL included), text made of reserved
/// characters, and concatenations of [`HOSTILE_PIECES`].
fn hostile_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
        2 => r"[./%?#&=+;:@ \\\[\]{}~_a-zA-Z0-9\x00\x7f\u{e9}\u{2713}-]{0,12}",
        2 => prop::collection::vec(select(HOSTILE_PIECES), 0..6).prop_map(|pieces| pieces.concat()),
    ]
    .boxed()
}

/// Unix times, extremes included.
fn any_time() -> BoxedStrategy<i64> {
    prop_oneof![
        1 => select(vec![
            i64::MIN,
            i64::MIN + 1,
            -1,
            0,
            1,
            i64::MAX - 1,
            i64::MAX,
            // The edges of the dates the `time` crate formats (years -9999 to 9999).
            -377_705_116_800,
            -377_705_116_801,
            253_402_300_799,
            253_402_300_800,
        ]),
        1 => NOW - 1_000..NOW + 1_000,
        1 => any::<i64>(),
        1 => -100_000_000_000i64..100_000_000_000,
    ]
    .boxed()
}

/// A byte `HeaderValue::from_bytes` takes: visible ASCII, space, tab and obs-text.
fn header_byte() -> BoxedStrategy<u8> {
    prop_oneof![4 => 0x20u8..=0x7e, 1 => 0x80u8..=0xff, 1 => Just(b'\t')].boxed()
}

/// Path segments of a signed request: printable text with reserved characters and
/// non-ASCII (no `.` or `..`, which are refused as path parameters).
fn segment_text() -> BoxedStrategy<String> {
    prop_oneof![r"[a-zA-Z0-9 &=?#/%+~_-]{1,10}", r"[^\x00-\x1f\x7f]{1,6}",]
        .prop_map(|text| {
            if text == "." || text == ".." {
                format!("{text}x")
            } else {
                text
            }
        })
        .boxed()
}

fn query_text() -> BoxedStrategy<String> {
    prop_oneof![r"[a-zA-Z0-9 &=?#/%+~_.-]{0,10}", r"[^\x00-\x1f\x7f]{0,6}",].boxed()
}

/// A percent-decoder written for these tests: `%XX` to a byte, anything else as it is;
/// `None` for a stray `%` or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `text` is strictly encoded: unreserved characters and `%XX` (upper-case hex)
/// only.
fn is_strictly_encoded(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = |b: &u8| b.is_ascii_digit() || (b'A'..=b'F').contains(b);
                match bytes.get(at + 1..at + 3) {
                    Some(pair) if pair.iter().all(hex) => at += 3,
                    _ => return false,
                }
            }
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => at += 1,
            _ => return false,
        }
    }
    true
}

// ---------------------------------------------------------------------------------------
// 1. URL and query building
// ---------------------------------------------------------------------------------------

/// One part of a path template.
#[derive(Debug, Clone)]
enum Segment {
    Literal(String),
    Param(String),
}

#[derive(Debug, Clone)]
struct UrlCase {
    base: usize,
    /// 0: OVH, 1: Armor, 2: nOps without a key (adds `api_key` to the query).
    scheme: usize,
    segments: Vec<Segment>,
    query: Vec<(String, String)>,
}

const URL_BASES: [&str; 5] = [
    "https://api.example.test",
    "https://api.example.test/base",
    "http://127.0.0.1:8080/a%20b/c",
    "https://[::1]:8443/x/",
    "https://EU.API.Example.TEST:443/api/v1/p",
];

fn url_case() -> impl Strategy<Value = UrlCase> {
    let segment = prop_oneof![
        1 => "[a-zA-Z0-9_~-]{1,6}".prop_map(Segment::Literal),
        3 => hostile_text().prop_map(Segment::Param),
    ];
    (
        0..URL_BASES.len(),
        0..3usize,
        prop::collection::vec(segment, 1..5),
        prop::collection::vec((hostile_text(), hostile_text()), 0..5),
    )
        .prop_map(|(base, scheme, segments, query)| UrlCase {
            base,
            scheme,
            segments,
            query,
        })
}

/// The three clients of [`UrlCase::scheme`] for each base URL.
fn url_clients() -> Vec<Vec<Client>> {
    URL_BASES
        .iter()
        .map(|base| {
            [Variant::Ovh, Variant::Armor, Variant::NopsUnsigned]
                .iter()
                .map(|variant| variant.client(base, Clock::fixed(NOW)))
                .collect()
        })
        .collect()
}

#[test]
fn fuzz_url_building() {
    let clients = url_clients();
    let runtime = runtime();
    fuzz(cases(), url_case(), |case| {
        let client = &clients[case.base][case.scheme];
        let mut template = String::new();
        let mut request_params = Vec::new();
        for (i, segment) in case.segments.iter().enumerate() {
            match segment {
                Segment::Literal(text) => template.push_str(&format!("/{text}")),
                Segment::Param(value) => {
                    template.push_str(&format!("/{{p{i}}}"));
                    request_params.push((format!("p{i}"), value.clone()));
                }
            }
        }
        let mut request = client.request(Method::GET, &template);
        for (name, value) in &request_params {
            request = request.path_param(name, value);
        }
        for (name, value) in &case.query {
            request = request.query(name, value);
        }
        let result = runtime.block_on(request.prepare());

        let bad_param = request_params
            .iter()
            .any(|(_, value)| matches!(value.as_str(), "" | "." | ".."));
        let scheme_pair_set = case.scheme == 2 && case.query.iter().any(|(n, _)| n == "api_key");
        let prepared = match result {
            Err(Error::InvalidRequest(_)) if bad_param || scheme_pair_set => return Ok(()),
            Err(error) => {
                return Err(TestCaseError::fail(format!(
                    "refused (bad parameter: {bad_param}, api_key set: {scheme_pair_set}): \
                     {error:?}"
                )));
            }
            Ok(prepared) => prepared,
        };
        prop_assert!(!bad_param && !scheme_pair_set, "accepted: {}", prepared.url);
        let url = &prepared.url;

        // The url crate (and so reqwest) sends exactly this string.
        let parsed = Url::parse(url).map_err(|e| TestCaseError::fail(format!("{url}: {e}")))?;
        prop_assert_eq!(parsed.as_str(), url.as_str());

        // Each path parameter is exactly one segment and decodes back to itself.
        let base = client.base_url().as_str();
        prop_assert!(url.starts_with(base), "{url} is not below {base}");
        let rest = &url[base.len()..];
        let path = path_of(rest);
        prop_assert!(path.starts_with('/'), "{url}");
        let segments: Vec<&str> = path[1..].split('/').collect();
        prop_assert_eq!(segments.len(), case.segments.len(), "{}", url);
        for (encoded, expected) in segments.iter().zip(&case.segments) {
            let expected = match expected {
                Segment::Literal(text) | Segment::Param(text) => text,
            };
            prop_assert!(is_strictly_encoded(encoded), "{encoded} in {url}");
            let decoded = percent_decode(encoded);
            prop_assert_eq!(decoded.as_ref(), Some(expected), "{}", url);
        }

        // Each query pair decodes back to (name, value), in order.
        let mut expected_query = Vec::new();
        if case.scheme == 2 {
            expected_query.push(("api_key".to_owned(), NOPS_API_KEY.to_owned()));
        }
        expected_query.extend(case.query.iter().cloned());
        let query = rest.split_once('?').map(|(_, query)| query);
        prop_assert_eq!(query.is_some(), !expected_query.is_empty(), "{}", url);
        let decoded: Vec<(String, String)> = query
            .map(|query| {
                query
                    .split('&')
                    .map(|pair| {
                        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                        prop_assert!(is_strictly_encoded(name) && is_strictly_encoded(value));
                        let decode = |text| percent_decode(text).unwrap_or_else(|| "<?>".into());
                        Ok((decode(name), decode(value)))
                    })
                    .collect::<Result<_, TestCaseError>>()
            })
            .transpose()?
            .unwrap_or_default();
        prop_assert_eq!(&decoded, &expected_query, "{}", url);
        // The url crate reads the same pairs.
        let by_url: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        prop_assert_eq!(&by_url, &expected_query, "{}", url);
        Ok(())
    });
}

#[derive(Debug, Clone)]
struct RawRequestCase {
    scheme: usize,
    method: String,
    template: String,
    params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

fn raw_request_case() -> impl Strategy<Value = RawRequestCase> {
    let template = prop_oneof![
        hostile_text(),
        hostile_text().prop_map(|text| format!("/{text}")),
        prop::collection::vec(
            prop_oneof![
                hostile_text(),
                select(vec![
                    "/", "{p}", "{p0}", "{", "}", "{}", "/v1", "/%2e%2e", "/%2E"
                ])
                .prop_map(String::from),
            ],
            1..6
        )
        .prop_map(|parts| format!("/{}", parts.concat())),
    ];
    let param_name = prop_oneof![
        select(vec!["p", "p0", "", "{", "}", "p}"]).prop_map(String::from),
        hostile_text(),
    ];
    let header_name = prop_oneof![
        select(vec![
            "host",
            "Host",
            "content-length",
            "transfer-encoding",
            "content-type",
            "user-agent",
            "accept",
            "authorization",
            "x-ovh-signature",
            "x-nops-api-key",
            "x-request-id",
            "X-Upper",
            "bad name",
            "",
        ])
        .prop_map(String::from),
        hostile_text(),
    ];
    let method = prop_oneof![
        select(vec![
            "GET", "get", "Post", "PURGE", "m-search", "GET\0", "G T", ""
        ])
        .prop_map(String::from),
        hostile_text(),
    ];
    (
        0..3usize,
        method,
        template,
        prop::collection::vec((param_name, hostile_text()), 0..4),
        prop::collection::vec((hostile_text(), hostile_text()), 0..3),
        prop::collection::vec((header_name, hostile_text()), 0..4),
    )
        .prop_map(
            |(scheme, method, template, params, query, headers)| RawRequestCase {
                scheme,
                method,
                template,
                params,
                query,
                headers,
            },
        )
}

/// Any template, parameter names, method and caller headers: never a panic; a refusal is
/// `InvalidRequest`; what is accepted is a URL the HTTP layer sends unchanged, with no
/// control character in any header.
#[test]
fn fuzz_request_building_with_arbitrary_templates_methods_and_headers() {
    let clients = url_clients();
    let runtime = runtime();
    fuzz(cases(), raw_request_case(), |case| {
        let client = &clients[1][case.scheme];
        let Ok(method) = Method::from_bytes(case.method.as_bytes()) else {
            // Not a method at all: the type system keeps it out.
            return Ok(());
        };
        let mut request = client.request(method, &case.template);
        for (name, value) in &case.params {
            request = request.path_param(name, value);
        }
        for (name, value) in &case.query {
            request = request.query(name, value);
        }
        for (name, value) in &case.headers {
            request = request.header(name, value);
        }
        match runtime.block_on(request.prepare()) {
            Err(Error::InvalidRequest(message)) => assert_no_secret(&message),
            Err(other) => Err(TestCaseError::fail(format!(
                "not InvalidRequest: {other:?}"
            ))),
            Ok(prepared) => {
                let url = &prepared.url;
                let parsed =
                    Url::parse(url).map_err(|e| TestCaseError::fail(format!("{url}: {e}")))?;
                prop_assert_eq!(parsed.as_str(), url.as_str());
                prop_assert!(url.starts_with(client.base_url().as_str()), "{}", url);
                prop_assert!(
                    !path_of(url)
                        .split('/')
                        .any(|segment| segment == "." || segment == ".."),
                    "{url}"
                );
                let method = prepared.method.as_str();
                prop_assert!(method.bytes().all(|b| !b.is_ascii_lowercase()), "{method}");
                for (name, value) in &prepared.headers {
                    prop_assert!(
                        value
                            .as_bytes()
                            .iter()
                            .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)),
                        "control character in {name}: {value:?}"
                    );
                    prop_assert!(name != "host" && name != "content-length");
                }
                Ok(())
            }
        }
    });
}

// ---------------------------------------------------------------------------------------
// 2. Canonical strings and signatures
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct SignCase {
    method: String,
    url: String,
    body: Vec<u8>,
    timestamp: i64,
    nonce: Option<String>,
}

fn sign_case() -> impl Strategy<Value = SignCase> {
    let method = prop_oneof![
        select(vec!["GET", "POST", "get", "pAtCh", "PURGE", ""]).prop_map(String::from),
        hostile_text(),
    ];
    let url = prop_oneof![
        hostile_text(),
        hostile_text().prop_map(|text| format!("https://api.example.test{text}")),
        (hostile_text(), hostile_text())
            .prop_map(|(path, query)| format!("https://api.example.test/base/{path}?{query}")),
        select(vec![
            "https://api.example.test",
            "https://api.example.test?x",
            "https://api.example.test#/x",
            "://",
            "https://",
            "/relative?x=1",
            "https://h/é/\u{0}?\u{85}",
        ])
        .prop_map(String::from),
    ];
    let nonce = prop::option::of(prop_oneof![
        "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        "[a-zA-Z0-9]{1,16}",
        "[0-9]{1,20}",
        "[a]{126,130}",
        hostile_text(),
    ]);
    (
        method,
        url,
        prop::collection::vec(any::<u8>(), 0..48),
        any_time(),
        nonce,
    )
        .prop_map(|(method, url, body, timestamp, nonce)| SignCase {
            method,
            url,
            body,
            timestamp,
            nonce,
        })
}

/// What a scheme must answer for a request: `Ok`, or which error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Signing,
    /// `Ok` or `Signing`: the range of dates the `time` crate formats depends on its
    /// features.
    OkOrSigning,
}

impl Outcome {
    fn check<T>(
        self,
        what: &str,
        result: &signed_api_runtime::Result<T>,
    ) -> Result<(), TestCaseError> {
        let matches = matches!(
            (self, result),
            (Outcome::Ok | Outcome::OkOrSigning, Ok(_))
                | (
                    Outcome::Signing | Outcome::OkOrSigning,
                    Err(Error::Signing(_))
                )
        );
        let got = match result {
            Ok(_) => "Ok".to_owned(),
            Err(error) => format!("{error:?}"),
        };
        if let Err(error) = result {
            assert_no_secret(&error.to_string())?;
        }
        prop_assert!(matches, "{what}: expected {self:?}, got {got}");
        Ok(())
    }
}

/// The Armor nonce rule, written again from the documentation: 1 to 128 bytes, no `:`,
/// white space or control character.
fn armor_nonce_ok(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce.len() <= 128
        && !nonce.contains(':')
        && !nonce.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The schemes of target 2 that sign without RSA: cheap, many cases.
#[test]
fn fuzz_strings_to_sign_and_signatures() {
    let ovh_without_consumer_key = OvhCredentials::new(OVH_APP_KEY, OVH_SECRET).unwrap();
    let schemes: Vec<(&str, Box<dyn Scheme>)> = vec![
        ("ovh", Box::new(OvhScheme::new(ovh_credentials()))),
        (
            "ovh-no-ck",
            Box::new(OvhScheme::new(ovh_without_consumer_key)),
        ),
        ("armor", Box::new(ArmorScheme::new(armor_credentials(true)))),
        (
            "nops-unsigned",
            Box::new(NopsScheme::new(NopsCredentials::new(NOPS_API_KEY).unwrap())),
        ),
    ];
    check_signing(&schemes, cases());
}

/// The schemes of target 2 that sign with RSA (each case signs and verifies several
/// times): the RSA case count.
#[test]
fn fuzz_strings_to_sign_and_rsa_signatures() {
    let nops = |key| {
        NopsScheme::new(
            NopsCredentials::new(NOPS_API_KEY)
                .unwrap()
                .with_private_key(key),
        )
    };
    let qredo = || QredoScheme::new(QredoCredentials::new(QREDO_API_KEY, key_2048()).unwrap());
    let schemes: Vec<(&str, Box<dyn Scheme>)> = vec![
        ("nops-2048", Box::new(nops(key_2048()))),
        ("nops-1024", Box::new(nops(key_1024()))),
        ("qredo-timestamp", Box::new(qredo())),
        (
            "qredo-nonce",
            Box::new(qredo().time_mode(QredoTimeMode::Nonce)),
        ),
    ];
    check_signing(&schemes, rsa_cases());
}

/// `string_to_sign` and `sign` of each scheme over arbitrary methods, URLs, bodies,
/// timestamps and nonces: never a panic, the error the inputs call for, and signatures
/// that are deterministic and well formed.
fn check_signing(schemes: &[(&str, Box<dyn Scheme>)], cases: u32) {
    let public = key_2048().public_key();
    let public_1024 = key_1024().public_key();
    fuzz(cases, sign_case(), |case| {
        let request = SignableRequest::new(&case.method, &case.url, &case.body);
        let mut params = SigningParams::at(case.timestamp);
        if let Some(nonce) = &case.nonce {
            params = params.with_nonce(nonce);
        }
        // The request as the schemes cut it: no panic whatever the URL.
        let _ = (request.path(), request.path_and_query());
        let in_date_range = (-377_705_116_800..=253_402_300_799).contains(&case.timestamp);
        // What a Qredo verifier takes as a nonce: an unsigned integer in canonical form.
        let canonical_nonce = case.nonce.as_deref().is_some_and(|nonce| {
            nonce.bytes().all(|b| b.is_ascii_digit())
                && (nonce == "0" || !nonce.starts_with('0'))
                && nonce.parse::<u64>().is_ok()
        });
        for (name, scheme) in schemes {
            let string = scheme.string_to_sign(&request, &params);
            let signed = scheme.sign(&request, &params);
            let (string_outcome, sign_outcome) = match *name {
                "ovh" | "qredo-timestamp" => (Outcome::Ok, Outcome::Ok),
                "ovh-no-ck" => (Outcome::Signing, Outcome::Signing),
                "armor" => match &case.nonce {
                    Some(nonce) if armor_nonce_ok(nonce) => (Outcome::Ok, Outcome::Ok),
                    _ => (Outcome::Signing, Outcome::Signing),
                },
                "nops-unsigned" | "nops-2048" | "nops-1024" => {
                    let date = if in_date_range {
                        Outcome::Ok
                    } else {
                        Outcome::OkOrSigning
                    };
                    let sign = if *name == "nops-unsigned" {
                        Outcome::Ok
                    } else {
                        date
                    };
                    (date, sign)
                }
                "qredo-nonce" if canonical_nonce => (Outcome::Ok, Outcome::Ok),
                "qredo-nonce" => (Outcome::Signing, Outcome::Signing),
                _ => unreachable!(),
            };
            string_outcome.check(&format!("{name} string_to_sign"), &string)?;
            sign_outcome.check(&format!("{name} sign"), &signed)?;
            if name.starts_with("nops-") && *name != "nops-unsigned" {
                prop_assert_eq!(string.is_ok(), signed.is_ok(), "{}", name);
            }
            let Ok(headers) = signed else { continue };
            // Signing is a pure function of its inputs.
            let again = scheme.sign(&request, &params).unwrap();
            prop_assert_eq!(&headers, &again, "{} signs twice differently", name);
            for (header, value) in &headers {
                prop_assert!(
                    value
                        .as_bytes()
                        .iter()
                        .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)),
                    "{name}: control character in {header}"
                );
            }
            let get = |wanted: &str| {
                headers
                    .iter()
                    .find(|(header, _)| header == wanted)
                    .map(|(_, value)| String::from_utf8_lossy(value.as_bytes()).into_owned())
            };
            match *name {
                "ovh" => {
                    let signature = get("x-ovh-signature").unwrap();
                    prop_assert!(
                        signature.len() == 43
                            && signature.starts_with("$1$")
                            && signature[3..]
                                .bytes()
                                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                        "{signature}"
                    );
                    prop_assert_eq!(get("x-ovh-timestamp"), Some(case.timestamp.to_string()));
                }
                "armor" => {
                    let value = get("authorization").unwrap();
                    let fields: Vec<&str> = value
                        .strip_prefix("ARMOR-PSK ")
                        .unwrap()
                        .split(':')
                        .collect();
                    prop_assert_eq!(fields.len(), 4, "{}", value);
                    prop_assert_eq!(fields[0], ARMOR_KEY_ID);
                    // The MAC is over exactly the string `--dry-run` shows.
                    let string = string.as_ref().unwrap();
                    let mut mac = <hmac::Hmac<sha2::Sha512> as hmac::Mac>::new_from_slice(
                        ARMOR_SECRET.as_bytes(),
                    )
                    .unwrap();
                    hmac::Mac::update(&mut mac, &string.to_bytes());
                    let expected = STANDARD.encode(hmac::Mac::finalize(mac).into_bytes());
                    prop_assert_eq!(fields[1], expected.as_str());
                    prop_assert!(!string.has_secrets());
                    prop_assert_eq!(Some(fields[2]), case.nonce.as_deref());
                    prop_assert_eq!(fields[3], case.timestamp.to_string());
                }
                "qredo-timestamp" | "qredo-nonce" => {
                    // The signature verifies over FIRST + URL + BODY.
                    let first = if *name == "qredo-nonce" {
                        case.nonce.clone().unwrap()
                    } else {
                        case.timestamp.to_string()
                    };
                    let signature = URL_SAFE_NO_PAD.decode(get("x-sign").unwrap()).unwrap();
                    let mut payload = first.into_bytes();
                    payload.extend_from_slice(case.url.as_bytes());
                    payload.extend_from_slice(&case.body);
                    prop_assert!(public.verify(&payload, &signature), "{name}");
                }
                "nops-unsigned" => prop_assert!(headers.is_empty()),
                "nops-2048" | "nops-1024" => {
                    let public = if *name == "nops-2048" {
                        &public
                    } else {
                        &public_1024
                    };
                    let signature = STANDARD.decode(get("x-nops-signature").unwrap()).unwrap();
                    let string = string.unwrap();
                    prop_assert!(public.verify(&string.to_bytes(), &signature));
                    prop_assert!(string.redacted().ends_with("?api_key=***"));
                }
                _ => {}
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// 3. PEM loading
// ---------------------------------------------------------------------------------------

const PRIVATE_PEMS: [&str; 3] = [
    include_str!("../../tests/vectors/keys/rsa1024-pkcs1.pem"),
    include_str!("../../tests/vectors/keys/rsa2048-pkcs1.pem"),
    include_str!("../../tests/vectors/keys/rsa2048-pkcs8.pem"),
];
const PUBLIC_PEMS: [&str; 3] = [
    include_str!("../../tests/vectors/keys/rsa1024-pkcs1.pub.pem"),
    include_str!("../../tests/vectors/keys/rsa2048-pkcs1.pub.pem"),
    include_str!("../../tests/vectors/keys/rsa2048-pkcs8.pub.pem"),
];
/// Keys that must be refused: EC, Ed25519, encrypted, 512-bit.
const OTHER_PEMS: [&str; 4] = [
    include_str!("../../tests/vectors/keys/ec-p256-pkcs8.pem"),
    include_str!("../../tests/vectors/keys/ed25519-pkcs8.pem"),
    include_str!("../../tests/vectors/keys/rsa2048-encrypted.pem"),
    include_str!("../../tests/vectors/keys/rsa512-pkcs1.pem"),
];

const PEM_LABELS: [&str; 9] = [
    "RSA PRIVATE KEY",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "EC PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "",
];

/// Checks a load: `Ok`, or `Err(Error::Key)` whose message shows no line of the key.
fn check_load<T>(
    what: &str,
    result: signed_api_runtime::Result<T>,
    key_lines: &[&str],
) -> Result<Option<T>, TestCaseError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::Key(message)) => {
            for line in key_lines.iter().filter(|line| line.len() >= 16) {
                prop_assert!(
                    !message.contains(line),
                    "{what}: the error shows key material: {message}"
                );
            }
            Ok(None)
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "{what}: not Error::Key: {other:?}"
        ))),
    }
}

/// Loads `pem` as a private and as a public key: never a panic, `Ok` or `Error::Key`; a
/// private key that loads signs what its public key verifies.
fn load_both(pem: &str, key_lines: &[&str]) -> Result<(), TestCaseError> {
    if let Some(key) = check_load("RsaKey::from_pem", RsaKey::from_pem(pem), key_lines)? {
        prop_assert!(key.bits() >= signed_api_runtime::keys::MIN_RSA_BITS);
        let signature = key
            .sign(b"fuzz")
            .map_err(|e| TestCaseError::fail(format!("a loaded key does not sign: {e}")))?;
        prop_assert!(key.public_key().verify(b"fuzz", &signature));
    }
    check_load(
        "RsaPublicKeyPem::from_pem",
        RsaPublicKeyPem::from_pem(pem),
        key_lines,
    )?;
    Ok(())
}

/// DER of one element: tag, length (short or long form), content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = content.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> = length
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

fn pem_block(label: &str, der: &[u8], width: usize) -> String {
    let encoded = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in encoded.as_bytes().chunks(width.max(1)) {
        pem.push_str(std::str::from_utf8(chunk).unwrap());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// The integer contents of a small RSA key that the `rsa` crate's checks accept
/// (n = p·q, d·e ≡ 1 mod p−1 and q−1): it gets as far as the size check.
const TINY_KEYS: [[u64; 5]; 3] = [
    // n, e, d, p, q
    [55, 3, 7, 5, 11],
    [3233, 17, 413, 61, 53],
    [25, 3, 3, 5, 5],
];

/// Made-up DER: PKCS#1 `RSAPrivateKey` (or the same inside PKCS#8) with arbitrary integer
/// contents, a tiny valid key with one field changed, or random bytes.
fn made_up_pem() -> impl Strategy<Value = String> {
    let integer = prop_oneof![
        Just(vec![]),
        Just(vec![0]),
        Just(vec![1]),
        Just(vec![3]),
        Just(vec![0xff]),
        Just(vec![0x01, 0x00, 0x01]),
        Just(vec![0x00, 0x00, 0x01]),
        prop::collection::vec(any::<u8>(), 1..8),
        prop::collection::vec(any::<u8>(), 120..136),
    ];
    let integers = prop_oneof![
        prop::collection::vec(integer.clone(), 0..11),
        (
            select(&TINY_KEYS[..]),
            0..5usize,
            prop::collection::vec(any::<u8>(), 0..4)
        )
            .prop_map(|(key, change, value)| {
                let mut fields: Vec<Vec<u8>> = key
                    .iter()
                    .map(|n| {
                        let bytes: Vec<u8> = n
                            .to_be_bytes()
                            .into_iter()
                            .skip_while(|&b| b == 0)
                            .collect();
                        if bytes[0] & 0x80 != 0 {
                            [vec![0], bytes].concat()
                        } else {
                            bytes
                        }
                    })
                    .collect();
                if !value.is_empty() {
                    fields[change] = value;
                }
                let [n, e, d, p, q] = <[Vec<u8>; 5]>::try_from(fields).unwrap();
                // version, n, e, d, p, q, dp, dq, qinv (the last three are not checked)
                vec![vec![0], n, e, d, p, q, vec![1], vec![1], vec![1]]
            }),
    ];
    (
        integers,
        0..3usize,
        select(&PEM_LABELS[..]),
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(integers, wrapping, label, random)| {
            let body: Vec<u8> = integers.iter().flat_map(|i| der(0x02, i)).collect();
            let pkcs1 = der(0x30, &body);
            match wrapping {
                0 => pem_block("RSA PRIVATE KEY", &pkcs1, 64),
                1 => {
                    const RSA_ENCRYPTION: [u8; 9] =
                        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
                    let algorithm =
                        der(0x30, &[der(0x06, &RSA_ENCRYPTION), der(0x05, &[])].concat());
                    let info = [der(0x02, &[0]), algorithm, der(0x04, &pkcs1)].concat();
                    pem_block("PRIVATE KEY", &der(0x30, &info), 64)
                }
                _ => pem_block(label, &random, 64),
            }
        })
}

/// Arbitrary text and made-up keys: cheap, so many cases.
#[test]
fn fuzz_pem_loading_of_arbitrary_text() {
    let text = prop_oneof![
        prop::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter),
        prop::collection::vec(any::<u8>(), 0..300)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        (select(&PEM_LABELS[..]), hostile_text(), hostile_text()).prop_map(
            |(label, inside, after)| format!("-----BEGIN {label}-----\n{inside}\n{after}")
        ),
        (hostile_text(), "[A-Za-z0-9+/=\n]{0,200}").prop_map(|(label, body)| format!(
            "-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"
        )),
        select(vec![
            "",
            "-----BEGIN ",
            "-----BEGIN -----",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\n=\n-----END PUBLIC KEY-----\n",
        ])
        .prop_map(String::from),
        made_up_pem(),
    ];
    fuzz(cases(), text, |pem| load_both(&pem, &[]));
}

/// One change to a PEM file.
#[derive(Debug, Clone)]
enum PemMutation {
    /// Replace a character of a base64 line.
    FlipBase64 {
        line: Index,
        at: Index,
        to: char,
    },
    Truncate(Index),
    DuplicateLine(Index),
    DeleteLine(Index),
    SwapLines(Index, Index),
    InsertLine(Index, String),
    CrLf,
    Indent,
    TrailingGarbage(String),
    Relabel(&'static str),
    /// Change one byte of the DER, and encode it again.
    FlipDer {
        at: Index,
        xor: u8,
    },
    TruncateDer(Index),
    AppendDer(Vec<u8>),
    /// Re-encode with lines of another width (0: one line).
    Rewrap(usize),
}

fn pem_mutation() -> impl Strategy<Value = PemMutation> {
    let base64_char = prop_oneof![
        4 => select(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
                .chars()
                .collect::<Vec<_>>()
        ),
        1 => any::<char>(),
    ];
    prop_oneof![
        4 => (any::<Index>(), any::<Index>(), base64_char)
            .prop_map(|(line, at, to)| PemMutation::FlipBase64 { line, at, to }),
        1 => any::<Index>().prop_map(PemMutation::Truncate),
        1 => any::<Index>().prop_map(PemMutation::DuplicateLine),
        1 => any::<Index>().prop_map(PemMutation::DeleteLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| PemMutation::SwapLines(a, b)),
        1 => (any::<Index>(), hostile_text())
            .prop_map(|(at, line)| PemMutation::InsertLine(at, line)),
        1 => Just(PemMutation::CrLf),
        1 => Just(PemMutation::Indent),
        1 => hostile_text().prop_map(PemMutation::TrailingGarbage),
        1 => select(&PEM_LABELS[..]).prop_map(PemMutation::Relabel),
        4 => (any::<Index>(), 1..=255u8).prop_map(|(at, xor)| PemMutation::FlipDer { at, xor }),
        1 => any::<Index>().prop_map(PemMutation::TruncateDer),
        1 => prop::collection::vec(any::<u8>(), 1..8).prop_map(PemMutation::AppendDer),
        1 => select(vec![0usize, 1, 63, 76]).prop_map(PemMutation::Rewrap),
    ]
}

/// The label and DER of a PEM block (the test files have one each); `None` when a
/// mutation left none.
fn pem_parts(pem: &str) -> Option<(String, Vec<u8>)> {
    let label = pem
        .lines()
        .next()?
        .strip_prefix("-----BEGIN ")?
        .strip_suffix("-----")?
        .to_owned();
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    Some((label, STANDARD.decode(body).ok()?))
}

/// Applies `mutation` to `pem`; mutations of the DER apply to `original` when `pem` no
/// longer has one.
fn apply_pem_mutation(pem: &str, original: &str, mutation: &PemMutation) -> String {
    let mut lines: Vec<String> = pem.lines().map(str::to_owned).collect();
    if lines.len() < 2 {
        lines = original.lines().map(str::to_owned).collect();
    }
    let joined = |lines: &[String]| lines.join("\n") + "\n";
    let (label, der) = pem_parts(pem)
        .or_else(|| pem_parts(original))
        .expect("the test keys are PEM");
    match mutation {
        PemMutation::FlipBase64 { line, at, to } => {
            // A line of the body: not the first or the last.
            let body_lines = lines.len().saturating_sub(2).max(1);
            let line = 1 + line.index(body_lines);
            let chars: Vec<char> = lines[line].chars().collect();
            if chars.is_empty() {
                return pem.to_owned();
            }
            let mut chars = chars;
            let at = at.index(chars.len());
            chars[at] = *to;
            lines[line] = chars.into_iter().collect();
            joined(&lines)
        }
        PemMutation::Truncate(_) if pem.is_empty() => String::new(),
        PemMutation::Truncate(at) => {
            let mut at = at.index(pem.len());
            while !pem.is_char_boundary(at) {
                at -= 1;
            }
            pem[..at].to_owned()
        }
        PemMutation::DuplicateLine(at) => {
            let at = at.index(lines.len());
            lines.insert(at, lines[at].clone());
            joined(&lines)
        }
        PemMutation::DeleteLine(at) => {
            lines.remove(at.index(lines.len()));
            joined(&lines)
        }
        PemMutation::SwapLines(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            joined(&lines)
        }
        PemMutation::InsertLine(at, text) => {
            lines.insert(at.index(lines.len() + 1), text.clone());
            joined(&lines)
        }
        PemMutation::CrLf => pem.replace('\n', "\r\n"),
        PemMutation::Indent => lines.iter().map(|line| format!("  {line}  \n")).collect(),
        PemMutation::TrailingGarbage(text) => format!("{pem}{text}"),
        PemMutation::Relabel(new) => pem_block(new, &der, 64),
        PemMutation::FlipDer { .. } | PemMutation::TruncateDer(_) if der.is_empty() => {
            pem.to_owned()
        }
        PemMutation::FlipDer { at, xor } => {
            let mut der = der;
            let at = at.index(der.len());
            der[at] ^= xor;
            pem_block(&label, &der, 64)
        }
        PemMutation::TruncateDer(at) => pem_block(&label, &der[..at.index(der.len())], 64),
        PemMutation::AppendDer(extra) => pem_block(&label, &[der, extra.clone()].concat(), 64),
        PemMutation::Rewrap(width) => {
            pem_block(&label, &der, if *width == 0 { usize::MAX } else { *width })
        }
    }
}

/// Mutations of the test keys: most fail early, but a mutation that keeps a key valid
/// (white space, a changed CRT field the parser recomputes) pays for a full parse, so
/// this target runs the RSA case count.
#[test]
fn fuzz_pem_loading_of_mutated_keys() {
    let all: Vec<&'static str> = PRIVATE_PEMS
        .iter()
        .chain(&PUBLIC_PEMS)
        .chain(&OTHER_PEMS)
        .copied()
        .collect();
    let strategy = (select(all), prop::collection::vec(pem_mutation(), 1..4));
    fuzz(rsa_cases(), strategy, |(pem, mutations)| {
        let mut mutated = pem.to_owned();
        for mutation in &mutations {
            mutated = apply_pem_mutation(&mutated, pem, mutation);
        }
        let key_lines: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        load_both(&mutated, &key_lines)
    });
}

// ---------------------------------------------------------------------------------------
// 4. Verifiers over arbitrary and mutated requests
// ---------------------------------------------------------------------------------------

const HEADER_NAMES: [&str; 14] = [
    "host",
    "authorization",
    "x-account-context",
    "x-ovh-application",
    "x-ovh-consumer",
    "x-ovh-timestamp",
    "x-ovh-signature",
    "x-api-key",
    "x-timestamp",
    "x-nonce",
    "x-sign",
    "x-nops-api-key",
    "x-nops-signature",
    "content-type",
];

fn header_name() -> BoxedStrategy<HeaderName> {
    prop_oneof![
        3 => select(&HEADER_NAMES[..]).prop_map(HeaderName::from_static),
        1 => "[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,16}"
            .prop_filter_map("not a header name", |name| {
                HeaderName::from_bytes(name.as_bytes()).ok()
            }),
    ]
    .boxed()
}

/// Timestamps as text: canonical and not.
fn timestamp_text() -> BoxedStrategy<String> {
    prop_oneof![
        any_time().prop_map(|t| t.to_string()),
        select(vec![
            "1700000000",
            "+1700000000",
            "01700000000",
            " 1700000000",
            "1700000000 ",
            "1.7e9",
            "",
            "0",
            "00",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-0",
        ])
        .prop_map(String::from),
    ]
    .boxed()
}

/// Header values that get past the first checks of some verifier: the right keys, canonical
/// timestamps, signatures of the right shape.
fn plausible_value() -> BoxedStrategy<Vec<u8>> {
    let b64 = |len: std::ops::Range<usize>| prop::collection::vec(any::<u8>(), len);
    prop_oneof![
        select(vec![
            OVH_APP_KEY,
            OVH_CONSUMER,
            QREDO_API_KEY,
            NOPS_API_KEY,
            ARMOR_ACCOUNT,
            "application/json",
            "api.example.test",
        ])
        .prop_map(|v| v.as_bytes().to_vec()),
        timestamp_text().prop_map(String::into_bytes),
        "[0-9a-f]{40}".prop_map(|hex| format!("$1${hex}").into_bytes()),
        b64(250..260).prop_map(|sig| STANDARD.encode(sig).into_bytes()),
        b64(250..260).prop_map(|sig| URL_SAFE_NO_PAD.encode(sig).into_bytes()),
        (
            select(vec![ARMOR_KEY_ID, "other-id", ""]),
            b64(60..68),
            prop_oneof![
                "[0-9a-f-]{36}".boxed(),
                hostile_text(),
                "[a-z]{129}".boxed()
            ],
            timestamp_text(),
            select(vec!["ARMOR-PSK ", "armor-psk ", "ARMOR-PSK", "Bearer "]),
            select(vec!["", ":", ":extra"]),
        )
            .prop_map(|(key, mac, nonce, timestamp, prefix, extra)| {
                format!(
                    "{prefix}{key}:{}:{nonce}:{timestamp}{extra}",
                    STANDARD.encode(mac)
                )
                .into_bytes()
            }),
    ]
    .boxed()
}

fn header_value_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        2 => plausible_value(),
        1 => prop::collection::vec(header_byte(), 0..48),
    ]
    .boxed()
}

/// A timestamp close to [`NOW`], as text.
fn near_now_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (NOW - 400..NOW + 400).prop_map(|t| t.to_string()),
        1 => timestamp_text(),
    ]
    .boxed()
}

/// A value for header `name` that gets past that header's own checks more often than
/// not: the right key, a timestamp near [`NOW`], a signature of the right shape.
fn likely_value(name: &'static str) -> BoxedStrategy<Vec<u8>> {
    let bytes = |len: std::ops::Range<usize>| prop::collection::vec(any::<u8>(), len);
    let likely: BoxedStrategy<Vec<u8>> = match name {
        "x-ovh-application" => Just(OVH_APP_KEY.as_bytes().to_vec()).boxed(),
        "x-ovh-consumer" => Just(OVH_CONSUMER.as_bytes().to_vec()).boxed(),
        "x-ovh-timestamp" | "x-timestamp" => near_now_text().prop_map(String::into_bytes).boxed(),
        "x-ovh-signature" => "[0-9a-f]{40}"
            .prop_map(|hex| format!("$1${hex}").into_bytes())
            .boxed(),
        "authorization" => (
            bytes(64..65),
            prop_oneof![
                4 => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}".boxed(),
                1 => hostile_text(),
            ],
            near_now_text(),
        )
            .prop_map(|(mac, nonce, timestamp)| {
                format!(
                    "ARMOR-PSK {ARMOR_KEY_ID}:{}:{nonce}:{timestamp}",
                    STANDARD.encode(mac)
                )
                .into_bytes()
            })
            .boxed(),
        "x-account-context" => Just(ARMOR_ACCOUNT.as_bytes().to_vec()).boxed(),
        "x-api-key" => Just(QREDO_API_KEY.as_bytes().to_vec()).boxed(),
        "x-nonce" => "[1-9][0-9]{0,19}".prop_map(String::into_bytes).boxed(),
        "x-sign" => bytes(256..257)
            .prop_map(|sig| URL_SAFE_NO_PAD.encode(sig).into_bytes())
            .boxed(),
        "x-nops-api-key" => Just(NOPS_API_KEY.as_bytes().to_vec()).boxed(),
        "x-nops-signature" => bytes(256..257)
            .prop_map(|sig| STANDARD.encode(sig).into_bytes())
            .boxed(),
        _ => plausible_value(),
    };
    prop_oneof![4 => likely, 1 => header_value_bytes()].boxed()
}

/// The headers of a scheme, with values likely to reach its signature check.
fn skeleton() -> BoxedStrategy<Vec<(HeaderName, Vec<u8>)>> {
    let named = |names: &'static [&'static str]| {
        names
            .iter()
            .map(|&name| {
                likely_value(name).prop_map(move |value| (HeaderName::from_static(name), value))
            })
            .collect::<Vec<_>>()
    };
    prop_oneof![
        1 => Just(vec![]).boxed(),
        2 => named(&[
            "x-ovh-application",
            "x-ovh-consumer",
            "x-ovh-timestamp",
            "x-ovh-signature"
        ])
        .boxed(),
        2 => named(&["authorization", "x-account-context"]).boxed(),
        2 => named(&["x-api-key", "x-timestamp", "x-sign"]).boxed(),
        2 => named(&["x-api-key", "x-nonce", "x-sign"]).boxed(),
        1 => named(&["x-nops-api-key", "x-nops-signature"]).boxed(),
        1 => named(&["x-nops-signature"]).boxed(),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
struct HostileRequest {
    scheme: &'static str,
    method: String,
    target: String,
    hosts: Vec<Vec<u8>>,
    headers: Vec<(HeaderName, Vec<u8>)>,
    body: Vec<u8>,
    now: i64,
    window: i64,
}

fn hostile_request() -> impl Strategy<Value = HostileRequest> {
    // Mostly in canonical form, so that most cases reach the verifiers.
    let method = prop_oneof![
        6 => select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]).prop_map(String::from),
        2 => "[A-Z]{1,10}",
        1 => hostile_text(),
    ];
    let target = prop_oneof![
        4 => "/[!-\"$-~]{0,40}",
        2 => "/[a-z/]{0,10}\\?api_key=7\\.nops-api-key-0xFACE(&[!-\"$-~]{0,10})?",
        1 => select(vec![
            "/",
            "/base/x?api_key=7.nops-api-key-0xFACE&api_key=7.nops-api-key-0xFACE",
            "/x?api_key=7.nops-api-key-0xFACE&q=a+b%20c",
            "/x?api_key=7.nops-api-key-0xFAC%45",
            "/x?api_%6Bey=7.nops-api-key-0xFACE",
            "http://api.example.test/x",
            "*",
            "",
            "//evil.example/x",
            "/#",
        ])
        .prop_map(String::from),
        1 => hostile_text(),
    ];
    let host = prop_oneof![
        12 => select(vec![
            "api.example.test",
            "api.example.test:443",
            "127.0.0.1:8080",
            "[::1]:8443",
            "[::1]",
            "a_b.example",
        ])
        .prop_map(|host| host.as_bytes().to_vec()),
        1 => select(vec![
            "api.example.test/base/x?",
            "api.example.test:",
            "api.example.test:123456",
            "user@api.example.test",
            "[::1",
            "[::1]x",
            "",
        ])
        .prop_map(|host| host.as_bytes().to_vec()),
        1 => prop::collection::vec(header_byte(), 0..24),
        1 => "[a-z0-9.:\\[\\]/?#@-]{0,24}".prop_map(String::into_bytes),
    ];
    (
        prop_oneof![
            8 => select(vec!["https", "http"]),
            1 => select(vec!["HTTPS", "ftp", ""]),
        ],
        method,
        target,
        prop_oneof![
            1 => Just(vec![]),
            16 => prop::collection::vec(host.clone(), 1..=1),
            1 => prop::collection::vec(host, 2..=2),
        ],
        (
            skeleton(),
            prop::collection::vec((header_name(), header_value_bytes()), 0..3),
        )
            .prop_map(|(mut skeleton, extra)| {
                skeleton.extend(extra);
                skeleton
            }),
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..32),
            "[ -~]{0,32}".prop_map(String::into_bytes),
        ],
        prop_oneof![3 => NOW - 10..NOW + 10, 1 => any_time()],
        prop_oneof![
            4 => Just(300i64),
            1 => select(vec![0, -300, i64::MAX, i64::MIN]),
            1 => any::<i64>(),
        ],
    )
        .prop_map(
            |(scheme, method, target, hosts, headers, body, now, window)| HostileRequest {
                scheme,
                method,
                target,
                hosts,
                headers,
                body,
                now,
                window,
            },
        )
}

/// Arbitrary received requests: every verifier, in every mode, with arbitrary windows and
/// server times, never panics and never accepts (no signature is right by chance).
#[test]
fn fuzz_verifiers_with_arbitrary_requests() {
    let public = key_2048().public_key();
    fuzz(cases(), hostile_request(), |case| {
        let mut headers = HeaderMap::new();
        for host in &case.hosts {
            if let Ok(value) = HeaderValue::from_bytes(host) {
                headers.append("host", value);
            }
        }
        for (name, value) in &case.headers {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                headers.append(name.clone(), value);
            }
        }
        let Ok(request) = ReceivedRequest::new(
            case.scheme,
            &case.method,
            &case.target,
            &headers,
            &case.body,
        ) else {
            return Ok(());
        };
        // What the constructor promises about what it let through.
        prop_assert!(request.target().starts_with('/'));
        prop_assert!(!request.authority().contains(['/', '?', '#', '@']));
        prop_assert!(request.url().ends_with(request.target()));

        let window = case.window;
        let verifiers: Vec<(&str, Box<dyn Verifier>)> = vec![
            ("ovh", Box::new(OvhVerifier::new(ovh_credentials(), window))),
            (
                "nops",
                Box::new(NopsVerifier::new(
                    NOPS_API_KEY,
                    Some(public.clone()),
                    window,
                )),
            ),
            (
                "qredo-timestamp",
                Box::new(QredoVerifier::new(QREDO_API_KEY, public.clone(), window)),
            ),
            (
                "qredo-nonce",
                Box::new(
                    QredoVerifier::new(QREDO_API_KEY, public.clone(), window)
                        .mode(QredoTimeMode::Nonce),
                ),
            ),
            (
                "armor",
                Box::new(ArmorVerifier::new(armor_credentials(true), window)),
            ),
            (
                "armor-no-account",
                Box::new(ArmorVerifier::new(armor_credentials(false), window)),
            ),
        ];
        for (name, verifier) in &verifiers {
            match verifier.verify(&request, case.now) {
                Ok(verified) => {
                    return Err(TestCaseError::fail(format!(
                        "{name} accepted an unsigned request: {verified:?}"
                    )));
                }
                Err(error) => assert_no_secret(&error.to_string())?,
            }
        }
        Ok(())
    });
}

/// A request to sign, then change.
#[derive(Debug, Clone)]
struct SignedCase {
    method: &'static str,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    body: Vec<u8>,
}

fn signed_case() -> impl Strategy<Value = SignedCase> {
    (
        select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]),
        prop::collection::vec(segment_text(), 1..4),
        prop::collection::vec((query_text(), query_text()), 0..3),
        prop::collection::vec(any::<u8>(), 0..32),
    )
        .prop_map(|(method, segments, query, body)| SignedCase {
            method,
            segments,
            query,
            body,
        })
}

/// The body a variant can carry: OVH's verifier takes UTF-8 bodies only (OVH's are JSON;
/// refusing the others closes SHA-1 length extension).
fn body_for(variant: Variant, bytes: &[u8]) -> Vec<u8> {
    if variant == Variant::Ovh {
        String::from_utf8_lossy(bytes).into_owned().into_bytes()
    } else {
        bytes.to_vec()
    }
}

/// The request `case` describes, for `variant`, on `client`.
fn request_for(
    variant: Variant,
    client: &Client,
    case: &SignedCase,
) -> signed_api_runtime::Request {
    let template: String = (0..case.segments.len())
        .map(|i| format!("/{{s{i}}}"))
        .collect();
    let mut request = client.request(
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
        request = request.raw_body(body_for(variant, &case.body), "application/octet-stream");
    }
    request
}

/// Prepares `case` for `variant` with `client`.
fn prepare(
    variant: Variant,
    client: &Client,
    case: &SignedCase,
    runtime: &tokio::runtime::Runtime,
) -> PreparedRequest {
    runtime
        .block_on(request_for(variant, client, case).prepare())
        .unwrap()
}

/// One change to a signed request as received.
#[derive(Debug, Clone)]
enum Mutation {
    HeaderValueByte {
        header: Index,
        at: Index,
        byte: u8,
    },
    HeaderNameByte {
        header: Index,
        at: Index,
        byte: u8,
    },
    RemoveHeader(Index),
    DuplicateHeader(Index),
    AddHeader(&'static str, Vec<u8>),
    HostByte {
        at: Index,
        byte: u8,
    },
    /// `Host` takes the start of the request-target: the URL stays the same.
    HostTakesTarget(Index),
    /// `Host` becomes `host/…?`.
    HostWithPath(String),
    TargetByte {
        at: Index,
        byte: u8,
    },
    TargetInsert {
        at: Index,
        byte: u8,
    },
    TargetDelete(Index),
    TargetAppend(&'static str),
    AbsoluteTarget,
    Method(&'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token_byte = select(b"abcdefghijklmnopqrstuvwxyz0123456789-_!#$%&'*+.^`|~".to_vec());
    let target_byte = prop_oneof![4 => 0x21u8..=0x7e, 1 => any::<u8>()];
    prop_oneof![
        6 => (any::<Index>(), any::<Index>(), header_byte())
            .prop_map(|(header, at, byte)| Mutation::HeaderValueByte { header, at, byte }),
        2 => (any::<Index>(), any::<Index>(), token_byte)
            .prop_map(|(header, at, byte)| Mutation::HeaderNameByte { header, at, byte }),
        1 => any::<Index>().prop_map(Mutation::RemoveHeader),
        1 => any::<Index>().prop_map(Mutation::DuplicateHeader),
        2 => (select(&HEADER_NAMES[..]), plausible_value())
            .prop_map(|(name, value)| Mutation::AddHeader(name, value)),
        2 => (any::<Index>(), header_byte()).prop_map(|(at, byte)| Mutation::HostByte { at, byte }),
        2 => any::<Index>().prop_map(Mutation::HostTakesTarget),
        1 => "[!-~]{0,12}".prop_map(Mutation::HostWithPath),
        4 => (any::<Index>(), target_byte.clone())
            .prop_map(|(at, byte)| Mutation::TargetByte { at, byte }),
        2 => (any::<Index>(), target_byte)
            .prop_map(|(at, byte)| Mutation::TargetInsert { at, byte }),
        2 => any::<Index>().prop_map(Mutation::TargetDelete),
        1 => select(vec![
            "api_key=7.nops-api-key-0xFACE",
            "api_key=other",
            "q=1",
            "",
        ])
        .prop_map(Mutation::TargetAppend),
        1 => Just(Mutation::AbsoluteTarget),
        2 => select(vec![
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "get", "Post", "PURGE", "G T", "",
        ])
        .prop_map(Mutation::Method),
    ]
}

/// A received request after a mutation, and whether the verifier must refuse it.
struct Mutated {
    method: String,
    target: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    must_refuse: bool,
}

/// `text` with byte `at` replaced by `byte`, or `None` when nothing changes or the result
/// is not text.
fn replace_byte(text: &[u8], at: usize, byte: u8) -> Option<Vec<u8>> {
    if text.is_empty() || text[at] == byte {
        return None;
    }
    let mut out = text.to_vec();
    out[at] = byte;
    Some(out)
}

/// Applies `mutation`; `None` when it would change nothing.
fn mutate(
    variant: Variant,
    method: &str,
    target: &str,
    headers: &[(HeaderName, HeaderValue)],
    mutation: &Mutation,
) -> Option<Mutated> {
    let signed = |name: &HeaderName| variant.signed_headers().contains(&name.as_str());
    let mut out = Mutated {
        method: method.to_owned(),
        target: target.to_owned(),
        headers: headers.to_vec(),
        must_refuse: false,
    };
    let host_at = headers.iter().position(|(name, _)| name == "host").unwrap();
    let host = headers[host_at].1.to_str().unwrap().to_owned();
    match mutation {
        Mutation::HeaderValueByte { header, at, byte } => {
            let (name, value) = &headers[header.index(headers.len())];
            let bytes = value.as_bytes();
            let new = replace_byte(bytes, at.index(bytes.len().max(1)), *byte)?;
            let at = header.index(headers.len());
            out.headers[at].1 = HeaderValue::from_bytes(&new).unwrap();
            out.must_refuse = signed(name);
        }
        Mutation::HeaderNameByte { header, at, byte } => {
            let at_header = header.index(headers.len());
            let name = &headers[at_header].0;
            let bytes = name.as_str().as_bytes();
            let new = replace_byte(bytes, at.index(bytes.len()), *byte)?;
            out.headers[at_header].0 = HeaderName::from_bytes(&new).unwrap();
            out.must_refuse = signed(name);
        }
        Mutation::RemoveHeader(header) => {
            let (name, _) = out.headers.remove(header.index(headers.len()));
            out.must_refuse = signed(&name) || name == "host";
        }
        Mutation::DuplicateHeader(header) => {
            let entry = headers[header.index(headers.len())].clone();
            out.must_refuse = signed(&entry.0) || entry.0 == "host";
            out.headers.push(entry);
        }
        Mutation::AddHeader(name, value) => {
            let name = HeaderName::from_static(name);
            let present = headers.iter().any(|(n, _)| *n == name);
            out.must_refuse = (present && (signed(&name) || name == "host"))
                || variant.forbidden_header() == Some(name.as_str());
            out.headers
                .push((name, HeaderValue::from_bytes(value).ok()?));
        }
        Mutation::HostByte { at, byte } => {
            let new = replace_byte(host.as_bytes(), at.index(host.len()), *byte)?;
            out.headers[host_at].1 = HeaderValue::from_bytes(&new).unwrap();
            out.must_refuse = variant.signed_headers().contains(&"host");
        }
        Mutation::HostTakesTarget(at) => {
            let cut = 1 + at.index(target.len());
            out.headers[host_at].1 =
                HeaderValue::from_str(&format!("{host}{}", &target[..cut])).unwrap();
            out.target = target[cut..].to_owned();
            out.must_refuse = true;
        }
        Mutation::HostWithPath(path) => {
            out.headers[host_at].1 = HeaderValue::from_str(&format!("{host}/{path}?")).unwrap();
            out.must_refuse = true;
        }
        Mutation::TargetByte { at, byte } => {
            let new = replace_byte(target.as_bytes(), at.index(target.len()), *byte)?;
            out.target = String::from_utf8(new).ok()?;
            out.must_refuse = variant.target_change_is_checked(target, &out.target);
        }
        Mutation::TargetInsert { at, byte } => {
            let mut new = target.as_bytes().to_vec();
            new.insert(at.index(target.len() + 1), *byte);
            out.target = String::from_utf8(new).ok()?;
            out.must_refuse = variant.target_change_is_checked(target, &out.target);
        }
        Mutation::TargetDelete(at) => {
            let mut new = target.as_bytes().to_vec();
            new.remove(at.index(target.len()));
            out.target = String::from_utf8(new).ok()?;
            out.must_refuse = variant.target_change_is_checked(target, &out.target);
        }
        Mutation::TargetAppend(pair) => {
            let separator = if target.contains('?') { '&' } else { '?' };
            out.target = format!("{target}{separator}{pair}");
            out.must_refuse = variant.target_change_is_checked(target, &out.target);
        }
        Mutation::AbsoluteTarget => {
            out.target = format!("https://{host}{target}");
            out.must_refuse = true;
        }
        Mutation::Method(new) => {
            if *new == method {
                return None;
            }
            out.method = (*new).to_owned();
            out.must_refuse = variant.signs_method()
                || !new.bytes().all(|b| b.is_ascii_uppercase())
                || new.is_empty();
        }
    }
    Some(out)
}

/// Signed requests, changed once at the byte level: never a panic, and a change to what
/// the scheme signs (or the verifier checks) is refused.
#[test]
fn fuzz_verifiers_with_mutated_signed_requests() {
    let runtime = runtime();
    let harnesses: Vec<(Variant, Client, Box<dyn Verifier>)> = SIGNED_VARIANTS
        .iter()
        .map(|&variant| {
            (
                variant,
                variant.client("https://api.example.test/base", Clock::fixed(NOW)),
                variant.verifier(),
            )
        })
        .collect();
    let strategy = (0..harnesses.len(), signed_case(), mutation());
    fuzz(cases(), strategy, |(which, case, mutation)| {
        let (variant, client, verifier) = &harnesses[which];
        let prepared = prepare(*variant, client, &case, &runtime);
        let (host, target) = as_received(&prepared.url);
        let headers = received_headers(&prepared, &host);
        let method = prepared.method.as_str();
        let body = &prepared.body[..];
        let unchanged = verify_received(
            verifier.as_ref(),
            "https",
            method,
            &target,
            &header_map(&headers),
            body,
            NOW,
        );
        prop_assert!(
            unchanged.is_ok(),
            "{variant:?}: the unchanged request is refused: {unchanged:?}"
        );
        let Some(mutated) = mutate(*variant, method, &target, &headers, &mutation) else {
            return Ok(());
        };
        let result = verify_received(
            verifier.as_ref(),
            "https",
            &mutated.method,
            &mutated.target,
            &header_map(&mutated.headers),
            body,
            NOW,
        );
        if mutated.must_refuse {
            prop_assert!(
                result.is_err(),
                "{variant:?}: accepted after {mutation:?}: {} {} {:?}",
                mutated.method,
                mutated.target,
                mutated.headers
            );
        }
        if let Err(error) = result {
            assert_no_secret(&error.to_string())?;
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// 5. Sign, then verify what a server sees
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Body {
    None,
    Raw(Vec<u8>),
    Json(Vec<(String, String)>),
    Form(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
struct TripCase {
    variant: Variant,
    base_url: String,
    method: &'static str,
    template: Vec<Segment>,
    query: Vec<(String, String)>,
    body: Body,
    headers: Vec<(String, String)>,
    time: i64,
    skew: i64,
}

fn base_url() -> impl Strategy<Value = String> {
    (
        select(vec!["http", "https"]),
        select(vec![
            "api.example.test",
            "API.Example.TEST",
            "127.0.0.1",
            "0x7f.1",
            "[::1]",
            "[2001:DB8::1]",
            "bücher.example",
            "localhost",
            "a_b.example",
        ]),
        prop_oneof![
            Just(String::new()),
            Just(":80".to_owned()),
            Just(":443".to_owned()),
            (1u16..=65535).prop_map(|port| format!(":{port}")),
        ],
        select(vec![
            "",
            "/",
            "/base",
            "/1.0",
            "/api/v1/p",
            "/a%20b",
            "/ünï",
            "/x/y/",
            "/a:b@c",
        ]),
    )
        .prop_map(|(scheme, host, port, path)| format!("{scheme}://{host}{port}{path}"))
}

fn trip_case(variants: &'static [Variant]) -> impl Strategy<Value = TripCase> {
    let segment = prop_oneof![
        1 => "(v1|v2|[a-zA-Z0-9_~-]{1,6})".prop_map(Segment::Literal),
        2 => segment_text().prop_map(Segment::Param),
    ];
    let pairs = || prop::collection::vec((query_text(), query_text()), 0..3);
    let body = prop_oneof![
        Just(Body::None),
        prop::collection::vec(any::<u8>(), 0..48).prop_map(Body::Raw),
        pairs().prop_map(Body::Json),
        pairs().prop_map(Body::Form),
    ];
    let header = (
        select(vec![
            "x-request-id",
            "x-trace",
            "accept",
            "user-agent",
            "x-custom",
        ]),
        "[ -~]{0,20}",
    )
        .prop_map(|(name, value)| (name.to_owned(), value));
    (
        select(variants),
        base_url(),
        select(vec![
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "post", "PURGE",
            "mkcol",
        ]),
        prop::collection::vec(segment, 1..4),
        pairs(),
        body,
        prop::collection::vec(header, 0..3),
        prop_oneof![
            0i64..4_102_444_800,
            // Around midnight UTC, where nOps changes the signed date.
            (0i64..40_000).prop_map(|day| day * 86_400 - 150),
        ],
        -1.0f64..=1.0,
    )
        .prop_map(
            |(variant, base_url, method, template, query, body, mut headers, time, skew)| {
                // A caller header appears once (a second copy is refused as ambiguous).
                headers.sort();
                headers.dedup_by(|a, b| a.0 == b.0);
                let skew = (skew * variant.window() as f64) as i64;
                TripCase {
                    variant,
                    base_url,
                    method,
                    template,
                    query,
                    body,
                    headers,
                    time: time.max(0),
                    skew,
                }
            },
        )
}

/// Builds the request of a `TripCase` with `client`.
fn trip_request(client: &Client, case: &TripCase) -> signed_api_runtime::Request {
    let mut template = String::new();
    let mut params = Vec::new();
    for (i, segment) in case.template.iter().enumerate() {
        match segment {
            Segment::Literal(text) => template.push_str(&format!("/{text}")),
            Segment::Param(value) => {
                template.push_str(&format!("/{{p{i}}}"));
                params.push((format!("p{i}"), value.clone()));
            }
        }
    }
    let mut request = client.request(
        Method::from_bytes(case.method.as_bytes()).unwrap(),
        template,
    );
    for (name, value) in &params {
        request = request.path_param(name, value);
    }
    for (name, value) in &case.query {
        request = request.query(name, value);
    }
    for (name, value) in &case.headers {
        request = request.header(name, value);
    }
    match &case.body {
        Body::None => request,
        Body::Raw(bytes) => {
            request.raw_body(body_for(case.variant, bytes), "application/octet-stream")
        }
        Body::Json(pairs) => {
            let object: serde_json::Map<String, serde_json::Value> = pairs
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            request.json_body(&object)
        }
        Body::Form(pairs) => request.form_body(pairs.clone()),
    }
}

/// Takes `prepared` apart as a server receives it (`Host` from the URL's authority, the
/// request-target from its path and query) and verifies it at `now`.
fn verify_as_received(
    verifier: &dyn Verifier,
    prepared: &PreparedRequest,
    now: i64,
) -> Result<Result<Verified, VerifyError>, TestCaseError> {
    let (host, target) = as_received(&prepared.url);
    let scheme = prepared.url.split_once("://").unwrap().0;
    let headers = header_map(&received_headers(prepared, &host));
    let request = ReceivedRequest::new(
        scheme,
        prepared.method.as_str(),
        &target,
        &headers,
        &prepared.body,
    )
    .map_err(|e| TestCaseError::fail(format!("Host {host:?}, target {target:?}: {e}")))?;
    // The URL a verifier rebuilds is the URL that was signed.
    prop_assert_eq!(request.url(), prepared.url.clone());
    Ok(verifier.verify(&request, now))
}

fn verifiers() -> Vec<(Variant, Box<dyn Verifier>)> {
    ALL_VARIANTS
        .iter()
        .map(|&variant| (variant, variant.verifier()))
        .collect()
}

fn verifier_of(verifiers: &[(Variant, Box<dyn Verifier>)], variant: Variant) -> &dyn Verifier {
    verifiers
        .iter()
        .find(|(of, _)| *of == variant)
        .map(|(_, verifier)| verifier.as_ref())
        .unwrap()
}

/// Sign-then-verify across all schemes and modes, with base URLs of every shape (ports,
/// IPv6, IDN, upper case, base paths), methods, bodies and caller headers, the request
/// taken apart as a server receives it, at a server time within the scheme's window.
#[test]
fn fuzz_sign_then_verify_as_received() {
    let runtime = runtime();
    let verifiers = verifiers();
    fuzz(cases(), trip_case(&ALL_VARIANTS), |case| {
        let client = case.variant.client(&case.base_url, Clock::fixed(case.time));
        let prepared = runtime
            .block_on(trip_request(&client, &case).prepare())
            .map_err(|e| TestCaseError::fail(format!("not prepared: {e:?}")))?;
        // What a dry run shows holds no credential.
        assert_no_secret(&format!("{prepared:?}"))?;
        let verifier = verifier_of(&verifiers, case.variant);
        let verified =
            verify_as_received(verifier, &prepared, case.time + case.skew)?.map_err(|e| {
                TestCaseError::fail(format!("{:?} refused {}: {e}", case.variant, prepared.url))
            })?;
        case.variant.check_verified(&verified, &prepared)
    });
}

/// Signing at any time, extremes included: `prepare` gives a signed request or a typed
/// error, and what is signed at time T verifies at server time T whenever the scheme can
/// carry T (timestamps travel as unsigned decimal digits, so not before 1970).
#[test]
fn fuzz_sign_then_verify_at_any_time() {
    let runtime = runtime();
    let verifiers = verifiers();
    let strategy = (trip_case(&ALL_VARIANTS), any_time());
    fuzz(cases(), strategy, |(case, time)| {
        let nops = matches!(
            case.variant,
            Variant::NopsQuery | Variant::NopsHeader | Variant::NopsUnsigned
        );
        let client = case.variant.client(&case.base_url, Clock::fixed(time));
        let prepared = match runtime.block_on(trip_request(&client, &case).prepare()) {
            Ok(prepared) => prepared,
            Err(Error::Signing(message)) => {
                // Only nOps signs a date, and dates end at the years -9999 and 9999.
                let dated = (-377_705_116_800..=253_402_300_799).contains(&time);
                prop_assert!(nops && !dated, "{:?} at {time}: {message}", case.variant);
                return Ok(());
            }
            Err(other) => {
                return Err(TestCaseError::fail(format!(
                    "{:?} at {time}: {other:?}",
                    case.variant
                )));
            }
        };
        prop_assert_eq!(prepared.timestamp, time);
        let verifier = verifier_of(&verifiers, case.variant);
        let result = verify_as_received(verifier, &prepared, time)?;
        if time >= 0 || nops || case.variant == Variant::QredoNonce {
            let verified = result
                .map_err(|e| TestCaseError::fail(format!("{:?} at {time}: {e}", case.variant)))?;
            case.variant.check_verified(&verified, &prepared)?;
        } else {
            prop_assert!(result.is_err(), "{:?} at {time}", case.variant);
        }
        Ok(())
    });
}

/// The same over a socket: reqwest sends each request to a local server, which verifies
/// the request line and headers exactly as they arrived.
#[test]
fn fuzz_sign_then_verify_over_the_wire() {
    let runtime = runtime();
    const PREFIX: &str = "/api/1.0";
    let clients: Vec<(Variant, Client, CaptureServer)> = [
        Variant::Ovh,
        Variant::Armor,
        Variant::QredoNonce,
        Variant::NopsHeader,
    ]
    .into_iter()
    .map(|variant| {
        let verifier: Arc<dyn Verifier> = Arc::from(variant.verifier());
        let server = runtime.block_on(CaptureServer::start(move |request, origin| {
            if request.target == format!("{PREFIX}/auth/time") {
                return Reply::json(200, &now().to_string());
            }
            let ok = Reply::json(200, r#"{"verified":true}"#);
            verified(verifier.as_ref(), request, origin, now(), ok)
        }));
        let client = variant
            .builder()
            .base_url(server.url(PREFIX))
            .build()
            .unwrap();
        (variant, client, server)
    })
    .collect();
    let strategy = (0..clients.len(), signed_case());
    fuzz(rsa_cases(), strategy, |(which, case)| {
        let (variant, client, _server) = &clients[which];
        let request = request_for(*variant, client, &case);
        let answer = runtime.block_on(request.text());
        prop_assert_eq!(
            answer.as_deref().map_err(|e| e.to_string()),
            Ok(r#"{"verified":true}"#),
            "{:?}",
            variant
        );
        Ok(())
    });
}
