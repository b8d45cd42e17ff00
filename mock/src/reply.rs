//! Small helpers to answer JSON and to read JSON bodies, shared by the JSON APIs.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;

/// A JSON answer with `status`.
pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A 200 JSON answer.
pub(crate) fn ok(value: &serde_json::Value) -> Response {
    json(StatusCode::OK, value)
}

/// The largest JSON body a handler reads. Every handler that parses a body keeps (part
/// of) it, so this bounds what one stored item holds; `Limits::max_items` bounds how many
/// there are.
pub(crate) const JSON_BODY_LIMIT: usize = 64 * 1024;

/// Why a JSON body was refused: the status (400, or 413 over [`JSON_BODY_LIMIT`]) and
/// what is wrong, for the API's error shape.
#[derive(Debug)]
pub(crate) struct BadBody {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
}

/// Reads a JSON body of at most [`JSON_BODY_LIMIT`] bytes into `T`.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, BadBody> {
    let bad = |message: String| BadBody {
        status: StatusCode::BAD_REQUEST,
        message,
    };
    if body.len() > JSON_BODY_LIMIT {
        return Err(BadBody {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("a JSON body is at most {JSON_BODY_LIMIT} bytes here"),
        });
    }
    if body.is_empty() {
        return Err(bad("a JSON body is required".into()));
    }
    serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

/// What an API answers, with 507, when a kind of item it keeps is at `max`.
pub(crate) fn store_full(what: &str, max: usize) -> String {
    format!("the mock keeps at most {max} {what}; delete some or restart it")
}

/// The value of one query parameter of `query` (the raw query string), decoded.
pub(crate) fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Whether `text` is a `YYYY-MM-DD` date (digits in place; the calendar is not checked).
pub(crate) fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_decoded() {
        let query = Some("a=1&name=x%20y%26z&plus=a+b&bad=%zz&end=%4&utf=%C3%A9%");
        assert_eq!(query_param(query, "name").as_deref(), Some("x y&z"));
        assert_eq!(query_param(query, "plus").as_deref(), Some("a b"));
        assert_eq!(query_param(query, "bad").as_deref(), Some("%zz"));
        assert_eq!(query_param(query, "end").as_deref(), Some("%4"));
        assert_eq!(query_param(query, "utf").as_deref(), Some("é%"));
        assert_eq!(query_param(query, "missing"), None);
        assert_eq!(query_param(None, "a"), None);
    }
}
