//! Objects: PutObject, CopyObject (a `PUT` with `x-amz-copy-source`), GetObject (whole,
//! or one byte range with 206), HeadObject and DeleteObject.
//!
//! Not checked: `Content-MD5` and the `x-amz-checksum-*` headers (the signature already
//! covers the body through `x-amz-content-sha256`); conditional requests (`If-Match`
//! and the like) are answered as if unconditional.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;

use super::errors::{S3Error, invalid_argument, not_implemented};
use super::md5;
use super::store::Object;
use super::target::{Query, percent_decode};
use super::xml::Xml;
use super::{S3Api, empty, iso8601_millis, xml_answer};
use crate::apis::lock;

/// The representation headers an object keeps from its upload and gives back, besides
/// its user metadata.
const KEPT_HEADERS: &[&str] = &[
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
];

/// The prefix of user metadata headers.
const METADATA: &str = "x-amz-meta-";

/// User metadata S3 takes per object: names (less the prefix) and values together.
const MAX_METADATA_BYTES: usize = 2048;

/// S3's type for an object uploaded without one.
const DEFAULT_CONTENT_TYPE: &str = "binary/octet-stream";

/// `PUT /bucket/key`: stores the body (CopyObject with `x-amz-copy-source`).
pub(super) fn put(
    api: &S3Api,
    bucket: &str,
    key: &str,
    query: &Query,
    headers: &HeaderMap,
    body: &Bytes,
    now: i64,
) -> Result<Response, S3Error> {
    query.only(&[], false)?;
    if headers.contains_key("x-amz-copy-source") {
        return copy(api, bucket, key, headers, now);
    }
    let object = Object {
        // Its own buffer, of its size: the request's may be larger than what it holds.
        body: Bytes::copy_from_slice(body),
        etag: md5::etag(body),
        modified: now,
        headers: kept_headers(headers)?,
    };
    let etag = HeaderValue::from_str(&object.etag);
    lock(&api.store).put(bucket, key, object)?;
    let mut response = empty(StatusCode::OK);
    if let Ok(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// CopyObject: the source's bytes under a new key, with the source's headers
/// (`x-amz-metadata-directive: COPY`, the default) or the request's (`REPLACE`).
fn copy(
    api: &S3Api,
    bucket: &str,
    key: &str,
    headers: &HeaderMap,
    now: i64,
) -> Result<Response, S3Error> {
    let source = headers
        .get("x-amz-copy-source")
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| invalid_argument("Invalid copy source encoding"))?;
    let (source_bucket, source_key) = copy_source(source)?;
    let replace = match headers
        .get("x-amz-metadata-directive")
        .map(HeaderValue::as_bytes)
    {
        None | Some(b"COPY") => false,
        Some(b"REPLACE") => true,
        Some(_) => return Err(invalid_argument("Unknown metadata directive.")),
    };
    if (source_bucket.as_str(), source_key.as_str()) == (bucket, key) && !replace {
        return Err(S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "This copy request is illegal because it is trying to copy an object to itself \
             without changing the object's metadata.",
        ));
    }
    let replaced = if replace {
        Some(kept_headers(headers)?)
    } else {
        None
    };
    let mut store = lock(&api.store);
    let original = store.object(&source_bucket, &source_key)?;
    let copy = Object {
        body: original.body.clone(),
        etag: original.etag.clone(),
        modified: now,
        headers: replaced.unwrap_or_else(|| original.headers.clone()),
    };
    let etag = copy.etag.clone();
    store.put(bucket, key, copy)?;
    drop(store);
    let document = Xml::new()
        .root("CopyObjectResult")
        .text("LastModified", &iso8601_millis(now))
        .text("ETag", &etag)
        .close("CopyObjectResult")
        .finish();
    Ok(xml_answer(document))
}

/// `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded.
fn copy_source(value: &str) -> Result<(String, String), S3Error> {
    let value = value.strip_prefix('/').unwrap_or(value);
    if value.contains('?') {
        return Err(not_implemented(
            "object versions (x-amz-copy-source with versionId)",
        ));
    }
    let decoded =
        percent_decode(value).map_err(|_| invalid_argument("Invalid copy source encoding"))?;
    match decoded.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => {
            Ok((bucket.to_owned(), key.to_owned()))
        }
        _ => Err(invalid_argument(
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
        )),
    }
}

