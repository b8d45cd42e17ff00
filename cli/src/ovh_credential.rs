//! `signed-api ovh-credential`: OVH's consumer-key flow. An unsigned
//! `POST /auth/credential` (only the application key is checked) returns a consumer key
//! and the URL where the user approves it.

use serde_json::{Value, json};
use signed_api_runtime::{Client, Method};

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
    let target = target::load(SchemeName::Ovh, None, false)?;
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
    match field("validationUrl") {
        Some(url) => {
            eprintln!("Open this URL, log in and approve the access; then use the key below:");
            println!("{url}");
        }
        None => eprintln!("No validation needed; use the key below:"),
    }
    println!("export OVH_CONSUMER_KEY='{consumer_key}'");
    Ok(())
}
