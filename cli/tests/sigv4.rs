//! `signed-api sigv4`: presigned URLs (their shape, and that they verify), dry runs that
//! show no secret, and signed calls to a capture server that checks them with the
//! runtime's verifier. The refusals are in `refusals.rs`.

mod common;

use signed_api_mock::testing::capture::{self, CaptureServer, Captured};
use signed_api_mock::testing::unix_now;
use signed_api_runtime::HeaderMap;
use signed_api_runtime::scheme::HeaderValue;
use signed_api_runtime::schemes::{Sigv4Credentials, Sigv4Scheme, Sigv4Verifier};
use signed_api_runtime::verify::{ReceivedRequest, Verifier};

use common::*;

/// What a server holding `secret` accepts for `region` and `service`.
fn verifier(secret: &str, region: &str, service: &str) -> Sigv4Verifier {
    let credentials = Sigv4Credentials::new(AWS_KEY_ID, secret).unwrap();
    Sigv4Verifier::new(Sigv4Scheme::new(credentials, region, service).unwrap())
}

fn is_signature(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The query's decoded pairs.
fn query_pairs(url: &url::Url) -> Vec<(String, String)> {
    url.query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

fn parameter<'p>(pairs: &'p [(String, String)], name: &str) -> Option<&'p str> {
    let mut found = pairs.iter().filter(|(given, _)| given == name);
    let value = found.next().map(|(_, value)| value.as_str());
    assert!(found.next().is_none(), "{name} given twice");
    value
}

/// Checks a presigned URL as a server would receive it: a GET with only `Host`.
fn verify_presigned(verifier: &Sigv4Verifier, url: &str) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (host, target) = rest.split_at(rest.find('/').unwrap());
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_str(host).unwrap());
    let received = ReceivedRequest::new(scheme, "GET", target, &headers, b"").unwrap();
    verifier
        .verify(&received, unix_now())
        .unwrap_or_else(|e| panic!("{url}: {e}"));
}

/// One presigned URL asked for.
struct Presign<'a> {
    /// After `sigv4 GET /bucket/key`; the first two are `--presign SECONDS`.
    flags: &'a [&'a str],
    /// Changes to the environment.
    env: &'a [(&'a str, Option<&'a str>)],
    /// How the URL starts: the base URL and the path.
    start: String,
    /// The credential scope's region and service.
    scope: (&'a str, &'a str),
    /// Whether the URL can be checked against the clock (one of a second may be stale).
    in_time: bool,
}

#[test]
fn presigned_urls_are_one_line_signed_for_the_scope_and_send_nothing() {
    let h = Harness::new("presign");
    let mock_s3 = format!("{}/s3", h.mock.origin());
    let no_endpoint = [("AWS_ENDPOINT_URL", None)];
    let cases = [
        Presign {
            flags: &["--presign", "900"],
            env: &[],
            start: format!("{mock_s3}/bucket/key?"),
            scope: (AWS_REGION, "s3"),
            in_time: true,
        },
        Presign {
            flags: &["--presign", "1", "--region", "us-east-1"],
            env: &no_endpoint,
            start: "https://s3.us-east-1.amazonaws.com/bucket/key?".to_owned(),
            scope: ("us-east-1", "s3"),
            in_time: false,
        },
        Presign {
            flags: &["--presign", "604800", "--service", "execute-api"],
            env: &no_endpoint,
            start: "https://execute-api.eu-west-3.amazonaws.com/bucket/key?".to_owned(),
            scope: (AWS_REGION, "execute-api"),
            in_time: true,
        },
        Presign {
            flags: &[
                "--presign",
                "60",
                "--base-url",
                "ovh-gra",
                "--region",
                "gra",
            ],
            env: &[],
            start: "https://s3.gra.io.cloud.ovh.net/bucket/key?".to_owned(),
            scope: ("gra", "s3"),
            in_time: true,
        },
        Presign {
            flags: &["--presign", "3600", "--query", "prefix=a b/é"],
            env: &[],
            start: format!("{mock_s3}/bucket/key?prefix=a%20b%2F%C3%A9&"),
            scope: (AWS_REGION, "s3"),
            in_time: true,
        },
    ];
    for Presign {
        flags,
        env: changes,
        start,
        scope: (region, service),
        in_time,
    } in &cases
    {
        let mut args = vec!["sigv4", "GET", "/bucket/key"];
        args.extend_from_slice(flags);
        let run = h.run_aws(&args, changes);
        assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
        assert!(run.stderr.is_empty(), "{run:?}");
        run.assert_no_secret();
        let url = run
            .stdout
            .strip_suffix('\n')
            .unwrap_or_else(|| panic!("{run:?}"));
        assert!(!url.contains('\n'), "one line: {run:?}");
        assert!(url.starts_with(start.as_str()), "{start} expected: {url}");
        let pairs = query_pairs(&url::Url::parse(url).unwrap());
        let expires = flags[1];
        assert_eq!(parameter(&pairs, "X-Amz-Expires"), Some(expires), "{url}");
        assert_eq!(
            parameter(&pairs, "X-Amz-Algorithm"),
            Some("AWS4-HMAC-SHA256")
        );
        let credential = parameter(&pairs, "X-Amz-Credential").unwrap();
        assert!(
            credential.starts_with(&format!("{AWS_KEY_ID}/"))
                && credential.ends_with(&format!("/{region}/{service}/aws4_request")),
            "{credential}"
        );
        let (_, signature) = url.rsplit_once("&X-Amz-Signature=").unwrap();
        assert!(is_signature(signature), "{url}");
        if *in_time {
            verify_presigned(&verifier(AWS_SECRET, region, service), url);
        }
    }
    assert_eq!(h.mock.total_requests(), 0);
    assert_eq!(h.mock.connections(), 0);
}

