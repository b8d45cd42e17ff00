//! AWS's own Signature Version 4 test suite (`tests/vectors/sigv4/`, 38 cases): every
//! stage of every case, for the `Authorization` header form and for presigned URLs,
//! reproduced byte for byte: canonical request, string to sign, signature, and what the
//! signed request adds.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};
use signed_api_runtime::schemes::sigv4::{PathRule, Sigv4Credentials, Sigv4Request, Sigv4Scheme};

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sigv4")
}

/// A request as the suite writes it: request line, headers (a line that starts with
/// white space continues the previous value; the fold is kept for the signer to unfold),
/// blank line, body.
struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawRequest {
    /// The request as the signer reads it: every header of the case is signed (the suite
    /// signs all it is given), with the payload hash of its body.
    fn parts<'a>(&'a self, payload_hash: &'a str) -> Sigv4Request<'a> {
        let (path, query) = self.target.split_once('?').unwrap_or((&self.target, ""));
        Sigv4Request {
            method: &self.method,
            path,
            query,
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_bytes()))
                .collect(),
            payload_hash,
        }
    }
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let request_line = request_line.strip_suffix(" HTTP/1.1").unwrap();
    let (method, target) = request_line.split_once(' ').unwrap();
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

fn read(case: &Path, file: &str) -> String {
    std::fs::read_to_string(case.join(file)).unwrap_or_else(|e| panic!("{case:?} {file}: {e}"))
}

fn scheme_for(context: &serde_json::Value) -> Sigv4Scheme {
    let credentials = &context["credentials"];
    let mut keys = Sigv4Credentials::new(
        credentials["access_key_id"].as_str().unwrap(),
        credentials["secret_access_key"].as_str().unwrap(),
    )
    .unwrap();
    if let Some(token) = credentials["token"].as_str() {
        keys = keys.with_session_token(token).unwrap();
    }
    let rule = if context["normalize"].as_bool().unwrap() {
        PathRule::Normalized
    } else {
        PathRule::AsSent
    };
    Sigv4Scheme::new(
        keys,
        context["region"].as_str().unwrap(),
        context["service"].as_str().unwrap(),
    )
    .unwrap()
    .with_path_rule(rule)
    .with_content_sha256_header(context["sign_body"].as_bool().unwrap())
    .with_signed_session_token(!context["omit_session_token"].as_bool().unwrap_or(false))
}

/// The suite's time, `2015-08-30T12:36:00Z`, as Unix seconds.
fn timestamp_of(context: &serde_json::Value) -> i64 {
    let text = context["timestamp"].as_str().unwrap();
    assert_eq!(
        text, "2015-08-30T12:36:00Z",
        "every case of the suite signs at this time"
    );
    1_440_938_160
}

/// The headers the signed request has and the original has not, lower-cased and sorted.
fn added_headers(original: &RawRequest, signed: &RawRequest) -> Vec<(String, String)> {
    let mut added: Vec<(String, String)> = signed
        .headers
        .iter()
        .filter(|(name, _)| {
            !original
                .headers
                .iter()
                .any(|(known, _)| known.eq_ignore_ascii_case(name))
        })
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect();
    added.sort();
    added
}

/// The canonical request, string to sign and signature of one form (`header` or
/// `query`), each equal byte for byte to the suite's file.
fn assert_stages(case: &Path, form: &str, ours: [&String; 3]) {
    let name = case.file_name().unwrap().to_string_lossy();
    for (stage, ours) in ["canonical-request", "string-to-sign", "signature"]
        .into_iter()
        .zip(ours)
    {
        assert_eq!(
            *ours,
            read(case, &format!("{form}-{stage}.txt")),
            "{name}: {form} {stage}"
        );
    }
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(suite_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn the_suite_has_every_case() {
    assert_eq!(cases().len(), 38);
}

#[test]
fn every_case_signs_with_the_authorization_header() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let context: serde_json::Value =
            serde_json::from_str(&read(&case, "context.json")).unwrap();
        let scheme = scheme_for(&context);
        let request = parse_request(&read(&case, "request.txt"));
        let payload_hash = hex(&Sha256::digest(&request.body));
        let parts = request.parts(&payload_hash);
        let signed = scheme.sign_parts(&parts, timestamp_of(&context)).unwrap();
        let stages = [
            &signed.canonical_request,
            &signed.string_to_sign,
            &signed.signature,
        ];
        assert_stages(&case, "header", stages);
        let expected = added_headers(
            &request,
            &parse_request(&read(&case, "header-signed-request.txt")),
        );
        let mut ours: Vec<(String, String)> = signed
            .headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect();
        ours.sort();
        assert_eq!(ours, expected, "{name}: added headers");
    }
}

#[test]
fn every_case_signs_as_a_presigned_url() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let context: serde_json::Value =
            serde_json::from_str(&read(&case, "context.json")).unwrap();
        let scheme = scheme_for(&context);
        let request = parse_request(&read(&case, "request.txt"));
        let payload_hash = hex(&Sha256::digest(&request.body));
        let parts = request.parts(&payload_hash);
        let expires = Duration::from_secs(context["expiration_in_seconds"].as_u64().unwrap());
        let presigned = scheme
            .presign_parts(&parts, timestamp_of(&context), expires)
            .unwrap();
        let stages = [
            &presigned.canonical_request,
            &presigned.string_to_sign,
            &presigned.signature,
        ];
        assert_stages(&case, "query", stages);
        let signed = parse_request(&read(&case, "query-signed-request.txt"));
        let joiner = if request.target.contains('?') {
            '&'
        } else {
            '?'
        };
        assert_eq!(
            format!("{}{joiner}{}", request.target, presigned.query),
            signed.target,
            "{name}: presigned target"
        );
        assert_eq!(
            added_headers(&request, &signed),
            Vec::<(String, String)>::new(),
            "{name}: a presigned URL adds no header"
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
