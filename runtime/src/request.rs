//! A request under construction. Every input is checked as it is added; the first problem
//! is kept and returned by `send` before anything goes out.

use std::fmt::Display;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use futures_core::stream::TryStream;
use reqwest::Method;
use reqwest::header::{
    ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue,
    TRANSFER_ENCODING, USER_AGENT,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{Client, Purpose};
use crate::error::{Error, Result};
use crate::response::Response;
use crate::retry::Repeatable;
use crate::scheme::StringToSign;
use crate::scheme::{Scheme, SignableRequest, header_value};
use crate::streaming::{BodyStream, Sending, Upload};
use crate::url::{encode_query, join_url, render_path};

/// A body with its content type.
#[derive(Debug)]
pub(crate) struct Body {
    pub(crate) content: Content,
    pub(crate) content_type: HeaderValue,
    /// The type was not chosen with the body (`bytes_body`, `file_body`, `stream_body`):
    /// a caller `Content-Type` header replaces it instead of being refused.
    pub(crate) default_type: bool,
}

/// A body's bytes: in memory, or read while they are sent.
#[derive(Debug)]
pub(crate) enum Content {
    /// Serialised once: signed and sent as they are, by every attempt.
    Bytes(Bytes),
    /// Larger than memory, perhaps: signed without its bytes and sent once.
    Upload(Upload),
}

/// A request to one endpoint of a [`Client`]'s API, built step by step.
///
/// ```no_run
/// # async fn run(client: signed_api_runtime::Client) -> signed_api_runtime::Result<()> {
/// use signed_api_runtime::Method;
/// let ids: Vec<u64> = client
///     .request(Method::GET, "/domain/zone/{zone}/record")
///     .path_param("zone", "example.com")
///     .query("fieldType", "A")
///     .json()
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is sent"]
#[derive(Debug)]
pub struct Request {
    pub(crate) client: Client,
    pub(crate) method: Method,
    pub(crate) template: String,
    pub(crate) path_params: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Body>,
    pub(crate) signed: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) idempotent: Option<bool>,
    pub(crate) error: Option<Error>,
}

/// A request as it would be sent: what `--dry-run` shows.
///
/// Its `Debug` masks credentials: sensitive headers, the string to sign, and query
/// values the scheme adds (nOps' `api_key`). The fields themselves hold the real values.
#[derive(Clone)]
pub struct PreparedRequest {
    /// The method, upper-case.
    pub method: Method,
    /// The final URL, exactly as it is sent.
    pub url: String,
    /// Every header that is sent, signature included (credentials are marked sensitive).
    pub headers: HeaderMap,
    /// The body bytes, exactly as they are sent (empty when none, and for a body read
    /// while sent: `file_body`, `stream_body`).
    pub body: Bytes,
    /// The string that was signed (`None` for unsigned requests), with its credential
    /// pieces marked so that [`StringToSign::redacted`] can show the rest.
    pub string_to_sign: Option<StringToSign>,
    /// The timestamp the request was signed with.
    pub timestamp: i64,
    /// Query parameters holding credentials, masked by `Debug`.
    masked_query: Vec<String>,
}

impl PreparedRequest {
    /// The URL with credential query values replaced by `***`, safe to print or log.
    pub fn redacted_url(&self) -> String {
        let Some((base, query)) = self.url.split_once('?') else {
            return self.url.clone();
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if self.masked_query.iter().any(|masked| masked == name) => {
                    format!("{name}=***")
                }
                _ => pair.to_owned(),
            })
            .collect();
        format!("{base}?{}", pairs.join("&"))
    }
}

impl std::fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.redacted_url())
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("string_to_sign", &self.string_to_sign)
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// Whether a request carries a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signing {
    /// Signed afresh at every attempt.
    Signed,
    /// Sent as it is (OVH's `/auth/time`, calls marked `unsigned`).
    Unsigned,
}

/// The request as it will go out, all but its signature: fixed before the first attempt,
/// so that every attempt sends the same bytes and only signs them again.
#[derive(Debug)]
pub(crate) struct Outgoing {
    pub(crate) method: Method,
    /// The final URL: its text is what is signed, and it is handed to reqwest as it is
    /// (parsed once, when it was checked).
    pub(crate) url: reqwest::Url,
    pub(crate) body: Option<Body>,
    /// The headers of the next attempt, the signature's aside; empty once an attempt took
    /// them, until they are built again.
    pub(crate) headers: HeaderMap,
    headers_taken: bool,
    pub(crate) signing: Signing,
}

