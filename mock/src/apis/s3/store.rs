//! What S3 keeps: buckets, and in each its objects by key, in UTF-8 byte order (the order
//! S3 lists them in, and `String`'s). Bounded three ways: buckets and objects (all
//! buckets together) by `Limits::max_items` each, and the bytes of all objects by
//! `Limits::max_stored_bytes`; past a bound a write is refused and nothing is evicted.

use std::collections::BTreeMap;

use axum::http::{HeaderName, HeaderValue, StatusCode};
use bytes::Bytes;

use super::errors::{S3Error, no_such_bucket, no_such_key};
use crate::reply::store_full;

pub(super) struct Store {
    pub(super) buckets: BTreeMap<String, Bucket>,
    /// Objects kept, all buckets together, and their bytes.
    objects: usize,
    bytes: usize,
    max_items: usize,
    max_bytes: usize,
}

pub(super) struct Bucket {
    /// When it was created (Unix seconds).
    pub(super) created: i64,
    pub(super) objects: BTreeMap<String, Object>,
}

#[derive(Debug, Clone)]
pub(super) struct Object {
    /// The bytes. A copy shares them with its source (they are counted for both).
    pub(super) body: Bytes,
    /// The MD5 of the bytes, quoted.
    pub(super) etag: String,
    /// When it was last written (Unix seconds).
    pub(super) modified: i64,
    /// The headers given at upload that S3 gives back: `Content-Type` and the other
    /// representation headers, and the user metadata (`x-amz-meta-*`).
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
}

impl Store {
    pub(super) fn new(max_items: usize, max_bytes: usize) -> Self {
        Store {
            buckets: BTreeMap::new(),
            objects: 0,
            bytes: 0,
            max_items,
            max_bytes,
        }
    }

    pub(super) fn bucket(&self, name: &str) -> Result<&Bucket, S3Error> {
        self.buckets.get(name).ok_or_else(|| no_such_bucket(name))
    }

    pub(super) fn object(&self, bucket: &str, key: &str) -> Result<&Object, S3Error> {
        self.bucket(bucket)?
            .objects
            .get(key)
            .ok_or_else(|| no_such_key(key))
    }

    pub(super) fn create_bucket(&mut self, name: &str, now: i64) -> Result<(), S3Error> {
        check_bucket_name(name)?;
        if self.buckets.contains_key(name) {
            return Err(S3Error::new(
                StatusCode::CONFLICT,
                "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.",
            )
            .with("BucketName", name));
        }
        if self.buckets.len() >= self.max_items {
            return Err(S3Error::new(
                StatusCode::BAD_REQUEST,
                "TooManyBuckets",
                store_full("buckets", self.max_items),
            ));
        }
        self.buckets.insert(
            name.to_owned(),
            Bucket {
                created: now,
                objects: BTreeMap::new(),
            },
        );
        Ok(())
    }

    pub(super) fn delete_bucket(&mut self, name: &str) -> Result<(), S3Error> {
        let bucket = self.bucket(name)?;
        if !bucket.objects.is_empty() {
            return Err(S3Error::new(
                StatusCode::CONFLICT,
                "BucketNotEmpty",
                "The bucket you tried to delete is not empty",
            )
            .with("BucketName", name));
        }
        self.buckets.remove(name);
        Ok(())
    }

