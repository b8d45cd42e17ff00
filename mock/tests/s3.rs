//! S3 under `/s3`, end to end through the runtime's client: buckets, objects whose keys
//! hold `/`, spaces and non-ASCII text, copies, ranges, listings that page to their end,
//! presigned URLs, and each refusal with S3's code in S3's `<Error>` document.

mod common;

use std::time::Duration;

use common::*;
use signed_api_mock::{Api, Faults, MockConfig, MockCredentials, MockServer, S3MockCredentials};
use signed_api_runtime::clock::Clock;
use signed_api_runtime::schemes::{Sigv4Credentials, Sigv4Scheme};
use signed_api_runtime::{ApiErrorKind, Client, Method, RetryPolicy};

/// A key with every character class a key can trip on: `/`, a space, non-ASCII text.
const KEY: &str = "dir/sub dir/été ✓.txt";
const CONTENT: &str = "Hello, S3 ✓\n";
/// The MD5 of [`CONTENT`].
const CONTENT_ETAG: &str = "\"8c6163c092758eb1d38f1225f86e760b\"";

fn s3(mock: &MockServer) -> Client {
    client(mock, Api::S3, sigv4_scheme(S3_SECRET), None)
}

async fn create_bucket(s3: &Client, bucket: &str) {
    s3.request(Method::PUT, "/{bucket}")
        .path_param("bucket", bucket)
        .empty()
        .await
        .unwrap();
}

async fn put(s3: &Client, bucket: &str, key: &str, content: &str) {
    s3.request(Method::PUT, "/{bucket}/{key}")
        .path_param("bucket", bucket)
        .path_param("key", key)
        .raw_body(content.to_owned(), "text/plain")
        .empty()
        .await
        .unwrap();
}

/// `<tag>…</tag>` blocks of `xml`, in order.
fn blocks<'x>(xml: &'x str, tag: &str) -> Vec<&'x str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let inner = &rest[start + open.len()..];
        let end = inner.find(&close).expect("a closed element");
        found.push(&inner[..end]);
        rest = &inner[end + close.len()..];
    }
    found
}

/// The text of every `<tag>` of `xml`, with XML's five entities decoded.
fn texts(xml: &str, tag: &str) -> Vec<String> {
    blocks(xml, tag)
        .into_iter()
        .map(|text| {
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

fn text(xml: &str, tag: &str) -> String {
    texts(xml, tag)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no <{tag}> in {xml}"))
}

/// The code of an S3 error answer, checked to be S3's document: code, message, resource
/// and request id, the request id the same as the header's.
fn s3_error(answer: &Answer) -> String {
    let body = &answer.body;
    assert!(
        body.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><Error>"#),
        "{answer:?}"
    );
    assert!(!text(body, "Message").is_empty(), "{answer:?}");
    assert!(text(body, "Resource").starts_with('/'), "{answer:?}");
    assert_eq!(
        text(body, "RequestId"),
        answer.headers["x-amz-request-id"].to_str().unwrap(),
        "{answer:?}"
    );
    text(body, "Code")
}

#[tokio::test]
async fn buckets_are_created_listed_checked_and_deleted() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "photos").await;
    create_bucket(&s3, "archive.2024").await;
    let listed = s3.request(Method::GET, "/").text().await.unwrap();
    assert!(
        listed.contains(
            r#"<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
        ),
        "{listed}"
    );
    assert_eq!(texts(&listed, "Name"), ["archive.2024", "photos"]);
    assert_eq!(blocks(&listed, "CreationDate").len(), 2);

    let again = api_error(s3.request(Method::PUT, "/photos").send().await);
    assert_eq!(again.status, 409);
    assert_eq!(again.code.as_deref(), Some("BucketAlreadyOwnedByYou"));
    assert_eq!(again.kind, ApiErrorKind::Conflict);
    for bad in ["ab", "Photos", "-photos", "photos-", "pho_tos", "a..b"] {
        let error = api_error(
            s3.request(Method::PUT, "/{bucket}")
                .path_param("bucket", bad)
                .send()
                .await,
        );
        assert_eq!(error.status, 400, "{bad}");
        assert_eq!(error.code.as_deref(), Some("InvalidBucketName"), "{bad}");
    }

    let head = s3.request(Method::HEAD, "/photos").send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["x-amz-bucket-region"], S3_REGION);
    let location = s3
        .request(Method::GET, "/photos")
        .query("location", "")
        .text()
        .await
        .unwrap();
    assert!(
        location.ends_with(&format!(">{S3_REGION}</LocationConstraint>")),
        "{location}"
    );
    let missing = api_error(s3.request(Method::HEAD, "/nowhere").send().await);
    assert_eq!(missing.status, 404);
    assert!(missing.body_excerpt.is_empty(), "a HEAD answer has no body");
    assert!(
        missing.request_id.is_some(),
        "the header still names the request"
    );

    put(&s3, "photos", "cat.jpg", "meow").await;
    let full = api_error(s3.request(Method::DELETE, "/photos").send().await);
    assert_eq!(status_and_code(&full), (409, Some("BucketNotEmpty")));
    s3.request(Method::DELETE, "/photos/cat.jpg")
        .empty()
        .await
        .unwrap();
    let deleted = s3.request(Method::DELETE, "/photos").send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    let gone = api_error(
        s3.request(Method::GET, "/photos")
            .query("list-type", 2)
            .send()
            .await,
    );
    assert_eq!(gone.code.as_deref(), Some("NoSuchBucket"));
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    let listed = s3.request(Method::GET, "/").text().await.unwrap();
    assert_eq!(texts(&listed, "Name"), ["archive.2024"]);
}

