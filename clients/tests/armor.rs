//! The Armor client against the verifying mock: every endpoint of the trait, the state the
//! calls leave behind, the nonce strategies, replays and refused credentials.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use signed_api::clock::Clock;
use signed_api::nonce::FixedNonce;
use signed_api::schemes::{ArmorCredentials, ArmorNonce, ArmorScheme};
use signed_api::{ApiErrorKind, Error, Result};
use signed_api_clients::armor::{
    Account, AccountStatus, AccountType, App, Armor, ArmorClient, Location, MAX_TICKET_PAGES, Me,
    NewTicketComment, PowerAction, RenameVm, Role, SortDirection, Status, TicketComment,
    TicketOrder, TicketPage, TicketQuery, User, Vm, all_tickets, all_tickets_with_limit,
    ticket_page,
};
use signed_api_mock::{Api, ArmorMockCredentials, MockCredentials, MockServer};
use support::{api_error, mock_credentials, unix_now};

const KEY_ID: &str = "armor-client-key";
const SECRET: &str = "armor-client-secret";
const ACCOUNT: &str = "4242";

async fn start_mock() -> MockServer {
    support::start_mock(MockCredentials {
        armor: ArmorMockCredentials::new(KEY_ID, SECRET, Some(ACCOUNT)).unwrap(),
        ..mock_credentials()
    })
    .await
}

fn credentials(secret: &str) -> ArmorCredentials {
    ArmorCredentials::new(KEY_ID, secret)
        .unwrap()
        .with_account(ACCOUNT)
        .unwrap()
}

fn client_with(mock: &MockServer, scheme: ArmorScheme) -> ArmorClient {
    ArmorClient::builder()
        .scheme(scheme)
        .base_url(mock.base_url(Api::Armor))
        .build()
        .unwrap()
}

fn client(mock: &MockServer) -> ArmorClient {
    ArmorClient::builder()
        .credentials(credentials(SECRET))
        .base_url(mock.base_url(Api::Armor))
        .build()
        .unwrap()
}

#[tokio::test]
async fn account_user_and_role_endpoints_decode() {
    let mock = start_mock().await;
    let armor = client(&mock);

    let me: Me = armor.me().await.unwrap();
    let user = me.user.unwrap();
    assert_eq!(user.username.as_deref(), Some("demo@example.com"));
    let user_id = user.links.unwrap().user_id.unwrap();
    assert_eq!(me.accounts[0].id, 4242);
    assert!(me.permissions[ACCOUNT].contains(&"READ_VMS".to_owned()));

    let accounts: Vec<Account> = armor.accounts().await.unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].id, 4242);
    assert_eq!(accounts[0].status, Some(AccountStatus::Claimed));
    assert_eq!(accounts[0].account_type, Some(AccountType::Direct));
    assert_eq!(accounts[0].parent, None);

    let account = armor.account(4242).await.unwrap();
    assert_eq!(account, accounts[0]);
    let missing = api_error(armor.account(7).await);
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    assert_eq!(missing.message.as_deref(), Some("Account 7 was not found."));

    let users: Vec<User> = armor.users().await.unwrap();
    assert_eq!(users.len(), 2);
    let me_as_user = users.iter().find(|u| u.id == user_id).unwrap();
    assert_eq!(me_as_user.email.as_deref(), Some("demo@example.com"));
    assert_eq!(me_as_user.is_mfa_enabled, Some(true));
    assert!(me_as_user.last_login.is_some());

    let roles: Vec<Role> = armor.roles().await.unwrap();
    let names: Vec<&str> = roles.iter().filter_map(|r| r.name.as_deref()).collect();
    assert_eq!(names, ["Account Administrator", "Read Only"]);
    mock.shutdown().await;
}

