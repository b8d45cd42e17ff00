//! What an S3-compatible store answers and takes.
//!
//! The XML answers are decoded with quick-xml's serde support: each field is renamed to
//! S3's element name, every element that a store may leave out is an `Option` (or an
//! empty `Vec`), and elements not listed here are ignored, so that a store adding some
//! does not break the client. Repeated elements (`<Contents>`, `<CommonPrefixes>`) must
//! come one after the other, as S3 sends them; a listing that mixed them would be refused
//! as undecodable rather than read wrongly.
//!
//! Answers that S3 gives as headers only (`HEAD`, and the answer to an upload) are read
//! into [`ObjectHead`], [`BucketHead`] and [`PutObjectOutput`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer};
use signed_api::{Error, HeaderMap, Response, Result};

/// `GET /`: the buckets the credentials own.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListAllMyBucketsResult {
    /// The account the buckets belong to.
    #[serde(rename = "Owner")]
    pub owner: Option<Owner>,
    /// The buckets (none when the account has none). S3 wraps them in `<Buckets>`, one
    /// `<Bucket>` each; the wrapper is read away.
    #[serde(rename = "Buckets", default, deserialize_with = "bucket_elements")]
    pub buckets: Vec<Bucket>,
}

/// The `<Buckets>` wrapper of [`ListAllMyBucketsResult`]: an empty `<Buckets/>` has no
/// `<Bucket>` at all, hence the default.
#[derive(Deserialize)]
struct BucketElements {
    #[serde(rename = "Bucket", default)]
    bucket: Vec<Bucket>,
}

fn bucket_elements<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Bucket>, D::Error> {
    BucketElements::deserialize(deserializer).map(|elements| elements.bucket)
}

/// A bucket of [`ListAllMyBucketsResult`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Bucket {
    /// The bucket's name, the first segment of its objects' paths.
    #[serde(rename = "Name")]
    pub name: String,
    /// When the bucket was made, as the store writes it (ISO 8601, `2024-05-01T09:30:00.000Z`).
    #[serde(rename = "CreationDate")]
    pub creation_date: Option<String>,
    /// The region the bucket lives in, when the store says.
    #[serde(rename = "BucketRegion")]
    pub bucket_region: Option<String>,
}

/// The owner of a bucket or an object.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Owner {
    /// The owner's canonical id.
    #[serde(rename = "ID")]
    pub id: Option<String>,
    /// The owner's display name, which many stores no longer send.
    #[serde(rename = "DisplayName")]
    pub display_name: Option<String>,
}

/// The only listing version the client asks for: `list-type=2` (`ListObjectsV2`), whose
/// pages are chained by continuation tokens.
///
/// It is a parameter of [`S3::list_objects_v2`](super::S3::list_objects_v2) because the
/// query is built from the method's parameters; [`object_page`](super::object_page) and
/// [`all_objects`](super::all_objects) fill it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListType {
    /// `list-type=2`.
    #[default]
    V2,
}

impl fmt::Display for ListType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListType::V2 => f.write_str("2"),
        }
    }
}

/// The filters of an object listing, kept together so that every page of a listing is
/// asked for the same way (see [`all_objects`](super::all_objects)). The continuation
/// token is not here: it changes from page to page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListObjectsQuery {
    /// Only keys that start with this.
    pub prefix: Option<String>,
    /// Keys holding this after the prefix are rolled up into one
    /// [`CommonPrefix`] each (`/` lists one "directory" level).
    pub delimiter: Option<String>,
    /// At most this many keys and common prefixes per page (S3's default and maximum is
    /// 1000).
    pub max_keys: Option<u32>,
    /// Only keys after this one, in S3's order (UTF-8 bytes).
    pub start_after: Option<String>,
}

impl ListObjectsQuery {
    /// Every object of the bucket, in the store's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only keys starting with `prefix`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Roll up keys at `delimiter` (usually `/`) into common prefixes.
    pub fn delimiter(mut self, delimiter: impl Into<String>) -> Self {
        self.delimiter = Some(delimiter.into());
        self
    }

    /// Pages of at most `max_keys` entries.
    pub fn max_keys(mut self, max_keys: u32) -> Self {
        self.max_keys = Some(max_keys);
        self
    }

    /// Only keys after `key`.
    pub fn start_after(mut self, key: impl Into<String>) -> Self {
        self.start_after = Some(key.into());
        self
    }
}

