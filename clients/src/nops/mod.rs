//! A typed client of nOps' API (<https://app.nops.io>).
//!
//! [`NopsClient`] implements the [`Nops`] trait: AWS projects, the cost summary, the
//! Essentials scheduler and MAP migration tracking. Requests carry the API key and, when
//! a private key is configured, an `x-nops-signature` over the path and the UTC date.
//!
//! The key travels in the query as `api_key=` unless the scheme says otherwise: configure
//! a [`NopsScheme`] with [`NopsKeyPlacement::Header`] to send `X-Nops-Api-Key` instead
//! (nOps' Terraform provider does so; it keeps the key out of URLs and logs).
//!
//! ```no_run
//! use signed_api_clients::nops::{Nops, NopsClient, NopsConfig, NopsKeyPlacement, NopsScheme};
//!
//! # async fn run() -> signed_api::Result<()> {
//! // NOPS_API_KEY, optionally NOPS_PRIVATE_KEY (a PEM file) and NOPS_BASE_URL.
//! let config = NopsConfig::from_env()?;
//! let nops = NopsClient::builder()
//!     .scheme(NopsScheme::new(config.credentials).key_placement(NopsKeyPlacement::Header))
//!     .base_url(config.base_url)
//!     .build()?;
//! for project in nops.projects().await? {
//!     println!("{} {}", project.id, project.name);
//! }
//! # Ok(()) }
//! ```
//!
//! A bad API key makes nOps answer with an HTML page and a success status; the runtime
//! turns that into an [`ApiErrorKind::Authentication`](signed_api::ApiErrorKind) error.

mod api;
pub mod models;

pub use api::{Nops, NopsClient, NopsClientBuilder};
pub use models::*;
pub use signed_api::schemes::{NopsConfig, NopsCredentials, NopsKeyPlacement, NopsScheme};

impl NopsClient {
    /// A client for the base URL and credentials of `config` (see
    /// [`NopsConfig::from_env`]), with the API key in the query as nOps' own examples send
    /// it; give the builder a configured [`NopsScheme`] to send it in a header instead.
    pub fn from_config(config: NopsConfig) -> signed_api::Result<Self> {
        NopsClient::builder()
            .credentials(config.credentials)
            .base_url(config.base_url)
            .build()
    }

    /// A client configured from `NOPS_API_KEY`, `NOPS_PRIVATE_KEY` and `NOPS_BASE_URL`.
    /// The error names what is missing.
    pub fn from_env() -> signed_api::Result<Self> {
        Self::from_config(NopsConfig::from_env()?)
    }
}