#[tokio::test]
async fn objects_round_trip_under_keys_with_slashes_spaces_and_unicode() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "docs").await;
    let upload = s3
        .request(Method::PUT, "/{bucket}/{key}")
        .path_param("bucket", "docs")
        .path_param("key", KEY)
        .header("x-amz-meta-colour", "blue")
        .header("cache-control", "no-store")
        .raw_body(CONTENT, "text/plain; charset=utf-8");
    // The key travels as one segment, its `/` encoded; the mock decodes it back.
    let prepared = s3
        .request(Method::PUT, "/docs/{key}")
        .path_param("key", KEY)
        .prepare()
        .await
        .unwrap();
    assert!(
        prepared
            .url
            .ends_with("/s3/docs/dir%2Fsub%20dir%2F%C3%A9t%C3%A9%20%E2%9C%93.txt"),
        "{}",
        prepared.url
    );
    let put = upload.send().await.unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(put.headers()["etag"], CONTENT_ETAG);

    let got = s3
        .request(Method::GET, "/docs/{key}")
        .path_param("key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(got.body().as_ref(), CONTENT.as_bytes());
    let headers = got.headers();
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(
        headers["content-length"],
        CONTENT.len().to_string().as_str()
    );
    assert_eq!(headers["etag"], CONTENT_ETAG);
    assert_eq!(headers["x-amz-meta-colour"], "blue");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers.contains_key("last-modified"));
    assert!(headers.contains_key("x-amz-request-id"));

    // The same object, its key's `/` sent as they are.
    let literal = s3.request(Method::GET, format!("/docs/{KEY}"));
    let prepared = literal.prepare().await.unwrap();
    assert!(
        prepared
            .url
            .ends_with("/docs/dir/sub%20dir/%C3%A9t%C3%A9%20%E2%9C%93.txt")
    );
    let literal = s3
        .request(Method::GET, format!("/docs/{KEY}"))
        .text()
        .await
        .unwrap();
    assert_eq!(literal, CONTENT);

    let head = s3
        .request(Method::HEAD, "/docs/{key}")
        .path_param("key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.body().is_empty());
    assert_eq!(
        head.headers()["content-length"],
        CONTENT.len().to_string().as_str()
    );
    assert_eq!(head.headers()["etag"], CONTENT_ETAG);

    let range = s3
        .request(Method::GET, "/docs/{key}")
        .path_param("key", KEY)
        .header("range", "bytes=0-4")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    assert_eq!(range.body().as_ref(), b"Hello");
    assert_eq!(
        range.headers()["content-range"],
        format!("bytes 0-4/{}", CONTENT.len()).as_str()
    );
    let past = api_error(
        s3.request(Method::GET, "/docs/{key}")
            .path_param("key", KEY)
            .header("range", "bytes=100-")
            .send()
            .await,
    );
    assert_eq!(status_and_code(&past), (416, Some("InvalidRange")));

    s3.request(Method::DELETE, "/docs/{key}")
        .path_param("key", KEY)
        .empty()
        .await
        .unwrap();
    let gone = api_error(
        s3.request(Method::GET, "/docs/{key}")
            .path_param("key", KEY)
            .send()
            .await,
    );
    assert_eq!(status_and_code(&gone), (404, Some("NoSuchKey")));
    let gone = api_error(
        s3.request(Method::HEAD, "/docs/{key}")
            .path_param("key", KEY)
            .send()
            .await,
    );
    assert_eq!(gone.status, 404);
    assert!(gone.body_excerpt.is_empty());
    // Deleting what is not there is no error.
    let again = s3
        .request(Method::DELETE, "/docs/{key}")
        .path_param("key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 204);
}

#[tokio::test]
async fn copies_keep_or_replace_the_source_s_headers() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "from").await;
    create_bucket(&s3, "dest").await;
    s3.request(Method::PUT, "/from/{key}")
        .path_param("key", KEY)
        .header("x-amz-meta-colour", "blue")
        .raw_body(CONTENT, "text/plain")
        .empty()
        .await
        .unwrap();
    let copied = s3
        .request(Method::PUT, "/dest/{key}")
        .path_param("key", "copy/of it ✓")
        .header("x-amz-copy-source", urlencoded_source("from", KEY))
        .text()
        .await
        .unwrap();
    assert!(copied.contains("<CopyObjectResult"), "{copied}");
    assert_eq!(text(&copied, "ETag"), CONTENT_ETAG);
    assert!(text(&copied, "LastModified").ends_with(".000Z"), "{copied}");
    let got = s3
        .request(Method::GET, "/dest/{key}")
        .path_param("key", "copy/of it ✓")
        .send()
        .await
        .unwrap();
    assert_eq!(got.body().as_ref(), CONTENT.as_bytes());
    assert_eq!(got.headers()["x-amz-meta-colour"], "blue");
    assert_eq!(got.headers()["content-type"], "text/plain");

    // REPLACE takes the request's headers instead.
    s3.request(Method::PUT, "/dest/replaced")
        .header("x-amz-copy-source", urlencoded_source("from", KEY))
        .header("x-amz-metadata-directive", "REPLACE")
        .header("x-amz-meta-colour", "red")
        .raw_body(Vec::new(), "application/octet-stream")
        .empty()
        .await
        .unwrap();
    let got = s3
        .request(Method::HEAD, "/dest/replaced")
        .send()
        .await
        .unwrap();
    assert_eq!(got.headers()["x-amz-meta-colour"], "red");
    assert_eq!(got.headers()["content-type"], "application/octet-stream");
    assert_eq!(got.headers()["etag"], CONTENT_ETAG);

    // Onto itself without new headers, from nowhere: refused.
    let itself = api_error(
        s3.request(Method::PUT, "/from/{key}")
            .path_param("key", KEY)
            .header("x-amz-copy-source", urlencoded_source("from", KEY))
            .send()
            .await,
    );
    assert_eq!(status_and_code(&itself), (400, Some("InvalidRequest")));
    let missing = api_error(
        s3.request(Method::PUT, "/dest/x")
            .header("x-amz-copy-source", "/from/missing")
            .send()
            .await,
    );
    assert_eq!(missing.code.as_deref(), Some("NoSuchKey"));
}

