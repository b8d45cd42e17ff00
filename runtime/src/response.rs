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