impl Outgoing {
    /// The headers, handed over to be sent. Why they are moved rather than copied: most
    /// calls make one attempt, and a copy per attempt cost a second map (two allocations,
    /// every name hashed again, every value cloned) on every call. An attempt after the
    /// first builds them again first ([`Outgoing::headers_taken`],
    /// [`Request::outgoing_headers`]).
    pub(crate) fn take_headers(&mut self) -> HeaderMap {
        self.headers_taken = true;
        std::mem::take(&mut self.headers)
    }

    /// The headers with the signature's added, handed over to be sent (see
    /// [`Outgoing::take_headers`]). A function of its own rather than a loop in the
    /// attempt: there, the signature's iterator took room in every call's future (96
    /// bytes of each call in flight).
    pub(crate) fn take_signed_headers(&mut self, signature: crate::scheme::Headers) -> HeaderMap {
        let mut headers = self.take_headers();
        for (name, value) in signature {
            headers.insert(name, value);
        }
        headers
    }

    /// Whether an attempt has taken the headers, so that they must be built again before
    /// the next one is signed.
    pub(crate) fn headers_taken(&self) -> bool {
        self.headers_taken
    }

    /// Gives the request its headers again, built by [`Request::outgoing_headers`].
    pub(crate) fn restore_headers(&mut self, headers: HeaderMap) {
        self.headers = headers;
        self.headers_taken = false;
    }

    pub(crate) fn signable(&self) -> SignableRequest<'_> {
        let body = match &self.body {
            Some(Body {
                content: Content::Bytes(bytes),
                ..
            }) => &bytes[..],
            _ => &[][..],
        };
        SignableRequest::new(self.method.as_str(), self.url.as_str(), body)
            .with_headers(&self.headers)
    }

    /// The bytes the signature covers: the body held in memory, or none (no body, or one
    /// read while sent).
    pub(crate) fn signed_body(&self) -> Bytes {
        match &self.body {
            Some(Body {
                content: Content::Bytes(bytes),
                ..
            }) => bytes.clone(),
            _ => Bytes::new(),
        }
    }

    /// The body read while sent, if the request has one.
    fn upload(&self) -> Option<&Upload> {
        match &self.body {
            Some(Body {
                content: Content::Upload(upload),
                ..
            }) => Some(upload),
            _ => None,
        }
    }

    /// Whether the body is read while sent: it then goes out once, so it is neither
    /// retried after anything may have left nor signed again after a clock refusal, and
    /// the whole-request timeout (which would cut a large upload) gives way to an idle one.
    pub(crate) fn sends_once(&self) -> bool {
        self.upload().is_some()
    }

    /// When this request may be sent again. A body held in memory follows the method; a
    /// file only when no connection was made (nothing of it left; it is opened again); a
    /// stream never (it cannot be read twice).
    pub(crate) fn repeatable(&self, idempotent: bool) -> Repeatable {
        match self.upload() {
            Some(Upload::File(_)) => Repeatable::IfNothingSent,
            Some(Upload::Stream(_)) => Repeatable::Never,
            None if idempotent => Repeatable::Always,
            None => Repeatable::IfNotProcessed,
        }
    }

    /// The body of the next attempt: the same bytes, the file opened again, or the stream.
    pub(crate) async fn next_body(&mut self) -> Result<Option<Sending>> {
        match &mut self.body {
            None => Ok(None),
            Some(body) => match &mut body.content {
                Content::Bytes(bytes) => Ok(Some(Sending::bytes(bytes.clone()))),
                Content::Upload(upload) => upload.next().await.map(Some),
            },
        }
    }

    /// Refuses a body read while sent when the scheme would have to sign its bytes: the
    /// signature would cover an empty body while another one went out.
    fn refuse_unsignable_upload(&self, scheme: &dyn Scheme) -> Result<()> {
        if self.signing == Signing::Unsigned
            || !self.sends_once()
            || scheme.signs_without_body(&self.signable())
        {
            return Ok(());
        }
        Err(Error::InvalidRequest(format!(
            "the {} scheme signs the body's bytes, so a body read while sent (file_body, \
             stream_body) cannot be signed; send it with bytes_body (with SigV4, set \
             x-amz-content-sha256 to UNSIGNED-PAYLOAD or the body's SHA-256)",
            scheme.name()
        )))
    }
}

