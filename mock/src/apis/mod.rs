//! The five APIs. Each one verifies its scheme (with the runtime's verifier), answers a
//! refusal in its vendor's error shape, and routes verified requests to in-memory
//! endpoints.

mod armor;
mod nops;
mod ovh;
mod qredo;
mod s3;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use signed_api_runtime::verify::ReceivedRequest;

use crate::PerApi;
use crate::config::MockConfig;

/// A refusal to send back instead of routing the request (boxed: a response is large,
/// and the `Ok` path is the common one).
pub(crate) type Refusal = Box<Response>;

/// One API of the mock.
pub(crate) trait MockApi: Send + Sync + 'static {
    /// Checks what the request line and headers can tell before the body is read, so that
    /// a request that cannot pass is refused without the mock reading (and holding) its
    /// body: the key or application is known, the signature headers are there, the
    /// timestamp is in the window. `request` has an empty body; the signature is not
    /// checked here (it may cover the body), and `Ok` is no authentication:
    /// [`authenticate`](Self::authenticate) still runs once the body is read.
    fn pre_authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<(), Refusal>;

    /// Verifies a request whose path relative to the API's prefix is `path` (without the
    /// query), at server time `now`. `Ok` holds who signed it, when the API tells callers
    /// apart (OVH's consumer key); `Err` is the refusal to send back.
    fn authenticate(
        &self,
        request: &ReceivedRequest<'_>,
        path: &str,
        now: i64,
    ) -> Result<Option<String>, Refusal>;

    /// An error answer in the vendor's shape (faults, unknown paths, bad bodies).
    fn error(&self, status: StatusCode, message: &str) -> Response;

    /// Adds the headers the vendor puts on every answer (OVH's `X-Ovh-QueryID`).
    fn finish(&self, _response: &mut Response) {}

    /// The routes of the verified requests, paths relative to the API's prefix.
    fn router(self: Arc<Self>) -> Router;
}

/// The five APIs.
pub(crate) fn build(config: &MockConfig) -> PerApi<Arc<dyn MockApi>> {
    let credentials = &config.credentials;
    let windows = config.windows;
    let limits = config.limits;
    PerApi {
        ovh: Arc::new(ovh::OvhApi::new(
            &credentials.ovh,
            windows.ovh,
            limits.max_items,
        )),
        nops: Arc::new(nops::NopsApi::new(
            &credentials.nops,
            windows.nops_midnight_grace,
            limits.max_items,
        )),
        qredo: Arc::new(qredo::QredoApi::new(
            &credentials.qredo,
            windows.qredo,
            config.qredo_mode,
            limits.max_items,
        )),
        armor: Arc::new(armor::ArmorApi::new(
            &credentials.armor,
            windows.armor,
            limits.max_nonces,
            limits.max_items,
        )),
        s3: Arc::new(s3::S3Api::new(
            &credentials.s3,
            windows.s3,
            limits.max_items,
            limits.max_stored_bytes,
        )),
    }
}

/// Whether a presented key equals the configured one, in time that does not tell how much
/// of a guess was right (only the length may).
pub(crate) fn same_secret(presented: &str, expected: &str) -> bool {
    signed_api_runtime::verify::constant_time_eq(presented.as_bytes(), expected.as_bytes())
}

/// Locks a mutex even if a handler panicked while holding it: the mock's state is plain
/// data, still usable.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("k3y", "k3y"));
        assert!(same_secret("", ""));
        assert!(!same_secret("k3y", "k3z"));
        assert!(!same_secret("k3y", "k3"));
        assert!(!same_secret("", "k"));
    }
}
