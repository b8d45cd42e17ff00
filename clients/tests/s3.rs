//! The typed S3 client against a local server that records every request byte for byte,
//! verifies its signature with the runtime's own SigV4 verifier for the same credentials
//! (a refused signature answers 401, which fails the call under test), and answers with
//! canned S3 XML. Checked for each call: the method, the path (keys with `/`, spaces and
//! non-ASCII letters), the query, the headers and the body that reached the server, and
//! how the answer is decoded. Also: listings of none, one and several objects, paging
//! that stops on a repeated token and at the page limit, S3's errors, keys that would
//! change the path, presigned URLs that the verifier accepts, and where the client
//! points once configured.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use signed_api::schemes::Sigv4Verifier;
use signed_api::schemes::sigv4::Addressing;
use signed_api::verify::{ReceivedRequest, Verifier};
use signed_api::{ApiErrorKind, Bytes, Error, HeaderMap, Response, Result, RetryPolicy};
use signed_api_clients::s3::{
    CopyObjectResult, CopySource, ListAllMyBucketsResult, ListBucketResult, ListObjectsQuery,
    ListType, MAX_LIST_PAGES, ObjectHead, PutObjectOutput, PutOptions, S3, S3Client, Sigv4Config,
    Sigv4Credentials, Sigv4Scheme, StorageClass, all_objects, all_objects_with_limit,
    create_bucket_in, object_page,
};
use signed_api_mock::testing::capture::{CaptureServer, Captured, Reply, verified};
use support::{api_error, unix_now as now};

const KEY_ID: &str = "AKIDS3CLIENTTEST";
const SECRET: &str = "s3-client-test-secret";
const REGION: &str = "eu-west-3";

/// A key with everything a path must carry carefully: `/`, spaces, non-ASCII letters.
const KEY: &str = "photos/2024/été à Paris.jpg";
/// [`KEY`] as it travels in a path, each piece percent-encoded, the `/` kept.
const ENCODED_KEY: &str = "photos/2024/%C3%A9t%C3%A9%20%C3%A0%20Paris.jpg";

fn credentials(secret: &str) -> Sigv4Credentials {
    Sigv4Credentials::new(KEY_ID, secret).unwrap()
}

fn scheme(secret: &str) -> Sigv4Scheme {
    Sigv4Scheme::new(credentials(secret), REGION, "s3").unwrap()
}

/// The store's side: what a request signed with [`SECRET`] for [`REGION`] passes.
fn verifier() -> Sigv4Verifier {
    Sigv4Verifier::new(scheme(SECRET))
}

/// A store that verifies every request, then answers with `answer`.
async fn store(answer: impl Fn(&Captured) -> Reply + Send + Sync + 'static) -> CaptureServer {
    let verifier = verifier();
    CaptureServer::start(move |request, origin| {
        verified(&verifier, request, origin, now(), answer(request))
    })
    .await
}

/// A client of `server` signing with `secret`, without retries.
fn client_with(server: &CaptureServer, secret: &str) -> S3Client {
    S3Client::builder()
        .scheme(scheme(secret))
        .base_url(server.origin())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn client(server: &CaptureServer) -> S3Client {
    client_with(server, SECRET)
}

fn xml(status: u16, body: &str) -> Reply {
    Reply::new(status, "application/xml", body)
}

/// An answer without a body, as S3 gives to `PUT`, `DELETE` and `HEAD`.
fn empty(status: u16) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: Vec::new(),
        delay: Duration::ZERO,
    }
}

/// The names in the `SignedHeaders` of a captured request's `Authorization`.
fn signed_headers(request: &Captured) -> Vec<String> {
    let authorization = request.header("authorization").unwrap_or_default();
    let names = authorization
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
        .unwrap_or_default();
    names.split(';').map(str::to_owned).collect()
}

fn decode_message<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Err(Error::Decode { message, .. }) => message,
        other => panic!("expected a decoding error, got {other:?}"),
    }
}

fn invalid_request<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("expected a refused request, got {other:?}"),
    }
}

const LIST_BUCKETS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>ada</DisplayName></Owner>
  <Buckets>
    <Bucket><Name>media</Name><CreationDate>2024-05-01T09:30:00.000Z</CreationDate><BucketRegion>eu-west-3</BucketRegion></Bucket>
    <Bucket><Name>reports &amp; logs</Name><CreationDate>2023-01-02T03:04:05.000Z</CreationDate><Unknown>kept out</Unknown></Bucket>
  </Buckets>
  <Prefix/>
</ListAllMyBucketsResult>"#;