#[test]
fn dry_runs_show_no_secret_and_no_session_token() {
    let h = Harness::new("sigv4-dry-run");
    let token = [("AWS_SESSION_TOKEN", Some(AWS_TOKEN))];
    let put = ["sigv4", "PUT", "/bucket/key", "--data-raw", "hello ✓"];

    let signed = h.run_aws(&[&put[..], &["--dry-run"]].concat(), &token);
    assert_eq!(signed.code, Some(0), "{signed:?}");
    let out = &signed.stdout;
    assert!(
        out.starts_with("# string to sign\nAWS4-HMAC-SHA256\n"),
        "{out}"
    );
    assert!(out.contains("/eu-west-3/s3/aws4_request\n"), "{out}");
    assert!(
        out.contains(&format!(
            "# request (not sent)\nPUT {}/s3/bucket/key\n",
            h.mock.origin()
        )),
        "{out}"
    );
    assert!(out.contains("\nauthorization: ***\n"), "{out}");
    let hash = out
        .lines()
        .find_map(|line| line.strip_prefix("x-amz-content-sha256: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(is_signature(hash), "the body's SHA-256: {out}");
    assert!(out.ends_with("\nhello ✓\n"), "{out}");
    // The token is read (from AWS_SESSION_TOKEN), sent, and shown masked.
    assert!(out.contains("\nx-amz-security-token: ***\n"), "{out}");
    signed.assert_no_secret();

    let unsigned = h.run_aws(
        &[&put[..], &["--unsigned-payload", "--dry-run"]].concat(),
        &[],
    );
    assert!(
        unsigned
            .stdout
            .contains("\nx-amz-content-sha256: UNSIGNED-PAYLOAD\n"),
        "{unsigned:?}"
    );
    unsigned.assert_no_secret();

    let presigned = h.run_aws(
        &[
            "sigv4",
            "GET",
            "/bucket/key",
            "--presign",
            "60",
            "--dry-run",
        ],
        &token,
    );
    assert_eq!(presigned.code, Some(0), "{presigned:?}");
    let out = &presigned.stdout;
    assert!(
        out.starts_with(
            "# presigned URL (not usable: its signature and session token are hidden)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(&format!("\nGET {}/s3/bucket/key?", h.mock.origin())),
        "{out}"
    );
    assert!(out.ends_with("&X-Amz-Signature=***\n"), "{out}");
    assert!(
        !out.contains("X-Amz-Security-Token=") || out.contains("X-Amz-Security-Token=***&"),
        "{out}"
    );
    presigned.assert_no_secret();

    assert_eq!(h.mock.total_requests(), 0);
    assert_eq!(h.mock.connections(), 0);
}

/// Verifies a captured request again, outside the server, as a test can read it.
fn verify_captured(verifier: &Sigv4Verifier, captured: &Captured) {
    let received = ReceivedRequest::new(
        "http",
        &captured.method,
        &captured.target,
        &captured.headers,
        &captured.body,
    )
    .unwrap();
    verifier
        .verify(&received, unix_now())
        .unwrap_or_else(|e| panic!("{captured:?}: {e}"));
}

/// Runs `args` with the test credentials, `extra` in the environment, and
/// AWS_ENDPOINT_URL at the `/s3` of a capture server that answers what `verifier`
/// accepts; returns what the command did and what the server received.
fn call_captured(
    name: &str,
    verifier: Sigv4Verifier,
    args: &[&str],
    extra: &[(&'static str, &str)],
) -> (Run, Vec<Captured>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(CaptureServer::start(move |request, origin| {
        let ok = capture::Reply::json(200, r#"{"ok":true}"#);
        capture::verified(&verifier, request, origin, unix_now(), ok)
    }));
    let dir = empty_dir(name);
    let endpoint = server.url("/s3");
    let mut env: Vec<(&str, String)> = aws_env(Some(&endpoint), &dir)
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect();
    env.extend(
        extra
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned())),
    );
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = Run::from(run_alone(&dir, args, &env));
    let _ = std::fs::remove_dir_all(&dir);
    (run, server.requests())
}

/// One signed call.
struct Call<'a> {
    name: &'a str,
    args: &'a [&'a str],
    /// Set besides the test credentials.
    env: &'a [(&'static str, &'a str)],
    /// The credential scope's region and service.
    scope: (&'a str, &'a str),
}

#[test]
fn signed_calls_verify_for_the_scope_chosen() {
    let cases = [
        Call {
            name: "get",
            args: &["sigv4", "GET", "/bucket/key", "--query", "prefix=a b/é✓"],
            env: &[],
            scope: (AWS_REGION, "s3"),
        },
        Call {
            name: "region-flag",
            args: &[
                "sigv4",
                "PUT",
                "/bucket/a%20b/key",
                "--data-raw",
                "hello ✓",
                "--region",
                "us-west-2",
            ],
            env: &[("AWS_DEFAULT_REGION", "ap-south-1")],
            scope: ("us-west-2", "s3"),
        },
        Call {
            name: "unsigned-payload",
            args: &[
                "sigv4",
                "PUT",
                "/bucket/key",
                "--data-raw",
                "not in the signature",
                "--unsigned-payload",
            ],
            env: &[],
            scope: (AWS_REGION, "s3"),
        },
        Call {
            name: "service",
            args: &[
                "sigv4",
                "POST",
                "/prod/items",
                "--service",
                "execute-api",
                "--data",
                r#"{"name":"Zoë ✓"}"#,
            ],
            env: &[],
            scope: (AWS_REGION, "execute-api"),
        },
    ];
    for Call {
        name,
        args,
        env: extra,
        scope: (region, service),
    } in cases
    {
        let (run, requests) = call_captured(
            &format!("sigv4-{name}"),
            verifier(AWS_SECRET, region, service),
            args,
            extra,
        );
        assert_eq!(run.json()["ok"], true, "{name}: {run:?}");
        run.assert_no_secret();
        let [captured] = &requests[..] else {
            panic!("{name}: one request expected, got {requests:#?}")
        };
        assert!(captured.target.starts_with("/s3/"), "{captured:?}");
        let authorization = captured.header("authorization").unwrap();
        assert!(
            authorization.starts_with(&format!("AWS4-HMAC-SHA256 Credential={AWS_KEY_ID}/"))
                && authorization.contains(&format!("/{region}/{service}/aws4_request, ")),
            "{name}: {authorization}"
        );
        verify_captured(&verifier(AWS_SECRET, region, service), captured);
        let payload = captured.header("x-amz-content-sha256");
        match name {
            "unsigned-payload" => assert_eq!(payload, Some("UNSIGNED-PAYLOAD")),
            "service" => assert_eq!(payload, None, "S3's header only"),
            _ => assert!(payload.is_some_and(is_signature), "{captured:?}"),
        }
    }
}

#[test]
fn the_base_url_flag_wins_over_the_configured_endpoint() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let flagged = runtime.block_on(CaptureServer::ok());
    let base = flagged.url("/store");
    let (run, configured) = call_captured(
        "sigv4-base-url",
        verifier(AWS_SECRET, AWS_REGION, "s3"),
        &["sigv4", "GET", "/bucket/key", "--base-url", &base],
        &[],
    );
    assert_eq!(run.json(), serde_json::json!({}), "{run:?}");
    assert!(configured.is_empty(), "{configured:#?}");
    let sent = flagged.single();
    assert_eq!(sent.target, "/store/bucket/key");
    verify_captured(&verifier(AWS_SECRET, AWS_REGION, "s3"), &sent);
}

#[test]
fn a_wrong_secret_is_refused_by_the_server_and_not_shown() {
    let (run, requests) = call_captured(
        "sigv4-wrong",
        verifier("the-server-s-secret", AWS_REGION, "s3"),
        &["sigv4", "GET", "/bucket/key"],
        &[],
    );
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("401"), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    run.assert_no_secret();
    assert_eq!(requests.len(), 1, "{requests:#?}");
}