/// `/bucket/key` as `x-amz-copy-source` carries it: URL-encoded, `/` kept.
fn urlencoded_source(bucket: &str, key: &str) -> String {
    let mut out = format!("/{bucket}/");
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Every key and common prefix of a ListObjectsV2, page by page until `IsTruncated` is
/// false, with the number of pages.
async fn list_all(
    s3: &Client,
    bucket: &str,
    params: &[(&str, &str)],
) -> (Vec<String>, Vec<String>, usize) {
    let (mut keys, mut prefixes, mut pages) = (Vec::new(), Vec::new(), 0);
    let mut token: Option<String> = None;
    loop {
        let mut request = s3
            .request(Method::GET, "/{bucket}")
            .path_param("bucket", bucket)
            .query("list-type", 2);
        for (name, value) in params {
            request = request.query(name, value);
        }
        let page = request
            .query_opt("continuation-token", token.as_deref())
            .text()
            .await
            .unwrap();
        pages += 1;
        assert!(pages <= 50, "the listing does not end: {page}");
        let contents = blocks(&page, "Contents");
        let common = blocks(&page, "CommonPrefixes");
        assert_eq!(
            text(&page, "KeyCount"),
            (contents.len() + common.len()).to_string(),
            "{page}"
        );
        keys.extend(contents.iter().map(|block| text(block, "Key")));
        prefixes.extend(common.iter().map(|block| text(block, "Prefix")));
        if text(&page, "IsTruncated") == "false" {
            assert!(texts(&page, "NextContinuationToken").is_empty());
            return (keys, prefixes, pages);
        }
        token = Some(text(&page, "NextContinuationToken"));
    }
}

#[tokio::test]
async fn listings_page_to_their_end_by_prefix_and_delimiter() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "logs").await;
    let mut all: Vec<String> = (0..12).map(|i| format!("2024/01/{i:02}.log")).collect();
    all.extend(
        [
            "2024/02/a b.log",
            "2024/02/é.log",
            "2025/01/x.log",
            "README",
            "Zebra",
            "a&b<c>.txt",
            "ñ/one",
        ]
        .map(str::to_owned),
    );
    for key in &all {
        put(&s3, "logs", key, "x").await;
    }
    all.sort(); // UTF-8 byte order is `String`'s

    let (keys, prefixes, pages) = list_all(&s3, "logs", &[]).await;
    assert_eq!(
        (keys.as_slice(), prefixes.len(), pages),
        (all.as_slice(), 0, 1)
    );
    let (keys, _, pages) = list_all(&s3, "logs", &[("max-keys", "5")]).await;
    assert_eq!(keys, all, "paged by five");
    assert_eq!(pages, all.len().div_ceil(5));

    let (keys, prefixes, _) = list_all(&s3, "logs", &[("delimiter", "/")]).await;
    assert_eq!(keys, ["README", "Zebra", "a&b<c>.txt"]);
    assert_eq!(prefixes, ["2024/", "2025/", "ñ/"]);
    let (keys, prefixes, _) =
        list_all(&s3, "logs", &[("prefix", "2024/"), ("delimiter", "/")]).await;
    assert!(keys.is_empty());
    assert_eq!(prefixes, ["2024/01/", "2024/02/"]);
    let (keys, prefixes, _) = list_all(&s3, "logs", &[("prefix", "2024/02/")]).await;
    assert_eq!(keys, ["2024/02/a b.log", "2024/02/é.log"]);
    assert!(prefixes.is_empty());
    // One entry a page, delimiter and all: each prefix once, and an end.
    let (keys, prefixes, pages) =
        list_all(&s3, "logs", &[("delimiter", "/"), ("max-keys", "1")]).await;
    assert_eq!((keys.len(), prefixes.len(), pages), (3, 3, 6));
    let (keys, _, _) = list_all(&s3, "logs", &[("start-after", "2024/02/é.log")]).await;
    assert_eq!(keys[0], "2025/01/x.log");

    // Asked for, keys come URL-encoded.
    let page = s3
        .request(Method::GET, "/logs")
        .query("list-type", 2)
        .query("prefix", "2024/02/")
        .query("encoding-type", "url")
        .text()
        .await
        .unwrap();
    assert_eq!(
        texts(&page, "Key"),
        ["2024/02/a%20b.log", "2024/02/%C3%A9.log"]
    );
    // The first version, with its marker.
    let page = s3
        .request(Method::GET, "/logs")
        .query("marker", "Zebra")
        .query("max-keys", 2)
        .text()
        .await
        .unwrap();
    assert_eq!(texts(&page, "Key"), ["a&b<c>.txt", "ñ/one"]);
    assert_eq!(text(&page, "IsTruncated"), "false");
    assert!(page.contains("<Owner><ID>"), "{page}");

    for (name, value) in [
        ("max-keys", "-1"),
        ("continuation-token", "zz"),
        ("encoding-type", "base64"),
    ] {
        let error = api_error(
            s3.request(Method::GET, "/logs")
                .query("list-type", 2)
                .query(name, value)
                .send()
                .await,
        );
        assert_eq!(
            error.code.as_deref(),
            Some("InvalidArgument"),
            "{name}={value}"
        );
    }
}

