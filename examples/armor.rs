//! Read-only calls to the real Armor API with the typed client.
//!
//! Credentials come from the environment: `ARMOR_API_KEY_ID` and `ARMOR_SECRET_KEY` (an
//! API key made in the Armor Management Portal), `ARMOR_ACCOUNT_ID` (the account sent as
//! `X-Account-Context`; Armor refuses most calls without it) and, optionally,
//! `ARMOR_BASE_URL` (`https://api.armor.com` by default).
//!
//!     cargo run --example armor

use std::process::ExitCode;

use signed_api_clients::armor::{Armor, ArmorClient, ArmorConfig, TicketQuery, ticket_page};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> signed_api::Result<()> {
    let config = ArmorConfig::from_env()?;
    println!("Armor API at {}", config.base_url);
    let armor = ArmorClient::from_config(config)?;

    let me = armor.me().await?;
    if let Some(user) = &me.user {
        println!(
            "signed in as {} ({} {})",
            user.username.as_deref().unwrap_or("?"),
            user.first_name.as_deref().unwrap_or(""),
            user.last_name.as_deref().unwrap_or("")
        );
    }
    for account in &me.accounts {
        println!(
            "  account {}: {}",
            account.id,
            account.name.as_deref().unwrap_or("(no name)")
        );
    }

    let vms = armor.vms().await?;
    println!("{} virtual machine(s)", vms.len());
    for vm in vms.iter().take(10) {
        println!(
            "  {:?} {} ({})",
            vm.resolved_id(),
            vm.name.as_deref().unwrap_or("(no name)"),
            vm.location.as_deref().unwrap_or("?")
        );
    }

    let page = ticket_page(&armor, &TicketQuery::new().max_results(10), None).await?;
    println!(
        "{} ticket(s) in all; the first {}:",
        page.total.unwrap_or(page.items.len() as u64),
        page.items.len()
    );
    for ticket in &page.items {
        println!(
            "  {} [{}] {}",
            ticket.issue_key_id,
            ticket.current_status.as_deref().unwrap_or("?"),
            ticket.summary.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
