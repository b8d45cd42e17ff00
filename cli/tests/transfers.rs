//! Bodies larger than memory through the command, against the mock's S3: a 20 MiB file
//! uploaded with `--data-raw @FILE` (signed with its SHA-256, and as UNSIGNED-PAYLOAD)
//! and downloaded with `--output`, byte for byte; `--output` that leaves FILE as it was
//! when anything fails; body files and stdin for the schemes that sign the bytes; and the
//! refusals, before anything is sent. Piped, stderr stays empty on success: no progress
//! bar, no control sequence.

mod common;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use signed_api_mock::Limits;

use common::*;

/// The size of the large file: past the progress threshold (4 MiB), many chunks.
const LARGE: usize = 20 * 1024 * 1024;

/// A mock whose S3 takes the large file.
fn harness(name: &str) -> Harness {
    Harness::with_limits(
        name,
        Limits {
            max_body: 32 * 1024 * 1024,
            ..Limits::default()
        },
    )
}

/// `len` bytes that no compression or short cycle would hide a mix-up in.
fn noise(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Asserts a run succeeded with nothing on either stream.
fn silent_success(run: &Run, what: &str) {
    assert_eq!(run.code, Some(0), "{what}: {run:?}");
    assert!(run.stdout.is_empty(), "{what}: stdout {run:?}");
    assert!(run.stderr.is_empty(), "{what}: stderr {run:?}");
    run.assert_no_secret();
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A fresh folder inside the harness's one.
fn folder(h: &Harness, name: &str) -> PathBuf {
    let dir = h.dir.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_large_file_goes_up_signed_or_unsigned_and_comes_down_whole() {
    let h = harness("large");
    let bytes = noise(LARGE);
    let upload = h.dir.join("upload.bin");
    std::fs::write(&upload, &bytes).unwrap();
    let at_upload = format!("@{}", path_arg(&upload));
    silent_success(&h.run_s3(&["sigv4", "PUT", "/transfers"]), "bucket");

    // Signed: the dry run states the file's hash, and names the file without its bytes.
    let dry = h.run_s3(&[
        "sigv4",
        "PUT",
        "/transfers/signed.bin",
        "--data-raw",
        &at_upload,
        "--dry-run",
    ]);
    assert_eq!(dry.code, Some(0), "{dry:?}");
    let hash_header = format!("x-amz-content-sha256: {}\n", sha256_hex(&bytes));
    assert!(dry.stdout.contains(&hash_header), "{}", dry.stdout);
    assert!(
        dry.stdout
            .contains(&format!("({LARGE} bytes), read while it is sent")),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.len() < 4096, "the body was printed");
    assert_eq!(h.mock.total_requests(), 1, "the dry run sent nothing");

    for (key, extra) in [
        ("/transfers/signed.bin", None),
        ("/transfers/unsigned.bin", Some("--unsigned-payload")),
    ] {
        let mut args = vec!["sigv4", "PUT", key, "--data-raw", &at_upload];
        args.extend(extra);
        silent_success(&h.run_s3(&args), key);

        let download = h.dir.join(format!("download-{}", &key[11..]));
        let run = h.run_s3(&["sigv4", "GET", key, "--output", &path_arg(&download)]);
        silent_success(&run, key);
        let got = std::fs::read(&download).unwrap();
        assert_eq!(got.len(), LARGE, "{key}");
        assert_eq!(sha256_hex(&got), sha256_hex(&bytes), "{key}");
    }
    // Only the files themselves: no temporary file left beside them.
    assert_eq!(
        names(&h.dir),
        ["download-signed.bin", "download-unsigned.bin", "upload.bin"]
    );
}

#[test]
fn a_hash_given_with_header_is_sent_as_given_and_checked_by_the_server() {
    let h = harness("given-hash");
    let file = h.dir.join("body.txt");
    std::fs::write(&file, b"the bytes sent").unwrap();
    let at_file = format!("@{}", path_arg(&file));
    silent_success(&h.run_s3(&["sigv4", "PUT", "/hashes"]), "bucket");
    let right = format!("x-amz-content-sha256: {}", sha256_hex(b"the bytes sent"));
    let run = h.run_s3(&[
        "sigv4",
        "PUT",
        "/hashes/k",
        "--data-raw",
        &at_file,
        "--header",
        &right,
    ]);
    silent_success(&run, "the right hash");
    let wrong = format!("x-amz-content-sha256: {}", sha256_hex(b"other bytes"));
    let run = h.run_s3(&[
        "sigv4",
        "PUT",
        "/hashes/k",
        "--data-raw",
        &at_file,
        "--header",
        &wrong,
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("XAmzContentSHA256Mismatch"), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
}

#[test]
fn output_replaces_file_only_when_the_answer_arrived_whole() {
    let h = harness("output");
    silent_success(&h.run_s3(&["sigv4", "PUT", "/outputs"]), "bucket");
    let run = h.run_s3(&["sigv4", "PUT", "/outputs/k", "--data-raw", "new content"]);
    silent_success(&run, "object");
    let dir = folder(&h, "out");
    let file = dir.join("k.txt");
    std::fs::write(&file, "old content").unwrap();

    // An error answer: shown on stderr, exit 1, FILE as it was, nothing else left.
    let run = h.run_s3(&[
        "sigv4",
        "GET",
        "/outputs/missing",
        "--output",
        &path_arg(&file),
    ]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.contains("NoSuchKey"), "{run:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "old content");
    assert_eq!(names(&dir), ["k.txt"]);

    // A 2xx answer replaces it (as curl -o overwrites), and nothing goes to stdout.
    let run = h.run_s3(&["sigv4", "GET", "/outputs/k", "--output", &path_arg(&file)]);
    silent_success(&run, "replaced");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "new content");
    assert_eq!(names(&dir), ["k.txt"]);

    // Relative to the working directory, and for any scheme: the raw bytes, not
    // pretty-printed as stdout would show JSON.
    let run = h.run(&["ovh", "GET", "/me", "--output", "me.json"]);
    silent_success(&run, "ovh");
    let written = std::fs::read_to_string(h.dir.join("me.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert!(json["nichandle"].is_string(), "{written}");
    assert!(!written.contains("\n  "), "pretty-printed: {written}");
}

#[test]
fn output_into_a_missing_folder_or_onto_a_folder_is_refused_before_sending() {
    let h = harness("output-refused");
    let missing = h.dir.join("missing").join("k.txt");
    let existing = folder(&h, "existing");
    for (target, expected) in [
        (path_arg(&missing), "does not exist"),
        (path_arg(&existing), "is a directory"),
        ("-".to_owned(), "leave out --output"),
    ] {
        let run = h.run_s3(&["sigv4", "GET", "/b/k", "--output", &target]);
        assert_eq!(run.code, Some(2), "{target}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains(expected), "{target}: {run:?}");
    }
    assert!(!h.dir.join("missing").exists());
    assert_eq!(names(&existing), Vec::<String>::new());
    assert_eq!(h.mock.total_requests(), 0);
    assert_eq!(h.mock.connections(), 0);
}

#[test]
fn a_body_file_that_cannot_be_read_is_refused_before_sending() {
    let h = harness("missing-file");
    let missing = format!("@{}", path_arg(&h.dir.join("missing.bin")));
    let folder_body = format!("@{}", path_arg(&h.dir));
    let cases: [(&[&str], &str); 5] = [
        (
            &["sigv4", "PUT", "/b/k", "--data-raw", &missing],
            "cannot be read",
        ),
        (
            &[
                "sigv4",
                "PUT",
                "/b/k",
                "--data-raw",
                &missing,
                "--unsigned-payload",
            ],
            "cannot be read",
        ),
        (
            &["ovh", "POST", "/me", "--data-raw", &missing],
            "cannot be read",
        ),
        (
            &["armor", "PUT", "/x", "--data-raw", &folder_body],
            "is a directory",
        ),
        (&["nops", "POST", "/x", "--data-raw", "@"], "names no file"),
    ];
    for (args, expected) in cases {
        let run = h.run_s3(args);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {run:?}");
    }
    assert_eq!(h.mock.total_requests(), 0);
    assert_eq!(h.mock.connections(), 0);
}

#[test]
fn schemes_that_sign_the_bytes_read_the_file_within_max_body() {
    let h = harness("held");
    let record = br#"{"fieldType":"A","subDomain":"files","target":"203.0.113.9"}"#;
    let file = h.dir.join("record.json");
    std::fs::write(&file, record).unwrap();
    let at_file = format!("@{}", path_arg(&file));
    let path = "/domain/zone/example.com/record";

    // Over the limit: refused before anything is sent, the file not read.
    let run = h.run(&[
        "ovh",
        "POST",
        path,
        "--data-raw",
        &at_file,
        "--max-body",
        "16",
    ]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("more than --max-body (16 bytes)"),
        "{run:?}"
    );
    assert_eq!(h.mock.total_requests(), 0);

    // Within it: signed over the file's bytes, typed as the JSON it is.
    let dry = h.run(&["ovh", "POST", path, "--data-raw", &at_file, "--dry-run"]);
    assert_eq!(dry.code, Some(0), "{dry:?}");
    assert!(
        dry.stdout.contains("content-type: application/json\n"),
        "{dry:?}"
    );
    assert!(
        dry.stdout.contains(std::str::from_utf8(record).unwrap()),
        "{dry:?}"
    );
    let created = h.run(&["ovh", "POST", path, "--data-raw", &at_file]).json();
    assert_eq!(created["subDomain"], "files", "{created}");

    // From stdin, the same.
    let created = h
        .run_s3_fed(&["ovh", "POST", path, "--data-raw", "@-"], record)
        .json();
    assert_eq!(created["target"], "203.0.113.9", "{created}");
    let run = h.run_s3_fed(
        &["ovh", "POST", path, "--data-raw", "@-", "--max-body", "8"],
        record,
    );
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("stdin holds more than"), "{run:?}");
}

#[test]
fn stdin_and_literal_at_signs_for_sigv4() {
    let h = harness("stdin");
    silent_success(&h.run_s3(&["sigv4", "PUT", "/piped"]), "bucket");
    // Stdin is held (its length is needed) and signed as any held body.
    let run = h.run_s3_fed(
        &["sigv4", "PUT", "/piped/k", "--data-raw", "@-"],
        b"from stdin",
    );
    silent_success(&run, "stdin");
    let run = h.run_s3(&["sigv4", "GET", "/piped/k"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (Some(0), "from stdin"),
        "{run:?}"
    );
    // `@@` sends one literal `@`.
    let run = h.run_s3(&["sigv4", "PUT", "/piped/at", "--data-raw", "@@handle"]);
    silent_success(&run, "literal");
    let run = h.run_s3(&["sigv4", "GET", "/piped/at"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (Some(0), "@handle"),
        "{run:?}"
    );
}
