//! The string both sides sign: the timestamp or nonce, the URL and the body, joined.

use crate::scheme::Visibility;

/// `TIMESTAMP_OR_NONCE + URL + BODY`, shared by the signer, the verifier and `--dry-run`;
/// nothing in it is secret.
pub(super) fn string_parts<'a>(
    first: &'a str,
    url: &'a str,
    body: &'a [u8],
) -> [(Visibility, &'a [u8]); 3] {
    [
        (Visibility::Public, first.as_bytes()),
        (Visibility::Public, url.as_bytes()),
        (Visibility::Public, body),
    ]
}

/// The string to sign joined, as the RSA signer and verifier take it.
pub(super) fn string_to_sign_bytes(first: &str, url: &str, body: &[u8]) -> Vec<u8> {
    let parts = string_parts(first, url, body);
    let mut bytes = Vec::with_capacity(parts.iter().map(|(_, part)| part.len()).sum());
    for (_, part) in parts {
        bytes.extend_from_slice(part);
    }
    bytes
}
