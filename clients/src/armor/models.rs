//! What the Armor API answers and takes.
//!
//! The shapes follow Armor's published v1 Swagger documents (`AccountVmDto`, `MeResponse`,
//! `IssueSummarySampleResponse`, `JiraTicketComments`, …) and, where those say nothing, the
//! answers seen by the community PowerShell module. Armor adds fields over time and leaves
//! many of them `null`, so every field that is not an identifier is optional and unknown
//! fields are ignored.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
/// `GET /me`: who the API key belongs to, and what it may reach.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// The user the key was issued to.
    pub user: Option<MeUser>,
    /// The accounts that user can act in (one of them goes in `X-Account-Context`).
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// Permission names per account id (the map's keys are account ids as text).
    #[serde(default)]
    pub permissions: BTreeMap<String, Vec<String>>,
    /// Product features enabled per account.
    #[serde(default)]
    pub features: Vec<FeatureFlag>,
}

/// The user part of [`Me`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeUser {
    /// The kind of user (`User` for a person).
    #[serde(rename = "type")]
    pub user_type: Option<String>,
    /// The login, usually an e-mail address.
    pub username: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Links to related resources, of which the user's id.
    pub links: Option<MeLinks>,
    /// When the password must be changed, as Armor formats it.
    pub password_expiry: Option<String>,
}

/// The links of [`MeUser`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeLinks {
    /// The user's id, for `/users/{id}`.
    pub user_id: Option<u64>,
}

/// A feature flag of [`Me`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureFlag {
    /// The account the feature is on for.
    pub account_id: Option<u64>,
    /// The feature's name.
    pub feature: Option<String>,
    /// The product that brings it.
    pub product_id: Option<u64>,
}

text_enum! {
    /// Where an account stands with Armor.
    pub enum AccountStatus {
        /// In use.
        Claimed = "Claimed",
        /// Created, not yet taken over by its owner.
        Pending = "Pending",
        /// Closed or suspended.
        Inactive = "Inactive",
    }
}

text_enum! {
    /// How an account buys from Armor.
    pub enum AccountType {
        /// A reseller, with customer accounts under it.
        Partner = "Partner",
        /// A customer buying directly.
        Direct = "Direct",
        /// A customer of a partner.
        PartnerCustomer = "Partner Customer",
    }
}

/// An account (`GET /accounts`, `GET /accounts/{id}`, and inside [`Me`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The account id, the value `X-Account-Context` takes.
    pub id: u64,
    /// Display name.
    pub name: Option<String>,
    /// Billing currency (`USD`, `GBP`).
    pub currency: Option<String>,
    /// Where the account stands.
    pub status: Option<AccountStatus>,
    /// The parent (partner) account, if any.
    pub parent: Option<u64>,
    /// The products the account has.
    pub products: Option<Vec<String>>,
    /// How the account buys.
    pub account_type: Option<AccountType>,
    /// Whether Armor's back office has synchronised it.
    pub is_synced: Option<bool>,
    /// Whether it is a trial.
    pub is_free_trial: Option<bool>,
}

/// A user of the account (`GET /users`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user id.
    pub id: u64,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// E-mail address, also the login.
    pub email: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// `enabled`, `disabled`, …
    pub status: Option<String>,
    /// Whether multi-factor authentication is on.
    pub is_mfa_enabled: Option<bool>,
    /// The second factor used (`PhoneApp`, …).
    pub mfa_mode: Option<String>,
    /// Windows time-zone name.
    pub timezone: Option<String>,
    /// Locale, such as `en-US`.
    pub culture: Option<String>,
    /// Last sign-in, as Armor formats dates.
    pub last_login: Option<String>,
    /// Last change to the user.
    pub last_modified: Option<String>,
    /// Whether the next sign-in must change the password.
    pub must_change_password: Option<bool>,
}

/// A role users can be given (`GET /roles`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// The role id.
    pub id: u64,
    /// Display name.
    pub name: Option<String>,
    /// What the role is for.
    pub description: Option<String>,
}

