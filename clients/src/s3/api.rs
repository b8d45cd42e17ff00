//! The S3 calls the typed client covers, the ones the macro cannot describe (`HEAD`,
//! metadata headers named at run time, presigned URLs), and the helpers that create a
//! bucket in a region and page through listings.

use std::collections::HashSet;
use std::time::Duration;

use signed_api::schemes::sigv4::{Addressing, aws_endpoint, ovh_object_storage_endpoint};
use signed_api::schemes::{Sigv4Config, Sigv4Credentials, Sigv4Scheme};
use signed_api::{Bytes, Error, Method, Request, Response, Result, StatusCode, signed_api};

use super::models::{
    BucketHead, CopyObjectResult, CopySource, ListAllMyBucketsResult, ListBucketResult,
    ListObjectsQuery, ListType, ObjectHead, ObjectListing, PutObjectOutput, PutOptions,
    create_bucket_configuration,
};

/// An S3-compatible object store (AWS S3, OVHcloud Object Storage, MinIO, Ceph, …), every
/// call signed with SigV4 for the service `s3`.
///
/// Every path starts with the bucket (`/{bucket}/{key}`) and is relative to the endpoint,
/// so one client reaches every bucket of the endpoint. That is **path-style** addressing,
/// which every S3-compatible store accepts. The scheme may move the bucket into the host
/// name before the URL is signed (virtual-hosted style,
/// `https://BUCKET.s3.REGION.amazonaws.com/KEY`): [`S3Client::from_config`] does for AWS,
/// with `Sigv4Scheme::with_addressing(Addressing::VirtualHosted)`.
///
/// Keys keep their `/` (`photos/2024/a.jpg` is sent as three segments, each
/// percent-encoded); a key that is empty or has a `.` or `..` segment is refused before
/// anything is sent, since URL parsing would turn it into another path.
///
/// Answers are decoded from S3's XML; S3's `<Error>` answers come back as
/// [`Error::Api`](signed_api::Error::Api) with the store's code (`NoSuchKey`,
/// `NoSuchBucket`, `BucketNotEmpty`, …), message and request id.
///
/// `HEAD` calls, uploads with metadata and presigned URLs are methods of [`S3Client`]
/// itself, written on its runtime client, because a trait method cannot describe them:
/// `#[signed_api]` has no `HEAD` verb, its header names are fixed at compile time (metadata
/// names are not), and a presigned URL is made without a call. They are
/// [`head_bucket`](S3Client::head_bucket), [`head_object`](S3Client::head_object),
/// [`put_object_with`](S3Client::put_object_with), [`presign_get`](S3Client::presign_get)
/// and [`presign_put`](S3Client::presign_put).
#[signed_api(scheme = "sigv4", decode = "xml")]
pub trait S3 {
    /// The buckets the credentials own.
    #[get("/")]
    async fn list_buckets(&self) -> Result<ListAllMyBucketsResult>;

    /// Creates a bucket where the endpoint puts buckets by default (on AWS, `us-east-1`).
    /// [`create_bucket_in`] creates it in a region.
    #[put("/{bucket}")]
    async fn create_bucket(&self, bucket: &str) -> Result<()>;

    /// Creates a bucket with a configuration body, sent as given with its
    /// `content_type`: S3's `CreateBucketConfiguration` XML, which [`create_bucket_in`]
    /// writes with the region.
    #[put("/{bucket}")]
    async fn create_bucket_with_configuration(
        &self,
        bucket: &str,
        #[body] configuration: Bytes,
        #[header("Content-Type")] content_type: &str,
    ) -> Result<()>;

    /// Deletes a bucket, which must be empty (else `BucketNotEmpty`, a
    /// [`Conflict`](signed_api::ApiErrorKind::Conflict)).
    #[delete("/{bucket}")]
    async fn delete_bucket(&self, bucket: &str) -> Result<()>;

    /// Uploads `data` as the object `key`, replacing any object of that key. Its type is
    /// `content_type`, else `application/octet-stream`. The answer's headers hold the
    /// entity tag: [`PutObjectOutput::from_response`] reads them. The body is signed
    /// (its SHA-256 is computed before sending).
    #[put("/{bucket}/{key+}")]
    async fn put_object(
        &self,
        bucket: &str,
        key: &str,
        #[body] data: Bytes,
        #[header("Content-Type")] content_type: Option<&str>,
    ) -> Result<Response<()>>;