#[tokio::test]
async fn bucket_listings_with_none_one_and_several_buckets_decode() {
    let one = r#"<ListAllMyBucketsResult><Buckets><Bucket><Name>only</Name></Bucket></Buckets></ListAllMyBucketsResult>"#;
    let none =
        r#"<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets/></ListAllMyBucketsResult>"#;
    let bare = r#"<ListAllMyBucketsResult></ListAllMyBucketsResult>"#;
    let cases: [(&str, &[&str]); 4] = [
        (LIST_BUCKETS, &["media", "reports & logs"]),
        (one, &["only"]),
        (none, &[]),
        (bare, &[]),
    ];
    for (body, names) in cases {
        let server = store(move |_| xml(200, body)).await;
        let listed: ListAllMyBucketsResult = client(&server).list_buckets().await.unwrap();
        let listed_names: Vec<&str> = listed.buckets.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(listed_names, names, "{body}");
        let request = server.single();
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("GET", "/")
        );
        assert!(request.body.is_empty());
    }

    let server = store(|_| xml(200, LIST_BUCKETS)).await;
    let listed = client(&server).list_buckets().await.unwrap();
    assert_eq!(listed.owner.unwrap().display_name.as_deref(), Some("ada"));
    assert_eq!(
        listed.buckets[0].creation_date.as_deref(),
        Some("2024-05-01T09:30:00.000Z")
    );
    assert_eq!(
        listed.buckets[0].bucket_region.as_deref(),
        Some("eu-west-3")
    );
    assert_eq!(listed.buckets[1].bucket_region, None);
}

#[tokio::test]
async fn bucket_calls_reach_the_store_as_s3_expects() {
    let server = store(|request| match request.method.as_str() {
        "HEAD" => empty(200).with_header("x-amz-bucket-region", "eu-west-3"),
        "DELETE" => empty(204),
        _ => empty(200),
    })
    .await;
    let s3 = client(&server);

    s3.create_bucket("plain").await.unwrap();
    create_bucket_in(&s3, "in-paris", "eu-west-3")
        .await
        .unwrap();
    create_bucket_in(&s3, "in-virginia", "us-east-1")
        .await
        .unwrap();
    s3.delete_bucket("plain").await.unwrap();
    let head = s3.head_bucket("in-paris").await.unwrap();
    assert_eq!(head.region.as_deref(), Some("eu-west-3"));

    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("PUT", "/plain"),
            ("PUT", "/in-paris"),
            ("PUT", "/in-virginia"),
            ("DELETE", "/plain"),
            ("HEAD", "/in-paris"),
        ]
    );

    // Without a region: no body, so no type either.
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[0].header("content-type"), None);

    // In a region: S3's configuration, as XML, its type signed.
    let configuration = String::from_utf8(requests[1].body.clone()).unwrap();
    assert_eq!(
        configuration,
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <LocationConstraint>eu-west-3</LocationConstraint></CreateBucketConfiguration>"
    );
    assert_eq!(requests[1].header("content-type"), Some("application/xml"));
    assert!(signed_headers(&requests[1]).contains(&"content-type".to_owned()));

    // us-east-1 takes no configuration.
    assert!(requests[2].body.is_empty());
    assert_eq!(requests[2].header("content-type"), None);

    // A region that is not a region name is refused before anything is sent.
    for region in [
        "",
        "EU-WEST-3",
        "eu west 3",
        "eu-west-3</LocationConstraint>",
    ] {
        let message = invalid_request(create_bucket_in(&s3, "x", region).await);
        assert!(message.contains("not a region name"), "{message}");
    }
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test]
async fn object_calls_carry_the_key_the_body_and_the_headers() {
    let content: Vec<u8> = (0..=255).collect();
    let stored = content.clone();
    let server = store(move |request| match request.method.as_str() {
        "GET" => Reply {
            status: 200,
            headers: vec![("content-type".into(), "image/jpeg".into())],
            body: stored.clone(),
            delay: Duration::ZERO,
        },
        "PUT" if request.header("x-amz-copy-source").is_some() => xml(
            200,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LastModified>2024-05-02T10:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag></CopyObjectResult>"#,
        ),
        "PUT" => empty(200)
            .with_header("etag", "\"d41d8cd98f00b204e9800998ecf8427e\"")
            .with_header("x-amz-version-id", "v-1"),
        "DELETE" => empty(204),
        _ => xml(405, "<Error><Code>MethodNotAllowed</Code></Error>"),
    })
    .await;
    let s3 = client(&server);
    let path = format!("/media/{ENCODED_KEY}");

    let put: Response<()> = s3
        .put_object(
            "media",
            KEY,
            Bytes::from(content.clone()),
            Some("image/jpeg"),
        )
        .await
        .unwrap();
    let output = PutObjectOutput::from_response(&put);
    assert_eq!(
        output.etag.as_deref(),
        Some("\"d41d8cd98f00b204e9800998ecf8427e\"")
    );
    assert_eq!(output.version_id.as_deref(), Some("v-1"));
    s3.put_object("media", "raw", Bytes::from_static(b"\x00\x01"), None)
        .await
        .unwrap();
    let with_metadata = s3
        .put_object_with(
            "media",
            KEY,
            b"hello".to_vec(),
            &PutOptions::new()
                .content_type("text/plain; charset=utf-8")
                .metadata("Source", "sensor 7")
                .metadata("checked-by", "ada"),
        )
        .await
        .unwrap();
    assert_eq!(with_metadata.version_id.as_deref(), Some("v-1"));
    let got = s3.get_object("media", KEY).await.unwrap();
    assert_eq!(got, content);
    let copied: CopyObjectResult = s3
        .copy_object("backup", "2024/copy of été", &CopySource::new("media", KEY))
        .await
        .unwrap();
    assert_eq!(copied.etag, "\"9b2cf535f27731c974343645a3985328\"");
    assert_eq!(
        copied.last_modified.as_deref(),
        Some("2024-05-02T10:00:00.000Z")
    );
    s3.delete_object("media", KEY).await.unwrap();

    let requests = server.requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("PUT", path.as_str()),
            ("PUT", "/media/raw"),
            ("PUT", path.as_str()),
            ("GET", path.as_str()),
            ("PUT", "/backup/2024/copy%20of%20%C3%A9t%C3%A9"),
            ("DELETE", path.as_str()),
        ]
    );

    // The upload: the bytes as given, their type, their hash signed.
    assert_eq!(requests[0].body, content);
    assert_eq!(requests[0].header("content-type"), Some("image/jpeg"));
    assert_eq!(
        requests[0].header("x-amz-content-sha256"),
        Some("40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880")
    );
    assert_eq!(requests[1].body, b"\x00\x01");
    assert_eq!(
        requests[1].header("content-type"),
        Some("application/octet-stream")
    );

    // Metadata goes as signed x-amz-meta-* headers, names lower-case.
    let metadata = &requests[2];
    assert_eq!(metadata.body, b"hello");
    assert_eq!(
        metadata.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(metadata.header("x-amz-meta-source"), Some("sensor 7"));
    assert_eq!(metadata.header("x-amz-meta-checked-by"), Some("ada"));
    let signed = signed_headers(metadata);
    for name in ["content-type", "x-amz-meta-checked-by", "x-amz-meta-source"] {
        assert!(signed.contains(&name.to_owned()), "{name} in {signed:?}");
    }

    // Reads and deletes send no body.
    assert!(requests[3].body.is_empty());
    assert!(requests[5].body.is_empty());

    // The copy names its source in a signed header, each piece encoded, and sends no body.
    let copy = &requests[4];
    assert_eq!(
        copy.header("x-amz-copy-source"),
        Some(format!("/media/{ENCODED_KEY}").as_str())
    );
    assert!(signed_headers(copy).contains(&"x-amz-copy-source".to_owned()));
    assert!(copy.body.is_empty());
}

