//! Read-only calls to the real OVHcloud API with the typed client.
//!
//! Credentials come from where the official clients read them: `OVH_ENDPOINT` (default
//! `ovh-eu`), `OVH_APPLICATION_KEY`, `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY`, then
//! `/etc/ovh.conf`, `~/.ovh.conf` and `./ovh.conf`. No consumer key yet? Run
//! `signed-api ovh-credential --rules 'GET:/*'` and approve the key it prints.
//!
//!     cargo run --example ovh

use std::process::ExitCode;

use signed_api_clients::ovh::{Ovh, OvhClient, OvhConfig};

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
    let config = OvhConfig::load()?;
    if !config.credentials.has_consumer_key() {
        return Err(signed_api::Error::Config(
            "OVH_CONSUMER_KEY is not set (nor consumer_key in ovh.conf); \
             get one with `signed-api ovh-credential --rules 'GET:/*'`"
                .into(),
        ));
    }
    println!("endpoint: {} ({})", config.endpoint, config.base_url);
    let ovh = OvhClient::from_config(config)?;

    let server_time = ovh.server_time().await?;
    println!("OVH time: {server_time}");

    let me = ovh.me().await?;
    println!(
        "account: {} ({}, {})",
        me.nichandle, me.email, me.ovh_subsidiary
    );

    let credential = ovh.current_credential().await?;
    println!(
        "consumer key #{}: {}, {} rule(s), expires {}",
        credential.credential_id,
        credential.status,
        credential.rules.len(),
        credential.expiration.as_deref().unwrap_or("never")
    );

    let domains = ovh.domains(None).await?;
    println!("{} domain(s)", domains.len());
    for name in domains.iter().take(10) {
        println!("  {name}");
    }
    Ok(())
}
