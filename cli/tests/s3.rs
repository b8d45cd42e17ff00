//! `signed-api sigv4` end to end against the mock's S3, with the mock's own credentials
//! (`signed-api mock` prints them): a bucket made, objects put, read back and listed (the
//! mock's XML on stdout), and a presigned URL fetched by a plain HTTP client with no
//! credentials, refused once tampered with.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::*;

/// A GET of `url` (`http://host:port/path?query`) with nothing but `Host`, as a browser
/// or `curl` fetches a presigned URL: the status and the body.
fn plain_get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, target) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status");
    (status, body.to_owned())
}

#[test]
fn buckets_and_objects_round_trip_and_list() {
    let h = Harness::new("s3-round-trip");
    let ok = |args: &[&str]| {
        let run = h.run_s3(args);
        assert_eq!(run.code, Some(0), "{args:?}: {run:?}");
        assert!(run.stderr.is_empty(), "{args:?}: {run:?}");
        run.assert_no_secret();
        run.stdout
    };
    assert_eq!(ok(&["sigv4", "PUT", "/round-trip"]), "");
    assert_eq!(
        ok(&[
            "sigv4",
            "PUT",
            "/round-trip/notes/a b.txt",
            "--data-raw",
            "first note\n",
            "--header",
            "x-amz-meta-author: cli",
        ]),
        ""
    );
    assert_eq!(
        ok(&[
            "sigv4",
            "PUT",
            "/round-trip/notes/b.txt",
            "--data-raw",
            "second",
            "--unsigned-payload",
        ]),
        ""
    );
    assert_eq!(
        ok(&["sigv4", "GET", "/round-trip/notes/a%20b.txt"]),
        "first note\n"
    );
    assert_eq!(ok(&["sigv4", "GET", "/round-trip/notes/b.txt"]), "second");

    let listing = ok(&["sigv4", "GET", "/round-trip", "--query", "list-type=2"]);
    assert!(listing.starts_with("<?xml"), "{listing}");
    assert!(listing.contains("<Name>round-trip</Name>"), "{listing}");
    assert!(listing.contains("<Key>notes/a b.txt</Key>"), "{listing}");
    assert!(listing.contains("<Key>notes/b.txt</Key>"), "{listing}");
    assert!(listing.contains("<KeyCount>2</KeyCount>"), "{listing}");
    let buckets = ok(&["sigv4", "GET", "/"]);
    assert!(buckets.contains("<Name>round-trip</Name>"), "{buckets}");

    let missing = h.run_s3(&["sigv4", "GET", "/round-trip/none"]);
    assert_eq!(missing.code, Some(1), "{missing:?}");
    assert!(missing.stderr.contains("NoSuchKey"), "{missing:?}");
    assert_eq!(ok(&["sigv4", "DELETE", "/round-trip/notes/b.txt"]), "");
    let listing = ok(&["sigv4", "GET", "/round-trip"]);
    assert!(!listing.contains("notes/b.txt"), "{listing}");
}

#[test]
fn a_presigned_url_works_without_credentials_until_tampered_with() {
    let h = Harness::new("s3-presign");
    let put = ["sigv4", "PUT", "/shared"];
    assert_eq!(h.run_s3(&put).code, Some(0));
    let put = [
        "sigv4",
        "PUT",
        "/shared/report.txt",
        "--data-raw",
        "for your eyes",
    ];
    assert_eq!(h.run_s3(&put).code, Some(0));

    let run = h.run_s3(&["sigv4", "GET", "/shared/report.txt", "--presign", "300"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    run.assert_no_secret();
    let url = run.stdout.trim_end();
    assert_eq!(run.stdout.lines().count(), 1, "{run:?}");
    assert!(
        url.starts_with(&format!("{}/s3/shared/report.txt?", h.mock.origin())),
        "{url}"
    );
    assert_eq!(plain_get(url), (200, "for your eyes".to_owned()));

    // One hex digit of the signature changed, or the path: refused.
    let at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
    let digit = if &url[at..=at] == "0" { "1" } else { "0" };
    let tampered = format!("{}{digit}{}", &url[..at], &url[at + 1..]);
    let (status, body) = plain_get(&tampered);
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("SignatureDoesNotMatch"), "{body}");
    let elsewhere = url.replace("/report.txt?", "/other.txt?");
    assert_eq!(plain_get(&elsewhere).0, 403);
}