impl Request {
    pub(crate) fn new(client: Client, method: Method, template: impl Into<String>) -> Self {
        let (method, error) = match normalise_method(method) {
            Ok(method) => (method, None),
            Err(error) => (Method::GET, Some(error)),
        };
        Request {
            client,
            method,
            template: template.into(),
            path_params: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            signed: true,
            timeout: None,
            idempotent: None,
            error,
        }
    }

    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Binds `{name}` in the path template; the value is encoded as one path segment. A
    /// `{name+}` placeholder takes several: each `/`-separated piece is encoded and the
    /// `/` stay (an object key such as `photos/2024/a.jpg`); `.` and `..` pieces are
    /// refused, since URL parsing would resolve them to another path.
    pub fn path_param(mut self, name: &str, value: impl Display) -> Self {
        self.path_params.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends `name=value` to the query (in call order, encoded once).
    pub fn query(mut self, name: &str, value: impl Display) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends `name=value` when `value` is `Some`; leaves it out when `None`.
    pub fn query_opt<V: Display>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends `name=value` once per value (`?id=1&id=2`).
    pub fn query_all<V: Display>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        for value in values {
            self = self.query(name, value);
        }
        self
    }

    /// Adds a header; refuses an invalid name and a value with CR, LF or NUL.
    pub fn header(mut self, name: &str, value: impl Display) -> Self {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(Error::InvalidRequest(format!(
                "{name:?} is not a valid header name"
            )));
            return self;
        };
        match header_value(name, &value.to_string()) {
            Ok(mut value) => {
                value.set_sensitive(holds_credential(&header_name));
                self.headers.append(header_name, value);
            }
            Err(error) => self.fail(error),
        }
        self
    }

    /// Adds a header when `value` is `Some`.
    pub fn header_opt<V: Display>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Sets a JSON body, serialised once, compact; these are the bytes signed and sent.
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(
                Content::Bytes(bytes.into()),
                HeaderValue::from_static("application/json"),
            ),
            Err(e) => self.fail(Error::InvalidRequest(format!(
                "the body does not serialise to JSON: {e}"
            ))),
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body from name/value pairs.
    pub fn form_body<K: AsRef<str>, V: Display>(
        mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            form.append_pair(name.as_ref(), &value.to_string());
        }
        let bytes = Bytes::from(form.finish());
        self.set_body(
            Content::Bytes(bytes),
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body from a struct or map whose fields
    /// are strings, numbers, booleans or `None` (left out); nested values are refused.
    pub fn form<T: Serialize + ?Sized>(mut self, form: &T) -> Self {
        match form_pairs(form) {
            Ok(pairs) => self.form_body(pairs),
            Err(error) => {
                self.fail(error);
                self
            }
        }
    }

    /// Sets a body of raw bytes with its content type, sent exactly as given (a caller
    /// `Content-Type` header is then refused: see [`bytes_body`](Self::bytes_body) for a
    /// type given as a header).
    pub fn raw_body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        match header_value("Content-Type", content_type) {
            Ok(content_type) => self.set_body(Content::Bytes(bytes.into()), content_type),
            Err(error) => self.fail(error),
        }
        self
    }

    /// Sets a body of raw bytes sent exactly as given, typed
    /// `application/octet-stream` unless a `Content-Type` header is added to the request
    /// (an object store's upload, whose type comes with each call).
    pub fn bytes_body(self, bytes: impl Into<Bytes>) -> Self {
        self.octet_body(Content::Bytes(bytes.into()))
    }

    /// Sends the file at `path` as the body, read while it is sent (never whole in memory),
    /// with its length (from the file's metadata, when the request goes) as
    /// `Content-Length`; typed like [`bytes_body`](Self::bytes_body).
    ///
    /// The scheme signs without the bytes, so it must be able to
    /// ([`Scheme::signs_without_body`]): with SigV4, set `x-amz-content-sha256` to
    /// `UNSIGNED-PAYLOAD` or the file's SHA-256; schemes that sign the raw body refuse. The
    /// file is sent once: it is opened again only for a retry after a connection that was
    /// never made, and the request is not signed again after a clock refusal. The
    /// request's timeout bounds each wait (a chunk taken, the answer), not the whole upload.
    pub fn file_body(self, path: impl Into<PathBuf>) -> Self {
        self.octet_body(Content::Upload(Upload::File(path.into())))
    }

    /// Sends a stream of chunks as the body, read while it is sent, with `length` as
    /// `Content-Length` when known (else the body goes chunked; an HTTP/1.1 server may
    /// need the length). A stream that yields another number of bytes than `length` fails
    /// the request. Typed like [`bytes_body`](Self::bytes_body).
    ///
    /// Signed as [`file_body`](Self::file_body) is, and sent once: never retried, even
    /// after a connection that was never made (the stream cannot be read again). An error
    /// of the stream ends the request with [`Error::Transport`].
    pub fn stream_body<S>(self, stream: S, length: Option<u64>) -> Self
    where
        S: TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        self.octet_body(Content::Upload(Upload::stream(stream, length)))
    }

    /// Sets a body typed `application/octet-stream` unless a `Content-Type` header says
    /// otherwise.
    fn octet_body(mut self, content: Content) -> Self {
        self.set_body(
            content,
            HeaderValue::from_static("application/octet-stream"),
        );
        if let Some(body) = &mut self.body {
            body.default_type = true;
        }
        self
    }

    fn set_body(&mut self, content: Content, content_type: HeaderValue) {
        if self.body.is_some() {
            self.fail(Error::InvalidRequest(
                "the request already has a body".into(),
            ));
            return;
        }
        self.body = Some(Body {
            content,
            content_type,
            default_type: false,
        });
    }

    /// Sends without a signature (OVH's `/auth/time`, `/auth/credential`). Headers the
    /// scheme sends on every call (OVH's application key) still go.
    pub fn unsigned(mut self) -> Self {
        self.signed = false;
        self
    }

    /// Sets whether the request is signed.
    pub fn signed(mut self, signed: bool) -> Self {
        self.signed = signed;
        self
    }

    /// A time limit for this request, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Declares the request safe to send twice (lets a POST be retried after a transient
    /// failure). GET, PUT, DELETE and HEAD are idempotent already.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = Some(true);
        self
    }

    /// Whether the request may be sent again after a transient failure.
    pub fn is_idempotent(&self) -> bool {
        let by_method = matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        self.idempotent.unwrap_or(by_method)
    }

    /// Fixes method, URL, body and headers: everything but the signature.
    pub(crate) fn outgoing(&mut self) -> Result<Outgoing> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let scheme = self.client.scheme();
        let path = render_path(&self.template, &self.path_params)?;
        let (base, path) = scheme.address(self.client.base_url().as_str(), &path)?;
        let scheme_pairs = scheme.query_pairs();
        if let Some((name, _)) = self
            .query
            .iter()
            .find(|(name, _)| scheme_pairs.iter().any(|(own, _)| own == name))
        {
            return Err(Error::InvalidRequest(format!(
                "the query parameter `{name}` is set by the {} scheme; remove it from the request",
                scheme.name()
            )));
        }
        let query = encode_query(
            scheme_pairs
                .iter()
                .copied()
                .chain(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        );
        let url = join_url(self.client.base_url(), &base, &path, &query)?;
        let body = self.body.take();
        let headers = self.outgoing_headers(body.as_ref())?;
        let outgoing = Outgoing {
            method: self.method.clone(),
            url,
            body,
            headers,
            headers_taken: false,
            signing: if self.signed {
                Signing::Signed
            } else {
                Signing::Unsigned
            },
        };
        outgoing.refuse_unsignable_upload(scheme)?;
        Ok(outgoing)
    }

    /// Every header an attempt sends but the signature's: the scheme's constant ones, the
    /// defaults, the body's type and the caller's. Built again for each attempt after the
    /// first (see [`Outgoing::take_headers`]).
    pub(crate) fn outgoing_headers(&self, body: Option<&Body>) -> Result<HeaderMap> {
        let scheme = self.client.scheme();
        // Room for what is added below, for the signature's headers and for the `Host`
        // that the HTTP layer (hyper-util's client) adds to this same map before sending,
        // so that it never grows on the way.
        let mut headers = HeaderMap::with_capacity(self.headers.len() + 8);
        for (name, value) in self.client.constant_headers() {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(
            reqwest::header::USER_AGENT,
            self.client.user_agent().clone(),
        );
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        if let Some(body) = body
            && !(body.default_type && self.headers.contains_key(CONTENT_TYPE))
        {
            headers.insert(CONTENT_TYPE, body.content_type.clone());
        }
        for name in self.headers.keys() {
            refuse_duplicate(name, &headers, scheme.name())?;
            if name == USER_AGENT || name == ACCEPT {
                headers.remove(name); // the caller's choice replaces the default
            }
        }
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        Ok(headers)
    }

    /// Signs the request as it would be sent now and returns it, without sending it (and
    /// without any network call: the clock is used with the offset it has).
    pub async fn prepare(mut self) -> Result<PreparedRequest> {
        let outgoing = self.outgoing()?;
        let client = self.client.clone();
        let (signature, timestamp, string_to_sign) = client
            .sign_outgoing(&outgoing, Purpose::DryRun, Duration::ZERO)
            .await?;
        let headers = crate::client::with_signature(&outgoing.headers, signature);
        let masked_query = client
            .scheme()
            .query_pairs()
            .iter()
            .map(|(name, _)| crate::url::encode_query_component(name))
            .collect();
        Ok(PreparedRequest {
            method: outgoing.method.clone(),
            url: outgoing.url.as_str().to_owned(),
            headers,
            body: outgoing.signed_body(),
            string_to_sign,
            timestamp,
            masked_query,
        })
    }

    /// A URL that makes this request with no credentials until `expires_in` has passed
    /// (an S3 presigned URL), signed now with the client's clock. Nothing is sent. Whoever
    /// holds the URL can use it: hand it out as you would a short-lived password.
    ///
    /// Headers added to the request are signed into the URL when the scheme signs them
    /// (SigV4: `Content-Type`, `Content-MD5`, `x-amz-*`), and the URL's user must then send
    /// them unchanged. Schemes without a presigned form refuse.
    pub fn presign(mut self, expires_in: Duration) -> Result<String> {
        let outgoing = self.outgoing()?;
        let scheme = self.client.scheme();
        let timestamp = self.client.clock().now();
        let nonce = scheme.nonce(timestamp);
        let params = crate::scheme::SigningParams {
            timestamp,
            nonce: nonce.as_deref(),
        };
        scheme.presign(&outgoing.signable(), &params, expires_in)
    }

    /// Sends the request and returns the raw answer of any 2xx status; error statuses come
    /// back as [`Error::Api`] in the vendor's error shape.
    pub fn send(self) -> impl Future<Output = Result<Response<Bytes>>> + Send + 'static {
        Client::execute(self, Ok)
    }

    /// Sends the request and hands over the body of a 2xx answer unread, for answers too
    /// large to hold (a download): read it with [`BodyStream::chunk`] or
    /// [`BodyStream::write_to`].
    ///
    /// Everything up to the answer's head is as [`send`](Self::send): signing, retries,
    /// the clock correction, redirects refused, error answers read (within the small
    /// error cap) and returned as [`Error::Api`]. Then no body limit applies (the caller
    /// chose to stream), and the request's timeout bounds the wait for the head and then
    /// for each chunk, not the whole transfer: a large download that keeps moving is never
    /// cut. A failure while reading the body is not retried.
    pub fn send_streaming(
        self,
    ) -> impl Future<Output = Result<Response<BodyStream>>> + Send + 'static {
        Client::execute(self, Ok)
    }

    // The methods below hand their decoding to the call itself instead of awaiting
    // `send` in an `async fn` of their own, which would keep a second copy of the request
    // in every call's future (see `Client::execute`).

    /// Sends and decodes a JSON answer (an empty body decodes as `null`).
    pub fn json<T: DeserializeOwned>(self) -> impl Future<Output = Result<T>> + Send {
        Client::execute(self, |response: Response<Bytes>| {
            Ok(response.decode_json()?.into_body())
        })
    }

    /// Sends and decodes a JSON answer, keeping status and headers.
    pub fn json_response<T: DeserializeOwned>(
        self,
    ) -> impl Future<Output = Result<Response<T>>> + Send {
        Client::execute(self, |response: Response<Bytes>| response.decode_json())
    }

    /// Sends and ignores the body of any 2xx answer.
    pub fn empty(self) -> impl Future<Output = Result<()>> + Send + 'static {
        Client::execute(self, |_: Response<Bytes>| Ok(()))
    }

    /// Sends and decodes an XML answer (feature `xml`).
    #[cfg(feature = "xml")]
    pub fn xml<T: DeserializeOwned>(self) -> impl Future<Output = Result<T>> + Send {
        Client::execute(self, |response: Response<Bytes>| {
            Ok(response.decode_xml()?.into_body())
        })
    }

    /// Sends and decodes an XML answer, keeping status and headers (feature `xml`).
    #[cfg(feature = "xml")]
    pub fn xml_response<T: DeserializeOwned>(
        self,
    ) -> impl Future<Output = Result<Response<T>>> + Send {
        Client::execute(self, |response: Response<Bytes>| response.decode_xml())
    }

    /// Sends and returns the body as text.
    pub fn text(self) -> impl Future<Output = Result<String>> + Send + 'static {
        Client::execute(self, |response: Response<Bytes>| {
            Ok(response.decode_text()?.into_body())
        })
    }

    /// Sends and returns the body bytes.
    pub fn bytes(self) -> impl Future<Output = Result<Bytes>> + Send + 'static {
        Client::execute(self, |response: Response<Bytes>| Ok(response.into_body()))
    }
}

