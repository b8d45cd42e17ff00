//! S3 under `/s3`: AWS Signature Version 4 for the `s3` service in the mock's region,
//! in the `Authorization` header or a presigned URL, within 15 minutes of the server's
//! time (a presigned URL until its own expiry). Buckets and objects live in memory,
//! addressed path-style (`/s3/bucket/key`). Errors in S3's XML shape, each answer with
//! `x-amz-request-id`.
//!
//! Here: the verification and its refusals, and the routing. `target` reads what a
//! request names, `store` keeps buckets and objects, `buckets`, `objects` and `listing`
//! answer, `errors` and `xml` write S3's documents, `md5` makes the ETags.

mod buckets;
mod errors;
mod listing;
mod md5;
mod objects;
mod store;
mod target;
mod xml;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use signed_api_runtime::schemes::Sigv4Verifier;
use signed_api_runtime::verify::{ReceivedRequest, Verifier, VerifyError};

use self::errors::{REQUEST_ID, S3Error, code_for};
use self::store::Store;
use self::target::{Query, Target};
use self::xml::Xml;
use super::{MockApi, Refusal};
use crate::S3MockCredentials;
use crate::context::{Context, iso8601};

pub(crate) struct S3Api {
    verifier: Sigv4Verifier,
    region: String,
    /// How far from server time `x-amz-date` may be, in seconds.
    window: i64,
    owner: Owner,
    store: Mutex<Store>,
    request_ids: AtomicU64,
}

/// The account that owns every bucket and object, as listings name it.
struct Owner {
    id: String,
}

impl Owner {
    fn write(&self, xml: &mut Xml) {
        xml.open("Owner")
            .text("ID", &self.id)
            .text("DisplayName", "mock")
            .close("Owner");
    }
}

impl S3Api {
    /// `max_items`: buckets kept, and objects (all buckets together); `max_bytes`: the
    /// bytes of all objects.
    pub(crate) fn new(
        credentials: &S3MockCredentials,
        window: i64,
        max_items: usize,
        max_bytes: usize,
    ) -> Self {
        // A stable id for the owner, from the key id (which a caller knows already).
        let digest = md5::md5(credentials.access_key_id().as_bytes());
        let id = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        S3Api {
            verifier: Sigv4Verifier::new(credentials.scheme.clone()).with_window(window),
            region: credentials.region().to_owned(),
            window,
            owner: Owner { id },
            store: Mutex::new(Store::new(max_items, max_bytes)),
            request_ids: AtomicU64::new(1),
        }
    }

    fn region(&self) -> &str {
        &self.region
    }

    /// A new request id, 16 characters as S3's are.
    fn request_id(&self) -> String {
        let id = self.request_ids.fetch_add(1, Ordering::Relaxed);
        format!("MOCK{id:012X}")
    }

    /// The answer to a failed request (for a `HEAD`, its status and headers only).
    fn reject(&self, error: &S3Error, head: bool) -> Response {
        error.answer(&self.request_id(), head)
    }

    /// The answer to a request refused by the verifier, in the words S3 uses.
    fn refusal(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
        error: &VerifyError,
    ) -> Refusal {
        let error = refusal(request, now, self.window, &self.region, error).at(path);
        Box::new(self.reject(&error, request.method() == "HEAD"))
    }
}

/// What S3 answers to each way a signature can fail.
fn refusal(
    request: &ReceivedRequest<'_>,
    now: i64,
    window: i64,
    region: &str,
    error: &VerifyError,
) -> S3Error {
    let presigned = is_presigned(request);
    let forbidden = |code, message: &str| S3Error::new(StatusCode::FORBIDDEN, code, message);
    let bad = |code, message: String| S3Error::new(StatusCode::BAD_REQUEST, code, message);
    match error {
        VerifyError::MissingHeader("authorization") => forbidden("AccessDenied", "Access Denied"),
        VerifyError::MissingHeader("x-amz-date") => forbidden(
            "AccessDenied",
            "AWS authentication requires a valid Date or x-amz-date header",
        ),
        VerifyError::Malformed {
            what: "X-Amz-Date", ..
        } if !presigned => forbidden(
            "AccessDenied",
            "AWS authentication requires a valid Date or x-amz-date header",
        ),
        VerifyError::MissingHeader("x-amz-content-sha256") => bad(
            "InvalidRequest",
            "Missing required header for this request: x-amz-content-sha256".into(),
        ),
        VerifyError::MissingHeader(name) if presigned && name.starts_with("X-Amz-") => bad(
            "AuthorizationQueryParametersError",
            format!("Query-string authentication version 4 requires the {name} parameter"),
        ),
        // Sent once and not the body's hash (sent twice falls to the last arm).
        VerifyError::Malformed {
            what: "x-amz-content-sha256",
            ..
        } if request.header("x-amz-content-sha256").is_ok() => bad(
            "XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.".into(),
        ),
        VerifyError::Malformed {
            what: "Credential",
            why,
        } => {
            let code = if presigned {
                "AuthorizationQueryParametersError"
            } else {
                "AuthorizationHeaderMalformed"
            };
            bad(
                code,
                format!(
                    "The authorization credential is malformed ({why}); this server takes \
                     key/date/{region}/s3/aws4_request"
                ),
            )
            .with("Region", region)
        }
        VerifyError::Malformed {
            what: "Authorization" | "SignedHeaders",
            why,
        } if !presigned => bad(
            "AuthorizationHeaderMalformed",
            format!("The authorization header is malformed; {why}"),
        ),
        VerifyError::Malformed { what, why } if presigned && what.starts_with("X-Amz-") => {
            bad("AuthorizationQueryParametersError", format!("{what} {why}"))
        }
        VerifyError::Malformed {
            what: "SignedHeaders",
            why,
        } => bad(
            "AuthorizationQueryParametersError",
            format!("X-Amz-SignedHeaders: {why}"),
        ),
        VerifyError::UnknownKey("session token") => bad(
            "InvalidToken",
            "The provided token is malformed or otherwise invalid.".into(),
        ),
        VerifyError::UnknownKey(_) => forbidden(
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        VerifyError::Expired { timestamp, .. } if presigned => {
            if *timestamp > now {
                forbidden("AccessDenied", "Request is not valid yet")
            } else {
                forbidden("AccessDenied", "Request has expired")
            }
        }
        VerifyError::Expired { .. } => {
            let mut error = forbidden(
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            );
            if let Ok(Some(sent)) = request.header("x-amz-date") {
                error = error.with("RequestTime", sent);
            }
            error.with("ServerTime", iso8601(now)).with(
                "MaxAllowedSkewMilliseconds",
                window.saturating_mul(1000).to_string(),
            )
        }
        VerifyError::BadSignature => forbidden(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. \
             Check your key and signing method.",
        ),
        other => bad("InvalidRequest", other.to_string()),
    }
}

/// Whether the request is signed in its URL (`X-Amz-Signature` in the query), as the
/// verifier decides it.
fn is_presigned(request: &ReceivedRequest<'_>) -> bool {
    request.query().is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.split_once('=').map_or(pair, |(name, _)| name) == "X-Amz-Signature")
    })
}

