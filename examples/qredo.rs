//! The typed Qredo Partner API client against the real API: lists the supported assets
//! and searches the companies of your account. Both calls only read.
//!
//! ```text
//! QREDO_API_KEY=…  QREDO_PRIVATE_KEY=private.pem  cargo run --example qredo -- [search text]
//! ```
//!
//! `QREDO_BASE_URL` picks another environment (production by default), for example
//! `https://play-api.qredo.network/api/v1/p`.

use std::process::ExitCode;

use signed_api_clients::qredo::{Qredo, QredoClient, QredoConfig};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("qredo example: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> signed_api::Result<()> {
    // QREDO_API_KEY, QREDO_PRIVATE_KEY (path to the PEM key), QREDO_BASE_URL (optional).
    let config = QredoConfig::from_env()?;
    println!("Qredo Partner API at {}", config.base_url);
    let qredo = QredoClient::from_config(config)?;

    let assets = qredo.assets().await?;
    println!("{} assets:", assets.assets.len());
    for asset in &assets.assets {
        println!(
            "  {:<14} {:<24} {} base units per coin{}",
            asset.code,
            asset.name.as_deref().unwrap_or(""),
            asset
                .scale
                .map_or_else(|| "?".to_owned(), |s| s.to_string()),
            if asset.test_asset == Some(true) {
                " (test network)"
            } else {
                ""
            },
        );
    }

    let search = std::env::args().nth(1).unwrap_or_default();
    let companies = qredo.search_companies(&search).await?;
    println!("{} companies matching {search:?}:", companies.total_count);
    for company in &companies.matches {
        println!(
            "  {}  {}  {}",
            company.company_id,
            company.name,
            company.domain.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