#[tokio::test]
async fn vms_are_read_renamed_powered_and_deleted() {
    let mock = start_mock().await;
    let armor = client(&mock);

    let vms: Vec<Vm> = armor.vms().await.unwrap();
    let ids: Vec<Option<u64>> = vms.iter().map(Vm::resolved_id).collect();
    assert_eq!(ids, [Some(101), Some(102)]);
    let web = armor.vm(101).await.unwrap();
    assert_eq!(web.name.as_deref(), Some("web-01"));
    assert_eq!(web.status, Some(Status::Name("Running".into())));
    assert_eq!(web.account_id, Some(4242));

    // A rename shows in the answer, in a later read, in the list and in the workload.
    let renamed = armor
        .rename_vm(101, &RenameVm::new(101, "web-renamed ✓"))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("web-renamed ✓"));
    assert_eq!(
        armor.vm(101).await.unwrap().name.as_deref(),
        Some("web-renamed ✓")
    );
    let listed = armor.vms().await.unwrap();
    assert_eq!(listed[0].name.as_deref(), Some("web-renamed ✓"));
    let apps: Vec<App> = armor.apps().await.unwrap();
    assert_eq!(
        apps[0].tiers[0].vms[0].name.as_deref(),
        Some("web-renamed ✓")
    );
    let mismatch = api_error(armor.rename_vm(101, &RenameVm::new(102, "x")).await);
    assert_eq!(mismatch.kind, ApiErrorKind::BadRequest);

    // Every power action reaches the mock under Armor's spelling and sets the status.
    let expected = [
        (PowerAction::On, "Running"),
        (PowerAction::Off, "Stopped"),
        (PowerAction::Reset, "Running"),
        (PowerAction::ForceOff, "Stopped"),
        (PowerAction::Reboot, "Running"),
        (PowerAction::Shutdown, "Stopped"),
    ];
    for (action, status) in expected {
        let vm = armor.power_vm(102, action).await.unwrap();
        assert_eq!(vm.status, Some(Status::Name(status.into())), "{action}");
        assert_eq!(
            armor.vm(102).await.unwrap().status,
            Some(Status::Name(status.into())),
            "{action}"
        );
    }

    // A deleted VM is gone from reads, the list and the workload.
    armor.delete_vm(102).await.unwrap();
    let gone = api_error(armor.vm(102).await);
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    assert_eq!(gone.message.as_deref(), Some("VM 102 was not found."));
    let left: Vec<Option<u64>> = armor
        .vms()
        .await
        .unwrap()
        .iter()
        .map(Vm::resolved_id)
        .collect();
    assert_eq!(left, [Some(101)]);
    let apps = armor.apps().await.unwrap();
    assert_eq!(apps[0].vm_count, Some(1));
    assert_eq!(apps[0].total_memory, Some(4096));
    assert_eq!(
        api_error(armor.delete_vm(102).await).kind,
        ApiErrorKind::NotFound
    );
    assert_eq!(
        api_error(armor.power_vm(102, PowerAction::On).await).kind,
        ApiErrorKind::NotFound
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn locations_can_be_limited_to_those_with_zones() {
    let mock = start_mock().await;
    let armor = client(&mock);
    let all: Vec<Location> = armor.locations(None).await.unwrap();
    let codes: Vec<&str> = all.iter().filter_map(|l| l.location.as_deref()).collect();
    assert_eq!(codes, ["DFW01", "PHX01", "SIN01"]);
    assert_eq!(all[0].zones, ["DFW01-Z1", "DFW01-Z2"]);
    let zoned = armor.locations(Some(true)).await.unwrap();
    assert_eq!(zoned.len(), 2);
    assert!(zoned.iter().all(|l| !l.zones.is_empty()));
    assert_eq!(armor.locations(Some(false)).await.unwrap(), all);
    mock.shutdown().await;
}

#[tokio::test]
async fn ticket_pages_chain_through_the_page_token() {
    let mock = start_mock().await;
    let armor = client(&mock);

    let first: TicketPage = armor
        .tickets(
            None,
            Some(1),
            Some(&TicketOrder::Key),
            None,
            Some(SortDirection::Descending),
        )
        .await
        .unwrap();
    assert_eq!(first.total, Some(2));
    assert_eq!(first.items.len(), 1);
    assert_eq!(first.items[0].issue_key_id, "SUP-1002");
    let token = first.next_token().expect("a second page").to_owned();
    let second = armor
        .tickets(
            None,
            Some(1),
            Some(&TicketOrder::Key),
            Some(&token),
            Some(SortDirection::Descending),
        )
        .await
        .unwrap();
    assert_eq!(second.items[0].issue_key_id, "SUP-1001");
    assert_eq!(second.items[0].current_status.as_deref(), Some("Open"));
    assert_eq!(
        second.items[0]
            .request_type
            .as_ref()
            .and_then(|t| t.name.as_deref()),
        Some("Incident")
    );
    assert_eq!(second.next_token(), None);

    // The helpers ask every page the same way and stop at the last one.
    let query = TicketQuery::new()
        .max_results(1)
        .order_by(TicketOrder::Summary, SortDirection::Ascending);
    let page = ticket_page(&armor, &query, None).await.unwrap();
    assert_eq!(
        page.items[0].summary.as_deref(),
        Some("Agent offline on web-01")
    );
    let everything = all_tickets(&armor, &query).await.unwrap();
    let keys: Vec<&str> = everything.iter().map(|t| t.issue_key_id.as_str()).collect();
    assert_eq!(keys, ["SUP-1001", "SUP-1002"]);

    let incidents = all_tickets(&armor, &TicketQuery::new().request_type("Service Request"))
        .await
        .unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0].issue_key_id, "SUP-1002");

    let bad_token = api_error(armor.tickets(None, None, None, Some("nope"), None).await);
    assert_eq!(bad_token.kind, ApiErrorKind::BadRequest);
    mock.shutdown().await;
}

