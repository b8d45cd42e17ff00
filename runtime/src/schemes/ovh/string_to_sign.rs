//! The string both sides sign, and the `$1$` signature over it.

use sha1::{Digest, Sha1};

use crate::crypto::lower_hex;
use crate::scheme::upper_case;
use crate::scheme::{SignableRequest, Visibility};

/// OVH's string to sign, shared by the signer, the verifier and `--dry-run`, as the pieces
/// it is made of: hashed piece by piece, never joined (and never copied) on the signing
/// path. Bytes, not text: the body is hashed exactly as sent, even when it is not UTF-8.
pub(super) fn string_parts<'a>(
    secret: &'a str,
    consumer_key: &'a str,
    method: &'a str,
    request: &SignableRequest<'a>,
    timestamp: &'a str,
) -> [(Visibility, &'a [u8]); 11] {
    use Visibility::{Public, Secret};
    [
        (Secret, secret.as_bytes()),
        (Public, b"+"),
        (Secret, consumer_key.as_bytes()),
        (Public, b"+"),
        (Public, method.as_bytes()),
        (Public, b"+"),
        (Public, request.url.as_bytes()),
        (Public, b"+"),
        (Public, request.body),
        (Public, b"+"),
        (Public, timestamp.as_bytes()),
    ]
}

/// `$1$` + lowercase hex SHA-1 of the pre-image, for the timestamp as its decimal text
/// (the text the `X-Ovh-Timestamp` header carries).
pub(super) fn signature(
    secret: &str,
    consumer_key: &str,
    request: &SignableRequest<'_>,
    timestamp: &str,
) -> String {
    let method = upper_case(request.method);
    let mut hasher = Sha1::new();
    for (_, part) in string_parts(secret, consumer_key, &method, request, timestamp) {
        hasher.update(part);
    }
    let mut out = String::with_capacity(3 + 40);
    out.push_str("$1$");
    lower_hex(&hasher.finalize(), &mut out);
    out
}
