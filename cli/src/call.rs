//! `signed-api <scheme> METHOD PATH …`: check every input, build the request once, then
//! either show it (`--dry-run`) or send it and print the answer. `sigv4.rs` takes the
//! same steps around a target of its own.

use std::io::Write;

use signed_api_runtime::__workspace::parse_method;
use signed_api_runtime::{BaseUrl, Client, Method, Request, RetryPolicy};

use crate::args::CallArgs;
use crate::dry_run;
use crate::error::CliError;
use signed_api_runtime::scheme::SchemeDescriptor;

use crate::target::{self, ApiTarget};
use crate::terminal;

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

/// The body and its content type, checked.
fn body(
    args: &CallArgs,
    headers: &mut Vec<(String, String)>,
) -> Result<Option<(Vec<u8>, String)>, CliError> {
    let (text, json_required) = match (&args.data, &args.data_raw) {
        (Some(data), _) => (data, true),
        (None, Some(raw)) => (raw, false),
        (None, None) => return Ok(None),
    };
    let is_json = serde_json::from_str::<serde_json::Value>(text);
    if let (true, Err(e)) = (json_required, &is_json) {
        return Err(CliError::Refused(format!("--data is not valid JSON: {e}")));
    }
    // A Content-Type given with --header describes the body; it is not a second header.
    let given_type = headers
        .iter()
        .position(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|at| headers.remove(at).1);
    let content_type = given_type.unwrap_or_else(|| {
        if is_json.is_ok() {
            "application/json".to_owned()
        } else {
            "text/plain; charset=utf-8".to_owned()
        }
    });
    Ok(Some((text.as_bytes().to_vec(), content_type)))
}

/// The request from checked parts: `headers` are the `--header`s less a Content-Type that
/// went with the body.
fn build(
    client: &Client,
    method: Method,
    split: SplitPath,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: Option<(Vec<u8>, String)>,
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
    if let Some((bytes, content_type)) = body {
        request = request.raw_body(bytes, &content_type);
    }
    if unsigned {
        request = request.unsigned();
    }
    request
}

/// What a call takes from its arguments alone, checked before any configuration is read:
/// a bad method or body is refused before credentials are.
pub struct Inputs {
    method: Method,
    /// The `--header`s less a Content-Type that went with the body.
    headers: Vec<(String, String)>,
    body: Option<(Vec<u8>, String)>,
}

impl Inputs {
    pub fn check(args: &CallArgs) -> Result<Self, CliError> {
        let method = parse_method(&args.method)?;
        let mut headers = args.header.clone();
        let body = body(args, &mut headers)?;
        Ok(Inputs {
            method,
            headers,
            body,
        })
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Adds a header that `flag` stands for. The same name given with --header is
    /// refused rather than sent twice: which copy a server reads is anyone's guess.
    pub fn add_header(&mut self, name: &str, value: &str, flag: &str) -> Result<(), CliError> {
        if self
            .headers
            .iter()
            .any(|(given, _)| given.eq_ignore_ascii_case(name))
        {
            return Err(CliError::Refused(format!(
                "{flag} sets the header {name}; leave out the --header of that name"
            )));
        }
        self.headers.push((name.to_owned(), value.to_owned()));
        Ok(())
    }
}

/// The request to `target`, with the path checked against its base URL.
pub fn request(
    descriptor: &SchemeDescriptor,
    target: &ApiTarget,
    args: &CallArgs,
    inputs: Inputs,
) -> Result<Request, CliError> {
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
    Ok(build(
        &client,
        inputs.method,
        split,
        &args.query,
        &inputs.headers,
        inputs.body,
        unsigned,
    ))
}

pub async fn run(scheme: &'static SchemeDescriptor, args: CallArgs) -> Result<(), CliError> {
    let inputs = Inputs::check(&args)?;
    let target = target::load(scheme, args.base_url.as_deref())?;
    let request = request(scheme, &target, &args, inputs)?;
    show_or_send(request, args.dry_run).await
}

/// Prints the request as it would be sent (`--dry-run`), or sends it and prints the
/// answer.
pub async fn show_or_send(request: Request, dry_run: bool) -> Result<(), CliError> {
    if dry_run {
        let prepared = request.prepare().await?;
        print_stdout(dry_run::render(&prepared).as_bytes())?;
        return Ok(());
    }
    let response = request.send().await?;
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
