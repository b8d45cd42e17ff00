//! The canonical request: the one text both sides rebuild from the request, so that any
//! byte changed on the way (method, path, query, a signed header, the payload hash) gives
//! another signature.
//!
//! Each part is rebuilt from the bytes as they travel, and the rules are the same for the
//! client (which renders what it is about to send) and the verifier (which reads what it
//! received): see `docs/schemes/sigv4.md`.

use std::borrow::Cow;

/// How the path becomes the canonical URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathRule {
    /// Every AWS service but S3: `.` and `..` segments and empty segments are removed, then
    /// every byte but the unreserved ones and `/` is percent-encoded, so a path already
    /// encoded on the wire is encoded a second time (`%20` becomes `%2520`).
    Normalized,
    /// S3: the path as sent, neither normalised nor encoded again (an object key may hold
    /// `//` or `..`, and names one object only as written). Bytes a URL cannot carry
    /// (space, non-ASCII) are encoded once; existing `%XX` escapes stay.
    AsSent,
}

/// RFC 3986's unreserved characters, the only ones SigV4 leaves unencoded.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

fn push_escaped(byte: u8, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(byte >> 4)] as char);
    out.push(HEX[usize::from(byte & 0xf)] as char);
}

/// Percent-encodes every byte but the unreserved ones (and `/` when `keep_slash`).
pub(crate) fn encode(text: &[u8], keep_slash: bool, out: &mut String) {
    for &byte in text {
        if is_unreserved(byte) || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            push_escaped(byte, out);
        }
    }
}

/// The canonical URI of `path` (the request-target's path, without the query). Borrowed
/// when the path already is canonical (the usual S3 case: the client encoded it).
pub fn canonical_uri(path: &str, rule: PathRule) -> Cow<'_, str> {
    match rule {
        PathRule::Normalized => {
            let mut out = String::with_capacity(path.len() + 8);
            encode(normalize_path(path).as_bytes(), true, &mut out);
            Cow::Owned(out)
        }
        PathRule::AsSent if path.is_empty() => Cow::Borrowed("/"),
        PathRule::AsSent => {
            let bytes = path.as_bytes();
            let is_escape = |at: usize| {
                bytes[at] == b'%'
                    && bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit)
            };
            // Kept as they travel: unreserved characters, `/`, `%XX` escapes, and the
            // sub-delimiters, `:` and `@` a path may carry unencoded.
            let kept = |at: usize| {
                let byte = bytes[at];
                (byte.is_ascii_graphic() && byte != b'%') || is_escape(at)
            };
            if (0..bytes.len()).all(kept) {
                return Cow::Borrowed(path);
            }
            let mut out = String::with_capacity(path.len() + 8);
            for (at, &byte) in bytes.iter().enumerate() {
                if kept(at) {
                    out.push(byte as char);
                } else {
                    push_escaped(byte, &mut out);
                }
            }
            Cow::Owned(out)
        }
    }
}

/// Removes `.` and `..` segments and empty segments, keeping a leading and a trailing `/`.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = String::with_capacity(path.len());
    out.push('/');
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// The canonical query string: each name and value decoded from the wire and encoded again
/// with SigV4's rule (so `%7e`, `~` and `%7E` are one text), sorted by name then value,
/// joined with `&`. A name without `=` has an empty value. Pairs whose name is `skip`
/// (`X-Amz-Signature` when verifying a presigned URL) are left out.
pub fn canonical_query(query: &str, skip: Option<&str>) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if skip == Some(name) {
                return None;
            }
            Some((reencode(name), reencode(value)))
        })
        .collect();
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 16);
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Decodes `%XX` escapes (a `%` without two hex digits stays a `%`) and encodes the result
/// with SigV4's rule. A `+` is a plus sign, not a space: SigV4 has no form encoding.
fn reencode(text: &str) -> String {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(text).collect();
    let mut out = String::with_capacity(decoded.len() + 8);
    encode(&decoded, false, &mut out);
    out
}

/// The signed headers in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalHeaders {
    /// `name:value\n` for each header, sorted by name.
    pub lines: String,
    /// The names joined with `;` (`SignedHeaders`).
    pub names: String,
}

