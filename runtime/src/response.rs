//! A decoded answer, for callers that need the status and headers as well as the body.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, excerpt};

/// A successful answer: status, headers and the body decoded as `T`.
#[derive(Debug, Clone)]
pub struct Response<T = Bytes> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status (always a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, by value.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response::new(self.status, self.headers, f(self.body))
    }
}

impl Response<Bytes> {
    /// Decodes the body as JSON. An empty body decodes as `null`, so `Option<T>` and `()`
    /// accept a 204.
    pub fn decode_json<T: DeserializeOwned>(self) -> Result<Response<T>> {
        let body = decode_json(self.status, &self.body)?;
        Ok(Response::new(self.status, self.headers, body))
    }

    /// Decodes the body as XML (S3 and AWS's query APIs) into `T`, whose field names are
    /// the element names (`#[serde(rename = "Key")]`). An empty body is an error.
    #[cfg(feature = "xml")]
    pub fn decode_xml<T: DeserializeOwned>(self) -> Result<Response<T>> {
        let body = decode_xml(self.status, &self.body)?;
        Ok(Response::new(self.status, self.headers, body))
    }

    /// The body as UTF-8 text.
    pub fn decode_text(self) -> Result<Response<String>> {
        let text = String::from_utf8(self.body.to_vec()).map_err(|e| Error::Decode {
            status: self.status,
            message: format!("the body is not UTF-8: {e}"),
            body_excerpt: excerpt(&self.body),
        })?;
        Ok(Response::new(self.status, self.headers, text))
    }
}

pub(crate) fn decode_json<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    let source: &[u8] = if body.trim_ascii().is_empty() {
        b"null"
    } else {
        body
    };
    serde_json::from_slice(source).map_err(|e| Error::Decode {
        status,
        message: e.to_string(),
        body_excerpt: excerpt(body),
    })
}

#[cfg(feature = "xml")]
pub(crate) fn decode_xml<T: DeserializeOwned>(status: StatusCode, body: &[u8]) -> Result<T> {
    let decode_error = |message: String| Error::Decode {
        status,
        message,
        body_excerpt: excerpt(body),
    };
    let text = std::str::from_utf8(body)
        .map_err(|e| decode_error(format!("the XML body is not UTF-8: {e}")))?;
    quick_xml::de::from_str(text).map_err(|e| decode_error(format!("invalid XML answer: {e}")))
}

#[cfg(all(test, feature = "xml"))]
mod xml_tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Listing {
        #[serde(rename = "Name")]
        name: String,
        #[serde(rename = "Contents", default)]
        contents: Vec<Entry>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Size")]
        size: u64,
    }

    #[test]
    fn xml_answers_decode_and_bad_ones_explain() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<Contents><Key>a &amp; b</Key><Size>3</Size></Contents><Contents><Key>c</Key><Size>0</Size></Contents>
</ListBucketResult>"#;
        let listing: Listing = decode_xml(StatusCode::OK, body).unwrap();
        assert_eq!(listing.name, "b");
        assert_eq!(listing.contents.len(), 2);
        assert_eq!(listing.contents[0].key, "a & b");
        for bad in [
            &b""[..],
            b"<ListBucketResult>",
            b"\xff<a/>",
            b"<a><Other/></a>",
        ] {
            assert!(
                decode_xml::<Listing>(StatusCode::OK, bad).is_err(),
                "{bad:?}"
            );
        }
    }
}
