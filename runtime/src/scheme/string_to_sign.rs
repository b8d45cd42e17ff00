//! The string a scheme signs, as one value that is both signed and shown.
//!
//! Every scheme builds its string from a few pieces (a timestamp, the URL, a body hash, and
//! for some a credential: OVH's application secret and consumer key, nOps' API key). Kept
//! as pieces marked public or secret, the same value gives the bytes to sign and a
//! rendering without the secrets (`--dry-run`, logs, test failures), so nothing has to
//! parse a scheme's layout back to find where its secrets are.

use std::fmt;

use zeroize::Zeroizing;

/// Whether a piece of a [`StringToSign`] may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Safe to print: methods, paths, timestamps, nonces, hashes, key ids.
    Public,
    /// A credential: shown as `***` and wiped from memory on drop.
    Secret,
}

/// The exact bytes a scheme signs for one request, kept as the pieces they are made of.
///
/// `Debug` shows [`redacted`](Self::redacted); the bytes themselves, secrets included,
/// come only from [`to_bytes`](Self::to_bytes) or [`parts`](Self::parts).
///
/// ```
/// use signed_api_runtime::scheme::{StringToSign, Visibility};
///
/// let string = StringToSign::new()
///     .secret("app-secret")
///     .public("+GET+https://api.example/me+")
///     .public("1700000000");
/// assert_eq!(string.redacted(), "***+GET+https://api.example/me+1700000000");
/// assert_eq!(&string.to_bytes()[..10], b"app-secret");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StringToSign {
    parts: Vec<(Visibility, Zeroizing<Vec<u8>>)>,
}

impl StringToSign {
    /// An empty string.
    pub fn new() -> Self {
        StringToSign::default()
    }

    /// The string made of these pieces, in order; the form a scheme that already lists its
    /// pieces for signing uses, so that what is shown is what is signed.
    pub fn from_parts<'a>(parts: impl IntoIterator<Item = (Visibility, &'a [u8])>) -> Self {
        let mut string = StringToSign::new();
        for (visibility, bytes) in parts {
            string.push(visibility, bytes);
        }
        string
    }

    /// Appends a piece.
    pub fn push(&mut self, visibility: Visibility, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        if bytes.is_empty() {
            return;
        }
        // Two public pieces in a row are one: fewer pieces, the same bytes and rendering.
        match self.parts.last_mut() {
            Some((Visibility::Public, last)) if visibility == Visibility::Public => {
                last.extend_from_slice(bytes)
            }
            _ => self
                .parts
                .push((visibility, Zeroizing::new(bytes.to_vec()))),
        }
    }

    /// The string with a public piece appended.
    pub fn public(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.push(Visibility::Public, bytes);
        self
    }

    /// The string with a secret piece appended.
    pub fn secret(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.push(Visibility::Secret, bytes);
        self
    }

    /// The pieces in order (empty pieces are not kept).
    pub fn parts(&self) -> impl Iterator<Item = (Visibility, &[u8])> {
        self.parts
            .iter()
            .map(|(visibility, bytes)| (*visibility, bytes.as_slice()))
    }

    /// The number of bytes signed.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|(_, bytes)| bytes.len()).sum()
    }

    /// Whether there is nothing to sign.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether a piece is secret.
    pub fn has_secrets(&self) -> bool {
        self.parts
            .iter()
            .any(|(visibility, _)| *visibility == Visibility::Secret)
    }

    /// The bytes that are signed, secrets included, in a buffer wiped on drop.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(self.len()));
        for (_, part) in &self.parts {
            bytes.extend_from_slice(part);
        }
        bytes
    }

    /// The string as text with every secret piece shown as `***`; bytes that are not UTF-8
    /// (a binary body) show as U+FFFD.
    pub fn redacted(&self) -> String {
        let mut out = String::with_capacity(self.len());
        for (visibility, part) in &self.parts {
            match visibility {
                Visibility::Public => out.push_str(&String::from_utf8_lossy(part)),
                Visibility::Secret => out.push_str("***"),
            }
        }
        out
    }
}

impl fmt::Debug for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("StringToSign")
            .field(&self.redacted())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_signed_but_never_shown() {
        let string = StringToSign::new()
            .public("id.")
            .secret("hunter2")
            .public("+")
            .public(b"\xff");
        assert_eq!(&*string.to_bytes(), b"id.hunter2+\xff");
        assert_eq!(string.redacted(), "id.***+\u{fffd}");
        let debug = format!("{string:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(string.has_secrets());
        assert_eq!(string.len(), 12);
    }

    #[test]
    fn built_from_parts_equals_built_piece_by_piece() {
        let parts: [(Visibility, &[u8]); 3] = [
            (Visibility::Secret, b"s"),
            (Visibility::Public, b""),
            (Visibility::Public, b"+x"),
        ];
        let string = StringToSign::from_parts(parts);
        assert_eq!(string, StringToSign::new().secret("s").public("+x"));
        assert_eq!(string.parts().count(), 2);
        assert!(StringToSign::new().public("").is_empty());
    }
}
