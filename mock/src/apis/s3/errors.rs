//! S3's errors: a status, and `<Error>` with the code, the message, the fields some codes
//! add (`BucketName`, `Key`), the resource and the request id, which the
//! `x-amz-request-id` header repeats. An answer to `HEAD` is the status alone, as S3's
//! are: a `HEAD` answer has no body to put a document in.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::xml::Xml;

/// The header that carries the request id on every S3 answer.
pub(super) const REQUEST_ID: &str = "x-amz-request-id";

/// An S3 error, before it is given its request id.
#[derive(Debug, Clone)]
pub(super) struct S3Error {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The path the request named, relative to `/s3` (`/bucket/key`, as sent); `None`
    /// for the refusals the server makes before it hands the path over.
    resource: Option<String>,
    extra: Vec<(&'static str, String)>,
}

impl S3Error {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        S3Error {
            status,
            code,
            message: message.into(),
            resource: None,
            extra: Vec::new(),
        }
    }

    /// With one more field after the message (`BucketName`, `Key`, `ServerTime`).
    pub(super) fn with(mut self, tag: &'static str, value: impl Into<String>) -> Self {
        self.extra.push((tag, value.into()));
        self
    }

    /// With the resource the request named, unless one is set already.
    pub(super) fn at(mut self, resource: &str) -> Self {
        self.resource.get_or_insert_with(|| resource.to_owned());
        self
    }

    /// The error code (`NoSuchKey`).
    #[cfg(test)]
    pub(super) fn code(&self) -> &'static str {
        self.code
    }

    /// The answer, with `request_id` in the document and the header; for a `HEAD`, the
    /// status and the header only.
    pub(super) fn answer(&self, request_id: &str, head: bool) -> Response {
        let mut response = if head {
            Response::new(Body::empty())
        } else {
            let mut response = Response::new(Body::from(self.document(request_id)));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml"),
            );
            response
        };
        *response.status_mut() = self.status;
        if let Ok(id) = HeaderValue::from_str(request_id) {
            response.headers_mut().insert(REQUEST_ID, id);
        }
        response
    }

    fn document(&self, request_id: &str) -> String {
        let mut xml = Xml::new();
        xml.open("Error")
            .text("Code", self.code)
            .text("Message", &self.message);
        for (tag, value) in &self.extra {
            xml.text(tag, value);
        }
        if let Some(resource) = &self.resource {
            xml.text("Resource", resource);
        }
        xml.text("RequestId", request_id).close("Error").finish()
    }
}

/// The code S3 gives a status when nothing more precise is known: the injected faults,
/// the body limits, a request-target or `Host` the server refuses.
pub(super) fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "InvalidRequest",
        403 => "AccessDenied",
        404 => "NoSuchKey",
        405 => "MethodNotAllowed",
        408 => "RequestTimeout",
        413 => "EntityTooLarge",
        429 => "SlowDown",
        501 => "NotImplemented",
        503 => "ServiceUnavailable",
        507 => "InsufficientStorage",
        500..=599 => "InternalError",
        _ => "InvalidRequest",
    }
}

pub(super) fn no_such_bucket(bucket: &str) -> S3Error {
    S3Error::new(
        StatusCode::NOT_FOUND,
        "NoSuchBucket",
        "The specified bucket does not exist",
    )
    .with("BucketName", bucket)
}

pub(super) fn no_such_key(key: &str) -> S3Error {
    S3Error::new(
        StatusCode::NOT_FOUND,
        "NoSuchKey",
        "The specified key does not exist.",
    )
    .with("Key", key)
}

pub(super) fn invalid_argument(message: impl Into<String>) -> S3Error {
    S3Error::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
}

/// A feature of S3 the mock does not have (multipart uploads, ACLs, versions, …): said
/// plainly, rather than answered as if it were another request.
pub(super) fn not_implemented(what: &str) -> S3Error {
    S3Error::new(
        StatusCode::NOT_IMPLEMENTED,
        "NotImplemented",
        format!("The mock's S3 does not implement {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn errors_carry_their_request_id_in_the_document_and_the_header() {
        let error = no_such_key("a<b").at("/bucket/a%3Cb");
        let response = error.answer("REQ1", false);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()[REQUEST_ID], "REQ1");
        assert_eq!(
            body(response).await,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>\
             <Message>The specified key does not exist.</Message><Key>a&lt;b</Key>\
             <Resource>/bucket/a%3Cb</Resource><RequestId>REQ1</RequestId></Error>"
        );
        let head = error.answer("REQ2", true);
        assert_eq!(head.status(), StatusCode::NOT_FOUND);
        assert_eq!(head.headers()[REQUEST_ID], "REQ2");
        assert!(body(head).await.is_empty());
    }
}