/// A status that Armor's documents give as a number and some answers give as a name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Status {
    /// The numeric code of Armor's Swagger documents.
    Code(i64),
    /// A status name, such as `Running`.
    Name(String),
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Name(name) => f.write_str(name),
        }
    }
}

/// A virtual machine (`GET /vms`, `GET /vms/{id}`, and the answer of a rename or a power
/// action). The list and the single VM use different DTOs upstream (`vmId` in one, `id`
/// in the other): both are kept, [`Vm::resolved_id`] picks whichever is there.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vm {
    /// The VM id of the single-VM answer.
    pub id: Option<u64>,
    /// The VM id of the list answer.
    pub vm_id: Option<u64>,
    /// The Armor Anywhere agent's instance id.
    pub core_instance_id: Option<String>,
    /// Display name (what a rename changes).
    pub name: Option<String>,
    /// Host name inside the guest.
    pub host_name: Option<String>,
    /// Power or provisioning state.
    pub status: Option<Status>,
    /// The numeric status, when sent beside a name.
    pub status_id: Option<i64>,
    /// Cloud or hosting provider.
    pub provider: Option<String>,
    /// Data centre code, such as `DFW01`.
    pub location: Option<String>,
    /// Zone within the location.
    pub zone: Option<String>,
    /// Operating system name.
    pub operating_system: Option<String>,
    /// Private address.
    pub ip_address: Option<String>,
    /// Public address.
    pub external_address: Option<String>,
    /// Virtual CPUs.
    pub cpu: Option<u64>,
    /// Memory in MB.
    pub memory: Option<u64>,
    /// Disk in GB.
    pub storage: Option<u64>,
    /// Whether it runs the Armor Anywhere agent.
    pub is_core: Option<bool>,
    /// Whether Armor hosts it.
    pub is_armor: Option<bool>,
    /// The account it belongs to.
    pub account_id: Option<u64>,
    /// The workload (app) it belongs to.
    pub work_load_id: Option<u64>,
    /// That workload's name.
    pub work_load_name: Option<String>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// When the agent last reported.
    pub last_ping: Option<String>,
}

impl Vm {
    /// The VM's id from whichever field carries it (`vmId` first).
    pub fn resolved_id(&self) -> Option<u64> {
        self.vm_id.or(self.id)
    }
}

/// The body of `PUT /vms/{id}`: Armor wants the id again beside the new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenameVm {
    /// The VM being renamed (the same id as in the path).
    pub id: u64,
    /// Its new display name.
    pub name: String,
}

impl RenameVm {
    /// The body that renames VM `id` to `name`.
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        RenameVm {
            id,
            name: name.into(),
        }
    }
}

/// What `POST /vms/{id}/power/{action}` does. Rendered in the path exactly as Armor spells
/// it (`forceOff` is camel case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PowerAction {
    /// Power on.
    On,
    /// Graceful power off.
    Off,
    /// Cut the power without asking the guest.
    ForceOff,
    /// Hard reset.
    Reset,
    /// Restart through the guest.
    Reboot,
    /// Shut down through the guest.
    Shutdown,
}

impl PowerAction {
    /// Every action, in Armor's order.
    pub const ALL: [PowerAction; 6] = [
        PowerAction::On,
        PowerAction::Off,
        PowerAction::ForceOff,
        PowerAction::Reset,
        PowerAction::Reboot,
        PowerAction::Shutdown,
    ];

    /// The path segment Armor expects.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerAction::On => "on",
            PowerAction::Off => "off",
            PowerAction::ForceOff => "forceOff",
            PowerAction::Reset => "reset",
            PowerAction::Reboot => "reboot",
            PowerAction::Shutdown => "shutdown",
        }
    }
}

