//! `signed-api sigv4 METHOD PATH …`: a call as the other schemes make it, signed for the
//! service and region the flags or the AWS configuration give, or, with `--presign`, a
//! presigned URL printed instead of anything sent.
//!
//! A body file (`--data-raw @FILE`) is streamed: SigV4 signs the hash that
//! `x-amz-content-sha256` states rather than the bytes, so the file's SHA-256 is computed
//! first, reading it once in chunks, and the upload stays signed. With
//! `--unsigned-payload` it is `UNSIGNED-PAYLOAD` instead, and a hash given with `--header`
//! is sent as given.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};
use signed_api_runtime::schemes::sigv4::{self, UNSIGNED_PAYLOAD};

use crate::args::Sigv4Args;
use crate::body::Files;
use crate::call::{self, Inputs, print_stdout};
use crate::dry_run;
use crate::error::CliError;
use crate::progress::Progress;
use crate::target;

/// The header that tells SigV4 which payload hash to sign.
const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// How many bytes of a file are hashed at a time.
const HASH_CHUNK: usize = 256 * 1024;

pub async fn run(args: Sigv4Args) -> Result<(), CliError> {
    let mut inputs = Inputs::check(&args.call, Files::Streamed)?;
    if args.unsigned_payload {
        inputs.add_header(CONTENT_SHA256, UNSIGNED_PAYLOAD, "--unsigned-payload")?;
    }
    let hash_given = inputs.has_header(CONTENT_SHA256);
    let method = inputs.method().clone();
    let target = target::load_sigv4(
        &args.service,
        args.region.as_deref(),
        args.call.base_url.as_deref(),
    )?;
    let mut call = call::request(&sigv4::DESCRIPTOR, &target, &args.call, inputs)?;
    // Hashed once everything else is checked: a mistake is not reported after a long read.
    let hash = match call.streamed_file() {
        Some((path, length)) if !hash_given => Some(file_sha256(path, length)?),
        _ => None,
    };
    if let Some(hash) = hash {
        call.request = call.request.header(CONTENT_SHA256, hash);
    }
    match args.presign {
        None => call::show_or_send(call, args.call.dry_run).await,
        Some(expires_in) => {
            // Signed with the local clock: presigning asks the network nothing.
            let url = call.request.presign(expires_in)?;
            // A presigned URL is sent by nobody here, dry run or not; a dry run only hides
            // what makes it usable, as it hides every credential.
            let text = if args.call.dry_run {
                dry_run::render_presigned(&method, &url)
            } else {
                format!("{url}\n")
            };
            print_stdout(text.as_bytes())
        }
    }
}

/// The lower-case hex SHA-256 of the first `length` bytes of the file at `path` (the
/// bytes the upload sends), read in chunks, never whole. A file that changes before it is
/// sent no longer matches, and the server refuses it (S3: `XAmzContentSHA256Mismatch`).
fn file_sha256(path: &Path, length: u64) -> Result<String, CliError> {
    let unreadable = |e: std::io::Error| {
        CliError::Refused(format!(
            "the body file {} cannot be read: {e}",
            path.display()
        ))
    };
    let progress = Progress::new("hashing", Some(length));
    let digest = sha256_of(path, length, &progress);
    // The step before the upload: its bar goes, the upload's takes its place.
    progress.clear();
    let digest = digest.map_err(unreadable)?;
    Ok(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

fn sha256_of(path: &Path, length: u64, progress: &Progress) -> std::io::Result<[u8; 32]> {
    let mut file = File::open(path)?.take(length);
    let mut hasher = Sha256::new();
    let mut chunk = vec![0; HASH_CHUNK];
    loop {
        let read = file.read(&mut chunk)?;
        if read == 0 {
            return Ok(hasher.finalize().into());
        }
        hasher.update(&chunk[..read]);
        progress.add(read as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_hash_as_their_bytes_do() {
        let path = std::env::temp_dir().join(format!("signed-api-hash-{}", std::process::id()));
        // Across chunk boundaries, with the bytes past `length` left out.
        let bytes: Vec<u8> = (0..HASH_CHUNK * 2 + 7).map(|i| i as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let expected = |bytes: &[u8]| -> String {
            Sha256::digest(bytes)
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect()
        };
        assert_eq!(
            file_sha256(&path, bytes.len() as u64).unwrap(),
            expected(&bytes)
        );
        assert_eq!(file_sha256(&path, 10).unwrap(), expected(&bytes[..10]));
        let _ = std::fs::remove_file(&path);
        assert!(file_sha256(&path, 0).is_err());
        assert_eq!(
            file_sha256(Path::new("/dev/null"), 0).unwrap(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