#[tokio::test]
async fn head_object_reads_size_etag_type_date_and_metadata() {
    let server = store(|_| {
        // A HEAD answer declares the object's length but carries no body. The capture
        // server writes a Content-Length for the body it is given, so it is given the
        // 11 bytes, and `connection: close` keeps them from being read as the start of a
        // next answer: the client reads the head only.
        Reply::new(200, "text/plain", "hello world")
            .with_header("etag", "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"")
            .with_header("last-modified", "Wed, 01 May 2024 09:30:00 GMT")
            .with_header("x-amz-meta-source", "sensor 7")
            .with_header("x-amz-meta-checked-by", "ada")
            .with_header("x-amz-version-id", "v-2")
            .with_header("connection", "close")
    })
    .await;
    let head: ObjectHead = client(&server).head_object("media", KEY).await.unwrap();
    assert_eq!(head.content_length, Some(11));
    assert_eq!(
        head.etag.as_deref(),
        Some("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"")
    );
    assert_eq!(head.content_type.as_deref(), Some("text/plain"));
    assert_eq!(
        head.last_modified.as_deref(),
        Some("Wed, 01 May 2024 09:30:00 GMT")
    );
    assert_eq!(head.version_id.as_deref(), Some("v-2"));
    let metadata: Vec<(&str, &str)> = head
        .metadata
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(metadata, [("checked-by", "ada"), ("source", "sensor 7")]);

    let request = server.single();
    assert_eq!(request.method, "HEAD");
    assert_eq!(request.target, format!("/media/{ENCODED_KEY}"));
    assert!(request.body.is_empty());

    // Headers that are missing or not what they should be are left out, not fatal.
    let mut headers = HeaderMap::new();
    headers.insert("content-length", "many".parse().unwrap());
    headers.insert("x-amz-meta-binary", "caf\u{e9}".parse().unwrap());
    let odd = ObjectHead::from_headers(&headers);
    assert_eq!(odd, ObjectHead::default());
}

/// A listing page whose keys need XML escaping and percent-encoding alike.
const PAGE_SEVERAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>media</Name><Prefix>photos/</Prefix><KeyCount>4</KeyCount><MaxKeys>4</MaxKeys>
  <Delimiter>/</Delimiter><EncodingType>none</EncodingType><IsTruncated>false</IsTruncated>
  <Contents><Key>photos/a &amp; b.jpg</Key><LastModified>2024-05-01T09:30:00.000Z</LastModified>
    <ETag>&quot;e1&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><Size>1024</Size>
    <Owner><ID>o1</ID></Owner><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>photos/été.jpg</Key><Size>0</Size><StorageClass>COLD</StorageClass></Contents>
  <CommonPrefixes><Prefix>photos/2023/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>photos/2024/</Prefix></CommonPrefixes>
</ListBucketResult>"#;

#[tokio::test]
async fn a_listing_page_sends_every_filter_and_decodes_every_shape() {
    let empty_page = r#"<ListBucketResult><Name>media</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"#;
    let one = r#"<ListBucketResult><Name>media</Name><KeyCount>1</KeyCount><IsTruncated>true</IsTruncated><Contents><Key>only</Key><Size>3</Size></Contents><NextContinuationToken>1/abc+=</NextContinuationToken></ListBucketResult>"#;
    let prefixes_only = r#"<ListBucketResult><CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes></ListBucketResult>"#;

    let server = store(move |_| xml(200, empty_page)).await;
    let page = client(&server)
        .list_objects_v2(
            "media",
            ListType::V2,
            Some("photos/"),
            Some("/"),
            Some("1/abc+= é"),
            Some(2),
            Some("photos/a b"),
        )
        .await
        .unwrap();
    assert!(page.contents.is_empty() && page.common_prefixes.is_empty());
    assert_eq!(page.key_count, Some(0));
    assert_eq!(page.next_token(), None);
    assert_eq!(
        server.single().target,
        "/media?list-type=2&prefix=photos%2F&delimiter=%2F\
         &continuation-token=1%2Fabc%2B%3D%20%C3%A9&max-keys=2&start-after=photos%2Fa%20b"
    );

    // The helper asks with the query's filters, the first page without a token.
    let server = store(move |_| xml(200, one)).await;
    let query = ListObjectsQuery::new().prefix("o").max_keys(1);
    let page: ListBucketResult = object_page(&client(&server), "media", &query, None)
        .await
        .unwrap();
    assert_eq!(
        server.single().target,
        "/media?list-type=2&prefix=o&max-keys=1"
    );
    assert_eq!(page.contents.len(), 1);
    assert_eq!(page.contents[0].key, "only");
    assert_eq!(page.contents[0].size, Some(3));
    assert!(page.is_truncated);
    assert_eq!(page.next_token(), Some("1/abc+="));

    let server = store(move |_| xml(200, PAGE_SEVERAL)).await;
    let page = object_page(&client(&server), "media", &ListObjectsQuery::new(), None)
        .await
        .unwrap();
    let keys: Vec<&str> = page.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["photos/a & b.jpg", "photos/été.jpg"]);
    let first = &page.contents[0];
    assert_eq!(first.etag.as_deref(), Some("\"e1\""));
    assert_eq!(first.size, Some(1024));
    assert_eq!(first.storage_class, Some(StorageClass::Standard));
    assert_eq!(first.owner.as_ref().unwrap().id.as_deref(), Some("o1"));
    assert_eq!(
        first.last_modified.as_deref(),
        Some("2024-05-01T09:30:00.000Z")
    );
    assert_eq!(page.contents[1].size, Some(0));
    // A class of the store's own is kept as it was sent.
    assert_eq!(
        page.contents[1].storage_class,
        Some(StorageClass::Other("COLD".into()))
    );
    let prefixes: Vec<&str> = page
        .common_prefixes
        .iter()
        .map(|c| c.prefix.as_str())
        .collect();
    assert_eq!(prefixes, ["photos/2023/", "photos/2024/"]);
    assert_eq!(page.delimiter.as_deref(), Some("/"));
    assert_eq!(page.next_token(), None);

    let server = store(move |_| xml(200, prefixes_only)).await;
    let page = object_page(&client(&server), "media", &ListObjectsQuery::new(), None)
        .await
        .unwrap();
    assert!(page.contents.is_empty());
    assert_eq!(page.common_prefixes[0].prefix, "a/");
    assert!(!page.is_truncated);
}

/// The query value of `name` in a captured request, as sent (still encoded).
fn query_value<'r>(request: &'r Captured, name: &str) -> Option<&'r str> {
    let (_, query) = request.target.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

