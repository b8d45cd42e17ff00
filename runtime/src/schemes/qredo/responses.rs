//! How Qredo answers errors.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::ApiError;
use crate::scheme::ResponseReader;

/// Qredo's answers: errors as `{"code", "msg"}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct QredoResponses;

impl ResponseReader for QredoResponses {
    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        if let Ok(decoded) = serde_json::from_slice::<QredoErrorBody>(body) {
            error.code = decoded.msg;
            error.message = decoded.detail.and_then(|detail| detail.reason);
        }
        error
    }
}

#[derive(serde::Deserialize)]
pub(super) struct QredoErrorBody {
    msg: Option<String>,
    detail: Option<QredoErrorDetail>,
}

#[derive(serde::Deserialize)]
pub(super) struct QredoErrorDetail {
    reason: Option<String>,
}