impl CanonicalHeaders {
    /// Canonicalises `headers`: names lower-cased, values trimmed with each run of white
    /// space (line folds included) made one space, the values of a name sent more than once
    /// joined with `,` in the order sent, names sorted.
    pub fn new<'a>(headers: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Self {
        let mut entries: Vec<(Cow<'a, str>, Cow<'a, str>)> = headers
            .into_iter()
            .map(|(name, value)| {
                let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(name.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(name)
                };
                (name, collapse_whitespace(value))
            })
            .collect();
        // Stable: the values of one name keep the order they were sent in.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let size: usize = entries.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
        let mut lines = String::with_capacity(size);
        let mut names = String::with_capacity(size);
        let mut previous: Option<&str> = None;
        for (name, value) in &entries {
            if previous == Some(name) {
                // A second value of the same name continues its line.
                lines.pop();
                lines.push(',');
            } else {
                if previous.is_some() {
                    names.push(';');
                }
                names.push_str(name);
                lines.push_str(name);
                lines.push(':');
            }
            lines.push_str(value);
            lines.push('\n');
            previous = Some(name);
        }
        CanonicalHeaders { lines, names }
    }
}

/// Trims and collapses runs of space, tab, CR and LF into one space; borrowed when the
/// value is already in that form (nearly always). A value that is not UTF-8 (obs-text)
/// is read as Latin-1, one character per byte as received.
fn collapse_whitespace(value: &[u8]) -> Cow<'_, str> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    if let Ok(text) = std::str::from_utf8(value) {
        // One pass without an early exit (vector code): values are nearly always canonical,
        // so the whole value is read anyway.
        let needs_work = value
            .iter()
            .zip(value.iter().skip(1))
            .fold(false, |found, (&before, &b)| {
                found | (is_space(b) & ((b != b' ') | is_space(before)))
            });
        let canonical = !value.first().is_some_and(|&b| is_space(b))
            && !value.last().is_some_and(|&b| is_space(b))
            && !needs_work;
        if canonical {
            return Cow::Borrowed(text);
        }
    }
    let text: Cow<'_, str> = match std::str::from_utf8(value) {
        Ok(text) => text.into(),
        Err(_) => value.iter().map(|&byte| char::from(byte)).collect(),
    };
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if matches!(ch, ' ' | '\t' | '\r' | '\n') {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    Cow::Owned(out)
}

/// The canonical request: method, canonical URI, canonical query, canonical headers, a
/// blank line, the signed header names and the payload hash, one per line.
pub fn canonical_request(
    method: &str,
    uri: &str,
    query: &str,
    headers: &CanonicalHeaders,
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(
        method.len()
            + uri.len()
            + query.len()
            + headers.lines.len()
            + headers.names.len()
            + payload_hash.len()
            + 5,
    );
    for part in [method, "\n", uri, "\n", query, "\n", &headers.lines, "\n"] {
        out.push_str(part);
    }
    out.push_str(&headers.names);
    out.push('\n');
    out.push_str(payload_hash);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_each_rule() {
        assert_eq!(
            canonical_uri("/a/./b/../c//d/", PathRule::Normalized),
            "/a/c/d/"
        );
        assert_eq!(canonical_uri("/a%20b", PathRule::Normalized), "/a%2520b");
        assert_eq!(canonical_uri("/a%20b", PathRule::AsSent), "/a%20b");
        assert_eq!(canonical_uri("/a b/%zz", PathRule::AsSent), "/a%20b/%25zz");
        assert_eq!(canonical_uri("//x/../y", PathRule::AsSent), "//x/../y");
        assert_eq!(canonical_uri("", PathRule::AsSent), "/");
        assert_eq!(canonical_uri("/..", PathRule::Normalized), "/");
    }

    #[test]
    fn queries_are_decoded_encoded_and_sorted() {
        assert_eq!(canonical_query("b=2&a=1&a=0", None), "a=0&a=1&b=2");
        assert_eq!(canonical_query("x&y=", None), "x=&y=");
        assert_eq!(canonical_query("k=%7e~%7E+", None), "k=~~~%2B");
        assert_eq!(
            canonical_query("a=1&X-Amz-Signature=f", Some("X-Amz-Signature")),
            "a=1"
        );
        assert_eq!(canonical_query("", None), "");
    }

    #[test]
    fn header_values_are_trimmed_and_merged() {
        let headers = CanonicalHeaders::new([
            ("B", &b" two  words "[..]),
            ("a", b"1"),
            ("b", b"again"),
            ("c", b"caf\xc3\xa9  x"),
        ]);
        assert_eq!(headers.lines, "a:1\nb:two words,again\nc:caf\u{e9} x\n");
        assert_eq!(headers.names, "a;b;c");
        for (raw, canonical) in [
            (&b"plain value"[..], "plain value"),
            (b"a\tb", "a b"),
            (b"a \tb", "a b"),
            (b" a", "a"),
            (b"a\r\n  b", "a b"),
            (b"\t", ""),
        ] {
            assert_eq!(collapse_whitespace(raw), canonical, "{raw:?}");
        }
    }
}