#[tokio::test]
async fn all_objects_follows_the_continuation_tokens_to_the_last_page() {
    let server = store(|request| {
        let page = match query_value(request, "continuation-token") {
            None => {
                r#"<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t/1+</NextContinuationToken>
                <Contents><Key>logs/a</Key></Contents><Contents><Key>logs/b</Key></Contents>
                <CommonPrefixes><Prefix>logs/old/</Prefix></CommonPrefixes></ListBucketResult>"#
            }
            Some("t%2F1%2B") => {
                r#"<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>logs/c</Key></Contents>
                <NextContinuationToken>t2</NextContinuationToken></ListBucketResult>"#
            }
            Some("t2") => {
                r#"<ListBucketResult><IsTruncated>false</IsTruncated>
                <CommonPrefixes><Prefix>logs/z/</Prefix></CommonPrefixes></ListBucketResult>"#
            }
            Some(_) => return xml(400, "<Error><Code>InvalidArgument</Code></Error>"),
        };
        xml(200, page)
    })
    .await;
    let query = ListObjectsQuery::new()
        .prefix("logs/")
        .delimiter("/")
        .max_keys(2)
        .start_after("logs/");
    let listing = all_objects(&client(&server), "media", &query)
        .await
        .unwrap();
    let keys: Vec<&str> = listing.objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["logs/a", "logs/b", "logs/c"]);
    assert_eq!(listing.common_prefixes, ["logs/old/", "logs/z/"]);

    // Every page is asked for with the same filters, and the token of the page before.
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    let filters = "prefix=logs%2F&delimiter=%2F";
    let tail = "max-keys=2&start-after=logs%2F";
    assert_eq!(
        targets,
        [
            format!("/media?list-type=2&{filters}&{tail}"),
            format!("/media?list-type=2&{filters}&continuation-token=t%2F1%2B&{tail}"),
            format!("/media?list-type=2&{filters}&continuation-token=t2&{tail}"),
        ]
    );
}

