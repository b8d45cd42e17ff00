//! How nOps answers: errors in Django REST Framework's shape, and a bad key sometimes as
//! an HTML page with status 200.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{ApiError, ApiErrorKind, Error, Result};
use crate::scheme::ResponseReader;

/// nOps' answers: a 200 that is an HTML page is a refused key, and a 403's `detail` says whether
/// the key or a permission was refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct NopsResponses;

impl ResponseReader for NopsResponses {
    fn check_success(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<()> {
        let html_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.to_ascii_lowercase().contains("text/html"));
        let html_body = body.trim_ascii_start().starts_with(b"<");
        if html_type || html_body {
            let mut error = ApiError::new(status, body);
            error.kind = ApiErrorKind::Authentication;
            error.code = Some("html_response".into());
            error.message = Some(
                "nOps answered with an HTML page instead of JSON: the API key is probably \
                 invalid or lacks access"
                    .into(),
            );
            return Err(Error::Api(Box::new(error)));
        }
        Ok(())
    }

    fn decode_error(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        if let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(body) {
            error.message = ["detail", "message", "error", "errors"]
                .iter()
                .find_map(|key| object.get(*key))
                .map(|value| match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                });
        }
        // nOps is a Django REST Framework service: a refused key or signature comes back
        // as 403 with an authentication message, a refused permission as 403 without one.
        if status == StatusCode::FORBIDDEN
            && error
                .message
                .as_deref()
                .is_some_and(is_about_authentication)
        {
            error.kind = ApiErrorKind::Authentication;
        }
        error
    }
}

fn is_about_authentication(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    ["authentication", "signature", "api key", "api_key"]
        .iter()
        .any(|word| message.contains(word))
}