    /// The content of the object `key`, read whole into memory. An object larger than the
    /// client's response limit
    /// ([`DEFAULT_MAX_RESPONSE_BODY`](signed_api::defaults::DEFAULT_MAX_RESPONSE_BODY)
    /// unless the builder's `max_response_body` says otherwise) is refused with
    /// [`Error::BodyTooLarge`](signed_api::Error::BodyTooLarge).
    #[get("/{bucket}/{key+}")]
    async fn get_object(&self, bucket: &str, key: &str) -> Result<Bytes>;

    /// Deletes the object `key`. S3 answers success for a key that does not exist too.
    #[delete("/{bucket}/{key+}")]
    async fn delete_object(&self, bucket: &str, key: &str) -> Result<()>;

    /// Copies the object `source` to `key` of `bucket` on the store's side, metadata
    /// included. See [`CopyObjectResult`] for a copy that fails after `200 OK`.
    #[put("/{bucket}/{key+}")]
    async fn copy_object(
        &self,
        bucket: &str,
        key: &str,
        #[header("x-amz-copy-source")] source: &CopySource,
    ) -> Result<CopyObjectResult>;

    /// One page of the objects of `bucket` (`ListObjectsV2`; `list_type` is always
    /// [`ListType::V2`]). Pass the previous page's
    /// [`next_token`](ListBucketResult::next_token) as `continuation_token` to get the
    /// next one, with the same filters; [`all_objects`] does that loop, and
    /// [`object_page`] takes the filters as a [`ListObjectsQuery`].
    #[allow(clippy::too_many_arguments)]
    #[get("/{bucket}")]
    async fn list_objects_v2(
        &self,
        bucket: &str,
        #[query(rename = "list-type")] list_type: ListType,
        #[query] prefix: Option<&str>,
        #[query] delimiter: Option<&str>,
        #[query(rename = "continuation-token")] continuation_token: Option<&str>,
        #[query(rename = "max-keys")] max_keys: Option<u32>,
        #[query(rename = "start-after")] start_after: Option<&str>,
    ) -> Result<ListBucketResult>;
}

impl S3Client {
    /// A client for the credentials and region of `config` (usually
    /// [`Sigv4Config::from_env`]), at its `endpoint_url` when one is configured (a local
    /// MinIO, OVHcloud), path-style; else at AWS's S3 endpoint of the region
    /// (`https://s3.REGION.amazonaws.com`), virtual-hosted style
    /// (`https://BUCKET.s3.REGION.amazonaws.com/KEY`; buckets whose names cannot be a host
    /// label stay path-style). The region is checked before anything else.
    pub fn from_config(config: Sigv4Config) -> Result<Self> {
        // AWS itself is addressed virtual-hosted style (the bucket in the host name), as
        // AWS recommends; a configured endpoint (MinIO, OVHcloud, a mock) path-style,
        // which every S3-compatible store takes.
        let (base_url, addressing) = match config.endpoint_url.clone() {
            Some(endpoint) => (endpoint, Addressing::PathStyle),
            None => (
                aws_endpoint("s3", &config.region),
                Addressing::VirtualHosted,
            ),
        };
        let scheme = Sigv4Scheme::from_config(config, "s3")?.with_addressing(addressing);
        Self::builder().scheme(scheme).base_url(base_url).build()
    }

    /// A client configured as the AWS CLI is: `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), `AWS_REGION`,
    /// `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, then the profile of `~/.aws/credentials`
    /// and `~/.aws/config` (see [`Sigv4Config`] for the whole order). The error names
    /// what is missing.
    pub fn from_env() -> Result<Self> {
        Self::from_config(Sigv4Config::from_env("s3")?)
    }

