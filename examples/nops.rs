//! Calls the real nOps API with your credentials: lists the AWS projects connected to
//! nOps and this month's cost summary. Read-only.
//!
//!     NOPS_API_KEY=123.abcd… [NOPS_PRIVATE_KEY=private.pem] [NOPS_KEY_IN_HEADER=1] \
//!         cargo run --example nops
//!
//! `NOPS_BASE_URL` points it elsewhere (the mock: `signed-api mock` prints the exports).

use std::process::ExitCode;

use signed_api::Error;
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
    let (year, month, day) = civil_date(now / 86_400);
    Ok((
        format!("{year:04}-{month:02}-01"),
        format!("{year:04}-{month:02}-{day:02}"),
    ))
}

/// The proleptic Gregorian date of a day counted from 1970-01-01, by 400-year eras of
/// 146,097 days, each year counted from March so that February's length comes last.
fn civil_date(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468; // days from 0000-03-01
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}
