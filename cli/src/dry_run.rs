//! `--dry-run`: the request exactly as it would be sent, with every credential shown as
//! `***`.
//!
//! Three layers keep secrets out: the runtime's [`PreparedRequest::redacted_url`] masks
//! the credential query values (nOps' `api_key`); headers marked sensitive (API keys,
//! consumer keys, `Authorization`) print as `***`; and the canonical string, which embeds
//! OVH's application secret and consumer key and nOps' API key, has those parts replaced,
//! located by the scheme's structure rather than by knowing the secret. When that
//! structure is not found, the canonical string is not shown at all.

use signed_api_runtime::PreparedRequest;

use crate::target::SchemeName;

/// Printed instead of a canonical string whose credentials could not be located.
const HIDDEN: &str = "(hidden: it embeds credentials)";

/// The text printed for a dry run.
pub fn render(prepared: &PreparedRequest, scheme: SchemeName) -> String {
    let mut out = String::new();
    out.push_str("# canonical string\n");
    match &prepared.canonical_string {
        Some(canonical) => {
            out.push_str(&redact_canonical(canonical.expose(), prepared, scheme));
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

/// The canonical string with its credentials replaced by `***` ([`HIDDEN`] when they
/// cannot be located).
fn redact_canonical(canonical: &str, prepared: &PreparedRequest, scheme: SchemeName) -> String {
    match scheme {
        SchemeName::Ovh => {
            // AS + "+" + CK + "+" + METHOD + "+" + URL + "+" + BODY + "+" + TS. Everything
            // after the two credentials is known, so they are cut off by length, whatever
            // characters they contain.
            let ovh_tail = format!(
                "+{}+{}+{}+{}",
                prepared.method,
                prepared.url,
                String::from_utf8_lossy(&prepared.body),
                prepared.timestamp
            );
            if canonical.len() > ovh_tail.len() && canonical.ends_with(&ovh_tail) {
                format!("***+***{ovh_tail}")
            } else {
                HIDDEN.to_owned()
            }
        }
        // CLIENT_ID.DATE.PATH?api_key=KEY. The key is everything after the last
        // `?api_key=` (a path has no `?`); it also hides the client id when the key has
        // no `.`.
        SchemeName::Nops => match canonical.rfind("?api_key=") {
            Some(at) if at + "?api_key=".len() < canonical.len() => {
                let key = &canonical[at + "?api_key=".len()..];
                canonical.replace(key, "***")
            }
            _ => HIDDEN.to_owned(),
        },
        // Qredo and Armor sign no secret: the timestamp, URL or path, nonce and body (hash).
        SchemeName::Qredo | SchemeName::Armor => canonical.to_owned(),
    }
}