    /// A client of OVHcloud Object Storage in `region` (`gra`, `sbg`, `de`,
    /// `eu-west-par`, …): its endpoint `https://s3.REGION.io.cloud.ovh.net`, signed for
    /// that region, with the S3 credentials OVHcloud issues. The region is checked before
    /// it goes into the host name.
    pub fn for_ovh(region: &str, credentials: Sigv4Credentials) -> Result<Self> {
        let scheme = Sigv4Scheme::new(credentials, region, "s3")?;
        Self::builder()
            .scheme(scheme)
            .base_url(ovh_object_storage_endpoint(region))
            .build()
    }

    /// Whether `bucket` exists and the credentials may use it (`HEAD /{bucket}`), and its
    /// region when the store says. A bucket that does not exist is an
    /// [`Error::Api`](signed_api::Error::Api) of kind
    /// [`NotFound`](signed_api::ApiErrorKind::NotFound); a `HEAD` answer has no body, so
    /// the error carries the status and request id but no S3 code.
    pub async fn head_bucket(&self, bucket: &str) -> Result<BucketHead> {
        let response = self
            .client()
            .request(Method::HEAD, "/{bucket}")
            .path_param("bucket", bucket)
            .send()
            .await?;
        Ok(BucketHead::from_headers(response.headers()))
    }

    /// The size, entity tag, type, date and metadata of the object `key`
    /// (`HEAD /{bucket}/{key}`), without its content. A missing object is an
    /// [`Error::Api`](signed_api::Error::Api) of kind
    /// [`NotFound`](signed_api::ApiErrorKind::NotFound), without S3 code (no body).
    pub async fn head_object(&self, bucket: &str, key: &str) -> Result<ObjectHead> {
        let response = self
            .client()
            .request(Method::HEAD, "/{bucket}/{key+}")
            .path_param("bucket", bucket)
            .path_param("key", key)
            .send()
            .await?;
        Ok(ObjectHead::from_response(&response))
    }

    /// Uploads `data` as [`put_object`](S3::put_object) does, with the content type and
    /// `x-amz-meta-*` metadata of `options` (header names chosen at run time, which the
    /// trait's methods cannot take). Metadata that cannot travel in a header is refused
    /// before anything is sent.
    pub async fn put_object_with(
        &self,
        bucket: &str,
        key: &str,
        data: impl Into<Bytes>,
        options: &PutOptions,
    ) -> Result<PutObjectOutput> {
        options.check()?;
        let mut request = self
            .client()
            .request(Method::PUT, "/{bucket}/{key+}")
            .path_param("bucket", bucket)
            .path_param("key", key)
            .bytes_body(data)
            .header_opt("Content-Type", options.content_type.as_deref());
        for (name, value) in &options.metadata {
            request = request.header(&format!("x-amz-meta-{name}"), value);
        }
        let response = request.send().await?;
        Ok(PutObjectOutput::from_response(&response))
    }

    /// A URL that downloads the object `key` with a plain `GET`, without credentials,
    /// until `expires_in` has passed (1 second to 7 days). Signed now with the client's
    /// clock; nothing is sent. Whoever holds the URL can read the object: hand it out as
    /// a short-lived password.
    pub fn presign_get(&self, bucket: &str, key: &str, expires_in: Duration) -> Result<String> {
        self.object_request(Method::GET, bucket, key)
            .presign(expires_in)
    }

    /// A URL that uploads the object `key` with a plain `PUT` of the content, without
    /// credentials, until `expires_in` has passed (1 second to 7 days). With a
    /// `content_type`, the type is signed into the URL and the upload must send that
    /// exact `Content-Type`. The body is not signed (`UNSIGNED-PAYLOAD`): whoever holds
    /// the URL chooses the content.
    pub fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: Option<&str>,
        expires_in: Duration,
    ) -> Result<String> {
        self.object_request(Method::PUT, bucket, key)
            .header_opt("Content-Type", content_type)
            .presign(expires_in)
    }

    fn object_request(&self, method: Method, bucket: &str, key: &str) -> Request {
        self.client()
            .request(method, "/{bucket}/{key+}")
            .path_param("bucket", bucket)
            .path_param("key", key)
    }
}

/// AWS's region without a location constraint: a bucket made there takes no
/// configuration body.
const DEFAULT_AWS_REGION: &str = "us-east-1";

