//! The one error type of the runtime.
//!
//! Every variant is built from text the runtime wrote itself or from what a server answered;
//! none of them ever holds a credential, a key or a signed URL (a URL may carry the nOps key
//! in its query, so transport errors are stripped of theirs).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// Shorthand used throughout signed-api.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in kinds a caller can match on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Missing or unusable configuration: an empty credential, an unknown endpoint name,
    /// an unreadable `ovh.conf`, an invalid base URL.
    #[error("configuration error: {0}")]
    Config(String),

    /// A private key that cannot be used: unreadable, not PEM, not RSA, too small.
    #[error("key error: {0}")]
    Key(String),

    /// The request itself is invalid (a header with CR/LF, a path parameter that would
    /// escape its segment, a body that does not serialise). Nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The scheme could not produce a signature for this request. Nothing was sent.
    #[error("signing error: {0}")]
    Signing(String),

    /// The request could not be delivered or its answer not read (DNS, TLS, connection
    /// reset). The URL is left out on purpose: it may hold an API key.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),

    /// The server's clock could not be used: its time is not a plausible date or is
    /// further from the local clock than the client allows. Nothing was signed with it.
    #[error("clock error: {0}")]
    Clock(String),

    /// The answer's body is larger than the client accepts (see
    /// `ClientBuilder::max_response_body`); reading stopped at the limit.
    #[error("the {status} response body is larger than the {limit}-byte limit")]
    BodyTooLarge {
        /// Status of the answer.
        status: StatusCode,
        /// The limit in bytes.
        limit: u64,
    },

    /// The answer came from another URL than the one requested: the HTTP client followed
    /// a redirect. The answer is refused; build the client with
    /// `reqwest::redirect::Policy::none()` so the signed headers never leave for another
    /// URL in the first place.
    #[error(
        "the HTTP client followed a redirect (status {status}); answers from another URL are refused"
    )]
    Redirected {
        /// Status of the final answer.
        status: StatusCode,
    },

    /// No complete answer within the time allowed.
    #[error("timed out after {0:?}")]
    Timeout(Duration),

    /// The server answered with an error status (or, for nOps, with an HTML page).
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A local file or writer failed: a body file that cannot be opened or read
    /// (`Request::file_body`; nothing was sent when it cannot be opened), or a streamed
    /// answer that cannot be written out (`BodyStream::write_to`: a full disk).
    #[error("{what}: {source}")]
    Io {
        /// What was being done, in the runtime's words (a file's path, never a URL).
        what: String,
        /// What the system said.
        source: std::io::Error,
    },

    /// A 2xx answer whose body is not what the caller asked for.
    #[error("could not decode the {status} response: {message}")]
    Decode {
        /// Status of the answer whose body failed to decode.
        status: StatusCode,
        /// What the decoder said.
        message: String,
        /// The start of the body, for diagnosis.
        body_excerpt: String,
    },
}

impl Error {
    /// Whether retrying the same request later may succeed (the transport failed, it timed
    /// out, or the server said it was busy).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) => true,
            Error::Api(api) => matches!(
                api.kind,
                ApiErrorKind::RateLimited | ApiErrorKind::Unavailable
            ),
            _ => false,
        }
    }

    /// The API error behind this error, when the server answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    pub(crate) fn transport(err: reqwest::Error) -> Self {
        Error::Transport(err.without_url())
    }
}

/// A broad reading of an error answer that holds across vendors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// The credentials or the signature were refused (401, most 403s, nOps' HTML page).
    Authentication,
    /// Authenticated, but not allowed to make this call.
    Forbidden,
    /// 404.
    NotFound,
    /// 400 or 422: the server refused the parameters.
    BadRequest,
    /// 409.
    Conflict,
    /// 429.
    RateLimited,
    /// 502, 503, 504.
    Unavailable,
    /// Any other error status.
    Other,
}

impl ApiErrorKind {
    /// The kind a bare status implies; schemes refine it from the vendor's error code.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            401 => Self::Authentication,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            400 | 422 => Self::BadRequest,
            409 => Self::Conflict,
            429 => Self::RateLimited,
            502..=504 => Self::Unavailable,
            _ => Self::Other,
        }
    }
}

/// An error answer from the API, decoded from the vendor's error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status of the answer.
    pub status: StatusCode,
    /// A broad classification that holds across vendors.
    pub kind: ApiErrorKind,
    /// The vendor's own error code (`errorCode` for OVH, `msg` for Qredo, …), if any.
    pub code: Option<String>,
    /// The vendor's human-readable message, if any.
    pub message: Option<String>,
    /// The vendor's request id (for example OVH's `X-Ovh-QueryID`), to quote to support.
    pub request_id: Option<String>,
    /// The start of the body, at most [`ApiError::EXCERPT_LEN`] bytes.
    pub body_excerpt: String,
}

impl ApiError {
    /// How much of an error body is kept.
    pub const EXCERPT_LEN: usize = 512;

    /// An error for `status` with nothing decoded yet.
    pub fn new(status: StatusCode, body: &[u8]) -> Self {
        ApiError {
            status,
            kind: ApiErrorKind::from_status(status),
            code: None,
            message: None,
            request_id: None,
            body_excerpt: excerpt(body),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None if !self.body_excerpt.is_empty() => write!(f, ": {}", self.body_excerpt)?,
            None => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The start of a body as text (a character cut in half shows as U+FFFD).
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(ApiError::EXCERPT_LEN)]);
    text.trim().to_owned()
}