#[tokio::test]
async fn what_the_mock_does_not_implement_is_said_plainly() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "plain").await;
    for (method, path, query) in [
        (Method::GET, "/plain", "acl"),
        (Method::PUT, "/plain/k", "tagging"),
        (Method::GET, "/plain/k", "versionId"),
    ] {
        let error = api_error(s3.request(method, path).query(query, "").send().await);
        assert_eq!(
            status_and_code(&error),
            (501, Some("NotImplemented")),
            "{query}"
        );
    }
    let error = api_error(
        s3.request(Method::POST, "/plain/k")
            .query("uploads", "")
            .send()
            .await,
    );
    assert_eq!(error.code.as_deref(), Some("NotImplemented"));
    let error = api_error(s3.request(Method::DELETE, "/").send().await);
    assert_eq!(status_and_code(&error), (405, Some("MethodNotAllowed")));
}

#[tokio::test]
async fn tampered_requests_and_wrong_keys_are_refused_with_s3_s_codes() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "sealed").await;
    let prepared = s3
        .request(Method::PUT, "/sealed/{key}")
        .path_param("key", KEY)
        .header("x-amz-meta-colour", "blue")
        .raw_body(CONTENT, "text/plain")
        .prepare()
        .await
        .unwrap();

    // A signed header changed on the way.
    let mut tampered = prepared.clone();
    tampered
        .headers
        .insert("x-amz-meta-colour", "red".parse().unwrap());
    let answer = deliver(&tampered, None).await;
    assert_eq!(answer.status, 403, "{answer:?}");
    assert_eq!(s3_error(&answer), "SignatureDoesNotMatch");
    // Another body than the one whose hash was signed.
    let answer = deliver(&prepared, Some(b"Hello, S4!")).await;
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(s3_error(&answer), "XAmzContentSHA256Mismatch");
    // The hash left out on the way: its header was signed.
    let mut unhashed = prepared.clone();
    unhashed.headers.remove("x-amz-content-sha256");
    let answer = deliver(&unhashed, None).await;
    assert_eq!(
        (answer.status, s3_error(&answer).as_str()),
        (400, "AuthorizationHeaderMalformed")
    );
    // Never sent: S3 requires it.
    let no_hash = client(
        &mock,
        Api::S3,
        sigv4_scheme(S3_SECRET).with_content_sha256_header(false),
        None,
    );
    let prepared_without = no_hash
        .request(Method::GET, "/sealed")
        .prepare()
        .await
        .unwrap();
    let answer = deliver(&prepared_without, None).await;
    assert_eq!(
        (answer.status, s3_error(&answer).as_str()),
        (400, "InvalidRequest")
    );
    assert!(answer.body.contains("x-amz-content-sha256"), "{answer:?}");
    // An Authorization header S3 cannot read.
    let mut garbled = prepared.clone();
    garbled.headers.insert(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=x".parse().unwrap(),
    );
    let answer = deliver(&garbled, None).await;
    assert_eq!(
        (answer.status, s3_error(&answer).as_str()),
        (400, "AuthorizationHeaderMalformed")
    );
    // None at all.
    let mut anonymous = prepared.clone();
    anonymous.headers.remove("authorization");
    let answer = deliver(&anonymous, None).await;
    assert_eq!(
        (answer.status, s3_error(&answer).as_str()),
        (403, "AccessDenied")
    );
    // The untampered request passes.
    let answer = deliver(&prepared, None).await;
    assert_eq!(answer.status, 200, "{answer:?}");

    // A wrong secret, another key, another region.
    let wrong = client(&mock, Api::S3, sigv4_scheme("not-the-secret"), None);
    let error = api_error(wrong.request(Method::GET, "/sealed").send().await);
    assert_eq!(
        status_and_code(&error),
        (403, Some("SignatureDoesNotMatch"))
    );
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert!(!error.body_excerpt.contains(S3_SECRET));
    let stranger = Sigv4Scheme::new(
        Sigv4Credentials::new("AKIASTRANGER00000000", S3_SECRET).unwrap(),
        S3_REGION,
        "s3",
    )
    .unwrap();
    let stranger = client(&mock, Api::S3, stranger, None);
    let error = api_error(stranger.request(Method::GET, "/sealed").send().await);
    assert_eq!(status_and_code(&error), (403, Some("InvalidAccessKeyId")));
    let elsewhere = Sigv4Scheme::new(
        Sigv4Credentials::new(S3_KEY_ID, S3_SECRET).unwrap(),
        "us-west-2",
        "s3",
    )
    .unwrap();
    let elsewhere = client(&mock, Api::S3, elsewhere, None);
    let error = api_error(elsewhere.request(Method::GET, "/sealed").send().await);
    assert_eq!(error.code.as_deref(), Some("AuthorizationHeaderMalformed"));
    assert!(error.body_excerpt.contains(S3_REGION), "{error:?}");

    let error = api_error(s3.request(Method::GET, "/nowhere/k").send().await);
    assert_eq!(error.code.as_deref(), Some("NoSuchBucket"));
}