    /// Stores `object` under `key`, replacing what was there, within the bounds.
    pub(super) fn put(&mut self, bucket: &str, key: &str, object: Object) -> Result<(), S3Error> {
        let (objects, bytes, max_items, max_bytes) =
            (self.objects, self.bytes, self.max_items, self.max_bytes);
        let kept = self
            .buckets
            .get_mut(bucket)
            .ok_or_else(|| no_such_bucket(bucket))?;
        let replaced = kept.objects.get(key).map(|old| old.body.len());
        let full = |what: &str, max: usize| {
            S3Error::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "InsufficientStorage",
                store_full(what, max),
            )
        };
        if replaced.is_none() && objects >= max_items {
            return Err(full("objects", max_items));
        }
        let after = bytes
            .saturating_sub(replaced.unwrap_or(0))
            .saturating_add(object.body.len());
        if after > max_bytes {
            return Err(full("bytes of object data", max_bytes));
        }
        self.bytes = after;
        self.objects += usize::from(replaced.is_none());
        kept.objects.insert(key.to_owned(), object);
        Ok(())
    }

    /// Removes an object; removing one that is not there is no error, as on S3.
    pub(super) fn delete(&mut self, bucket: &str, key: &str) -> Result<(), S3Error> {
        let kept = self
            .buckets
            .get_mut(bucket)
            .ok_or_else(|| no_such_bucket(bucket))?;
        if let Some(old) = kept.objects.remove(key) {
            self.objects = self.objects.saturating_sub(1);
            self.bytes = self.bytes.saturating_sub(old.body.len());
        }
        Ok(())
    }
}

/// S3's rule for new bucket names: 3 to 63 characters, lower-case letters, digits, `.`
/// and `-`, a letter or digit first and last, no two `.` in a row (the name goes into a
/// host name with virtual-hosted addressing).
pub(super) fn check_bucket_name(name: &str) -> Result<(), S3Error> {
    let bytes = name.as_bytes();
    let edge =
        |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let valid = (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
        && edge(bytes.first())
        && edge(bytes.last())
        && !name.contains("..");
    if valid {
        Ok(())
    } else {
        Err(S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidBucketName",
            "The specified bucket is not valid: 3 to 63 lower-case letters, digits, `.` and \
             `-`, starting and ending with a letter or digit",
        )
        .with("BucketName", name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(bytes: &'static [u8]) -> Object {
        Object {
            body: Bytes::from_static(bytes),
            etag: String::new(),
            modified: 0,
            headers: Vec::new(),
        }
    }

    #[test]
    fn bucket_names_follow_s3_s_rule() {
        for good in ["abc", "my-bucket.2024", "a".repeat(63).as_str(), "0-0"] {
            assert!(check_bucket_name(good).is_ok(), "{good}");
        }
        for bad in [
            "ab",
            "a".repeat(64).as_str(),
            "Bucket",
            "-abc",
            "abc-",
            ".abc",
            "a..b",
            "a_b",
            "a b",
            "ébc",
        ] {
            let error = check_bucket_name(bad).unwrap_err();
            assert_eq!(error.code(), "InvalidBucketName", "{bad}");
        }
    }

    #[test]
    fn objects_and_bytes_are_bounded_and_replacing_counts_the_difference() {
        let mut store = Store::new(2, 10);
        store.create_bucket("one", 0).unwrap();
        store.create_bucket("two", 0).unwrap();
        assert_eq!(
            store.create_bucket("three", 0).unwrap_err().code(),
            "TooManyBuckets"
        );
        assert_eq!(
            store.create_bucket("one", 0).unwrap_err().code(),
            "BucketAlreadyOwnedByYou"
        );
        store.put("one", "a", object(b"12345")).unwrap();
        store.put("two", "b", object(b"1234")).unwrap();
        assert_eq!(
            store.put("one", "c", object(b"")).unwrap_err().code(),
            "InsufficientStorage",
            "two objects at most"
        );
        assert_eq!(
            store
                .put("one", "a", object(b"1234567"))
                .unwrap_err()
                .code(),
            "InsufficientStorage",
            "ten bytes at most"
        );
        store.put("one", "a", object(b"123456")).unwrap();
        assert_eq!((store.objects, store.bytes), (2, 10));
        assert_eq!(
            store.delete_bucket("one").unwrap_err().code(),
            "BucketNotEmpty"
        );
        store.delete("one", "a").unwrap();
        store.delete("one", "a").unwrap();
        assert_eq!((store.objects, store.bytes), (1, 4));
        store.delete_bucket("one").unwrap();
        assert_eq!(store.delete("one", "a").unwrap_err().code(), "NoSuchBucket");
        assert_eq!(store.object("two", "x").unwrap_err().code(), "NoSuchKey");
    }
}
