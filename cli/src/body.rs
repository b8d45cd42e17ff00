//! The body a call sends, with its content type: `--data JSON`, `--data-raw TEXT`, or the
//! bytes of a file or of stdin (`--data-raw @FILE`, `@-`).
//!
//! nOps, OVH, Qredo and Armor sign the body's bytes, so they need them all before signing:
//! a file is read into memory there, within `--max-body`. SigV4 can sign a hash given
//! beforehand instead, so `sigv4` streams a regular file ([`Body::File`]). Stdin, and a
//! file that is not a regular one (a pipe, `/dev/stdin`), is read into memory everywhere:
//! its length is not known beforehand, and an upload to S3 needs it (`Content-Length`),
//! nor can it be read twice, once for its hash and once to send it.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::args::{CallArgs, RawData};
use crate::error::CliError;

/// The type of a body read from a file or stdin that is not JSON (and of a streamed file).
const OCTET_STREAM: &str = "application/octet-stream";

/// A checked body.
#[derive(Debug)]
pub enum Body {
    /// Held in memory: given on the command line, or read whole.
    Held {
        bytes: Vec<u8>,
        content_type: String,
    },
    /// A regular file, read while it is sent.
    File {
        path: PathBuf,
        /// From the file's metadata when it was checked.
        length: u64,
        /// A type given with --header; the runtime's `application/octet-stream` otherwise.
        content_type: Option<String>,
    },
}

/// What a scheme can do with a body file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// The scheme signs the body's bytes: read the file into memory.
    Held,
    /// The scheme can sign without the bytes: stream a regular file.
    Streamed,
}

/// The body the arguments give, checked and, when it is to be held, read. `headers` are
/// the `--header`s: a Content-Type among them describes the body, and is taken out of them.
pub fn check(
    args: &CallArgs,
    files: Files,
    headers: &mut Vec<(String, String)>,
) -> Result<Option<Body>, CliError> {
    let source = match (&args.data, &args.data_raw) {
        (Some(json), _) => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
                return Err(CliError::Refused(format!("--data is not valid JSON: {e}")));
            }
            Source::Text(json)
        }
        (None, Some(RawData::Text(text))) => Source::Text(text),
        (None, Some(RawData::File(path))) => Source::File(path),
        (None, Some(RawData::Stdin)) => Source::Stdin,
        (None, None) => return Ok(None),
    };
    // A Content-Type given with --header describes the body; it is not a second header.
    let given_type = headers
        .iter()
        .position(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|at| headers.remove(at).1);
    let held = |bytes: Vec<u8>, default_type: &dyn Fn(&[u8]) -> &'static str| {
        let content_type = given_type
            .clone()
            .unwrap_or_else(|| default_type(&bytes).to_owned());
        Body::Held {
            bytes,
            content_type,
        }
    };
    let body = match source {
        Source::Text(text) => held(text.as_bytes().to_vec(), &text_type),
        Source::Stdin => held(read_stdin(args.max_body)?, &read_type),
        Source::File(path) => match open(path, files, args.max_body)? {
            Opened::Streamed(length) => Body::File {
                path: path.to_owned(),
                length,
                content_type: given_type,
            },
            Opened::Read(bytes) => held(bytes, &read_type),
        },
    };
    Ok(Some(body))
}

/// Where the body comes from.
enum Source<'a> {
    Text(&'a str),
    File(&'a Path),
    Stdin,
}

/// A body file, checked.
enum Opened {
    /// A regular file to stream, of this length.
    Streamed(u64),
    /// The bytes read.
    Read(Vec<u8>),
}

/// The type of a body typed on the command line: JSON, or text.
fn text_type(bytes: &[u8]) -> &'static str {
    if is_json(bytes) {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// The type of a body read from a file or stdin: JSON, or bytes of unknown kind.
fn read_type(bytes: &[u8]) -> &'static str {
    if is_json(bytes) {
        "application/json"
    } else {
        OCTET_STREAM
    }
}

/// Whether `bytes` are one JSON value, checked without building it (a body may be large).
fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

/// Opens the body file at `path`: a regular file to stream when the scheme can, else its
/// bytes, refused beyond `limit`. A file that cannot be opened, a folder, or one over the
/// limit is refused here, before any configuration is read or anything sent.
fn open(path: &Path, files: Files, limit: u64) -> Result<Opened, CliError> {
    let unreadable = |e: std::io::Error| {
        CliError::Refused(format!(
            "the body file {} cannot be read: {e}",
            path.display()
        ))
    };
    let file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(CliError::Refused(format!(
            "the body file {} is a directory",
            path.display()
        )));
    }
    if metadata.is_file() {
        if files == Files::Streamed {
            return Ok(Opened::Streamed(metadata.len()));
        }
        // The length known, a file too large is refused without reading any of it.
        if metadata.len() > limit {
            return Err(over_limit(
                &format!("the body file {}", path.display()),
                limit,
            ));
        }
    }
    read_bounded(file, limit, &format!("the body file {}", path.display())).map(Opened::Read)
}

/// Standard input's bytes, refused beyond `limit`.
fn read_stdin(limit: u64) -> Result<Vec<u8>, CliError> {
    read_bounded(std::io::stdin().lock(), limit, "stdin")
}

/// All of `reader`, or a refusal once it holds more than `limit` bytes: no more than one
/// byte past the limit is read.
fn read_bounded(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Refused(format!("{what} cannot be read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(over_limit(what, limit));
    }
    Ok(bytes)
}

fn over_limit(what: &str, limit: u64) -> CliError {
    CliError::Refused(format!(
        "{what} holds more than --max-body ({limit} bytes), the most a body read into \
         memory may hold; raise --max-body to send it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        assert_eq!(read_bounded(&b"abcd"[..], 4, "x").unwrap(), b"abcd");
        let error = read_bounded(&b"abcde"[..], 4, "stdin").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("stdin holds more than --max-body (4 bytes)"),
            "{error}"
        );
    }

    #[test]
    fn bodies_read_are_typed_json_or_bytes() {
        assert_eq!(read_type(b" {\"a\": [1, 2]}\n"), "application/json");
        assert_eq!(read_type(b"\x89PNG\r\n"), OCTET_STREAM);
        assert_eq!(read_type(b"plain text"), OCTET_STREAM);
        assert_eq!(text_type(b"plain text"), "text/plain; charset=utf-8");
        assert_eq!(text_type(b"[]"), "application/json");
    }
}