impl fmt::Display for PowerAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A workload (`GET /apps`): VMs grouped in tiers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct App {
    /// The workload id.
    pub id: u64,
    /// Display name.
    pub name: Option<String>,
    /// Data centre code.
    pub location: Option<String>,
    /// Zone within the location.
    pub zone: Option<String>,
    /// Provisioning state.
    pub status: Option<Status>,
    /// Whether it has been deployed.
    pub deployed: Option<bool>,
    /// How many tiers it has.
    pub tier_count: Option<u64>,
    /// How many VMs it has.
    pub vm_count: Option<u64>,
    /// Virtual CPUs over all its VMs.
    pub total_cpu: Option<u64>,
    /// Memory over all its VMs, in MB.
    pub total_memory: Option<u64>,
    /// Disk over all its VMs.
    pub total_storage: Option<u64>,
    /// Its tiers and their VMs.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// Free-form notes.
    pub notes: Option<String>,
    /// Free-form tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A tier of an [`App`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    /// The tier id.
    pub id: u64,
    /// Display name.
    pub name: Option<String>,
    /// The VMs in the tier.
    #[serde(default)]
    pub vms: Vec<Vm>,
}

/// A data centre (`GET /locations`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The location id.
    pub id: u64,
    /// Its code, such as `DFW01` (what [`Vm::location`] holds).
    pub location: Option<String>,
    /// Display name, such as `US Central`.
    pub name: Option<String>,
    /// Its compute zones.
    #[serde(default)]
    pub zones: Vec<String>,
}

/// The order of a ticket list; Armor takes it as `0` or `1` in `orderByDirection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// Smallest first (`0`).
    Ascending,
    /// Largest first (`1`).
    Descending,
}

impl fmt::Display for SortDirection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SortDirection::Ascending => "0",
            SortDirection::Descending => "1",
        })
    }
}

text_enum! {
    /// The field a ticket list is sorted on (`orderBy`).
    pub enum TicketOrder {
        /// The issue key (`SUP-1001`).
        Key = "key",
        /// The current status.
        Status = "status",
        /// The summary line.
        Summary = "summary",
    }
}

/// The filters and ordering of a ticket list, kept together so that every page of a
/// listing is asked for the same way (see [`all_tickets`](super::all_tickets)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketQuery {
    /// Only tickets of this customer request type.
    pub request_type: Option<String>,
    /// At most this many tickets per page.
    pub max_results: Option<u32>,
    /// The field to sort on.
    pub order_by: Option<TicketOrder>,
    /// The sort direction.
    pub direction: Option<SortDirection>,
}

impl TicketQuery {
    /// Every ticket, in the server's order and page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only tickets of this request type.
    pub fn request_type(mut self, request_type: impl Into<String>) -> Self {
        self.request_type = Some(request_type.into());
        self
    }

    /// Pages of at most `max_results` tickets.
    pub fn max_results(mut self, max_results: u32) -> Self {
        self.max_results = Some(max_results);
        self
    }

    /// Sorted on `field` in `direction`.
    pub fn order_by(mut self, field: TicketOrder, direction: SortDirection) -> Self {
        self.order_by = Some(field);
        self.direction = Some(direction);
        self
    }
}

/// One page of `GET /tickets/list`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketPage {
    /// The token that fetches the next page; absent (or empty) on the last one.
    pub next_page_token: Option<String>,
    /// The page size the server used.
    pub max_results: Option<u32>,
    /// How many tickets match, over all pages.
    pub total: Option<u64>,
    /// The tickets of this page.
    #[serde(default)]
    pub items: Vec<TicketSummary>,
}

impl TicketPage {
    /// The token of the next page, or `None` when this page is the last (Armor sends
    /// `null`; an empty string is read the same way).
    pub fn next_token(&self) -> Option<&str> {
        self.next_page_token
            .as_deref()
            .filter(|token| !token.is_empty())
    }
}