/// One page of `GET /{bucket}?list-type=2`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListBucketResult {
    /// The bucket listed.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// The prefix asked for (empty when none).
    #[serde(rename = "Prefix")]
    pub prefix: Option<String>,
    /// The delimiter asked for.
    #[serde(rename = "Delimiter")]
    pub delimiter: Option<String>,
    /// The page size the store used.
    #[serde(rename = "MaxKeys")]
    pub max_keys: Option<u32>,
    /// How many keys and common prefixes this page holds.
    #[serde(rename = "KeyCount")]
    pub key_count: Option<u32>,
    /// Whether more pages follow. A store that leaves it out is read as "no".
    #[serde(rename = "IsTruncated", default)]
    pub is_truncated: bool,
    /// The token this page was asked for with.
    #[serde(rename = "ContinuationToken")]
    pub continuation_token: Option<String>,
    /// The token that fetches the next page, when [`is_truncated`](Self::is_truncated).
    #[serde(rename = "NextContinuationToken")]
    pub next_continuation_token: Option<String>,
    /// The `start-after` asked for.
    #[serde(rename = "StartAfter")]
    pub start_after: Option<String>,
    /// The objects of this page, in key order. An empty page has no `<Contents>`.
    #[serde(rename = "Contents", default)]
    pub contents: Vec<Object>,
    /// The prefixes rolled up at the delimiter.
    #[serde(rename = "CommonPrefixes", default)]
    pub common_prefixes: Vec<CommonPrefix>,
}

impl ListBucketResult {
    /// The token of the next page, or `None` when this page is the last. A page that says
    /// it is truncated but gives no token (or an empty one) also answers `None`;
    /// [`all_objects`](super::all_objects) reports that as an error instead of stopping
    /// early.
    pub fn next_token(&self) -> Option<&str> {
        if !self.is_truncated {
            return None;
        }
        self.next_continuation_token
            .as_deref()
            .filter(|token| !token.is_empty())
    }
}

text_enum! {
    /// How an object is stored, which sets its price and how fast it can be read back.
    /// Stores other than AWS use a few of these, or names of their own (kept in `Other`).
    pub enum StorageClass {
        /// The default: frequent access.
        Standard = "STANDARD",
        /// Fewer copies (an older class).
        ReducedRedundancy = "REDUCED_REDUNDANCY",
        /// Infrequent access.
        StandardIa = "STANDARD_IA",
        /// Infrequent access, in one zone.
        OnezoneIa = "ONEZONE_IA",
        /// Moved between tiers by how often it is read.
        IntelligentTiering = "INTELLIGENT_TIERING",
        /// Archived: read back only after a restore.
        Glacier = "GLACIER",
        /// Archived for the long term: read back only after a restore.
        DeepArchive = "DEEP_ARCHIVE",
        /// Archived, readable at once.
        GlacierIr = "GLACIER_IR",
    }
}

/// An object of a listing (S3's `<Contents>`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Object {
    /// The object's key, `/` and all.
    #[serde(rename = "Key")]
    pub key: String,
    /// When it was last written, as the store writes it (ISO 8601).
    #[serde(rename = "LastModified")]
    pub last_modified: Option<String>,
    /// Its entity tag, quotes included as S3 sends them (`"9b2cf535f27731c974343645a3985328"`).
    #[serde(rename = "ETag")]
    pub etag: Option<String>,
    /// Its size in bytes.
    #[serde(rename = "Size")]
    pub size: Option<u64>,
    /// Its storage class.
    #[serde(rename = "StorageClass")]
    pub storage_class: Option<StorageClass>,
    /// Its owner, when the listing was asked to include it.
    #[serde(rename = "Owner")]
    pub owner: Option<Owner>,
}

/// A prefix rolled up at the delimiter: one "directory" of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommonPrefix {
    /// The prefix, delimiter included (`photos/2024/`).
    #[serde(rename = "Prefix")]
    pub prefix: String,
}

/// Every page of a listing put together, by [`all_objects`](super::all_objects).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectListing {
    /// The objects of every page, in the order the pages gave them.
    pub objects: Vec<Object>,
    /// The common prefixes of every page, in the same order.
    pub common_prefixes: Vec<String>,
}

/// Where a copy comes from: the `x-amz-copy-source` header of
/// [`S3::copy_object`](super::S3::copy_object), written as `/{bucket}/{key}` with the
/// bucket and each `/`-separated piece of the key percent-encoded (everything but
/// `A–Z a–z 0–9 - . _ ~`), so that any key travels in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySource {
    /// The bucket copied from.
    pub bucket: String,
    /// The key copied from.
    pub key: String,
}

impl CopySource {
    /// The object `key` of `bucket`.
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        CopySource {
            bucket: bucket.into(),
            key: key.into(),
        }
    }
}