/// The headers of `headers` an object keeps, within S3's bound on user metadata.
fn kept_headers(headers: &HeaderMap) -> Result<Vec<(HeaderName, HeaderValue)>, S3Error> {
    let mut kept = Vec::new();
    let mut metadata = 0usize;
    for (name, value) in headers {
        if let Some(short) = name.as_str().strip_prefix(METADATA) {
            metadata = metadata.saturating_add(short.len() + value.len());
        } else if !KEPT_HEADERS.contains(&name.as_str()) {
            continue;
        }
        kept.push((name.clone(), value.clone()));
    }
    if metadata > MAX_METADATA_BYTES {
        return Err(S3Error::new(
            StatusCode::BAD_REQUEST,
            "MetadataTooLarge",
            format!(
                "Your metadata headers exceed the maximum allowed metadata size ({MAX_METADATA_BYTES} bytes)"
            ),
        ));
    }
    Ok(kept)
}

/// `GET` or `HEAD /bucket/key`: the object's headers, and for `GET` its bytes (one range
/// of them when `Range` asks for one). A presigned `GET` may set some of the answer's
/// headers with `response-content-type` and the like.
pub(super) fn get(
    api: &S3Api,
    bucket: &str,
    key: &str,
    query: &Query,
    headers: &HeaderMap,
    head: bool,
) -> Result<Response, S3Error> {
    query.only(&[], true)?;
    let object = lock(&api.store).object(bucket, key)?.clone();
    let total = object.body.len();
    let range = match headers.get(header::RANGE).map(HeaderValue::to_str) {
        Some(Ok(range)) => parse_range(range, total)?,
        _ => None,
    };
    let body = match range {
        Some((first, last)) => object.body.slice(first..=last),
        None => object.body.clone(),
    };
    let length = body.len();
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    let answer = response.headers_mut();
    for (name, value) in &object.headers {
        answer.append(name.clone(), value.clone());
    }
    if !answer.contains_key(header::CONTENT_TYPE) {
        answer.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(DEFAULT_CONTENT_TYPE),
        );
    }
    answer.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    answer.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(etag) = HeaderValue::from_str(&object.etag) {
        answer.insert(header::ETAG, etag);
    }
    if let Ok(modified) = HeaderValue::from_str(&http_date(object.modified)) {
        answer.insert(header::LAST_MODIFIED, modified);
    }
    if let Some((first, last)) = range {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        if let Ok(range) = HeaderValue::from_str(&format!("bytes {first}-{last}/{total}")) {
            response.headers_mut().insert(header::CONTENT_RANGE, range);
        }
    }
    for (name, value) in query.responses() {
        let known = KEPT_HEADERS.iter().find(|kept| **kept == name);
        let (Some(name), Ok(value)) = (known, HeaderValue::from_str(value)) else {
            return Err(invalid_argument(format!(
                "response-{name} is not a header S3 lets a request set, or its value is not one"
            )));
        };
        response
            .headers_mut()
            .insert(HeaderName::from_static(name), value);
    }
    Ok(response)
}

