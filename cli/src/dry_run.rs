//! `--dry-run`: the request exactly as it would be sent, with every credential shown as
//! `***`.
//!
//! Three layers keep secrets out: the runtime's [`PreparedRequest::redacted_url`] masks
//! the credential query values (nOps' `api_key`); headers marked sensitive (API keys,
//! consumer keys, `Authorization`) print as `***`; and the string to sign, whose
//! credential pieces (OVH's application secret and consumer key, nOps' API key) each
//! scheme marks as secret when it builds it, prints through
//! [`StringToSign::redacted`](signed_api_runtime::scheme::StringToSign::redacted).
//!
//! A presigned URL (`sigv4 --presign`) is never sent either way; with `--dry-run` it is
//! printed without the two values that make it usable, its signature and session token.

use std::path::Path;

use signed_api_runtime::{Method, PreparedRequest};

/// The text printed for a dry run. `file` is a body read from a file while it is sent
/// (`sigv4 --data-raw @FILE`), with its length: named, not shown, as it is not held.
pub fn render(prepared: &PreparedRequest, file: Option<(&Path, u64)>) -> String {
    let mut out = String::new();
    out.push_str("# string to sign\n");
    match &prepared.string_to_sign {
        Some(string) => {
            out.push_str(&string.redacted());
            out.push('\n');
        }
        None => out.push_str("(unsigned request)\n"),
    }
    out.push_str("# request (not sent)\n");
    out.push_str(&format!(
        "{} {}\n",
        prepared.method,
        prepared.redacted_url()
    ));
    for (name, value) in &prepared.headers {
        let shown = if value.is_sensitive() {
            "***".to_owned()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        out.push_str(&format!("{name}: {shown}\n"));
    }
    if let Some((path, length)) = file {
        out.push_str(&format!(
            "\n# body: the file {} ({length} bytes), read while it is sent\n",
            path.display()
        ));
    } else if !prepared.body.is_empty() {
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&prepared.body));
        out.push('\n');
    }
    out
}

/// The query parameters of a presigned URL that grant access to whoever holds it.
const PRESIGNED_CREDENTIALS: [&str; 2] = ["X-Amz-Signature", "X-Amz-Security-Token"];

/// The text printed for a dry run of `--presign`: the URL with its signature and session
/// token shown as `***`.
pub fn render_presigned(method: &Method, url: &str) -> String {
    let shown = match url.split_once('?') {
        Some((base, query)) => {
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _))
                        if PRESIGNED_CREDENTIALS
                            .iter()
                            .any(|credential| credential.eq_ignore_ascii_case(name)) =>
                    {
                        format!("{name}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{base}?{}", pairs.join("&"))
        }
        None => url.to_owned(),
    };
    format!(
        "# presigned URL (not usable: its signature and session token are hidden)\n{method} {shown}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presigned_urls_lose_their_signature_and_token() {
        let url = "https://s3.example/b/k?a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256\
                   &X-Amz-Security-Token=sekrit%2Ftoken&X-Amz-Signature=abc123";
        let shown = render_presigned(&Method::GET, url);
        assert!(
            shown.contains("GET https://s3.example/b/k?a=1&X-Amz-Algorithm="),
            "{shown}"
        );
        assert!(
            shown.contains("&X-Amz-Security-Token=***&X-Amz-Signature=***\n"),
            "{shown}"
        );
        assert!(
            !shown.contains("sekrit") && !shown.contains("abc123"),
            "{shown}"
        );
    }
}
