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
    string_parts(first, url, body)
        .iter()
        .flat_map(|(_, part)| part.iter().copied())
        .collect()
}