/// `DELETE /bucket/key`: 204, whether the object was there or not.
pub(super) fn delete(
    api: &S3Api,
    bucket: &str,
    key: &str,
    query: &Query,
) -> Result<Response, S3Error> {
    query.only(&[], false)?;
    lock(&api.store).delete(bucket, key)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

/// One byte range, `bytes=first-last`, `bytes=first-` or `bytes=-length`, as the inclusive
/// bounds it gives in an object of `total` bytes. `None` for a header that is not one such
/// range (several ranges, another unit, a malformed one): it is ignored and the whole
/// object sent, as HTTP allows. A range that starts past the end is refused (416).
fn parse_range(value: &str, total: usize) -> Result<Option<(usize, usize)>, S3Error> {
    let Some((first, last)) = value
        .trim()
        .strip_prefix("bytes=")
        .and_then(|spec| spec.split_once('-'))
    else {
        return Ok(None);
    };
    let number = |text: &str| -> Option<Option<u64>> {
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // More digits than a u64 holds: past any end.
        Some(Some(text.parse().unwrap_or(u64::MAX)))
    };
    let (Some(first), Some(last)) = (number(first), number(last)) else {
        return Ok(None);
    };
    let total_u64 = total as u64;
    let unsatisfiable = || {
        S3Error::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "InvalidRange",
            "The requested range is not satisfiable",
        )
        .with("RangeRequested", value)
        .with("ActualObjectSize", total.to_string())
    };
    let (first, last) = match (first, last) {
        (None, None) => return Ok(None),
        (None, Some(length)) => {
            if length == 0 || total == 0 {
                return Err(unsatisfiable());
            }
            (total_u64 - length.min(total_u64), total_u64 - 1)
        }
        (Some(first), last) => {
            let last = last.unwrap_or(u64::MAX);
            if last < first {
                return Ok(None);
            }
            if first >= total_u64 {
                return Err(unsatisfiable());
            }
            (first, last.min(total_u64 - 1))
        }
    };
    // Both are below `total`, a `usize`.
    Ok(Some((
        usize::try_from(first).unwrap_or(0),
        usize::try_from(last).unwrap_or(0),
    )))
}

/// `Last-Modified`'s form of a Unix time.
fn http_date(unix: i64) -> String {
    let seconds = u64::try_from(unix).unwrap_or(0);
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_read_and_any_other_form_ignored() {
        let range = |value: &str| parse_range(value, 10).map_err(|e| e.code());
        assert_eq!(range("bytes=0-3"), Ok(Some((0, 3))));
        assert_eq!(range("bytes=2-"), Ok(Some((2, 9))));
        assert_eq!(range("bytes=5-100"), Ok(Some((5, 9))));
        assert_eq!(range("bytes=-4"), Ok(Some((6, 9))));
        assert_eq!(range("bytes=-40"), Ok(Some((0, 9))));
        assert_eq!(range("bytes=9-9"), Ok(Some((9, 9))));
        assert_eq!(range("bytes=0-99999999999999999999999"), Ok(Some((0, 9))));
        for ignored in [
            "items=0-1",
            "bytes=0-1,3-4",
            "bytes=3-1",
            "bytes=a-1",
            "bytes=-",
            "bytes=1",
        ] {
            assert_eq!(range(ignored), Ok(None), "{ignored}");
        }
        for refused in [
            "bytes=10-",
            "bytes=10-20",
            "bytes=-0",
            "bytes=99999999999999999999-",
        ] {
            assert_eq!(range(refused), Err("InvalidRange"), "{refused}");
        }
        assert_eq!(
            parse_range("bytes=-1", 0).map_err(|e| e.code()),
            Err("InvalidRange")
        );
    }

    #[test]
    fn copy_sources_name_a_bucket_and_a_key() {
        assert_eq!(
            copy_source("/b/a%2Fb%20c").unwrap(),
            ("b".to_owned(), "a/b c".to_owned())
        );
        assert_eq!(
            copy_source("b/a/b").unwrap(),
            ("b".to_owned(), "a/b".to_owned())
        );
        for bad in ["b", "/b/", "//k", "b/%zz"] {
            assert_eq!(
                copy_source(bad).unwrap_err().code(),
                "InvalidArgument",
                "{bad}"
            );
        }
        assert_eq!(
            copy_source("b/k?versionId=1").unwrap_err().code(),
            "NotImplemented"
        );
    }

    #[test]
    fn user_metadata_is_kept_within_its_bound() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("text/plain"));
        headers.insert("x-amz-meta-colour", HeaderValue::from_static("blue"));
        headers.insert("x-amz-date", HeaderValue::from_static("20240101T000000Z"));
        let kept = kept_headers(&headers).unwrap();
        let names: Vec<&str> = kept.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["content-type", "x-amz-meta-colour"]);
        let large = "x".repeat(MAX_METADATA_BYTES);
        headers.insert("x-amz-meta-large", HeaderValue::from_str(&large).unwrap());
        assert_eq!(
            kept_headers(&headers).unwrap_err().code(),
            "MetadataTooLarge"
        );
    }
}