/// A ticket as listed by `GET /tickets/list`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketSummary {
    /// The issue key, such as `ATS-1234` (what the comment endpoints take).
    pub issue_key_id: String,
    /// The summary line.
    pub summary: Option<String>,
    /// The status name (`In Progress`, `Closed`, …).
    pub current_status: Option<String>,
    /// The customer request type.
    pub request_type: Option<RequestType>,
    /// Who opened it.
    pub reporter: Option<Participant>,
    /// Who works on it.
    pub assignee: Option<Participant>,
}

/// The request type of a ticket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestType {
    /// The request type id.
    pub id: Option<u64>,
    /// Its name (what `requestType` filters on).
    pub name: Option<String>,
    /// What it is for.
    pub description: Option<String>,
}

/// A person on a ticket.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// Account name.
    pub name: Option<String>,
    /// E-mail address.
    pub email_address: Option<String>,
    /// Name as shown.
    pub display_name: Option<String>,
}

/// A comment of `GET /tickets/{key}/comments`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketComment {
    /// Who wrote it.
    pub creator: Option<String>,
    /// The text.
    pub comment: Option<String>,
    /// When it was written.
    pub created_date: Option<String>,
    /// Who may see it (`public`, `internal`).
    pub visibility: Option<String>,
}

/// The body of `POST /tickets/{key}/comments`. Armor's example repeats the issue key in
/// the body, so it is sent there too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTicketComment {
    /// The text.
    pub comment: String,
    /// Whether the customer's other users see it; Armor's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
    /// The ticket, as in the path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_key_id: Option<String>,
}

impl NewTicketComment {
    /// A comment on ticket `issue_key` with Armor's default visibility.
    pub fn new(issue_key: impl Into<String>, comment: impl Into<String>) -> Self {
        NewTicketComment {
            comment: comment.into(),
            is_public: None,
            issue_key_id: Some(issue_key.into()),
        }
    }