/// A truncated page whose next token is `token`.
fn truncated(key: &str, token: &str) -> Reply {
    xml(
        200,
        &format!(
            "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>{key}</Key></Contents>\
             <NextContinuationToken>{token}</NextContinuationToken></ListBucketResult>"
        ),
    )
}

#[tokio::test]
async fn a_token_given_twice_ends_the_listing_with_an_error() {
    let server = store(|request| match query_value(request, "continuation-token") {
        None => truncated("a", "first"),
        Some("first") => truncated("b", "again"),
        Some(_) => truncated("c", "again"),
    })
    .await;
    let message =
        decode_message(all_objects(&client(&server), "media", &ListObjectsQuery::new()).await);
    assert!(message.contains("\"again\" twice"), "{message}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_truncated_page_without_a_token_is_an_error_not_the_end() {
    let server = store(|_| {
        xml(
            200,
            "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a</Key></Contents>\
             </ListBucketResult>",
        )
    })
    .await;
    let message =
        decode_message(all_objects(&client(&server), "media", &ListObjectsQuery::new()).await);
    assert!(
        message.contains("page 1") && message.contains("no NextContinuationToken"),
        "{message}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn another_page_limit_is_honoured_exactly() {
    let pages = Arc::new(AtomicUsize::new(0));
    let served = pages.clone();
    let server = store(move |_| {
        let page = served.fetch_add(1, Ordering::SeqCst) + 1;
        truncated(&format!("k{page}"), &format!("token-{page}"))
    })
    .await;
    let s3 = client(&server);
    let error = all_objects_with_limit(&s3, "media", &ListObjectsQuery::new(), 3)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("after 3 pages"), "{error}");
    assert_eq!(server.requests().len(), 3);

    // Zero pages sends no request at all.
    let error = all_objects_with_limit(&s3, "media", &ListObjectsQuery::new(), 0)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 3);
}

/// A store whose listing never ends: every page is truncated with a fresh token. Only
/// `list_objects_v2` is answered, the rest is out of this test's scope; `pages` counts
/// the pages served.
struct EndlessListing {
    pages: AtomicUsize,
}

fn out_of_scope<T>() -> Result<T> {
    Err(Error::Config("not part of this fake".into()))
}

