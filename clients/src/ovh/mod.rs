//! The OVHcloud API (`$1$` SHA-1 signatures): authentication and the consumer-key flow,
//! the account, its API credentials and bills, domains and their DNS records.
//!
//! [`OvhClient`] implements the [`Ovh`] trait. Build it from the configuration the
//! official clients read ([`OvhClient::from_env`]: `OVH_ENDPOINT`, `OVH_APPLICATION_KEY`,
//! `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY`, then `ovh.conf`), or with the builder from
//! [`OvhCredentials`] and an endpoint name of [`OVH_ENDPOINTS`] (`ovh-eu` by default).
//! The client fetches OVH's clock once, before its first signed call, and signs with it;
//! a refused call with a stale clock is signed again once. OVH's refusals come back as
//! [`signed_api::Error::Api`] with the `errorCode` (`INVALID_CREDENTIAL`,
//! `NOT_GRANTED_CALL`, …) and the `X-Ovh-QueryID` to quote to OVH's support.
//!
//! ```no_run
//! use signed_api_clients::ovh::{FieldType, NewRecord, Ovh, OvhClient, OvhCredentials};
//!
//! # async fn run() -> signed_api::Result<()> {
//! let credentials = OvhCredentials::new("app-key", "app-secret")?.with_consumer_key("consumer-key")?;
//! let ovh = OvhClient::builder().credentials(credentials).endpoint("ovh-eu").build()?;
//! println!("signed in as {}", ovh.me().await?.nichandle);
//!
//! let record = ovh
//!     .create_record("example.com", &NewRecord::new(FieldType::A, "192.0.2.1").sub_domain("www"))
//!     .await?;
//! ovh.refresh_zone("example.com").await?;
//! let www = ovh.records("example.com", Some(FieldType::A), Some("www")).await?;
//! assert!(www.contains(&record.id));
//! # Ok(()) }
//! ```
//!
//! Without a consumer key yet, ask for one (the call is unsigned) and let the account
//! owner approve it:
//!
//! ```no_run
//! use signed_api_clients::ovh::{CredentialRequest, Ovh, OvhClient, OvhCredentials, READ_WRITE};
//!
//! # async fn run() -> signed_api::Result<()> {
//! let application = OvhCredentials::new("app-key", "app-secret")?;
//! let ovh = OvhClient::builder().credentials(application.clone()).build()?;
//! let request = CredentialRequest::read_only().recursive_rules(READ_WRITE, "/domain/zone");
//! let issued = ovh.request_credential(&request).await?;
//! println!("approve it at {:?}", issued.validation_url);
//! let ovh = OvhClient::builder()
//!     .credentials(application.with_consumer_key(issued.consumer_key)?)
//!     .build()?;
//! # Ok(()) }
//! ```

mod api;
mod models;

pub use api::{Ovh, OvhClient, OvhClientBuilder};
pub use models::{
    AccessRule, ApiCredential, AuthDetails, AuthMethod, CredentialRequest, CredentialState,
    CredentialUpdate, Currency, DomainService, FieldType, HttpMethod, IamMetadata, LegalForm,
    NameServerType, NewCredential, NewRecord, Nichandle, NichandleState, OvhCompany, ParentService,
    READ_ONLY, READ_WRITE, READ_WRITE_SAFE, Record, RecordUpdate, TransferLockStatus,
};
pub use signed_api::schemes::ovh::OVH_ENDPOINTS;
pub use signed_api::schemes::{OvhConfig, OvhCredentials};