/// Creates `bucket` in `region`: with a `CreateBucketConfiguration` body naming the
/// region as its `LocationConstraint` (`application/xml`), which AWS requires for any
/// region but `us-east-1`; for `us-east-1`, which AWS wants without a body, with
/// [`create_bucket`](S3::create_bucket). The region must be lower-case letters, digits
/// and `-`; anything else is refused before a request is sent.
pub async fn create_bucket_in<A: S3 + ?Sized>(api: &A, bucket: &str, region: &str) -> Result<()> {
    if region == DEFAULT_AWS_REGION {
        return api.create_bucket(bucket).await;
    }
    let configuration = create_bucket_configuration(region)?;
    api.create_bucket_with_configuration(bucket, Bytes::from(configuration), "application/xml")
        .await
}

/// One page of the objects of `bucket` matching `query`: the first with
/// `continuation_token = None`, the next ones with the token the previous page gave.
pub async fn object_page<A: S3 + ?Sized>(
    api: &A,
    bucket: &str,
    query: &ListObjectsQuery,
    continuation_token: Option<&str>,
) -> Result<ListBucketResult> {
    api.list_objects_v2(
        bucket,
        ListType::V2,
        query.prefix.as_deref(),
        query.delimiter.as_deref(),
        continuation_token,
        query.max_keys,
        query.start_after.as_deref(),
    )
    .await
}

/// How many pages [`all_objects`] fetches at most before it gives up with an error.
///
/// A store that keeps handing out new continuation tokens would otherwise keep the
/// listing going (and its memory growing) for ever. 1000 pages of S3's default 1000 keys
/// is a million objects; [`all_objects_with_limit`] takes another limit, and
/// [`object_page`] lets a larger bucket be handled page by page.
pub const MAX_LIST_PAGES: usize = 1000;

/// Every object (and common prefix) of `bucket` matching `query`, following the
/// continuation tokens to the last page, fetching at most [`MAX_LIST_PAGES`] pages.
///
/// A store that hands out a token it already gave, that still has a next page after
/// [`MAX_LIST_PAGES`] pages, or that says a page is truncated without giving a token,
/// would make this loop for ever or stop short; each is reported as an
/// [`Error::Decode`] instead (the message names the token, the limit, or the page).
pub async fn all_objects<A: S3 + ?Sized>(
    api: &A,
    bucket: &str,
    query: &ListObjectsQuery,
) -> Result<ObjectListing> {
    all_objects_with_limit(api, bucket, query, MAX_LIST_PAGES).await
}

/// [`all_objects`] with another limit on the number of pages: at most `max_pages`
/// requests are sent, and a listing that needs more ends with an [`Error::Decode`] naming
/// the limit (with `max_pages == 0`, before any request).
pub async fn all_objects_with_limit<A: S3 + ?Sized>(
    api: &A,
    bucket: &str,
    query: &ListObjectsQuery,
    max_pages: usize,
) -> Result<ObjectListing> {
    let mut listing = ObjectListing::default();
    let mut seen_tokens = HashSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        if pages == max_pages {
            return Err(listing_error(format!(
                "the listing of bucket {bucket:?} still had more pages after {max_pages} pages \
                 (the limit)"
            )));
        }
        let page = object_page(api, bucket, query, token.as_deref()).await?;
        pages += 1;
        let next = page.next_token().map(str::to_owned);
        if page.is_truncated && next.is_none() {
            return Err(listing_error(format!(
                "page {pages} of the listing of bucket {bucket:?} is truncated but gives no \
                 NextContinuationToken"
            )));
        }
        listing.objects.extend(page.contents);
        listing
            .common_prefixes
            .extend(page.common_prefixes.into_iter().map(|common| common.prefix));
        let Some(next) = next else {
            return Ok(listing);
        };
        if !seen_tokens.insert(next.clone()) {
            return Err(listing_error(format!(
                "the listing of bucket {bucket:?} gave the continuation token {next:?} twice"
            )));
        }
        token = Some(next);
    }
}

fn listing_error(message: String) -> Error {
    Error::Decode {
        status: StatusCode::OK,
        message,
        body_excerpt: String::new(),
    }
}
