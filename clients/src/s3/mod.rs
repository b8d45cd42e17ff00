//! A typed client of S3 and of every S3-compatible object store (OVHcloud Object
//! Storage, MinIO, Ceph, …), signed with AWS Signature Version 4.
//!
//! [`S3Client`] implements the [`S3`] trait: buckets (list, create, delete), objects
//! (upload, download, delete, server-side copy) and listings of a bucket's objects, one
//! page at a time or all of them with [`all_objects`]. The client's own methods add what
//! the trait cannot describe: `HEAD` of a bucket or an object, uploads with
//! `x-amz-meta-*` metadata, and presigned URLs that let someone without credentials
//! download or upload one object for a while. Errors come back as
//! [`signed_api::Error`]; S3's `<Error>` answers are read into [`signed_api::ApiError`]
//! with their code (`NoSuchKey`, `NoSuchBucket`, …), message and request id.
//!
//! Calls are written path-style (`/{bucket}/{key}` under the endpoint), which every
//! S3-compatible store accepts; see [`S3`] for how keys are sent. Against AWS itself
//! ([`S3Client::from_config`] without an endpoint) the scheme moves the bucket into the
//! host name (`https://BUCKET.s3.REGION.amazonaws.com/KEY`, virtual-hosted style, as AWS
//! recommends; `Addressing` in `signed_api::schemes::sigv4`).
//!
//! [`S3Client::from_env`] reads the AWS CLI's configuration (environment, then
//! `~/.aws/credentials` and `~/.aws/config`); an endpoint configured there
//! (`AWS_ENDPOINT_URL_S3`) points the client at another store. [`S3Client::for_ovh`]
//! reaches OVHcloud Object Storage in a region.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use signed_api::Bytes;
//! use signed_api_clients::s3::{
//!     CopySource, ListObjectsQuery, PutOptions, S3, S3Client, Sigv4Credentials, all_objects,
//!     create_bucket_in,
//! };
//!
//! # async fn run() -> signed_api::Result<()> {
//! // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL_S3 (optional)
//! let s3 = S3Client::from_env()?;
//! create_bucket_in(&s3, "reports", "eu-west-3").await?;
//! s3.put_object("reports", "2024/may/summary.csv", Bytes::from("a,b\n1,2\n"), Some("text/csv"))
//!     .await?;
//! s3.put_object_with(
//!     "reports",
//!     "2024/may/raw.bin",
//!     vec![0u8; 16],
//!     &PutOptions::new().metadata("source", "sensor-7"),
//! )
//! .await?;
//! let head = s3.head_object("reports", "2024/may/summary.csv").await?;
//! println!("{:?} bytes, etag {:?}", head.content_length, head.etag);
//! s3.copy_object("reports", "latest.csv", &CopySource::new("reports", "2024/may/summary.csv"))
//!     .await?;
//!
//! let may = all_objects(&s3, "reports", &ListObjectsQuery::new().prefix("2024/may/")).await?;
//! for object in &may.objects {
//!     println!("{} {:?}", object.key, object.size);
//! }
//! let link = s3.presign_get("reports", "latest.csv", Duration::from_secs(3600))?;
//! println!("valid for an hour: {link}");
//!
//! // OVHcloud Object Storage, with the S3 credentials of a Public Cloud user.
//! let ovh = S3Client::for_ovh("gra", Sigv4Credentials::new("access-key", "secret-key")?)?;
//! let csv = ovh.get_object("reports", "latest.csv").await?;
//! # let _ = csv; Ok(()) }
//! ```

mod api;
mod models;

pub use api::{
    MAX_LIST_PAGES, S3, S3Client, S3ClientBuilder, all_objects, all_objects_with_limit,
    create_bucket_in, object_page,
};
pub use models::{
    Bucket, BucketHead, CommonPrefix, CopyObjectResult, CopySource, ListAllMyBucketsResult,
    ListBucketResult, ListObjectsQuery, ListType, Object, ObjectHead, ObjectListing, Owner,
    PutObjectOutput, PutOptions, StorageClass,
};
pub use signed_api::schemes::sigv4::Addressing;
pub use signed_api::schemes::{Sigv4Config, Sigv4Credentials, Sigv4Scheme};