impl fmt::Display for CopySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::with_capacity(self.bucket.len() + self.key.len() + 8);
        text.push('/');
        push_encoded(&mut text, &self.bucket);
        for piece in self.key.split('/') {
            text.push('/');
            push_encoded(&mut text, piece);
        }
        f.write_str(&text)
    }
}

/// Appends `text` with every byte outside `A–Z a–z 0–9 - . _ ~` written as `%XX`.
fn push_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// The answer of [`S3::copy_object`](super::S3::copy_object).
///
/// S3 may accept a copy, answer `200 OK`, and only then fail it: the body is then an
/// `<Error>` instead of a `<CopyObjectResult>`. Such an answer does not decode as a
/// success: the call ends with [`Error::Decode`](signed_api::Error::Decode), whose
/// message holds the store's code and message.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "CopyObjectAnswer")]
pub struct CopyObjectResult {
    /// The entity tag of the new object, quotes included.
    pub etag: String,
    /// When the new object was written, as the store writes it (ISO 8601).
    pub last_modified: Option<String>,
}

/// The two bodies a copy's `200 OK` may have, told apart by the root element's name.
#[derive(Deserialize)]
enum CopyObjectAnswer {
    CopyObjectResult(CopiedObject),
    Error(StoreError),
}

#[derive(Deserialize)]
struct CopiedObject {
    #[serde(rename = "ETag")]
    etag: String,
    #[serde(rename = "LastModified")]
    last_modified: Option<String>,
}

#[derive(Deserialize)]
struct StoreError {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "Message")]
    message: Option<String>,
}

impl TryFrom<CopyObjectAnswer> for CopyObjectResult {
    type Error = String;

    fn try_from(answer: CopyObjectAnswer) -> Result<Self, String> {
        match answer {
            CopyObjectAnswer::CopyObjectResult(copied) => Ok(CopyObjectResult {
                etag: copied.etag,
                last_modified: copied.last_modified,
            }),
            CopyObjectAnswer::Error(error) => Err(format!(
                "the store answered 200 but the copy failed: {}: {}",
                error.code.as_deref().unwrap_or("no code"),
                error.message.as_deref().unwrap_or("no message")
            )),
        }
    }
}

/// The optional parts of an upload with
/// [`S3Client::put_object_with`](super::S3Client::put_object_with): its content type and
/// its user metadata (`x-amz-meta-*` headers, given back by `GET` and `HEAD`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutOptions {
    /// The `Content-Type` stored with the object (`application/octet-stream` when none).
    pub content_type: Option<String>,
    /// User metadata, by name without the `x-amz-meta-` prefix. Names are kept lower-case,
    /// as S3 stores them; values must be printable ASCII (S3 carries them in headers).
    pub metadata: BTreeMap<String, String>,
}

impl PutOptions {
    /// No content type, no metadata.
    pub fn new() -> Self {
        Self::default()
    }

    /// The object's content type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// One metadata entry, sent as `x-amz-meta-{name}`; the name is lower-cased, and a
    /// name given twice keeps the last value.
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata
            .insert(name.into().to_ascii_lowercase(), value.into());
        self
    }

    /// Refuses metadata that cannot travel as a header, before anything is sent: an empty
    /// name, a name outside `a–z 0–9 - _ .`, a value with a byte that is not printable
    /// ASCII (or a tab).
    pub(crate) fn check(&self) -> Result<()> {
        for (name, value) in &self.metadata {
            let name_ok = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if !name_ok {
                return Err(Error::InvalidRequest(format!(
                    "the metadata name {name:?} is not letters, digits, `-`, `_` and `.`"
                )));
            }
            if !value
                .bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
            {
                return Err(Error::InvalidRequest(format!(
                    "the value of metadata {name:?} is not printable ASCII, which S3 needs \
                     to carry it in a header"
                )));
            }
        }
        Ok(())
    }
}

/// What a store answers an upload, read from the headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PutObjectOutput {
    /// The new object's entity tag, quotes included (`ETag`).
    pub etag: Option<String>,
    /// The new version's id, in a bucket with versioning (`x-amz-version-id`).
    pub version_id: Option<String>,
}

impl PutObjectOutput {
    /// Reads the headers of an upload's answer (such as the `Response<()>` of
    /// [`S3::put_object`](super::S3::put_object)).
    pub fn from_response<T>(response: &Response<T>) -> Self {
        Self::from_headers(response.headers())
    }

    /// Reads an upload's answer headers.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        PutObjectOutput {
            etag: text(headers, "etag"),
            version_id: text(headers, "x-amz-version-id"),
        }
    }
}

