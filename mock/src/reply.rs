//! Small helpers to answer JSON and to read JSON bodies, shared by the four APIs.

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

/// Reads a JSON body into `T`; the error says what is wrong, for a 400 answer.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, String> {
    if body.is_empty() {
        return Err("a JSON body is required".into());
    }
    serde_json::from_slice(body).map_err(|e| format!("invalid JSON body: {e}"))
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
