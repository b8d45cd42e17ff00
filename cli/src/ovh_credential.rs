//! `signed-api ovh-credential`: OVH's consumer-key flow. An unsigned
//! `POST /auth/credential` (only the application key is checked) returns a consumer key
//! and the URL where the user approves it.
//!
//! Users run `eval "$(signed-api ovh-credential)"`, and the answer comes from the network:
//! stdout therefore holds one `export` line and nothing else, the URL goes to stderr, and
//! a field that could break out of either is refused.

use std::io::Write;

use serde_json::{Value, json};
use signed_api_runtime::schemes::ovh;
use signed_api_runtime::{Client, Method};

use crate::call::print_stdout;
use crate::error::CliError;
use crate::target;

pub async fn run(
    rules: Vec<(String, String)>,
    redirection: Option<String>,
) -> Result<(), CliError> {
    let rules = if rules.is_empty() {
        vec![("GET".to_owned(), "/*".to_owned())]
    } else {
        rules
    };
    let target = target::load(&ovh::DESCRIPTOR, None)?;
    let client = Client::builder(target.scheme)
        .base_url(target.base_url.as_str())
        .build()?;
    let access_rules: Vec<Value> = rules
        .iter()
        .map(|(method, path)| json!({ "method": method, "path": path }))
        .collect();
    let mut body = json!({ "accessRules": access_rules });
    if let Some(redirection) = redirection {
        body["redirection"] = json!(redirection);
    }
    let answer: Value = client
        .request(Method::POST, "/auth/credential")
        .unsigned()
        .json_body(&body)
        .json()
        .await?;
    let consumer_key = printable_field(&answer, "consumerKey")?
        .filter(|key| !key.trim().is_empty())
        .ok_or_else(|| CliError::Failed("OVH answered without a consumerKey".into()))?;
    let validation_url = printable_field(&answer, "validationUrl")?;
    let mut stderr = std::io::stderr();
    let _ = match validation_url {
        Some(url) => writeln!(
            stderr,
            "Open this URL, log in and approve the access; then use the key printed on \
             stdout:\n{url}"
        ),
        None => writeln!(
            stderr,
            "No validation needed; use the key printed on stdout:"
        ),
    };
    print_stdout(export_line(consumer_key).as_bytes())
}

/// A text field of OVH's answer, refused when it holds a control character. Both fields
/// reach the user's terminal and the consumer key their shell: a newline or CR would
/// start a command of the server's choosing, ESC a terminal control sequence. The value
/// is not repeated in the error (the consumer key is a credential).
fn printable_field<'a>(answer: &'a Value, name: &str) -> Result<Option<&'a str>, CliError> {
    let Some(text) = answer.get(name).and_then(Value::as_str) else {
        return Ok(None);
    };
    match text.chars().find(|c| c.is_control()) {
        Some(c) => Err(CliError::Failed(format!(
            "refused OVH's answer: its {name} contains the control character U+{:04X}",
            u32::from(c)
        ))),
        None => Ok(Some(text)),
    }
}

/// The only line on stdout, made to be `eval`ed: single quotes keep every character but
/// `'` literal in a POSIX shell, and `'` is written as `'\''`. Control characters were
/// refused before, so the line cannot be split.
fn export_line(consumer_key: &str) -> String {
    let quoted = consumer_key.replace('\'', r"'\''");
    format!("export OVH_CONSUMER_KEY='{quoted}'\n")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn quotes_in_the_consumer_key_stay_inside_the_single_quotes() {
        assert_eq!(
            export_line("a'b$(c)`d`"),
            "export OVH_CONSUMER_KEY='a'\\''b$(c)`d`'\n"
        );
    }

    #[test]
    fn fields_with_control_characters_are_refused_without_showing_them() {
        for bad in [
            "k\ntouch x",
            "k\rx",
            "k\0",
            "k\u{1b}]0;t\u{7}",
            "k\u{9b}",
            "k\u{7f}",
        ] {
            let answer = json!({ "consumerKey": bad });
            let error = printable_field(&answer, "consumerKey")
                .unwrap_err()
                .to_string();
            assert!(error.contains("consumerKey") && error.contains("control character"));
            assert!(!error.contains(bad), "{error}");
        }
        let answer = json!({ "consumerKey": "ok-key ✓", "validationUrl": 3 });
        assert_eq!(
            printable_field(&answer, "consumerKey").unwrap(),
            Some("ok-key ✓")
        );
        assert_eq!(printable_field(&answer, "validationUrl").unwrap(), None);
        assert_eq!(printable_field(&answer, "missing").unwrap(), None);
    }
}
