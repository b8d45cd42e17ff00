//! The OVH credentials the benchmark's mock accepts and its clients sign with.
//!
//! Fixed rather than generated, so that a peer client in another language
//! (`benches/peers/python-ovh.py` repeats them) can sign for the same server without
//! being handed secrets. They guard nothing: the mock listens on 127.0.0.1 only.

use signed_api::schemes::OvhCredentials;

/// The application key.
pub const APPLICATION_KEY: &str = "bench-application-key";
/// The application secret.
pub const APPLICATION_SECRET: &str = "bench-application-secret";
/// The consumer key.
pub const CONSUMER_KEY: &str = "bench-consumer-key";

/// The three of them, as the typed client and the runtime's scheme take them.
pub fn credentials() -> OvhCredentials {
    OvhCredentials::new(APPLICATION_KEY, APPLICATION_SECRET)
        .and_then(|credentials| credentials.with_consumer_key(CONSUMER_KEY))
        .expect("the fixed credentials are well formed")
}
