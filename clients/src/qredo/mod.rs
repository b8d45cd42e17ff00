//! Qredo's Partner API: companies, trusted networks, funds, wallets, transfers and
//! withdrawals.
//!
//! Every call is signed with the runtime's [`QredoScheme`] (RSA over timestamp, full URL
//! and body; see [`signed_api::schemes::qredo`]). Credentials and the base URL come from `QREDO_API_KEY`,
//! `QREDO_PRIVATE_KEY` (path to the PEM key) and `QREDO_BASE_URL` through
//! [`QredoConfig::from_env`]. The three environments are [`QredoEnvironment`]s; pick one
//! with `.base_url(QredoEnvironment::Play.base_url())` or by name with
//! `.endpoint("play")`.
//!
//! Amounts are integers in the asset's base unit (satoshis, gwei), never decimal coins:
//! the swagger and the guides say so for every amount, and [`Asset::scale`] gives the
//! number of base units per coin. Errors come back as [`signed_api::Error::Api`] with
//! Qredo's `msg` as the code and `detail.reason` as the message.
//!
//! ```no_run
//! use signed_api_clients::qredo::{NewCompany, Qredo, QredoClient, QredoConfig};
//!
//! # async fn run() -> signed_api::Result<()> {
//! let config = QredoConfig::from_env()?;
//! let qredo = QredoClient::builder()
//!     .credentials(config.credentials)
//!     .base_url(config.base_url)
//!     .build()?;
//! let assets = qredo.assets().await?;
//! let company = qredo.create_company(&NewCompany::new("ACME Corp")).await?;
//! let found = qredo.search_companies("ACME").await?;
//! # let _ = (assets, company, found); Ok(()) }
//! ```

mod api;
mod models;

pub use api::{Qredo, QredoClient, QredoClientBuilder};
pub use models::*;
pub use signed_api::schemes::{
    QredoConfig, QredoCredentials, QredoEnvironment, QredoScheme, QredoTimeMode,
};
