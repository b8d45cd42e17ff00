//! A typed client of Armor's v1 API (`ARMOR-PSK`, HMAC-SHA512).
//!
//! [`ArmorClient`] implements the [`Armor`] trait: account and user information, virtual
//! machines (list, read, rename, delete, power actions), workloads, data centres, and
//! support tickets with their comments. Errors come back as [`signed_api::Error`]; Armor's
//! `{"Message": …}` and `{error, error_description}` answers are read into
//! [`signed_api::ApiError`] by the runtime.
//!
//! The credentials carry the account to act in (`X-Account-Context`). The nonce strategy
//! (a UUID by default, or random letters, or the timestamp itself as one Armor page
//! demands) is an option of [`ArmorScheme`], given to the builder with `.scheme(…)`.
//!
//! ```no_run
//! use signed_api::schemes::{ArmorConfig, ArmorNonce, ArmorScheme};
//! use signed_api_clients::armor::{Armor, ArmorClient, PowerAction, TicketQuery, all_tickets};
//!
//! # async fn run() -> signed_api::Result<()> {
//! // ARMOR_API_KEY_ID, ARMOR_SECRET_KEY, ARMOR_ACCOUNT_ID, ARMOR_BASE_URL (optional)
//! let config = ArmorConfig::from_env()?;
//! let armor = ArmorClient::builder()
//!     .scheme(ArmorScheme::new(config.credentials).nonce_strategy(ArmorNonce::Random))
//!     .base_url(config.base_url)
//!     .build()?;
//!
//! for vm in armor.vms().await? {
//!     println!("{:?} {:?}", vm.name, vm.status);
//! }
//! armor.power_vm(101, PowerAction::Reboot).await?;
//! let open = all_tickets(&armor, &TicketQuery::new().max_results(50)).await?;
//! # let _ = open; Ok(()) }
//! ```

mod api;
mod models;

pub use api::{
    Armor, ArmorClient, ArmorClientBuilder, MAX_TICKET_PAGES, all_tickets, all_tickets_with_limit,
    ticket_page,
};
pub use models::{
    Account, AccountStatus, AccountType, App, FeatureFlag, Location, Me, MeLinks, MeUser,
    NewTicketComment, Participant, PowerAction, RenameVm, RequestType, Role, SortDirection, Status,
    TicketComment, TicketOrder, TicketPage, TicketQuery, TicketSummary, Tier, User, Vm,
};
pub use signed_api::schemes::{ArmorConfig, ArmorCredentials, ArmorNonce, ArmorScheme};
