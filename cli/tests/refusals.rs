//! Every bad input is refused before anything is sent: a one-line error, exit 2, and the
//! mock saw neither a request nor even a connection.

mod common;

use common::*;

/// Runs one case and checks the refusal; `expected` must appear in the error line.
fn refused(h: &Harness, args: &[&str], changes: &[(&str, Option<&str>)], expected: &str) {
    check_refused(h, args, &h.run_with(args, changes), expected);
}

/// The same for a SigV4 call, whose credentials and endpoint (the mock's `/s3`) are set.
fn refused_aws(h: &Harness, args: &[&str], changes: &[(&str, Option<&str>)], expected: &str) {
    check_refused(h, args, &h.run_aws(args, changes), expected);
}

fn check_refused(h: &Harness, args: &[&str], run: &Run, expected: &str) {
    assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
    assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line for {args:?}: {run:?}");
    assert!(lines[0].starts_with("signed-api: "), "{run:?}");
    assert!(
        lines[0].contains(expected),
        "{args:?}: expected {expected:?} in {:?}",
        lines[0]
    );
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    run.assert_no_secret();
    assert_eq!(h.mock.total_requests(), 0, "{args:?} sent a request");
    assert_eq!(h.mock.connections(), 0, "{args:?} opened a connection");
}

#[test]
fn unknown_schemes_and_endpoint_names() {
    let h = Harness::new("names");
    refused(
        &h,
        &["aws", "GET", "/"],
        &[],
        "unknown scheme or command `aws`",
    );
    refused(
        &h,
        &["ovh", "GET", "/me"],
        &[("OVH_ENDPOINT", Some("ovh-mars"))],
        "ovh-mars",
    );
    refused(
        &h,
        &["qredo", "GET", "/assets", "--base-url", "moon"],
        &[],
        "moon",
    );
    refused(
        &h,
        &["armor", "GET", "/me", "--base-url", "staging"],
        &[],
        "staging",
    );
}

#[test]
fn invalid_methods() {
    let h = Harness::new("methods");
    for method in ["GE T", "G\r\nET", "", "PÖST"] {
        refused(&h, &["ovh", method, "/me"], &[], "not a valid HTTP method");
    }
}

#[test]
fn missing_or_empty_credentials() {
    let h = Harness::new("credentials");
    refused(
        &h,
        &["nops", "GET", "/c/admin/projectaws/"],
        &[("NOPS_API_KEY", None)],
        "NOPS_API_KEY is not set",
    );
    refused(
        &h,
        &["armor", "GET", "/me"],
        &[("ARMOR_SECRET_KEY", Some(""))],
        "ARMOR_SECRET_KEY is empty",
    );
    refused(
        &h,
        &["qredo", "GET", "/assets"],
        &[("QREDO_API_KEY", Some("  "))],
        "QREDO_API_KEY is empty",
    );
    refused(
        &h,
        &["qredo", "GET", "/assets"],
        &[("QREDO_PRIVATE_KEY", None)],
        "QREDO_PRIVATE_KEY is not set",
    );
    refused(
        &h,
        &["ovh", "GET", "/me"],
        &[("OVH_APPLICATION_SECRET", None)],
        "OVH_APPLICATION_SECRET",
    );
    refused(
        &h,
        &["ovh", "GET", "/me"],
        &[("OVH_CONSUMER_KEY", None)],
        "OVH_CONSUMER_KEY is not set",
    );
}

#[test]
fn unusable_keys() {
    let h = Harness::new("keys");
    let garbage = h.dir.join("garbage.pem");
    std::fs::write(&garbage, "this is not a key\n").unwrap();
    let cases = [
        (h.dir.join("missing.pem"), "cannot read private key"),
        (garbage, "not a PEM key"),
        (
            repo_file("tests/vectors/keys/ec-p256-pkcs8.pem"),
            "not an RSA key",
        ),
        (
            repo_file("tests/vectors/keys/ed25519-pkcs8.pem"),
            "not an RSA key",
        ),
        (
            repo_file("tests/vectors/keys/rsa512-pkcs1.pem"),
            "at least 1024",
        ),
    ];
    for (path, expected) in &cases {
        let path = path.to_str().unwrap();
        refused(
            &h,
            &["nops", "GET", "/c/admin/projectaws/"],
            &[("NOPS_PRIVATE_KEY", Some(path))],
            expected,
        );
        refused(
            &h,
            &["qredo", "GET", "/assets"],
            &[("QREDO_PRIVATE_KEY", Some(path))],
            expected,
        );
    }
}

#[test]
fn bad_bodies_headers_and_queries() {
    let h = Harness::new("inputs");
    refused(
        &h,
        &["ovh", "POST", "/domain", "--data", "{not json"],
        &[],
        "--data is not valid JSON",
    );
    refused(
        &h,
        &["armor", "POST", "/vms", "--data", ""],
        &[],
        "--data is not valid JSON",
    );
    refused(
        &h,
        &["ovh", "GET", "/me", "--header", "X-A: a\r\nX-Injected: 1"],
        &[],
        "control character",
    );
    refused(
        &h,
        &["ovh", "GET", "/me", "--header", "X-A: a\nb"],
        &[],
        "control character",
    );
    refused(
        &h,
        &["ovh", "GET", "/me", "--header", "no colon"],
        &[],
        "--header",
    );
    refused(
        &h,
        &["nops", "GET", "/c/", "--query", "novalue"],
        &[],
        "expected K=V",
    );
    refused(
        &h,
        &["ovh", "GET", "/me", "--data", "{}", "--data-raw", "x"],
        &[],
        "cannot be used with",
    );
}