/// Refuses a caller header that the scheme, the body or HTTP framing already sets. Two
/// copies of `x-api-key` or `Content-Type` go out both, and servers and proxies differ on
/// which one they read: the signature may then cover another value than the one acted on.
/// `Host`, `Content-Length` and `Transfer-Encoding` belong to the HTTP layer, which signs
/// nothing: a caller value would change where or how the signed bytes are delivered.
fn refuse_duplicate(name: &HeaderName, scheme_headers: &HeaderMap, scheme: &str) -> Result<()> {
    if name == HOST || name == CONTENT_LENGTH || name == TRANSFER_ENCODING {
        return Err(Error::InvalidRequest(format!(
            "the header {name} is set by the HTTP layer; remove it from the request"
        )));
    }
    if name == CONTENT_TYPE && scheme_headers.contains_key(CONTENT_TYPE) {
        return Err(Error::InvalidRequest(
            "the header content-type is set by the body; choose the type with the body \
             (`raw_body`) instead"
                .into(),
        ));
    }
    if name != USER_AGENT && name != ACCEPT && scheme_headers.contains_key(name) {
        return Err(Error::InvalidRequest(format!(
            "the header {name} is set by the {scheme} scheme; remove it from the request"
        )));
    }
    Ok(())
}

/// Whether a caller header carries a credential, so that `Debug` and dry runs hide it:
/// the usual authentication headers and any name that says key, token, secret, password,
/// signature or session.
fn holds_credential(name: &HeaderName) -> bool {
    let name = name.as_str();
    matches!(
        name,
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || [
        "key",
        "token",
        "secret",
        "password",
        "signature",
        "session",
        "auth",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// Flattens a serialisable value into form pairs (sorted by name: serde_json maps are).
fn form_pairs<T: Serialize + ?Sized>(form: &T) -> Result<Vec<(String, String)>> {
    use serde_json::Value;
    let invalid = |why: String| Error::InvalidRequest(format!("the form body is invalid: {why}"));
    let value = serde_json::to_value(form).map_err(|e| invalid(e.to_string()))?;
    let Value::Object(fields) = value else {
        return Err(invalid("it must serialise to a struct or a map".into()));
    };
    let mut pairs = Vec::with_capacity(fields.len());
    for (name, value) in fields {
        let text = match value {
            Value::Null => continue,
            Value::String(text) => text,
            Value::Bool(flag) => flag.to_string(),
            Value::Number(number) => number.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(invalid(format!("field `{name}` is nested")));
            }
        };
        pairs.push((name, text));
    }
    Ok(pairs)
}

/// Upper-cases the method (signed and sent alike) and refuses non-token characters.
fn normalise_method(method: Method) -> Result<Method> {
    let text = method.as_str();
    if text.bytes().all(|b| b.is_ascii_uppercase()) {
        return Ok(method);
    }
    Method::from_bytes(text.to_ascii_uppercase().as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("`{text}` is not a valid HTTP method")))
}

/// Parses a method given as text (`get`, `POST`), upper-cased.
pub fn parse_method(text: &str) -> Result<Method> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::InvalidRequest(format!(
            "{text:?} is not a valid HTTP method"
        )));
    }
    Method::from_bytes(text.to_ascii_uppercase().as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("{text:?} is not a valid HTTP method")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_upper_cased_and_checked() {
        assert_eq!(parse_method("get").unwrap(), Method::GET);
        assert_eq!(parse_method("MeThOd").unwrap().as_str(), "METHOD");
        for bad in ["", "GE T", "G\r\nET", "ÉT"] {
            assert!(parse_method(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            normalise_method(Method::from_bytes(b"patch").unwrap()).unwrap(),
            Method::PATCH
        );
    }
}