impl S3 for EndlessListing {
    async fn list_buckets(&self) -> Result<ListAllMyBucketsResult> {
        out_of_scope()
    }
    async fn create_bucket(&self, _: &str) -> Result<()> {
        out_of_scope()
    }
    async fn create_bucket_with_configuration(&self, _: &str, _: Bytes, _: &str) -> Result<()> {
        out_of_scope()
    }
    async fn delete_bucket(&self, _: &str) -> Result<()> {
        out_of_scope()
    }
    async fn put_object(
        &self,
        _: &str,
        _: &str,
        _: Bytes,
        _: Option<&str>,
    ) -> Result<Response<()>> {
        out_of_scope()
    }
    async fn get_object(&self, _: &str, _: &str) -> Result<Bytes> {
        out_of_scope()
    }
    async fn delete_object(&self, _: &str, _: &str) -> Result<()> {
        out_of_scope()
    }
    async fn copy_object(&self, _: &str, _: &str, _: &CopySource) -> Result<CopyObjectResult> {
        out_of_scope()
    }
    async fn list_objects_v2(
        &self,
        _: &str,
        _: ListType,
        _: Option<&str>,
        _: Option<&str>,
        _: Option<&str>,
        _: Option<u32>,
        _: Option<&str>,
    ) -> Result<ListBucketResult> {
        let page = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
        Ok(ListBucketResult {
            name: None,
            prefix: None,
            delimiter: None,
            max_keys: None,
            key_count: Some(0),
            is_truncated: true,
            continuation_token: None,
            next_continuation_token: Some(format!("token-{page}")),
            start_after: None,
            contents: Vec::new(),
            common_prefixes: Vec::new(),
        })
    }
}

#[tokio::test]
async fn a_listing_that_never_ends_stops_at_the_page_limit() {
    let api = EndlessListing {
        pages: AtomicUsize::new(0),
    };
    let query = ListObjectsQuery::new();
    let error = tokio::time::timeout(Duration::from_secs(10), all_objects(&api, "media", &query))
        .await
        .expect("all_objects must stop on its own")
        .unwrap_err();
    let message = decode_message::<()>(Err(error));
    assert!(
        message.contains(&format!("after {MAX_LIST_PAGES} pages")),
        "{message}"
    );
    assert_eq!(api.pages.load(Ordering::Relaxed), MAX_LIST_PAGES);
}

#[tokio::test]
async fn s3_errors_keep_their_code_message_and_request_id() {
    let server = store(|request| match request.method.as_str() {
        "GET" => xml(
            404,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>photos/missing.jpg</Key><RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId></Error>"#,
        ),
        "DELETE" => xml(
            409,
            "<Error><Code>BucketNotEmpty</Code><Message>The bucket you tried to delete is not empty</Message></Error>",
        ),
        "HEAD" => empty(404).with_header("x-amz-request-id", "R-HEAD"),
        _ => xml(
            200,
            "<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>",
        ),
    })
    .await;
    let s3 = client(&server);

    let missing = api_error(s3.get_object("media", "photos/missing.jpg").await);
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.code.as_deref(), Some("NoSuchKey"));
    assert_eq!(
        missing.message.as_deref(),
        Some("The specified key does not exist.")
    );
    assert_eq!(missing.request_id.as_deref(), Some("4442587FB7D0A2F9"));

    let not_empty = api_error(s3.delete_bucket("media").await);
    assert_eq!(not_empty.kind, ApiErrorKind::Conflict);
    assert_eq!(not_empty.code.as_deref(), Some("BucketNotEmpty"));

    // A HEAD answer has no body: the status says what happened.
    let no_object = api_error(s3.head_object("media", "nothing").await);
    assert_eq!(no_object.kind, ApiErrorKind::NotFound);
    assert_eq!(no_object.code, None);
    assert_eq!(no_object.request_id.as_deref(), Some("R-HEAD"));
    assert_eq!(
        api_error(s3.head_bucket("nothing").await).kind,
        ApiErrorKind::NotFound
    );

    // A copy that fails after 200 OK is not taken for a success.
    let message = decode_message(
        s3.copy_object("media", "b", &CopySource::new("media", "a"))
            .await,
    );
    assert!(
        message.contains("copy failed: InternalError: We encountered an internal error"),
        "{message}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_store() {
    let server = store(|_| xml(200, LIST_BUCKETS)).await;
    let wrong = client_with(&server, "not-the-secret");
    let error = api_error(wrong.list_buckets().await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.status, 401);
    assert!(!format!("{error:?}").contains("not-the-secret"));
    // The same call with the right secret passes: the refusal was the signature's.
    client(&server).list_buckets().await.unwrap();
}

