//! `signed-api <scheme> METHOD PATH …`: check every input, build the request once, then
//! either show it (`--dry-run`) or send it and print the answer. `sigv4.rs` takes the
//! same steps around a target of its own.

use std::io::Write;
use std::path::{Path, PathBuf};

use signed_api_runtime::__workspace::parse_method;
use signed_api_runtime::{BaseUrl, Client, Method, Request, RetryPolicy};
use tokio::io::{AsyncReadExt, Take};
use tokio_util::io::ReaderStream;

use crate::args::CallArgs;
use crate::body::{self, Body, Files};
use crate::download::Output;
use crate::error::CliError;
use crate::progress::{CountedStream, Progress};
use crate::{dry_run, interrupt};
use signed_api_runtime::scheme::SchemeDescriptor;

use crate::target::{self, ApiTarget};
use crate::terminal;

/// How many bytes of a file body are read at a time (as the runtime's `file_body` does).
const FILE_CHUNK: usize = 64 * 1024;

/// A path split into its path and the query pairs it carried. The path is a template for
/// the runtime, with the segments it must not re-encode passed as parameters.
struct SplitPath {
    path: String,
    params: Vec<(String, String)>,
    query: Vec<(String, String)>,
}

/// `PATH` relative to the base URL, or a full URL that starts with it. Signed credentials
/// never go to another host, so a URL elsewhere is refused.
fn split_path(base_url: &BaseUrl, given: &str) -> Result<SplitPath, CliError> {
    let relative = if given.starts_with("http://") || given.starts_with("https://") {
        base_url.relative_path(given).ok_or_else(|| {
            CliError::Refused(format!(
                "the URL {given} is outside the base URL {base_url}; \
                 signed requests only go to the configured API"
            ))
        })?
    } else {
        given
    };
    if relative.contains('#') {
        return Err(CliError::Refused(
            "the path contains `#`: a fragment is never sent; remove it".into(),
        ));
    }
    let (path, query) = relative.split_once('?').unwrap_or((relative, ""));
    let path = if path.is_empty() { "/" } else { path };
    if !path.starts_with('/') {
        return Err(CliError::Refused(format!(
            "the path `{path}` must start with `/` (it is relative to {base_url})"
        )));
    }
    let (path, params) = path_template(path)?;
    Ok(SplitPath {
        path,
        params,
        query: url_pairs(query),
    })
}

/// The runtime encodes a path's literal characters, `%` included, so `/a%20b` as typed (or
/// in a pasted URL) would go out as `/a%2520b`. A segment with a `%` is therefore decoded
/// and passed as a parameter, which the runtime encodes again as one segment: `/a%20b`
/// goes out as written, like the query. Braces, which the runtime reads as placeholders,
/// go the same way. Other segments are passed as they are.
fn path_template(path: &str) -> Result<(String, Vec<(String, String)>), CliError> {
    let mut params = Vec::new();
    let mut segments = Vec::new();
    for segment in path.split('/') {
        if !segment.contains(['%', '{', '}']) {
            segments.push(segment.to_owned());
            continue;
        }
        let decoded = percent_decode(segment).ok_or_else(|| {
            CliError::Refused(format!(
                "the path segment `{segment}` does not decode to UTF-8 text"
            ))
        })?;
        if decoded == "." || decoded == ".." {
            return Err(CliError::Refused(format!(
                "the path segment `{segment}` decodes to `{decoded}`, which would change the path"
            )));
        }
        let name = format!("segment{}", params.len());
        segments.push(format!("{{{name}}}"));
        params.push((name, decoded));
    }
    Ok((segments.join("/"), params))
}

/// `%XX` escapes decoded; a `%` not followed by two hex digits stays as it is (as the
/// query's decoding does). `None` when the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// The pairs of a query string as written in a URL (decoded; the runtime encodes them
/// again, once, when it builds the URL it signs).
fn url_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The request from checked parts: `headers` are the `--header`s less a Content-Type that
/// went with the body.
fn build(
    client: &Client,
    method: Method,
    split: SplitPath,
    query: &[(String, String)],
    headers: &[(String, String)],
    unsigned: bool,
) -> Request {
    let mut request = client.request(method, split.path);
    for (name, value) in &split.params {
        request = request.path_param(name, value);
    }
    for (name, value) in split.query.iter().chain(query) {
        request = request.query(name, value);
    }
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if unsigned {
        request = request.unsigned();
    }
    request
}