    /// Makes the comment public (`true`) or internal (`false`).
    pub fn public(mut self, is_public: bool) -> Self {
        self.is_public = Some(is_public);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn me_decodes_the_documented_shape() {
        let me: Me = serde_json::from_value(json!({
            "user": { "type": "User", "username": "jane@example.com", "firstName": "Jane",
                      "lastName": "Doe", "links": { "userId": 42 },
                      "passwordExpiry": "2030-01-01T00:00:00" },
            "accounts": [{ "id": 1024, "name": "Acme", "currency": "USD", "status": "Claimed",
                           "accountType": "Partner Customer", "parent": 7 }],
            "departments": [],
            "permissions": { "1024": ["READ_VMS", "WRITE_VMS"] },
            "features": [{ "accountId": 1024, "feature": "AdvancedBackup", "productId": 3 }],
            "somethingNew": true
        }))
        .unwrap();
        let user = me.user.unwrap();
        assert_eq!(user.user_type.as_deref(), Some("User"));
        assert_eq!(user.links.unwrap().user_id, Some(42));
        assert_eq!(me.accounts[0].status, Some(AccountStatus::Claimed));
        assert_eq!(
            me.accounts[0].account_type,
            Some(AccountType::PartnerCustomer)
        );
        assert_eq!(me.accounts[0].parent, Some(7));
        assert_eq!(me.permissions["1024"], ["READ_VMS", "WRITE_VMS"]);
        assert_eq!(me.features[0].feature.as_deref(), Some("AdvancedBackup"));

        let bare: Me = serde_json::from_value(json!({})).unwrap();
        assert!(bare.user.is_none() && bare.accounts.is_empty() && bare.permissions.is_empty());
    }

    #[test]
    fn accounts_keep_unknown_statuses_and_types() {
        let accounts: Vec<Account> = serde_json::from_value(json!([
            { "id": 1, "currency": "USD", "name": "A", "status": "Pending", "parent": null,
              "products": ["Armor Anywhere"], "accountType": "Direct", "isSynced": true,
              "isFreeTrial": false },
            { "id": 2, "status": "Frozen", "accountType": "Distributor" }
        ]))
        .unwrap();
        assert_eq!(accounts[0].status, Some(AccountStatus::Pending));
        assert_eq!(accounts[0].parent, None);
        assert_eq!(
            accounts[0].products.as_deref(),
            Some(&["Armor Anywhere".to_owned()][..])
        );
        assert_eq!(accounts[0].is_synced, Some(true));
        assert_eq!(
            accounts[1].status,
            Some(AccountStatus::Other("Frozen".into()))
        );
        assert_eq!(
            accounts[1].account_type.as_ref().map(AccountType::as_str),
            Some("Distributor")
        );
        assert_eq!(accounts[1].name, None);
    }

    #[test]
    fn vms_decode_both_dtos_and_both_status_forms() {
        // AccountVmDto: `vmId`, numeric status.
        let listed: Vm = serde_json::from_value(json!({
            "coreInstanceId": "11a40b6d-dc67-4bfa-9cca-ccdde5e9dc91", "vmId": 6,
            "name": "VM1", "hostName": "vm1.local", "status": 4, "statusId": 4,
            "provider": "Armor", "location": "DFW01", "zone": "DFW01T01-VC01",
            "operatingSystem": "Ubuntu 16.04", "ipAddress": "10.0.0.6",
            "externalAddress": "192.0.2.6", "cpu": 1, "memory": 2048, "storage": 30720,
            "isCore": true, "isArmor": true, "accountId": 2, "workLoadId": 1,
            "workLoadName": "WL1", "tags": ["web"], "lastPing": "2018-05-31T07:29:43",
            "scheduledEvents": null
        }))
        .unwrap();
        assert_eq!(listed.resolved_id(), Some(6));
        assert_eq!(listed.status, Some(Status::Code(4)));
        assert_eq!(listed.tags, ["web"]);
        assert_eq!(listed.work_load_name.as_deref(), Some("WL1"));

        // VmDetail: `id`, a status name, most fields missing.
        let detail: Vm =
            serde_json::from_value(json!({ "id": 9, "status": "Running", "tags": [] })).unwrap();
        assert_eq!(detail.resolved_id(), Some(9));
        assert_eq!(detail.status, Some(Status::Name("Running".into())));
        assert_eq!(detail.name, None);
    }

    #[test]
    fn apps_decode_tiers_and_their_vms() {
        let app: App = serde_json::from_value(json!({
            "id": 1, "name": "WL1", "location": "DFW01", "zone": "DFW01T01-VC01",
            "status": 4, "deployed": false, "tierCount": 1, "vmCount": 1, "totalCpu": 1,
            "totalMemory": 2048, "totalStorage": 30720,
            "tiers": [{ "id": 1, "name": "TR1", "vms": [{ "id": 1, "name": "VM1", "status": 4 }] }],
            "notes": null, "health": 2, "tags": []
        }))
        .unwrap();
        assert_eq!(app.tier_count, Some(1));
        assert_eq!(app.tiers[0].vms[0].name.as_deref(), Some("VM1"));
        assert_eq!(app.notes, None);
        let bare: App = serde_json::from_value(json!({ "id": 2 })).unwrap();
        assert!(bare.tiers.is_empty());
    }

    #[test]
    fn users_roles_and_locations_decode() {
        let user: User = serde_json::from_value(json!({
            "id": 1, "isMfaEnabled": true, "status": "enabled", "title": "",
            "firstName": "User", "lastName": "Name", "email": "user.name@example.com",
            "phonePrimary": { "countryCode": 1, "number": "5558675309" },
            "timezone": "Central Standard Time", "culture": "en-US", "permissions": [1, 7],
            "lastModified": "2018-01-30T16:43:57.407", "mustChangePassword": false,
            "lastLogin": "2018-05-31T07:29:43.653", "mfaMode": "PhoneApp"
        }))
        .unwrap();
        assert_eq!(user.email.as_deref(), Some("user.name@example.com"));
        assert_eq!(user.is_mfa_enabled, Some(true));
        assert_eq!(user.mfa_mode.as_deref(), Some("PhoneApp"));

        let role: Role = serde_json::from_value(json!({ "id": 3, "name": "Admin" })).unwrap();
        assert_eq!(role.name.as_deref(), Some("Admin"));
        assert_eq!(role.description, None);

        let locations: Vec<Location> = serde_json::from_value(json!([
            { "id": 1, "location": "DFW01", "name": "US Central",
              "zones": ["DFW01T01-VC03", "DFW01T01-VC01"] },
            { "id": 3, "location": "LHR01", "name": "EU West" }
        ]))
        .unwrap();
        assert_eq!(locations[0].zones.len(), 2);
        assert!(locations[1].zones.is_empty());
    }

    #[test]
    fn ticket_pages_decode_the_documented_sample() {
        let page: TicketPage = serde_json::from_value(json!({
            "nextPageToken": null, "maxResults": 0, "total": 2,
            "items": [
                { "issueKeyId": "ATS-1234", "summary": "Summary 1", "currentStatus": "In Progress",
                  "requestType": { "id": 123, "name": "Example name",
                                   "description": "example description" },
                  "reporter": null, "assignee": null },
                { "issueKeyId": "ATS-5678", "summary": "Summary 2", "currentStatus": "Closed",
                  "requestType": { "id": 456, "name": "Example2 name",
                                   "description": "example2 description" },
                  "reporter": { "displayName": "Reporter L." }, "assignee": null }
            ]
        }))
        .unwrap();
        assert_eq!(page.total, Some(2));
        assert_eq!(page.next_token(), None);
        assert_eq!(page.items[0].issue_key_id, "ATS-1234");
        assert_eq!(page.items[1].request_type.as_ref().unwrap().id, Some(456));
        assert_eq!(
            page.items[1]
                .reporter
                .as_ref()
                .unwrap()
                .display_name
                .as_deref(),
            Some("Reporter L.")
        );

        let middle: TicketPage =
            serde_json::from_value(json!({ "nextPageToken": "abc", "items": [] })).unwrap();
        assert_eq!(middle.next_token(), Some("abc"));
        let empty_token: TicketPage =
            serde_json::from_value(json!({ "nextPageToken": "" })).unwrap();
        assert_eq!(empty_token.next_token(), None);
        assert!(empty_token.items.is_empty());
    }

    #[test]
    fn comments_decode_and_new_ones_serialise_as_documented() {
        let comments: Vec<TicketComment> = serde_json::from_value(json!([
            { "creator": null, "comment": null, "createdDate": "0001-01-01T00:00:00",
              "visibility": null },
            { "creator": "Jason S.", "comment": "Please check the VM",
              "createdDate": "2015-01-06T22:33:27.683", "visibility": "public", "extra": 1 }
        ]))
        .unwrap();
        assert_eq!(comments[0].comment, None);
        assert_eq!(comments[1].creator.as_deref(), Some("Jason S."));

        let body = NewTicketComment::new("ATS-360", "sample comment text").public(false);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({ "comment": "sample comment text", "isPublic": false, "issueKeyId": "ATS-360" })
        );
        let default_visibility = NewTicketComment::new("ATS-1", "hi");
        assert_eq!(
            serde_json::to_value(&default_visibility).unwrap(),
            json!({ "comment": "hi", "issueKeyId": "ATS-1" })
        );
    }

    #[test]
    fn path_and_query_values_are_spelled_as_armor_expects() {
        let spelled: Vec<String> = PowerAction::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(
            spelled,
            ["on", "off", "forceOff", "reset", "reboot", "shutdown"]
        );
        assert_eq!(SortDirection::Ascending.to_string(), "0");
        assert_eq!(SortDirection::Descending.to_string(), "1");
        assert_eq!(TicketOrder::Summary.to_string(), "summary");
        assert_eq!(TicketOrder::from("priority").as_str(), "priority");
        assert_eq!(
            serde_json::to_value(RenameVm::new(7, "web-02")).unwrap(),
            json!({ "id": 7, "name": "web-02" })
        );
    }
}
