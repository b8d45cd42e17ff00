//! `signed-api ovh-credential`: OVH's consumer-key flow. An unsigned
//! `POST /auth/credential` (only the application key is checked) returns a consumer key
//! and the URL where the user approves it.

use std::io::Write;

use serde_json::{Value, json};
use signed_api_runtime::{Client, Method};

use crate::call::print_stdout;
use crate::error::CliError;
use crate::target::{self, SchemeName};

pub async fn run(
    rules: Vec<(String, String)>,
    redirection: Option<String>,
) -> Result<(), CliError> {
    let rules = if rules.is_empty() {
        vec![("GET".to_owned(), "/*".to_owned())]
    } else {
        rules
    };
    let target = target::load(SchemeName::Ovh, None)?;
    let client = Client::builder_shared(target.scheme)
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
    let field = |name: &str| answer.get(name).and_then(Value::as_str).map(str::to_owned);
    let consumer_key = field("consumerKey")
        .ok_or_else(|| CliError::Failed("OVH answered without a consumerKey".into()))?;
    let mut out = String::new();
    match field("validationUrl") {
        Some(url) => {
            let _ = writeln!(
                std::io::stderr(),
                "Open this URL, log in and approve the access; then use the key below:"
            );
            out.push_str(&url);
            out.push('\n');
        }
        None => {
            let _ = writeln!(
                std::io::stderr(),
                "No validation needed; use the key below:"
            );
        }
    }
    // Quoted for a POSIX shell whatever the server sent, since users paste or `eval` it.
    let quoted = consumer_key.replace('\'', r"'\''");
    out.push_str(&format!("export OVH_CONSUMER_KEY='{quoted}'\n"));
    print_stdout(out.as_bytes())
}