/// `request` with `body`. A file is streamed by the runtime (`file_body`), or, when its
/// progress is shown (`upload`), as a stream this command reads and counts: sent once
/// then, not retried even after a connection that was never made (the person watching
/// sees the failure and can run the command again).
fn with_body(
    request: Request,
    body: Option<Body>,
    upload: Option<&Progress>,
) -> Result<Request, CliError> {
    Ok(match body {
        None => request,
        Some(Body::Held {
            bytes,
            content_type,
        }) => request.raw_body(bytes, &content_type),
        Some(Body::File {
            path,
            length,
            content_type,
        }) => {
            let request = match content_type {
                Some(content_type) => request.header("Content-Type", &content_type),
                None => request,
            };
            match upload {
                Some(progress) => {
                    request.stream_body(counted_file(&path, length, progress)?, Some(length))
                }
                None => request.file_body(path),
            }
        }
    })
}

/// The first `length` bytes of the file at `path` as a stream of chunks counted into
/// `progress` (no more than the length sent as `Content-Length`, as `file_body` reads).
fn counted_file(
    path: &Path,
    length: u64,
    progress: &Progress,
) -> Result<CountedStream<ReaderStream<Take<tokio::fs::File>>>, CliError> {
    let file = std::fs::File::open(path).map_err(|e| {
        CliError::Refused(format!(
            "the body file {} cannot be read: {e}",
            path.display()
        ))
    })?;
    let chunks =
        ReaderStream::with_capacity(tokio::fs::File::from_std(file).take(length), FILE_CHUNK);
    Ok(CountedStream::new(chunks, progress.clone()))
}

/// What a call takes from its arguments alone, checked before any configuration is read:
/// a bad method, body or output file is refused before credentials are.
pub struct Inputs {
    method: Method,
    /// The `--header`s less a Content-Type that went with the body.
    headers: Vec<(String, String)>,
    body: Option<Body>,
    output: Option<Output>,
}

impl Inputs {
    /// `files` says what the scheme can do with a body file.
    pub fn check(args: &CallArgs, files: Files) -> Result<Self, CliError> {
        let method = parse_method(&args.method)?;
        let mut headers = args.header.clone();
        let body = body::check(args, files, &mut headers)?;
        let output = args.output.as_deref().map(Output::check).transpose()?;
        Ok(Inputs {
            method,
            headers,
            body,
            output,
        })
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The file body to be streamed, and its length, if the body is one.
    pub fn streamed_file(&self) -> Option<(&Path, u64)> {
        match &self.body {
            Some(Body::File { path, length, .. }) => Some((path, *length)),
            _ => None,
        }
    }

    /// Whether a header of this name was given with --header.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(given, _)| given.eq_ignore_ascii_case(name))
    }

    /// Adds a header that `flag` stands for. The same name given with --header is
    /// refused rather than sent twice: which copy a server reads is anyone's guess.
    pub fn add_header(&mut self, name: &str, value: &str, flag: &str) -> Result<(), CliError> {
        if self.has_header(name) {
            return Err(CliError::Refused(format!(
                "{flag} sets the header {name}; leave out the --header of that name"
            )));
        }
        self.headers.push((name.to_owned(), value.to_owned()));
        Ok(())
    }
}

/// A request ready to be shown or sent, with what sending it involves besides.
pub struct Call {
    pub request: Request,
    /// The bar of a file upload whose progress is shown.
    upload: Option<Progress>,
    /// A file body, for a dry run to name (its bytes are not shown).
    streamed_file: Option<(PathBuf, u64)>,
    output: Option<Output>,
}

impl Call {
    /// The file body to be streamed, and its length, if the body is one.
    pub fn streamed_file(&self) -> Option<(&Path, u64)> {
        self.streamed_file
            .as_ref()
            .map(|(path, length)| (path.as_path(), *length))
    }
}

/// The request to `target`, with the path checked against its base URL.
pub fn request(
    descriptor: &SchemeDescriptor,
    target: &ApiTarget,
    args: &CallArgs,
    inputs: Inputs,
) -> Result<Call, CliError> {
    let split = split_path(&target.base_url, &args.path)?;
    let unsigned = descriptor.is_unsigned(inputs.method.as_str(), &split.path);
    if !unsigned {
        target.check_signable()?;
    }
    let client = Client::builder(target.scheme.clone())
        .base_url(target.base_url.as_str())
        .retry(RetryPolicy::default())
        .max_response_body(args.max_body)
        .build()?;
    let streamed_file = inputs
        .streamed_file()
        .map(|(path, length)| (path.to_owned(), length));
    // Made only for a request that goes: a bar, once made, is drawn until finished.
    let upload = match &streamed_file {
        Some((_, length)) if !args.dry_run => {
            Some(Progress::new("uploading", Some(*length))).filter(Progress::is_shown)
        }
        _ => None,
    };
    let request = build(
        &client,
        inputs.method,
        split,
        &args.query,
        &inputs.headers,
        unsigned,
    );
    let request = with_body(request, inputs.body, upload.as_ref())?;
    Ok(Call {
        request,
        upload,
        streamed_file,
        output: inputs.output,
    })
}

