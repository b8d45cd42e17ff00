//! How OVH answers errors, and how it says a timestamp was refused.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{ApiError, ApiErrorKind};
use crate::scheme::ResponseReader;

/// OVH's answers: errors as `{"errorCode", "message"}` with the query id in a header, and
/// `QUERY_TIME_OUT` for a refused timestamp.
#[derive(Debug, Clone, Copy, Default)]
pub struct OvhResponses;

impl ResponseReader for OvhResponses {
    /// OVH says `QUERY_TIME_OUT` ("Query out of time") when the timestamp is outside its
    /// window; any other refusal (a bad parameter, a bad signature) is final.
    fn is_clock_refusal(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> bool {
        if !matches!(status.as_u16(), 400 | 401 | 403) {
            return false;
        }
        serde_json::from_slice::<OvhErrorBody>(body).is_ok_and(|decoded| {
            decoded.error_code.as_deref() == Some("QUERY_TIME_OUT")
                || decoded
                    .message
                    .is_some_and(|message| message.to_ascii_lowercase().contains("out of time"))
        })
    }

    fn decode_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        error.request_id = headers
            .get("x-ovh-queryid")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        if let Ok(decoded) = serde_json::from_slice::<OvhErrorBody>(body) {
            error.code = decoded.error_code.or(decoded.class);
            error.message = decoded.message;
        }
        error.kind = match (status.as_u16(), error.code.as_deref()) {
            (403, Some("INVALID_KEY" | "INVALID_CREDENTIAL" | "NOT_CREDENTIAL")) => {
                ApiErrorKind::Authentication
            }
            (403, Some("NOT_GRANTED_CALL" | "FORBIDDEN")) => ApiErrorKind::Forbidden,
            _ => ApiErrorKind::from_status(status),
        };
        error
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OvhErrorBody {
    error_code: Option<String>,
    class: Option<String>,
    message: Option<String>,
}
