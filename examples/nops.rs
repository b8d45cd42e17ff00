//! Calls the real nOps API with your credentials: lists the AWS projects connected to
//! nOps and this month's cost summary. Read-only.
//!
//!     NOPS_API_KEY=123.abcd… [NOPS_PRIVATE_KEY=private.pem] [NOPS_KEY_IN_HEADER=1] \
//!         cargo run --example nops
//!
//! `NOPS_BASE_URL` points it elsewhere (the mock: `signed-api mock` prints the exports).

use std::process::ExitCode;

use signed_api::Error;
use signed_api::schemes::nops::utc_date;
use signed_api_clients::nops::{
    CostType, Nops, NopsClient, NopsConfig, NopsKeyPlacement, NopsScheme,
};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match NopsConfig::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("nops example: {error} (set NOPS_API_KEY, optionally NOPS_PRIVATE_KEY)");
            return ExitCode::FAILURE;
        }
    };
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("nops example: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: NopsConfig) -> Result<(), Error> {
    let placement = if std::env::var_os("NOPS_KEY_IN_HEADER").is_some() {
        NopsKeyPlacement::Header
    } else {
        NopsKeyPlacement::Query
    };
    let nops = NopsClient::builder()
        .scheme(NopsScheme::new(config.credentials).key_placement(placement))
        .base_url(config.base_url)
        .build()?;

    let projects = nops.projects().await?;
    println!("{} AWS project(s):", projects.len());
    for project in &projects {
        println!(
            "  #{} {} (account {})",
            project.id,
            project.name,
            project.account_number.as_deref().unwrap_or("?")
        );
    }

    let (start, end) = this_month()?;
    let summary = nops
        .cost_summary(
            &start,
            &end,
            &CostType::LineItemUnblendedCost,
            &[],
            &[],
            &[],
            None,
            None,
        )
        .await?;
    println!("cost summary {start} to {end}:");
    println!(
        "{}",
        serde_json::to_string_pretty(&summary).unwrap_or_else(|_| summary.to_string())
    );
    Ok(())
}

/// The first day of the current UTC month and today, as `YYYY-MM-DD`.
fn this_month() -> Result<(String, String), Error> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let today = utc_date(i64::try_from(now).unwrap_or(i64::MAX))?;
    let first = format!("{}-01", &today[..7]);
    Ok((first, today))
}
