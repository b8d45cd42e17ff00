//! A credential that travels in a header, made into a header value once per scheme.
//!
//! The API keys of nOps and Qredo and OVH's consumer key go out unchanged on every
//! request. Built again per request, each value was a fresh copy of the credential:
//! an allocation and a check per call, and one more copy of the secret left in freed
//! memory each time. Here there is one copy, shared by every request's header (a
//! clone counts a reference), and wiped when the scheme and the last request holding it
//! are gone.

use std::fmt;

use bytes::Bytes;
use zeroize::Zeroizing;

use super::{HeaderValue, as_credential, check_header_text, not_header_text};
use crate::error::Result;
use crate::secret::Secret;

/// The credential's header value, shared and wiped on its last drop. `Debug` shows no
/// part of it.
#[derive(Clone)]
pub(crate) struct CredentialHeader(HeaderValue);

/// The bytes behind every clone of a [`CredentialHeader`]'s value: `Bytes` drops its
/// owner when the last reference goes, and `Zeroizing` wipes the buffer then.
struct Wiped(Zeroizing<Vec<u8>>);

impl AsRef<[u8]> for Wiped {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl CredentialHeader {
    /// The value of header `name` carrying `secret`, checked once (control characters
    /// refused with an error that names the header, never the secret) and marked
    /// sensitive.
    pub(crate) fn new(name: &str, secret: &Secret) -> Result<Self> {
        // Checked before it is copied: a refused credential leaves no copy behind.
        let value = check_header_text(name, secret.expose()).and_then(|()| {
            let bytes = Wiped(Zeroizing::new(secret.expose().as_bytes().to_vec()));
            HeaderValue::from_maybe_shared(Bytes::from_owner(bytes))
                .map_err(|_| not_header_text(name))
        });
        Ok(CredentialHeader(as_credential(name, value)?))
    }

    /// The value for one more request: the same bytes, not a copy.
    pub(crate) fn value(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl fmt::Debug for CredentialHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CredentialHeader(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_shares_one_copy_of_the_credential() {
        let header = CredentialHeader::new("X-Api-Key", &Secret::new("key-123")).unwrap();
        let (first, second) = (header.value(), header.value());
        assert_eq!(first, "key-123");
        assert!(first.is_sensitive());
        assert_eq!(first.as_bytes().as_ptr(), second.as_bytes().as_ptr());
    }

    #[test]
    fn a_credential_a_header_cannot_carry_is_refused_without_showing_it() {
        let err = CredentialHeader::new("X-Api-Key", &Secret::new("s3cr3t\r\nX-Evil: 1"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("X-Api-Key"), "{err}");
        assert!(!err.contains("s3cr3t") && !err.contains("Evil"), "{err}");
    }

    #[test]
    fn debug_shows_no_part_of_it() {
        let header = CredentialHeader::new("X-Api-Key", &Secret::new("key-123")).unwrap();
        assert_eq!(format!("{header:?}"), "CredentialHeader(***)");
        assert!(!format!("{:?}", header.value()).contains("key-123"));
    }
}
