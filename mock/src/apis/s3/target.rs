//! What a request names, path-style: the service (`/`), a bucket (`/bucket`) or an
//! object (`/bucket/key`), and the query parameters it gives.
//!
//! The key is everything after the bucket's `/`, percent-decoded: a client that encodes
//! the key as one segment (`a%2Fb`) and one that keeps its `/` (`a/b`) name the same
//! object, as on S3. The signature was checked over the path as sent; decoding comes
//! after, and only to find the object.

use axum::http::StatusCode;

use super::errors::{S3Error, invalid_argument};

/// The longest key S3 takes, in bytes of UTF-8.
pub(super) const MAX_KEY_BYTES: usize = 1024;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// `/`: the account's buckets.
    Service,
    /// `/bucket` or `/bucket/`.
    Bucket(String),
    /// `/bucket/key…`.
    Object { bucket: String, key: String },
}

impl Target {
    /// Reads `path`, relative to `/s3` and as sent.
    pub(super) fn parse(path: &str) -> Result<Target, S3Error> {
        let path = path.strip_prefix('/').unwrap_or(path);
        if path.is_empty() {
            return Ok(Target::Service);
        }
        let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
        let bucket = percent_decode(bucket)?;
        if key.is_empty() {
            return Ok(Target::Bucket(bucket));
        }
        let key = percent_decode(key)?;
        if key.len() > MAX_KEY_BYTES {
            return Err(S3Error::new(
                StatusCode::BAD_REQUEST,
                "KeyTooLongError",
                format!("Your key is too long: the most S3 takes is {MAX_KEY_BYTES} bytes"),
            ));
        }
        Ok(Target::Object { bucket, key })
    }
}

/// `%XX` escapes to bytes, which must then be UTF-8. A `%` not followed by two hex digits
/// is refused rather than guessed at.
pub(super) fn percent_decode(text: &str) -> Result<String, S3Error> {
    let invalid = || {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidURI",
            "Couldn't parse the specified URI.",
        )
    };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'%' {
            let hex = bytes.get(at + 1..at + 3).ok_or_else(invalid)?;
            let hex = std::str::from_utf8(hex).map_err(|_| invalid())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| invalid())?);
            at += 3;
        } else {
            out.push(byte);
            at += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid())
}

/// The query's parameters, decoded, less those of a presigned URL (`X-Amz-*`, which the
/// verifier has read) and `x-id`, which AWS's SDKs add to name the operation.
#[derive(Debug, Default)]
pub(super) struct Query(Vec<(String, String)>);

impl Query {
    /// Refuses a parameter given twice: the request would mean two things.
    pub(super) fn parse(query: Option<&str>) -> Result<Query, S3Error> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let ignored = name
                .get(..6)
                .is_some_and(|start| start.eq_ignore_ascii_case("x-amz-"))
                || name == "x-id";
            if ignored {
                continue;
            }
            if pairs.iter().any(|(seen, _)| *seen == name) {
                return Err(invalid_argument(format!(
                    "The query parameter {name} is given more than once"
                )));
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        Ok(Query(pairs))
    }

    /// A parameter's value; `Some("")` for a name given without one (`?location`).
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(own, _)| own == name)
            .map(|(_, value)| value.as_str())
    }

    /// Refuses any parameter but `known` (and `response-*` where `responses` is set): a
    /// sub-resource the mock does not have (`?acl`, `?tagging`, `?uploads`) must not be
    /// taken for the plain request on the same path.
    pub(super) fn only(&self, known: &[&str], responses: bool) -> Result<(), S3Error> {
        let allowed =
            |name: &str| known.contains(&name) || (responses && name.starts_with("response-"));
        let unknown = self.0.iter().find(|(name, _)| !allowed(name));
        match unknown {
            Some((name, _)) => Err(super::errors::not_implemented(&format!(
                "the query parameter `{name}` here"
            ))),
            None => Ok(()),
        }
    }

    /// The `response-*` parameters: headers a presigned GET asks the answer to carry.
    pub(super) fn responses(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.strip_prefix("response-")?, value.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_service_a_bucket_or_an_object() {
        assert_eq!(Target::parse("/").unwrap(), Target::Service);
        assert_eq!(Target::parse("").unwrap(), Target::Service);
        assert_eq!(Target::parse("/b").unwrap(), Target::Bucket("b".to_owned()));
        assert_eq!(
            Target::parse("/b/").unwrap(),
            Target::Bucket("b".to_owned())
        );
        let object = |key: &str| Target::Object {
            bucket: "b".to_owned(),
            key: key.to_owned(),
        };
        assert_eq!(Target::parse("/b/a%2Fb%20c").unwrap(), object("a/b c"));
        assert_eq!(Target::parse("/b/a/b%20c").unwrap(), object("a/b c"));
        assert_eq!(Target::parse("/b/%C3%A9t%C3%A9").unwrap(), object("été"));
        assert_eq!(Target::parse("/b//x/").unwrap(), object("/x/"));
        for bad in ["/b/%", "/b/%4", "/b/%zz", "/b/%C3", "/b/%FF"] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
        let long = format!("/b/{}", "k".repeat(MAX_KEY_BYTES + 1));
        assert_eq!(Target::parse(&long).unwrap_err().code(), "KeyTooLongError");
    }

    #[test]
    fn queries_leave_out_the_presigned_parameters_and_refuse_repeats() {
        let query = Query::parse(Some(
            "list-type=2&prefix=a%2Fb&X-Amz-Date=1&x-id=ListObjectsV2&location",
        ))
        .unwrap();
        assert_eq!(query.get("prefix"), Some("a/b"));
        assert_eq!(query.get("location"), Some(""));
        assert_eq!(query.get("X-Amz-Date"), None);
        assert!(
            query
                .only(&["list-type", "prefix", "location"], false)
                .is_ok()
        );
        assert_eq!(
            query.only(&["list-type"], false).unwrap_err().code(),
            "NotImplemented"
        );
        assert!(Query::parse(Some("prefix=a&prefix=b")).is_err());
        let presigned = Query::parse(Some("response-content-type=text%2Fplain")).unwrap();
        assert!(presigned.only(&[], true).is_ok());
        assert!(presigned.only(&[], false).is_err());
        assert_eq!(
            presigned.responses().collect::<Vec<_>>(),
            vec![("content-type", "text/plain")]
        );
    }
}