/// What `HEAD /{bucket}/{key}` tells about an object, read from the headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectHead {
    /// The object's size in bytes (`Content-Length`).
    pub content_length: Option<u64>,
    /// Its entity tag, quotes included (`ETag`).
    pub etag: Option<String>,
    /// Its content type (`Content-Type`).
    pub content_type: Option<String>,
    /// When it was last written, as an HTTP date (`Last-Modified`:
    /// `Wed, 01 May 2024 09:30:00 GMT`).
    pub last_modified: Option<String>,
    /// The version's id, in a bucket with versioning (`x-amz-version-id`).
    pub version_id: Option<String>,
    /// Its user metadata: each `x-amz-meta-{name}` header, by lower-case name.
    pub metadata: BTreeMap<String, String>,
}

impl ObjectHead {
    /// Reads the headers of a `HEAD` (or `GET`) answer.
    pub fn from_response<T>(response: &Response<T>) -> Self {
        Self::from_headers(response.headers())
    }

    /// Reads an object's headers. A header that is not text, or a `Content-Length` that
    /// is not a number, is left out (`None`) rather than failing the call.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let metadata = headers
            .iter()
            .filter_map(|(name, value)| {
                let name = name.as_str().strip_prefix("x-amz-meta-")?;
                Some((name.to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        ObjectHead {
            content_length: text(headers, "content-length").and_then(|n| n.parse().ok()),
            etag: text(headers, "etag"),
            content_type: text(headers, "content-type"),
            last_modified: text(headers, "last-modified"),
            version_id: text(headers, "x-amz-version-id"),
            metadata,
        }
    }
}

/// What `HEAD /{bucket}` tells about a bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketHead {
    /// The region the bucket lives in (`x-amz-bucket-region`), when the store says.
    pub region: Option<String>,
}

impl BucketHead {
    /// Reads a bucket's headers.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        BucketHead {
            region: text(headers, "x-amz-bucket-region"),
        }
    }
}

/// A header's value, when present and text.
fn text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// The body of a bucket creation in `region`: S3's `CreateBucketConfiguration` with its
/// `LocationConstraint`. The region is checked (lower-case letters, digits, `-`), so it
/// needs no escaping.
pub(crate) fn create_bucket_configuration(region: &str) -> Result<String> {
    let plain = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !plain {
        return Err(Error::InvalidRequest(format!(
            "{region:?} is not a region name: only lower-case letters, digits and `-`, as in \
             `eu-west-3`"
        )));
    }
    Ok(format!(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_sources_encode_each_piece_and_keep_the_slashes() {
        let source = CopySource::new("my-bucket", "photos/2024/a b+é?#%.jpg");
        assert_eq!(
            source.to_string(),
            "/my-bucket/photos/2024/a%20b%2B%C3%A9%3F%23%25.jpg"
        );
        assert_eq!(
            CopySource::new("b", "/lead//x/").to_string(),
            "/b//lead//x/"
        );
        assert_eq!(CopySource::new("a/b", "k").to_string(), "/a%2Fb/k");
    }

    #[test]
    fn metadata_that_cannot_be_a_header_is_refused() {
        let fine = PutOptions::new()
            .metadata("Author", "Ada L.")
            .metadata("x_y.z", "");
        assert!(fine.check().is_ok());
        assert!(fine.metadata.contains_key("author"));
        for bad in [
            PutOptions::new().metadata("", "v"),
            PutOptions::new().metadata("a b", "v"),
            PutOptions::new().metadata("a:b", "v"),
            PutOptions::new().metadata("ok", "line\nbreak"),
            PutOptions::new().metadata("ok", "café"),
        ] {
            assert!(
                matches!(bad.check(), Err(Error::InvalidRequest(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_location_constraint_is_checked() {
        let body = create_bucket_configuration("eu-west-3").unwrap();
        assert!(body.contains("<LocationConstraint>eu-west-3</LocationConstraint>"));
        for bad in ["", "EU", "eu west", "a<b>", "gra/x"] {
            assert!(create_bucket_configuration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_truncated_page_without_a_token_has_no_next_token() {
        let page = ListBucketResult {
            name: None,
            prefix: None,
            delimiter: None,
            max_keys: None,
            key_count: None,
            is_truncated: true,
            continuation_token: None,
            next_continuation_token: Some(String::new()),
            start_after: None,
            contents: Vec::new(),
            common_prefixes: Vec::new(),
        };
        assert_eq!(page.next_token(), None);
        let page = ListBucketResult {
            next_continuation_token: Some("t".into()),
            ..page
        };
        assert_eq!(page.next_token(), Some("t"));
        let last = ListBucketResult {
            is_truncated: false,
            ..page
        };
        assert_eq!(last.next_token(), None);
    }
}
