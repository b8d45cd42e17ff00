//! The endpoints of Armor's v1 API that the typed client covers, and the helpers that page
//! through ticket lists.

use std::collections::HashSet;

use signed_api::schemes::ArmorConfig;
use signed_api::{Error, Result, StatusCode, signed_api};

use super::models::{
    Account, App, Location, Me, NewTicketComment, PowerAction, RenameVm, Role, SortDirection,
    TicketComment, TicketOrder, TicketPage, TicketQuery, TicketSummary, User, Vm,
};

/// Armor's v1 API (`https://api.armor.com`), every call signed with `ARMOR-PSK`.
///
/// The account acted in is the `X-Account-Context` of the credentials
/// ([`ArmorCredentials::with_account`](signed_api::schemes::ArmorCredentials::with_account)):
/// Armor requires it on most calls, and [`me`](Armor::me) lists the accounts to choose from.
#[signed_api(scheme = "armor")]
pub trait Armor {
    /// The user the API key belongs to, the accounts it can act in and its permissions.
    #[get("/me")]
    async fn me(&self) -> Result<Me>;

    /// The accounts the key can act in.
    #[get("/accounts")]
    async fn accounts(&self) -> Result<Vec<Account>>;

    /// One account.
    #[get("/accounts/{account_id}")]
    async fn account(&self, account_id: u64) -> Result<Account>;

    /// The users of the current account.
    #[get("/users")]
    async fn users(&self) -> Result<Vec<User>>;

    /// The roles users of the current account can be given.
    #[get("/roles")]
    async fn roles(&self) -> Result<Vec<Role>>;

    /// The virtual machines of the current account.
    #[get("/vms")]
    async fn vms(&self) -> Result<Vec<Vm>>;

    /// One virtual machine.
    #[get("/vms/{id}")]
    async fn vm(&self, id: u64) -> Result<Vm>;

    /// Renames a virtual machine; the answer is the VM as it now is.
    #[put("/vms/{id}")]
    async fn rename_vm(&self, id: u64, #[body] rename: &RenameVm) -> Result<Vm>;

    /// Deletes a virtual machine.
    #[delete("/vms/{id}")]
    async fn delete_vm(&self, id: u64) -> Result<()>;

    /// Powers a virtual machine on or off, resets or restarts it; the answer is the VM
    /// with its new status. Not retried on failure: a power action is not idempotent.
    #[post("/vms/{id}/power/{action}")]
    async fn power_vm(&self, id: u64, action: PowerAction) -> Result<Vm>;

    /// The workloads (apps) of the current account, with their tiers and VMs.
    #[get("/apps")]
    async fn apps(&self) -> Result<Vec<App>>;

    /// Armor's data centres; with `require_zone = Some(true)`, only those that have
    /// compute zones.
    #[get("/locations")]
    async fn locations(
        &self,
        #[query(rename = "requireZone")] require_zone: Option<bool>,
    ) -> Result<Vec<Location>>;

    /// One page of the support tickets the caller can see. Pass the previous page's
    /// [`next_token`](TicketPage::next_token) as `next_page_token` to get the next one,
    /// with the same filters; [`all_tickets`] does that loop.
    #[get("/tickets/list")]
    async fn tickets(
        &self,
        #[query(rename = "requestType")] request_type: Option<&str>,
        #[query(rename = "maxResults")] max_results: Option<u32>,
        #[query(rename = "orderBy")] order_by: Option<&TicketOrder>,
        #[query(rename = "nextPageToken")] next_page_token: Option<&str>,
        #[query(rename = "orderByDirection")] order_by_direction: Option<SortDirection>,
    ) -> Result<TicketPage>;

    /// The comments of a ticket.
    #[get("/tickets/{issue_key}/comments")]
    async fn ticket_comments(&self, issue_key: &str) -> Result<Vec<TicketComment>>;

    /// Adds a comment to a ticket; Armor answers `true` when it was added.
    #[post("/tickets/{issue_key}/comments")]
    async fn add_ticket_comment(
        &self,
        issue_key: &str,
        #[body] comment: &NewTicketComment,
    ) -> Result<bool>;
}

impl ArmorClient {
    /// A client for the base URL and credentials of `config` (usually
    /// [`ArmorConfig::from_env`]), with the default UUID nonces; use the builder's
    /// `.scheme(…)` for another nonce strategy.
    pub fn from_config(config: ArmorConfig) -> Result<Self> {
        Self::builder()
            .credentials(config.credentials)
            .base_url(config.base_url)
            .build()
    }

    /// A client configured from `ARMOR_API_KEY_ID`, `ARMOR_SECRET_KEY`,
    /// `ARMOR_ACCOUNT_ID` and `ARMOR_BASE_URL`. The error names what is missing.
    pub fn from_env() -> Result<Self> {
        Self::from_config(ArmorConfig::from_env()?)
    }
}

/// One page of tickets for `query`: the first with `page_token = None`, the next ones with
/// the token the previous page gave.
pub async fn ticket_page<A: Armor + ?Sized>(
    api: &A,
    query: &TicketQuery,
    page_token: Option<&str>,
) -> Result<TicketPage> {
    api.tickets(
        query.request_type.as_deref(),
        query.max_results,
        query.order_by.as_ref(),
        page_token,
        query.direction,
    )
    .await
}

/// How many pages [`all_tickets`] fetches at most before it gives up with an error.
///
/// A server that keeps handing out new page tokens would otherwise keep the listing going
/// (and its memory growing) for ever. 1000 pages is far more than a real ticket list takes
/// at Armor's page sizes; [`all_tickets_with_limit`] takes another limit.
pub const MAX_TICKET_PAGES: usize = 1000;

/// Every ticket matching `query`, following the page tokens to the last page, fetching at
/// most [`MAX_TICKET_PAGES`] pages.
///
/// A server that hands out a token it already gave, or that still has a next page after
/// [`MAX_TICKET_PAGES`] pages, would make this loop for ever; both are reported as an
/// [`Error::Decode`] instead (the message names the token, or the limit).
pub async fn all_tickets<A: Armor + ?Sized>(
    api: &A,
    query: &TicketQuery,
) -> Result<Vec<TicketSummary>> {
    all_tickets_with_limit(api, query, MAX_TICKET_PAGES).await
}

/// [`all_tickets`] with another limit on the number of pages: at most `max_pages`
/// requests are sent, and a listing that needs more ends with an [`Error::Decode`] naming
/// the limit (with `max_pages == 0`, before any request).
pub async fn all_tickets_with_limit<A: Armor + ?Sized>(
    api: &A,
    query: &TicketQuery,
    max_pages: usize,
) -> Result<Vec<TicketSummary>> {
    let mut tickets = Vec::new();
    let mut seen_tokens = HashSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        if pages == max_pages {
            return Err(Error::Decode {
                status: StatusCode::OK,
                message: format!(
                    "the ticket list still had more pages after {max_pages} pages (the limit)"
                ),
                body_excerpt: String::new(),
            });
        }
        let page = ticket_page(api, query, token.as_deref()).await?;
        pages += 1;
        let next = page.next_token().map(str::to_owned);
        tickets.extend(page.items);
        let Some(next) = next else {
            return Ok(tickets);
        };
        if !seen_tokens.insert(next.clone()) {
            return Err(Error::Decode {
                status: StatusCode::OK,
                message: format!("the ticket list gave the page token {next:?} twice"),
                body_excerpt: String::new(),
            });
        }
        token = Some(next);
    }
}
