//! `signed-api <scheme> METHOD PATH …`: check every input, build the request once, then
//! either show it (`--dry-run`) or send it and print the answer.

use std::io::Write;

use signed_api_runtime::{BaseUrl, Client, Request, RetryPolicy, parse_method};

use crate::args::CallArgs;
use crate::dry_run;
use crate::error::CliError;
use crate::target::{self, SchemeName};

/// A path split into its path and the query pairs it carried.
struct SplitPath {
    path: String,
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
    Ok(SplitPath {
        path: path.to_owned(),
        query: url_pairs(query),
    })
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

fn build(client: &Client, args: &CallArgs, split: SplitPath) -> Result<Request, CliError> {
    let method = parse_method(&args.method)?;
    let mut headers = args.header.clone();
    let body = body(args, &mut headers)?;
    let mut request = client.request(method, split.path);
    for (name, value) in split.query.iter().chain(&args.query) {
        request = request.query(name, value);
    }
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    if let Some((bytes, content_type)) = body {
        request = request.raw_body(bytes, &content_type);
    }
    Ok(request)
}

pub async fn run(scheme: SchemeName, args: CallArgs) -> Result<(), CliError> {
    // Cheap checks first: a bad method or body is refused before credentials are read.
    parse_method(&args.method)?;
    body(&args, &mut args.header.clone())?;
    let target = target::load(scheme, args.base_url.as_deref(), true)?;
    let split = split_path(&target.base_url, &args.path)?;
    let client = Client::builder_shared(target.scheme)
        .base_url(target.base_url.as_str())
        .retry(RetryPolicy::default())
        .build()?;
    let request = build(&client, &args, split)?;
    if args.dry_run {
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
    print_stdout(&text)
}

fn print_stdout(bytes: &[u8]) -> Result<(), CliError> {
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
}