impl MockApi for S3Api {
    /// The verifier run on the head, its body empty: the key, region, time, signed
    /// headers and the signature itself are checked (the signature covers the hash the
    /// request states, not the body). Only the comparison of that hash with the body is
    /// left, and it is the one failure let through here: the body has not been read yet.
    fn pre_authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<(), Refusal> {
        match self.verifier.verify(request, now) {
            Ok(_) => Ok(()),
            // The body here is empty: whether the hash is the body's is known later.
            Err(VerifyError::Malformed {
                what: "x-amz-content-sha256",
                ..
            }) if request.header("x-amz-content-sha256").is_ok() => Ok(()),
            Err(error) => Err(self.refusal(request, path, now, &error)),
        }
    }

    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal> {
        self.verifier
            .verify(request, now)
            .map_err(|error| self.refusal(request, path, now, &error))?;
        Ok(None)
    }

    fn error(&self, status: StatusCode, message: &str) -> Response {
        self.reject(&S3Error::new(status, code_for(status), message), false)
    }

    fn finish(&self, response: &mut Response) {
        if !response.headers().contains_key(REQUEST_ID)
            && let Ok(id) = HeaderValue::from_str(&self.request_id())
        {
            response.headers_mut().insert(REQUEST_ID, id);
        }
    }

    fn router(self: Arc<Self>) -> Router {
        Router::new().fallback(dispatch).with_state(self)
    }
}

/// The `State` extractor of this API's handlers (named so as not to shadow [`crate::Api`]).
type Shared = State<Arc<S3Api>>;

/// Every verified request: what it names, then the operation its method asks for.
async fn dispatch(
    State(api): Shared,
    Extension(context): Extension<Context>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let head = method == Method::HEAD;
    match route(&api, &context, &method, &uri, &headers, &body) {
        Ok(response) => response,
        Err(error) => api.reject(&error.at(uri.path()), head),
    }
}

fn route(
    api: &S3Api,
    context: &Context,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, S3Error> {
    let target = Target::parse(uri.path())?;
    let query = Query::parse(uri.query())?;
    let now = context.now;
    match (target, method.as_str()) {
        (Target::Service, "GET") => buckets::list_buckets(api, &query),
        (Target::Bucket(bucket), "PUT") => buckets::create(api, &bucket, &query, now),
        (Target::Bucket(bucket), "DELETE") => buckets::delete(api, &bucket, &query),
        (Target::Bucket(bucket), "HEAD") => buckets::head(api, &bucket, &query),
        (Target::Bucket(bucket), "GET") => buckets::get(api, &bucket, &query),
        (Target::Object { bucket, key }, "PUT") => {
            objects::put(api, &bucket, &key, &query, headers, body, now)
        }
        (Target::Object { bucket, key }, "GET" | "HEAD") => {
            objects::get(api, &bucket, &key, &query, headers, method == Method::HEAD)
        }
        (Target::Object { bucket, key }, "DELETE") => objects::delete(api, &bucket, &key, &query),
        (_, "POST") => Err(errors::not_implemented(
            "POST requests (multipart uploads, DeleteObjects, browser uploads)",
        )),
        _ => Err(S3Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The specified method is not allowed against this resource: {method}"),
        )),
    }
}

/// An XML answer with 200.
fn xml_answer(document: String) -> Response {
    let mut response = Response::new(Body::from(document));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    response
}

/// An answer without a body.
fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// S3's form of a time in documents: `2024-05-01T12:00:00.000Z`.
fn iso8601_millis(unix: i64) -> String {
    let mut text = iso8601(unix);
    text.pop();
    text.push_str(".000Z");
    text
}