#[tokio::test]
async fn times_outside_the_window_are_refused_and_the_client_corrects_its_clock() {
    let mock = start().await;
    let signed_at = |at: i64| client(&mock, Api::S3, sigv4_scheme(S3_SECRET), Some(at));
    // Fifteen minutes is the limit.
    for (offset, status) in [
        (-20 * 60, 403),
        (20 * 60, 403),
        (-10 * 60, 200),
        (10 * 60, 200),
    ] {
        let prepared = signed_at(now() + offset)
            .request(Method::GET, "/")
            .prepare()
            .await
            .unwrap();
        let answer = deliver(&prepared, None).await;
        assert_eq!(answer.status, status, "{offset}: {answer:?}");
        if status == 403 {
            assert_eq!(s3_error(&answer), "RequestTimeTooSkewed");
            assert!(answer.body.contains("<ServerTime>"), "{answer:?}");
        }
    }
    // A client whose clock is an hour behind learns the server's from the refusal's
    // `Date`, and signs again.
    let behind = Client::builder(sigv4_scheme(S3_SECRET))
        .base_url(mock.base_url(Api::S3))
        .clock(Clock::fixed(now() - 3600))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let answer = behind.request(Method::GET, "/").send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!((behind.clock().offset() - 3600).abs() <= 2);
}