#[tokio::test]
async fn added_comments_are_listed() {
    let mock = start_mock().await;
    let armor = client(&mock);

    let existing: Vec<TicketComment> = armor.ticket_comments("SUP-1001").await.unwrap();
    assert_eq!(existing.len(), 1);
    assert_eq!(existing[0].creator.as_deref(), Some("Armor Support"));
    assert!(armor.ticket_comments("SUP-1002").await.unwrap().is_empty());

    let added = armor
        .add_ticket_comment(
            "SUP-1002",
            &NewTicketComment::new("SUP-1002", "Port 443 please — merci").public(false),
        )
        .await
        .unwrap();
    assert!(added);
    let comments = armor.ticket_comments("SUP-1002").await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(
        comments[0].comment.as_deref(),
        Some("Port 443 please — merci")
    );
    assert_eq!(comments[0].visibility.as_deref(), Some("internal"));
    assert_eq!(comments[0].creator.as_deref(), Some("demo@example.com"));
    assert!(comments[0].created_date.is_some());

    let unknown = api_error(armor.ticket_comments("SUP-9").await);
    assert_eq!(unknown.kind, ApiErrorKind::NotFound);
    let unknown = api_error(
        armor
            .add_ticket_comment("SUP-9", &NewTicketComment::new("SUP-9", "hello"))
            .await,
    );
    assert_eq!(unknown.kind, ApiErrorKind::NotFound);
    mock.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_armors_message() {
    let mock = start_mock().await;
    let armor = ArmorClient::builder()
        .credentials(credentials("not-the-secret"))
        .base_url(mock.base_url(Api::Armor))
        .build()
        .unwrap();
    let error = api_error(armor.me().await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.status, 401);
    let message = error.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with("Invalid signature or expired timestamp"),
        "{message}"
    );
    assert!(!format!("{error:?}").contains("not-the-secret"));
    mock.shutdown().await;
}

