//! How Armor answers errors.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::ApiError;
use crate::scheme::ResponseReader;

/// Armor's answers: errors as `{"message"}` or `{"errors": [...]}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArmorResponses;

impl ResponseReader for ArmorResponses {
    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        if let Ok(decoded) = serde_json::from_slice::<ArmorErrorBody>(body) {
            error.code = decoded.error;
            error.message = decoded.message.or(decoded.error_description);
        }
        error
    }
}

#[derive(serde::Deserialize)]
pub(super) struct ArmorErrorBody {
    #[serde(rename = "Message", alias = "message")]
    message: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}