#[tokio::test]
async fn presigned_urls_work_until_they_expire() {
    let mock = start().await;
    let s3 = s3(&mock);
    create_bucket(&s3, "shared").await;
    put(&s3, "shared", KEY, CONTENT).await;
    let raw = reqwest::Client::new();
    let get_url = |client: &Client| {
        client
            .request(Method::GET, "/shared/{key}")
            .path_param("key", KEY)
            .presign(Duration::from_secs(300))
            .unwrap()
    };

    let url = get_url(&s3);
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let answer = raw.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), CONTENT);
    // A presigned PUT, its body unsigned.
    let put_url = s3
        .request(Method::PUT, "/shared/uploaded")
        .presign(Duration::from_secs(300))
        .unwrap();
    let answer = raw.put(&put_url).body("by URL").send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        s3.request(Method::GET, "/shared/uploaded")
            .text()
            .await
            .unwrap(),
        "by URL"
    );

    // Signed two hours ago for five minutes: expired.
    let earlier = client(&mock, Api::S3, sigv4_scheme(S3_SECRET), Some(now() - 7200));
    let url = get_url(&earlier);
    let answer = Answer::read(raw.get(&url).send().await.unwrap()).await;
    assert_eq!(answer.status, 403);
    assert_eq!(s3_error(&answer), "AccessDenied");
    assert_eq!(text(&answer.body, "Message"), "Request has expired");
    // Signed for an hour from now: not valid yet.
    let later = client(&mock, Api::S3, sigv4_scheme(S3_SECRET), Some(now() + 3600));
    let answer = Answer::read(raw.get(get_url(&later)).send().await.unwrap()).await;
    assert_eq!(answer.status, 403);
    assert_eq!(text(&answer.body, "Message"), "Request is not valid yet");
    // A signature changed in the URL.
    let url = get_url(&s3);
    let forged = format!(
        "{}{}",
        &url[..url.len() - 1],
        if url.ends_with('0') { '1' } else { '0' }
    );
    let answer = Answer::read(raw.get(&forged).send().await.unwrap()).await;
    assert_eq!(
        (answer.status, s3_error(&answer).as_str()),
        (403, "SignatureDoesNotMatch")
    );

    // A presigned parameter out of its range.
    let url = get_url(&s3).replace("X-Amz-Expires=300", "X-Amz-Expires=0");
    let answer = Answer::read(raw.get(&url).send().await.unwrap()).await;
    assert_eq!(
        (answer.status, s3_error(&answer).as_str()),
        (400, "AuthorizationQueryParametersError")
    );

    // An expired URL announcing a large upload is refused without its body being read.
    let expired_put = earlier
        .request(Method::PUT, "/shared/large")
        .presign(Duration::from_secs(60))
        .unwrap();
    let target = expired_put.strip_prefix(&mock.origin()).unwrap();
    let head = format!(
        "PUT {target} HTTP/1.1\r\nhost: {}\r\ncontent-length: 1000000\r\nconnection: close\r\n\r\n",
        mock.addr()
    );
    let answer = tokio::time::timeout(
        Duration::from_secs(5),
        send_raw(mock.addr(), head.as_bytes()),
    )
    .await
    .expect("refused at once, without waiting for the body");
    assert_eq!(answer.status, 403, "{answer:?}");
    assert!(answer.text.contains("Request has expired"), "{answer:?}");
}

