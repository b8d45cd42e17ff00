//! How AWS and S3-compatible stores answer errors: S3 and the query APIs in XML
//! (`<Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>`), the JSON
//! APIs as `{"__type": …, "message": …}`, the request id in a header as well.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{ApiError, ApiErrorKind};
use crate::scheme::ResponseReader;

/// AWS's answers, XML or JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sigv4Responses;

impl ResponseReader for Sigv4Responses {
    /// S3 says `RequestTimeTooSkewed`; the JSON APIs say "Signature expired". Both mean
    /// the request was refused before it was carried out.
    fn is_clock_refusal(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> bool {
        if !matches!(status.as_u16(), 400 | 401 | 403) {
            return false;
        }
        let error = self.decode_error(status, headers, body);
        error.code.as_deref() == Some("RequestTimeTooSkewed")
            || error
                .message
                .is_some_and(|message| message.starts_with("Signature expired"))
    }

    fn decode_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
        let mut error = ApiError::new(status, body);
        let text = String::from_utf8_lossy(body);
        let text = text.trim_start();
        if text.starts_with('<') {
            error.code = element_text(text, "Code");
            error.message = element_text(text, "Message");
            error.request_id = element_text(text, "RequestId");
        } else if let Ok(json) = serde_json::from_str::<JsonError>(text) {
            // `__type` may be `namespace#Code`.
            error.code = json
                .kind
                .or(json.code)
                .map(|kind| kind.rsplit('#').next().unwrap_or_default().to_owned());
            error.message = json.message.or(json.message_capitalised);
        }
        if error.request_id.is_none() {
            error.request_id = ["x-amz-request-id", "x-amzn-requestid"]
                .iter()
                .find_map(|name| headers.get(*name)?.to_str().ok())
                .map(str::to_owned);
        }
        error.kind = kind_of(status, error.code.as_deref());
        error
    }
}

/// The kind an AWS error code means, beyond what the status says.
fn kind_of(status: StatusCode, code: Option<&str>) -> ApiErrorKind {
    match code {
        Some(
            "SignatureDoesNotMatch"
            | "InvalidAccessKeyId"
            | "InvalidClientTokenId"
            | "ExpiredToken"
            | "InvalidToken"
            | "TokenRefreshRequired"
            | "RequestTimeTooSkewed"
            | "IncompleteSignature"
            | "MissingAuthenticationToken"
            | "AuthorizationHeaderMalformed"
            | "InvalidSignatureException"
            | "UnrecognizedClientException",
        ) => ApiErrorKind::Authentication,
        Some("AccessDenied" | "AccessDeniedException") => ApiErrorKind::Forbidden,
        Some("NoSuchKey" | "NoSuchBucket" | "NoSuchUpload" | "ResourceNotFoundException") => {
            ApiErrorKind::NotFound
        }
        Some("SlowDown" | "Throttling" | "ThrottlingException" | "TooManyRequestsException") => {
            ApiErrorKind::RateLimited
        }
        Some("BucketAlreadyExists" | "BucketAlreadyOwnedByYou" | "BucketNotEmpty") => {
            ApiErrorKind::Conflict
        }
        _ => ApiErrorKind::from_status(status),
    }
}

#[derive(serde::Deserialize)]
struct JsonError {
    #[serde(rename = "__type")]
    kind: Option<String>,
    code: Option<String>,
    message: Option<String>,
    #[serde(rename = "Message")]
    message_capitalised: Option<String>,
}

/// The text of the first `<tag>…</tag>` holding text only, with XML's five entities
/// decoded. Enough for an error body's flat fields; the typed clients decode whole
/// documents with a real XML reader.
pub(crate) fn element_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let length = xml[start..].find(&close)?;
    let raw = &xml[start..start + length];
    if raw.contains('<') {
        return None;
    }
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_errors_are_read_from_xml() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The key &lt;a&gt; does not exist</Message><RequestId>R1</RequestId></Error>"#;
        let error = Sigv4Responses.decode_error(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
        assert_eq!(error.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(error.message.as_deref(), Some("The key <a> does not exist"));
        assert_eq!(error.request_id.as_deref(), Some("R1"));
        assert_eq!(error.kind, ApiErrorKind::NotFound);
    }

    #[test]
    fn json_errors_and_header_request_ids() {
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-requestid", "R2".parse().unwrap());
        let body = br#"{"__type":"com.amazon#InvalidSignatureException","message":"Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z"}"#;
        let error = Sigv4Responses.decode_error(StatusCode::FORBIDDEN, &headers, body);
        assert_eq!(error.code.as_deref(), Some("InvalidSignatureException"));
        assert_eq!(error.request_id.as_deref(), Some("R2"));
        assert_eq!(error.kind, ApiErrorKind::Authentication);
        assert!(Sigv4Responses.is_clock_refusal(StatusCode::FORBIDDEN, &headers, body));
    }

    #[test]
    fn only_a_skew_is_a_clock_refusal() {
        let skewed = b"<Error><Code>RequestTimeTooSkewed</Code></Error>";
        let denied = b"<Error><Code>AccessDenied</Code></Error>";
        let none = HeaderMap::new();
        assert!(Sigv4Responses.is_clock_refusal(StatusCode::FORBIDDEN, &none, skewed));
        assert!(!Sigv4Responses.is_clock_refusal(StatusCode::FORBIDDEN, &none, denied));
        assert!(!Sigv4Responses.is_clock_refusal(StatusCode::OK, &none, skewed));
    }
}