pub async fn run(scheme: &'static SchemeDescriptor, args: CallArgs) -> Result<(), CliError> {
    let inputs = Inputs::check(&args, Files::Held)?;
    let target = target::load(scheme, args.base_url.as_deref())?;
    let call = request(scheme, &target, &args, inputs)?;
    show_or_send(call, args.dry_run).await
}

/// Prints the request as it would be sent (`--dry-run`), or sends it and prints the
/// answer, or writes it to the `--output` file.
pub async fn show_or_send(call: Call, dry_run: bool) -> Result<(), CliError> {
    let Call {
        request,
        upload,
        streamed_file,
        output,
    } = call;
    if dry_run {
        let prepared = request.prepare().await?;
        let file = streamed_file
            .as_ref()
            .map(|(path, length)| (path.as_path(), *length));
        // The body may come from a file written by anyone: on a terminal, its control
        // characters are shown, not acted on, as an answer's are.
        let text = dry_run::render(&prepared, file);
        print_stdout(&terminal::for_stdout(text.as_bytes()))?;
        return Ok(());
    }
    let sent = match output {
        None => print_answer(request, upload.as_ref()).await,
        Some(output) => download(request, upload.as_ref(), &output).await,
    };
    if let (Err(_), Some(progress)) = (&sent, &upload) {
        progress.clear();
    }
    sent
}

/// Sends the request and prints the answer on stdout (JSON pretty-printed).
async fn print_answer(request: Request, upload: Option<&Progress>) -> Result<(), CliError> {
    let response = request.send().await?;
    if let Some(progress) = upload {
        progress.finish();
    }
    let body = response.body();
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => serde_json::to_string_pretty(&value)
            .map(|pretty| pretty + "\n")
            .unwrap_or_default()
            .into_bytes(),
        Err(_) => body.to_vec(),
    };
    print_stdout(&terminal::for_stdout(&text))
}

/// Sends the request and writes a 2xx answer to the `--output` file. Ctrl-C stops it
/// with the temporary file removed, and FILE as it was.
async fn download(
    request: Request,
    upload: Option<&Progress>,
    output: &Output,
) -> Result<(), CliError> {
    // Created before the request goes, so that a folder not writable is refused first.
    let partial = output.create()?;
    let transfer = async {
        let response = request.send_streaming().await?;
        if let Some(progress) = upload {
            progress.finish();
        }
        partial.write(response.into_body()).await
    };
    let interrupted = async {
        // A signal that cannot be watched leaves the transfer to run to its end.
        if interrupt::stop_signal().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        done = transfer => done,
        () = interrupted => Err(CliError::Failed(format!(
            "interrupted; {} was left as it was",
            output.path().display()
        ))),
    }
}

/// Writes to stdout, not `print!`s: a closed stdout (`| head`) is an error, not a panic.
pub fn print_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Failed(format!("cannot write to stdout: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_urls_must_start_with_the_base_url() {
        let base = BaseUrl::parse("http://127.0.0.1:9/ovh/1.0").unwrap();
        let split = split_path(&base, "http://127.0.0.1:9/ovh/1.0/me?a=1&b=x%20y+z").unwrap();
        assert_eq!(split.path, "/me");
        assert_eq!(
            split.query,
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "x y z".to_owned())
            ]
        );
        assert!(split_path(&base, "http://evil.example/ovh/1.0/me").is_err());
        assert!(split_path(&base, "http://127.0.0.1:9/ovh/1.0x/me").is_err());
        assert!(split_path(&base, "me").is_err());
        assert!(split_path(&base, "/me#frag").is_err());
        assert_eq!(
            split_path(&base, "http://127.0.0.1:9/ovh/1.0")
                .unwrap()
                .path,
            "/"
        );
    }

    #[test]
    fn escaped_segments_become_parameters_so_they_are_not_escaped_twice() {
        let base = BaseUrl::parse("http://127.0.0.1:9/api").unwrap();
        let split = split_path(&base, "http://127.0.0.1:9/api/a%20b/c/%C3%A9%2F/{x}/%zz").unwrap();
        assert_eq!(split.path, "/{segment0}/c/{segment1}/{segment2}/{segment3}");
        let values: Vec<&str> = split.params.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, ["a b", "é/", "{x}", "%zz"]);
        assert_eq!(split_path(&base, "/plain/path").unwrap().params, []);
        assert!(split_path(&base, "/a/%2E%2E/b").is_err());
        assert!(split_path(&base, "/a/%FF").is_err());
        assert_eq!(percent_decode("%41%4a%"), Some("AJ%".to_owned()));
        assert_eq!(percent_decode("%é"), Some("%é".to_owned()));
        // `u8::from_str_radix` takes a sign: "%+1" is not an escape.
        assert_eq!(percent_decode("%+1"), Some("%+1".to_owned()));
    }
}