#[tokio::test]
async fn temporary_credentials_need_their_session_token() {
    let credentials = MockCredentials {
        s3: S3MockCredentials::new(S3_KEY_ID, S3_SECRET, S3_REGION)
            .and_then(|s3| s3.with_session_token("the-session-token"))
            .unwrap(),
        ..credentials()
    };
    let mock = MockServer::start(MockConfig::new(credentials))
        .await
        .unwrap();
    let without = s3(&mock);
    let error = api_error(without.request(Method::GET, "/").send().await);
    assert_eq!(status_and_code(&error), (400, Some("InvalidToken")));
    let with = Sigv4Scheme::new(
        Sigv4Credentials::new(S3_KEY_ID, S3_SECRET)
            .and_then(|credentials| credentials.with_session_token("the-session-token"))
            .unwrap(),
        S3_REGION,
        "s3",
    )
    .unwrap();
    let with = client(&mock, Api::S3, with, None);
    assert_eq!(
        with.request(Method::GET, "/")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn faults_and_limits_answer_in_s3_s_shape() {
    let mock = start().await;
    mock.set_faults(Api::S3, Faults::none().error_rate(1.0));
    let answer = get_unsigned(&format!("{}/", mock.base_url(Api::S3))).await;
    assert_eq!(answer.status, 503);
    assert_eq!(text(&answer.body, "Code"), "ServiceUnavailable");
    assert_eq!(
        text(&answer.body, "RequestId"),
        answer.headers["x-amz-request-id"].to_str().unwrap()
    );
    mock.set_faults(Api::S3, Faults::none());

    // Every answer names its request, successes too, each another.
    let s3 = s3(&mock);
    let first = s3.request(Method::GET, "/").send().await.unwrap();
    let second = s3.request(Method::GET, "/").send().await.unwrap();
    let id = |answer: &signed_api_runtime::Response| answer.headers()["x-amz-request-id"].clone();
    assert_ne!(id(&first), id(&second));
    // The environment a client needs points at `/s3`.
    let env = mock.env_vars();
    let endpoint = env
        .iter()
        .find(|(name, _)| name == "AWS_ENDPOINT_URL")
        .unwrap();
    assert_eq!(endpoint.1, format!("{}/s3", mock.origin()));
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"] {
        assert!(env.iter().any(|(own, _)| own == name), "{name} in {env:?}");
    }
}

#[tokio::test]
async fn a_forged_upload_is_refused_from_its_head_before_its_body() {
    let mock = start().await;
    create_bucket(&s3(&mock), "forged").await;
    // Signed with a wrong secret, stating the hash of a megabyte the client never sends:
    // the signature covers the stated hash, so the mock refuses the head at once.
    let body = vec![b'x'; 1_000_000];
    let wrong = client(&mock, Api::S3, sigv4_scheme("not-the-secret"), None);
    let prepared = wrong
        .request(Method::PUT, "/forged/large")
        .bytes_body(body)
        .prepare()
        .await
        .unwrap();
    let target = prepared.url.strip_prefix(&mock.origin()).unwrap();
    let mut head = format!("PUT {target} HTTP/1.1\r\nhost: {}\r\n", mock.addr());
    for (name, value) in &prepared.headers {
        head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap()));
    }
    head.push_str("content-length: 1000000\r\nconnection: close\r\n\r\n");
    let answer = tokio::time::timeout(
        Duration::from_secs(5),
        send_raw(mock.addr(), head.as_bytes()),
    )
    .await
    .expect("refused at once, without waiting for the body");
    assert_eq!(answer.status, 403, "{answer:?}");
    assert!(
        answer.text.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{answer:?}"
    );
}

/// An S3 error as the assertions compare it: the status and S3's code.
fn status_and_code(error: &signed_api_runtime::ApiError) -> (u16, Option<&str>) {
    (error.status.as_u16(), error.code.as_deref())
}