#[tokio::test]
async fn keys_that_would_change_the_path_are_refused_before_sending() {
    let server = store(|_| empty(200)).await;
    let s3 = client(&server);
    for key in ["", ".", "..", "a/../b", "./a", "a/.", "a/b/.."] {
        let message = invalid_request(s3.get_object("media", key).await);
        assert!(
            message.contains("would change the path"),
            "{key:?}: {message}"
        );
        invalid_request(s3.put_object("media", key, Bytes::new(), None).await);
        invalid_request(s3.head_object("media", key).await);
        invalid_request(s3.presign_get("media", key, Duration::from_secs(60)));
    }
    invalid_request(s3.delete_bucket("").await);
    invalid_request(
        s3.put_object_with(
            "media",
            "k",
            Bytes::new(),
            &PutOptions::new().metadata("a b", "v"),
        )
        .await,
    );
    assert!(server.requests().is_empty());

    // A bucket cannot leave its segment, and keys may hold empty pieces and dots.
    s3.delete_object("a/b", "k").await.unwrap();
    s3.delete_object("media", "/lead//x/").await.unwrap();
    s3.delete_object("media", "..a/b.c/.d").await.unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/a%2Fb/k", "/media//lead//x/", "/media/..a/b.c/.d"]
    );
}

/// A request to a presigned URL as a store would receive it: the target from the URL,
/// the `Host` of `origin`, `headers` added.
fn check_presigned(
    url: &str,
    origin: &str,
    method: &str,
    headers: &[(&'static str, &str)],
    at: i64,
) -> std::result::Result<(), String> {
    let target = url.strip_prefix(origin).expect("a URL of the store");
    let mut received = HeaderMap::new();
    received.insert(
        "host",
        origin.trim_start_matches("http://").parse().unwrap(),
    );
    for (name, value) in headers {
        received.insert(*name, value.parse().unwrap());
    }
    let request = ReceivedRequest::new("http", method, target, &received, b"some body")
        .map_err(|e| e.to_string())?;
    verifier()
        .verify(&request, at)
        .map(drop)
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn presigned_urls_verify_for_their_object_and_their_time_only() {
    let server = store(|_| empty(200)).await;
    let s3 = client(&server);
    let origin = server.origin().to_owned();
    let hour = Duration::from_secs(3600);

    let get = s3.presign_get("media", KEY, hour).unwrap();
    assert!(
        get.starts_with(&format!("{origin}/media/{ENCODED_KEY}?X-Amz-Algorithm=")),
        "{get}"
    );
    assert!(get.contains("X-Amz-Expires=3600"), "{get}");
    assert!(!get.contains(SECRET));
    check_presigned(&get, &origin, "GET", &[], now()).unwrap();
    // Another method, another object, or after the hour: refused.
    assert!(check_presigned(&get, &origin, "DELETE", &[], now()).is_err());
    let other = get.replace("Paris", "Lyon!");
    assert!(check_presigned(&other, &origin, "GET", &[], now()).is_err());
    let late = check_presigned(&get, &origin, "GET", &[], now() + 3600 + 60).unwrap_err();
    assert!(late.contains("(accepted: 3600 s)"), "{late}");

    // An upload URL with a type: the upload must send that type, and may send any body.
    let put = s3
        .presign_put("media", KEY, Some("image/jpeg"), hour)
        .unwrap();
    assert!(
        put.contains("X-Amz-SignedHeaders=content-type%3Bhost"),
        "{put}"
    );
    check_presigned(
        &put,
        &origin,
        "PUT",
        &[("content-type", "image/jpeg")],
        now(),
    )
    .unwrap();
    assert!(check_presigned(&put, &origin, "PUT", &[], now()).is_err());
    assert!(
        check_presigned(
            &put,
            &origin,
            "PUT",
            &[("content-type", "text/html")],
            now()
        )
        .is_err()
    );
    assert!(
        check_presigned(
            &put,
            &origin,
            "GET",
            &[("content-type", "image/jpeg")],
            now()
        )
        .is_err()
    );
    let untyped = s3.presign_put("media", KEY, None, hour).unwrap();
    assert!(untyped.contains("X-Amz-SignedHeaders=host&"), "{untyped}");
    check_presigned(&untyped, &origin, "PUT", &[], now()).unwrap();

    // From one second to seven days.
    for expires in [Duration::ZERO, Duration::from_secs(7 * 24 * 3600 + 1)] {
        invalid_request(s3.presign_get("media", KEY, expires));
    }
    s3.presign_get("media", KEY, Duration::from_secs(7 * 24 * 3600))
        .unwrap();
    // Nothing was sent.
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_base_url_with_a_path_prefixes_every_call() {
    let server = store(|_| empty(200)).await;
    let s3 = S3Client::builder()
        .scheme(scheme(SECRET))
        .base_url(server.url("/s3"))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    s3.create_bucket("media").await.unwrap();
    s3.delete_object("media", KEY).await.unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/s3/media", &format!("/s3/media/{ENCODED_KEY}")]);
    let url = s3
        .presign_get("media", "k", Duration::from_secs(60))
        .unwrap();
    assert!(
        url.starts_with(&format!("{}/s3/media/k?", server.origin())),
        "{url}"
    );
}

/// The configuration the AWS CLI's variables give, read from `variables` only (no
/// files: `HOME` is not among them).
fn config_from(variables: &[(&str, &str)]) -> Result<Sigv4Config> {
    let lookup = |name: &str| {
        variables
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| (*value).to_owned())
    };
    Sigv4Config::from_lookup(&lookup, "s3")
}

#[test]
fn clients_point_at_the_configured_endpoint_or_at_aws() {
    let keys = [
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
    ];
    let aws = config_from(&[keys[0], keys[1], ("AWS_REGION", "eu-west-3")]).unwrap();
    let s3 = S3Client::from_config(aws).unwrap();
    assert_eq!(
        s3.client().base_url().as_str(),
        "https://s3.eu-west-3.amazonaws.com"
    );

    let local = config_from(&[
        keys[0],
        keys[1],
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", "http://elsewhere:1"),
        ("AWS_ENDPOINT_URL_S3", "http://localhost:9000/"),
    ])
    .unwrap();
    let s3 = S3Client::from_config(local).unwrap();
    assert_eq!(s3.client().base_url().as_str(), "http://localhost:9000");

    let ovh = S3Client::for_ovh("gra", credentials(SECRET)).unwrap();
    assert_eq!(
        ovh.client().base_url().as_str(),
        "https://s3.gra.io.cloud.ovh.net"
    );

    // A region that is not a region name never reaches a host name.
    for region in ["", "GRA", "gra.evil.example", "gra/x", "gra@evil"] {
        let error = S3Client::for_ovh(region, credentials(SECRET)).unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{region:?}: {error:?}");
        let config = Sigv4Config {
            credentials: credentials(SECRET),
            region: region.to_owned(),
            endpoint_url: None,
            profile: "default".into(),
        };
        let error = S3Client::from_config(config).unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{region:?}: {error:?}");
    }
}

#[tokio::test]
async fn a_client_from_the_configuration_signs_what_the_store_accepts() {
    let server = store(|_| xml(200, LIST_BUCKETS)).await;
    let config = config_from(&[
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_REGION", REGION),
        ("AWS_ENDPOINT_URL_S3", server.origin()),
    ])
    .unwrap();
    let s3 = S3Client::from_config(config).unwrap();
    assert_eq!(s3.list_buckets().await.unwrap().buckets.len(), 2);
    let request = server.single();
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains(&format!("Credential={KEY_ID}/")),
        "{authorization}"
    );
    assert!(
        authorization.contains(&format!("/{REGION}/s3/aws4_request")),
        "{authorization}"
    );
}

#[tokio::test]
async fn aws_is_addressed_with_the_bucket_in_the_host_name() {
    // Configured for AWS (no endpoint): virtual-hosted, and what is signed is that URL.
    let aws = config_from(&[
        ("AWS_ACCESS_KEY_ID", KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_REGION", "eu-west-3"),
    ])
    .unwrap();
    let s3 = S3Client::from_config(aws).unwrap();
    let prepared = s3
        .client()
        .request(signed_api::Method::GET, "/{bucket}/{key+}")
        .path_param("bucket", "reports")
        .path_param("key", KEY)
        .prepare()
        .await
        .unwrap();
    assert_eq!(
        prepared.url,
        format!("https://reports.s3.eu-west-3.amazonaws.com/{ENCODED_KEY}")
    );
    let link = s3
        .presign_get("reports", KEY, Duration::from_secs(60))
        .unwrap();
    assert!(
        link.starts_with(&format!(
            "https://reports.s3.eu-west-3.amazonaws.com/{ENCODED_KEY}?X-Amz-Algorithm="
        )),
        "{link}"
    );
    // A bucket that cannot be a host label under https stays in the path.
    let dotted = s3
        .presign_get("my.reports", "k", Duration::from_secs(60))
        .unwrap();
    assert!(
        dotted.starts_with("https://s3.eu-west-3.amazonaws.com/my.reports/k?"),
        "{dotted}"
    );

    // Over the wire: the store receives `Host: reports.s3.test:PORT` and the key as the
    // path, and the signature verifies for exactly that.
    let server = store(|_| Reply::new(200, "application/octet-stream", "the bytes")).await;
    let port = server.origin().rsplit(':').next().unwrap().to_owned();
    let loopback: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let http = reqwest::Client::builder()
        .resolve("reports.s3.test", loopback)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let hosted = S3Client::builder()
        .scheme(scheme(SECRET).with_addressing(Addressing::VirtualHosted))
        .base_url(format!("http://s3.test:{port}"))
        .http_client(http)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let body = hosted.get_object("reports", KEY).await.unwrap();
    assert_eq!(&body[..], b"the bytes");
    let request = server.single();
    assert_eq!(request.target, format!("/{ENCODED_KEY}"));
    assert_eq!(
        request.header("host"),
        Some(&*format!("reports.s3.test:{port}"))
    );
}