#[tokio::test]
async fn the_account_context_is_required() {
    let mock = start_mock().await;
    let no_account = ArmorClient::builder()
        .credentials(ArmorCredentials::new(KEY_ID, SECRET).unwrap())
        .base_url(mock.base_url(Api::Armor))
        .build()
        .unwrap();
    let error = api_error(no_account.vms().await);
    assert_eq!(error.kind, ApiErrorKind::Forbidden);
    assert!(
        error
            .message
            .unwrap()
            .starts_with("Permission Denied to requested resource")
    );

    let other_account = ArmorClient::builder()
        .credentials(
            ArmorCredentials::new(KEY_ID, SECRET)
                .unwrap()
                .with_account("1")
                .unwrap(),
        )
        .base_url(mock.base_url(Api::Armor))
        .build()
        .unwrap();
    assert_eq!(
        api_error(other_account.vms().await).kind,
        ApiErrorKind::Forbidden
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn other_nonce_strategies_are_accepted() {
    let mock = start_mock().await;
    let random = client_with(
        &mock,
        ArmorScheme::new(credentials(SECRET)).nonce_strategy(ArmorNonce::Random),
    );
    for _ in 0..3 {
        assert_eq!(random.vms().await.unwrap().len(), 2);
    }

    // With the timestamp as nonce, a first call goes through; a second one in the same
    // second (the clock is pinned) repeats the nonce, and the mock refuses the replay.
    let pinned = ArmorClient::builder()
        .scheme(ArmorScheme::new(credentials(SECRET)).nonce_strategy(ArmorNonce::Timestamp))
        .base_url(mock.base_url(Api::Armor))
        .clock(Clock::fixed(unix_now()))
        .build()
        .unwrap();
    assert_eq!(pinned.accounts().await.unwrap()[0].id, 4242);
    let replay = api_error(pinned.accounts().await);
    assert_eq!(replay.kind, ApiErrorKind::Authentication);
    assert_eq!(
        replay.message.as_deref(),
        Some("Nonce already used: every request needs a new nonce")
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn a_replayed_nonce_is_refused() {
    let mock = start_mock().await;
    let scheme = ArmorScheme::new(credentials(SECRET))
        .nonce_source(Arc::new(FixedNonce("the-same-nonce".into())));
    let armor = client_with(&mock, scheme);
    assert_eq!(armor.roles().await.unwrap().len(), 2);
    let error = api_error(armor.roles().await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(
        error.message.as_deref(),
        Some("Nonce already used: every request needs a new nonce")
    );
    mock.shutdown().await;
}

/// A server whose ticket list never ends: every page hands out a next-page token, the
/// same one each time or a fresh one each time. Only `tickets` is answered, the rest of the
/// API is out of these tests' scope; `pages` counts the pages served.
struct EndlessTickets {
    fresh_tokens: bool,
    pages: AtomicUsize,
}

impl EndlessTickets {
    fn new(fresh_tokens: bool) -> Self {
        Self {
            fresh_tokens,
            pages: AtomicUsize::new(0),
        }
    }
}

fn out_of_scope<T>() -> Result<T> {
    Err(Error::Config("not part of this fake".into()))
}

impl Armor for EndlessTickets {
    async fn me(&self) -> Result<Me> {
        out_of_scope()
    }
    async fn accounts(&self) -> Result<Vec<Account>> {
        out_of_scope()
    }
    async fn account(&self, _: u64) -> Result<Account> {
        out_of_scope()
    }
    async fn users(&self) -> Result<Vec<User>> {
        out_of_scope()
    }
    async fn roles(&self) -> Result<Vec<Role>> {
        out_of_scope()
    }
    async fn vms(&self) -> Result<Vec<Vm>> {
        out_of_scope()
    }
    async fn vm(&self, _: u64) -> Result<Vm> {
        out_of_scope()
    }
    async fn rename_vm(&self, _: u64, _: &RenameVm) -> Result<Vm> {
        out_of_scope()
    }
    async fn delete_vm(&self, _: u64) -> Result<()> {
        out_of_scope()
    }
    async fn power_vm(&self, _: u64, _: PowerAction) -> Result<Vm> {
        out_of_scope()
    }
    async fn apps(&self) -> Result<Vec<App>> {
        out_of_scope()
    }
    async fn locations(&self, _: Option<bool>) -> Result<Vec<Location>> {
        out_of_scope()
    }
    async fn tickets(
        &self,
        _: Option<&str>,
        _: Option<u32>,
        _: Option<&TicketOrder>,
        _: Option<&str>,
        _: Option<SortDirection>,
    ) -> Result<TicketPage> {
        let page = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
        let token = if self.fresh_tokens {
            format!("token-{page}")
        } else {
            "again".to_owned()
        };
        Ok(serde_json::from_value(serde_json::json!({
            "nextPageToken": token,
            "items": [{ "issueKeyId": format!("LOOP-{page}") }],
        }))
        .unwrap())
    }
    async fn ticket_comments(&self, _: &str) -> Result<Vec<TicketComment>> {
        out_of_scope()
    }
    async fn add_ticket_comment(&self, _: &str, _: &NewTicketComment) -> Result<bool> {
        out_of_scope()
    }
}

#[tokio::test]
async fn a_page_token_given_twice_ends_the_listing_with_an_error() {
    let api = EndlessTickets::new(false);
    let error = all_tickets(&api, &TicketQuery::new()).await.unwrap_err();
    match error {
        Error::Decode { message, .. } => assert!(message.contains("\"again\" twice"), "{message}"),
        other => panic!("expected a decoding error, got {other:?}"),
    }
    assert_eq!(api.pages.load(Ordering::Relaxed), 2);
}

#[tokio::test]
async fn a_listing_that_never_ends_stops_at_the_page_limit_with_an_error() {
    let api = EndlessTickets::new(true);
    let query = TicketQuery::new();
    let error = tokio::time::timeout(Duration::from_secs(10), all_tickets(&api, &query))
        .await
        .expect("all_tickets must stop on its own")
        .unwrap_err();
    match error {
        Error::Decode { message, .. } => {
            assert!(
                message.contains(&format!("after {MAX_TICKET_PAGES} pages")),
                "{message}"
            )
        }
        other => panic!("expected a decoding error, got {other:?}"),
    }
    assert_eq!(api.pages.load(Ordering::Relaxed), MAX_TICKET_PAGES);

    // Another limit is honoured exactly; zero pages sends no request at all.
    let api = EndlessTickets::new(true);
    let error = all_tickets_with_limit(&api, &TicketQuery::new(), 3)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("after 3 pages"), "{error}");
    assert_eq!(api.pages.load(Ordering::Relaxed), 3);
    let api = EndlessTickets::new(true);
    let error = all_tickets_with_limit(&api, &TicketQuery::new(), 0)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(api.pages.load(Ordering::Relaxed), 0);
}
