//! The typed S3 client against the verifying mock's `/s3`: every call of the client, end
//! to end, signed with SigV4 and verified by the mock, the state it leaves behind read
//! back, a presigned URL used by a client that holds no credentials, and refusals.

mod support;

use std::time::Duration;

use signed_api::{ApiErrorKind, Bytes};
use signed_api_clients::s3::{
    CopySource, ListObjectsQuery, ListType, PutOptions, S3, S3Client, Sigv4Credentials,
    Sigv4Scheme, all_objects,
};
use signed_api_mock::testing::{S3_KEY_ID, S3_REGION, S3_SECRET};
use signed_api_mock::{Api, MockServer};
use support::{api_error, mock_credentials};

const KEY: &str = "photos/2024/été à Paris.jpg";

async fn start() -> MockServer {
    support::start_mock(mock_credentials()).await
}

fn client(mock: &MockServer, secret: &str) -> S3Client {
    let scheme = Sigv4Scheme::new(
        Sigv4Credentials::new(S3_KEY_ID, secret).unwrap(),
        S3_REGION,
        "s3",
    )
    .unwrap();
    S3Client::builder()
        .scheme(scheme)
        .base_url(mock.base_url(Api::S3))
        .build()
        .unwrap()
}

#[tokio::test]
async fn objects_go_in_come_out_list_copy_and_go_away() {
    let mock = start().await;
    let s3 = client(&mock, S3_SECRET);
    s3.create_bucket("reports").await.unwrap();
    let names: Vec<String> = s3
        .list_buckets()
        .await
        .unwrap()
        .buckets
        .into_iter()
        .map(|bucket| bucket.name)
        .collect();
    assert_eq!(names, ["reports"]);

    let body = Bytes::from_static(b"\x00\xffnot utf-8, and that is fine");
    let options = PutOptions::new()
        .content_type("image/jpeg")
        .metadata("owner", "ana");
    s3.put_object_with("reports", KEY, body.clone(), &options)
        .await
        .unwrap();
    assert_eq!(s3.get_object("reports", KEY).await.unwrap(), body);
    let head = s3.head_object("reports", KEY).await.unwrap();
    assert_eq!(head.content_length, Some(body.len() as u64));
    assert_eq!(head.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(head.metadata.get("owner").map(String::as_str), Some("ana"));

    let copied = s3
        .copy_object(
            "reports",
            "copies/one.jpg",
            &CopySource::new("reports", KEY),
        )
        .await
        .unwrap();
    assert!(!copied.etag.is_empty());
    for index in 0..5 {
        s3.put_object(
            "reports",
            &format!("logs/{index}.txt"),
            Bytes::from(format!("line {index}")),
            Some("text/plain"),
        )
        .await
        .unwrap();
    }

    // Two keys a page: the helper follows the tokens to the end.
    let logs = all_objects(
        &s3,
        "reports",
        &ListObjectsQuery::new().prefix("logs/").max_keys(2),
    )
    .await
    .unwrap();
    let keys: Vec<&str> = logs
        .objects
        .iter()
        .map(|object| object.key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "logs/0.txt",
            "logs/1.txt",
            "logs/2.txt",
            "logs/3.txt",
            "logs/4.txt"
        ]
    );
    let top = s3
        .list_objects_v2("reports", ListType::V2, None, Some("/"), None, None, None)
        .await
        .unwrap();
    let prefixes: Vec<&str> = top
        .common_prefixes
        .iter()
        .map(|prefix| prefix.prefix.as_str())
        .collect();
    assert_eq!(prefixes, ["copies/", "logs/", "photos/"]);

    // A presigned URL works for a client without credentials, and for that object only.
    let url = s3
        .presign_get("reports", KEY, Duration::from_secs(60))
        .unwrap();
    let plain = reqwest::Client::new();
    let fetched = plain.get(&url).send().await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.bytes().await.unwrap(), body);
    let other = url.replace("Paris.jpg", "Lyon.jpg");
    assert_eq!(plain.get(&other).send().await.unwrap().status(), 403);

    s3.delete_object("reports", KEY).await.unwrap();
    let gone = api_error(s3.get_object("reports", KEY).await);
    assert_eq!(gone.code.as_deref(), Some("NoSuchKey"));
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    let not_empty = api_error(s3.delete_bucket("reports").await);
    assert_eq!(not_empty.code.as_deref(), Some("BucketNotEmpty"));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_and_stores_nothing() {
    let mock = start().await;
    client(&mock, S3_SECRET)
        .create_bucket("bucket-one")
        .await
        .unwrap();
    let wrong = client(&mock, "not-the-secret");
    let refused = api_error(
        wrong
            .put_object("bucket-one", "k", Bytes::from_static(b"x"), None)
            .await,
    );
    assert_eq!(refused.code.as_deref(), Some("SignatureDoesNotMatch"));
    assert_eq!(refused.kind, ApiErrorKind::Authentication);
    let missing = api_error(client(&mock, S3_SECRET).get_object("bucket-one", "k").await);
    assert_eq!(missing.code.as_deref(), Some("NoSuchKey"));
}
