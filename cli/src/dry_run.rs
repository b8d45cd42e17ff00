//! `--dry-run`: the request exactly as it would be sent, with every credential shown as
//! `***`.
//!
//! Three layers keep secrets out: the runtime's [`PreparedRequest::redacted_url`] masks
//! the credential query values (nOps' `api_key`); headers marked sensitive (API keys,
//! consumer keys, `Authorization`) print as `***`; and the string to sign, whose
//! credential pieces (OVH's application secret and consumer key, nOps' API key) each
//! scheme marks as secret when it builds it, prints through
//! [`StringToSign::redacted`](signed_api_runtime::scheme::StringToSign::redacted).

use signed_api_runtime::PreparedRequest;

/// The text printed for a dry run.
pub fn render(prepared: &PreparedRequest) -> String {
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
    if !prepared.body.is_empty() {
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&prepared.body));
        out.push('\n');
    }
    out
}