#[test]
fn urls_outside_the_base_url_and_invalid_base_urls() {
    let h = Harness::new("urls");
    refused(
        &h,
        &["ovh", "GET", "https://evil.example/ovh/1.0/me"],
        &[],
        "outside the base URL",
    );
    let sibling = format!("{}/armor/me", h.mock.origin());
    refused(&h, &["ovh", "GET", &sibling], &[], "outside the base URL");
    refused(
        &h,
        &["armor", "GET", "/me", "--base-url", "ftp://host/armor"],
        &[],
        "invalid base URL",
    );
    refused(
        &h,
        &["armor", "GET", "/me", "--base-url", "http://exa mple/"],
        &[],
        "invalid base URL",
    );
    refused(
        &h,
        &["nops", "GET", "/c/"],
        &[("NOPS_BASE_URL", Some("https://h/?q=1"))],
        "invalid base URL",
    );
    refused(&h, &["nops", "GET", "c/admin/"], &[], "must start with `/`");
}

#[test]
fn sigv4_settings_and_flags() {
    let h = Harness::new("sigv4");
    let call = ["sigv4", "GET", "/bucket/key"];
    let with = |flags: &[&'static str]| -> Vec<&'static str> {
        call.iter().chain(flags).copied().collect()
    };
    // Flags after the call, changes to the environment, and the error expected.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, Option<&'a str>)], &'a str);
    let cases: &[Case] = &[
        (&[], &[("AWS_REGION", None)], "AWS_REGION"),
        (&[], &[("AWS_REGION", Some("eu/west-3"))], "region"),
        (&[], &[("AWS_ACCESS_KEY_ID", None)], "AWS_ACCESS_KEY_ID"),
        (
            &[],
            &[("AWS_SECRET_ACCESS_KEY", Some(" \t "))],
            "AWS_SECRET_ACCESS_KEY",
        ),
        (&["--service", "S3"], &[], "invalid value for --service"),
        (&["--service", "s 3"], &[], "invalid value for --service"),
        (&["--service", "s3/x"], &[], "invalid value for --service"),
        (&["--service", ""], &[], "invalid value for --service"),
        (
            &["--region", "eu-west-3/s3"],
            &[],
            "invalid value for --region",
        ),
        (
            &["--region", "EU-WEST-3"],
            &[],
            "invalid value for --region",
        ),
        // A bad flag is refused even where the configuration lacks a region.
        (
            &["--region", "a b"],
            &[("AWS_REGION", None)],
            "invalid value for --region",
        ),
        (&["--presign", "0"], &[], "invalid value for --presign"),
        (&["--presign", "604801"], &[], "invalid value for --presign"),
        (&["--presign=-5"], &[], "invalid value for --presign"),
        (&["--presign", "1h"], &[], "invalid value for --presign"),
        (
            &["--presign", "60", "--data", "{}"],
            &[],
            "cannot be used with",
        ),
        (
            &["--presign", "60", "--data-raw", "x"],
            &[],
            "cannot be used with",
        ),
        (
            &["--presign", "60", "--unsigned-payload"],
            &[],
            "cannot be used with",
        ),
        (
            &["--presign", "60", "--query", "X-Amz-Signature=0"],
            &[],
            "set by the presigned URL",
        ),
        (
            &[
                "--unsigned-payload",
                "--header",
                "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD",
            ],
            &[],
            "--unsigned-payload sets the header x-amz-content-sha256",
        ),
        (
            &["--header", "x-amz-content-sha256: not-a-hash"],
            &[],
            "x-amz-content-sha256 must be",
        ),
        (&["--base-url", "ovh-mars"], &[], "ovh-mars"),
        (&["--base-url", "ftp://host/s3"], &[], "invalid base URL"),
    ];
    for (flags, changes, expected) in cases {
        refused_aws(&h, &with(flags), changes, expected);
    }
    let elsewhere = format!("{}/armor/me", h.mock.origin());
    refused_aws(
        &h,
        &["sigv4", "GET", &elsewhere],
        &[],
        "outside the base URL",
    );
    // With a session token too, nothing is shown.
    refused_aws(
        &h,
        &with(&["--presign", "0"]),
        &[("AWS_SESSION_TOKEN", Some(AWS_TOKEN))],
        "--presign",
    );
}

#[test]
fn sigv4_flags_belong_to_sigv4() {
    let h = Harness::new("sigv4-flags");
    for scheme in ["nops", "ovh", "qredo", "armor"] {
        for flags in [
            &["--service", "s3"][..],
            &["--region", "eu-west-3"],
            &["--presign", "60"],
            &["--unsigned-payload"],
        ] {
            let mut args = vec![scheme, "GET", "/me"];
            args.extend_from_slice(flags);
            refused(
                &h,
                &args,
                &[],
                &format!("unexpected argument '{}'", flags[0]),
            );
        }
    }
}
