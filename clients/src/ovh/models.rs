//! What OVH's endpoints send and answer, named after OVH's own schema types
//! (`nichandle.Nichandle`, `api.Credential`, `auth.Credential`, `domain.zone.Record`, …).
//!
//! Answers tolerate fields this crate does not know (OVH adds fields over time), and the
//! fields OVH may leave out are `Option`. Sets of values OVH documents are enums that keep
//! a value they do not list in an `Other` variant, so a new value never breaks decoding.
//! Dates stay as the ISO 8601 text OVH sends.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use signed_api::Secret;
text_enum! {
    /// The HTTP verbs an access rule can grant (`auth.MethodEnum`).
    pub enum HttpMethod {
        /// Reads.
        Get = "GET",
        /// Creations and actions.
        Post = "POST",
        /// Updates.
        Put = "PUT",
        /// Deletions.
        Delete = "DELETE",
    }
}

/// Rules granting only reads, as python-ovh's `API_READ_ONLY`.
pub const READ_ONLY: &[HttpMethod] = &[HttpMethod::Get];

/// Rules granting every verb, as python-ovh's `API_READ_WRITE`.
pub const READ_WRITE: &[HttpMethod] = &[
    HttpMethod::Get,
    HttpMethod::Post,
    HttpMethod::Put,
    HttpMethod::Delete,
];

/// Every verb but `DELETE`, as python-ovh's `API_READ_WRITE_SAFE`: a key that cannot
/// destroy anything.
pub const READ_WRITE_SAFE: &[HttpMethod] = &[HttpMethod::Get, HttpMethod::Post, HttpMethod::Put];

text_enum! {
    /// Where a credential stands in its life (`auth.CredentialStateEnum`).
    pub enum CredentialState {
        /// Expired, or logged out with `POST /auth/logout`.
        Expired = "expired",
        /// Issued, waiting for the account owner to approve it at its validation URL.
        PendingValidation = "pendingValidation",
        /// The account owner declined it.
        Refused = "refused",
        /// Approved: signed calls with its consumer key work.
        Validated = "validated",
    }
}

text_enum! {
    /// How the caller of a signed request authenticated (`auth.MethodEnum` of
    /// `auth.Details`).
    pub enum AuthMethod {
        /// The account's own login.
        Account = "account",
        /// A federated identity provider.
        Provider = "provider",
        /// A sub-user of the account.
        User = "user",
    }
}

/// One permission of a consumer key: an HTTP verb on a path pattern, where `*` stands for
/// any text (`/domain/*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRule {
    /// The verb granted.
    pub method: HttpMethod,
    /// The path pattern, relative to the API's base URL (`/me`, `/domain/zone/*`).
    pub path: String,
}

impl AccessRule {
    /// Grants `method` on `path`.
    pub fn new(method: HttpMethod, path: impl Into<String>) -> Self {
        AccessRule {
            method,
            path: path.into(),
        }
    }
}

/// The body of `POST /auth/credential`: which calls the new consumer key may make, where
/// to send the user once they approved it, and from which addresses it may be used.
///
/// ```
/// use signed_api_clients::ovh::{CredentialRequest, READ_ONLY, READ_WRITE};
///
/// // Read the whole API, and manage the DNS zones.
/// let request = CredentialRequest::new()
///     .recursive_rules(READ_ONLY, "/")
///     .recursive_rules(READ_WRITE, "/domain/zone")
///     .redirection("https://example.com/done");
/// assert_eq!(request.access_rules().len(), 1 + 4 * 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialRequest {
    access_rules: Vec<AccessRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirection: Option<String>,
    #[serde(rename = "allowedIPs", skip_serializing_if = "Option::is_none")]
    allowed_ips: Option<Vec<String>>,
}

impl CredentialRequest {
    /// A request granting nothing yet: add rules before sending it (OVH refuses an
    /// empty rule list).
    pub fn new() -> Self {
        Self::default()
    }

    /// A key that may read everything: `GET /*`.
    pub fn read_only() -> Self {
        Self::new().rules(READ_ONLY, "/*")
    }

    /// A key that may do anything: `GET`, `POST`, `PUT` and `DELETE` on `/*`.
    pub fn read_write() -> Self {
        Self::new().rules(READ_WRITE, "/*")
    }

    /// Grants `method` on `path`.
    pub fn rule(mut self, method: HttpMethod, path: impl Into<String>) -> Self {
        self.access_rules.push(AccessRule::new(method, path));
        self
    }

    /// Grants each of `methods` on `path`.
    pub fn rules(mut self, methods: &[HttpMethod], path: &str) -> Self {
        for method in methods {
            self.access_rules
                .push(AccessRule::new(method.clone(), path.to_owned()));
        }
        self
    }

    /// Grants each of `methods` on `path` and everything below it (`/sms` gives `/sms`
    /// and `/sms/*`), as python-ovh's `add_recursive_rules`: a trailing `/`, `*` or space
    /// of `path` is ignored, and the root gives `/*` alone.
    pub fn recursive_rules(self, methods: &[HttpMethod], path: &str) -> Self {
        let prefix = path.trim_end_matches(['/', '*', ' ']);
        let below = format!("{prefix}/*");
        let with_prefix = if prefix.is_empty() {
            self
        } else {
            self.rules(methods, prefix)
        };
        with_prefix.rules(methods, &below)
    }

    /// Where OVH sends the user's browser once they approved the key.
    pub fn redirection(mut self, url: impl Into<String>) -> Self {
        self.redirection = Some(url.into());
        self
    }

    /// Restricts the key to these addresses or blocks (`203.0.113.0/24`).
    pub fn allowed_ips<I, S>(mut self, blocks: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_ips = Some(blocks.into_iter().map(Into::into).collect());
        self
    }

    /// The rules requested so far.
    pub fn access_rules(&self) -> &[AccessRule] {
        &self.access_rules
    }
}

/// The answer to `POST /auth/credential` (`auth.Credential`): a consumer key that works
/// once the account owner approved it at `validation_url`.
///
/// `Debug` hides the consumer key: with the application's secret it signs requests.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCredential {
    /// The page where the account owner logs in and approves the key (`None` when
    /// OVH needs no approval, for example for a key issued by an already logged-in user).
    pub validation_url: Option<String>,
    /// The consumer key, to store (for example in `OVH_CONSUMER_KEY`) and pass to
    /// [`OvhCredentials::with_consumer_key`](signed_api::schemes::OvhCredentials::with_consumer_key).
    #[serde(deserialize_with = "secret")]
    pub consumer_key: Secret,
    /// `pendingValidation` until the owner acts on it.
    pub state: CredentialState,
}

fn secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
    String::deserialize(deserializer).map(Secret::new)
}

/// A consumer key as the account sees it (`api.Credential`): what it may do, and when it
/// was made, last used and expires. The key itself is never shown again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiCredential {
    /// Its id, for `/me/api/credential/{credentialId}`.
    pub credential_id: u64,
    /// The application it was issued to.
    pub application_id: u64,
    /// When it was issued.
    pub creation: String,
    /// When it stops working, if it does.
    pub expiration: Option<String>,
    /// When a signed call last used it.
    pub last_use: Option<String>,
    /// Whether OVH's support made it (rather than the account owner).
    pub ovh_support: bool,
    /// The addresses it may be used from; `None`: any.
    #[serde(rename = "allowedIPs")]
    pub allowed_ips: Option<Vec<String>>,
    /// The calls it may make.
    pub rules: Vec<AccessRule>,
    /// Where it stands.
    pub status: CredentialState,
}

/// The body of `PUT /me/api/credential/{credentialId}`: the settings of a consumer key
/// that can change after it was issued. Fields left `None` stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CredentialUpdate {
    /// The addresses or blocks the key may be used from.
    #[serde(rename = "allowedIPs", skip_serializing_if = "Option::is_none")]
    pub allowed_ips: Option<Vec<String>>,
}

impl CredentialUpdate {
    /// Restricts the key to these addresses or blocks.
    pub fn allowed_ips<I, S>(blocks: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CredentialUpdate {
            allowed_ips: Some(blocks.into_iter().map(Into::into).collect()),
        }
    }
}

/// Who is calling (`auth.Details`), as `GET /auth/details` tells it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthDetails {
    /// How the caller logged in.
    pub method: AuthMethod,
    /// The sub-user, when `method` is `user`.
    pub user: Option<String>,
    /// The description given to the credential.
    pub description: Option<String>,
    /// The roles of the caller, when OVH reports them.
    pub roles: Option<Vec<String>>,
}

text_enum! {
    /// Whether the account's details are complete (`nichandle.StateEnum`).
    pub enum NichandleState {
        /// Every required detail is filled in.
        Complete = "complete",
        /// Some required details are missing.
        Incomplete = "incomplete",
    }
}

text_enum! {
    /// The legal form of the account holder (`nichandle.LegalFormEnum`).
    pub enum LegalForm {
        /// A public administration.
        Administration = "administration",
        /// An association.
        Association = "association",
        /// A company.
        Corporation = "corporation",
        /// A private person.
        Individual = "individual",
        /// OVH's own `other`: a form none of the others describes.
        OtherForm = "other",
        /// A sole trader.
        PersonalCorporation = "personalcorporation",
    }
}

text_enum! {
    /// The OVH brand the account belongs to (`nichandle.OvhCompanyEnum`).
    pub enum OvhCompany {
        /// Kimsufi.
        Kimsufi = "kimsufi",
        /// OVHcloud.
        Ovh = "ovh",
        /// So you Start.
        Soyoustart = "soyoustart",
    }
}

/// The currency an account is billed in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Currency {
    /// ISO 4217 code (`EUR`).
    pub code: String,
    /// The symbol OVH shows (`EURO`, `$`).
    pub symbol: String,
}

/// The account behind the consumer key (`nichandle.Nichandle`), from `GET /me`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nichandle {
    /// The account id (`xx1111-ovh`).
    pub nichandle: String,
    /// The contact e-mail address.
    pub email: String,
    /// ISO 3166 country code (`FR`).
    pub country: String,
    /// The billing currency.
    pub currency: Currency,
    /// The legal form of the holder.
    pub legalform: LegalForm,
    /// The OVH brand of the account.
    pub ovh_company: OvhCompany,
    /// The OVH subsidiary the account is attached to (`FR`, `CA`, …).
    pub ovh_subsidiary: String,
    /// Whether the details are complete.
    pub state: NichandleState,
    /// First name.
    pub firstname: Option<String>,
    /// Last name.
    pub name: Option<String>,
    /// Organisation name.
    pub organisation: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Region or state.
    pub area: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Postal code.
    pub zip: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Country of the phone number.
    pub phone_country: Option<String>,
    /// Fax number.
    pub fax: Option<String>,
    /// Preferred language (`fr_FR`).
    pub language: Option<String>,
    /// The customer code to quote to OVH's support.
    pub customer_code: Option<String>,
    /// VAT number.
    pub vat: Option<String>,
    /// Sex (`female`, `male`).
    pub sex: Option<String>,
    /// A second e-mail address.
    pub spare_email: Option<String>,
    /// City of birth.
    pub birth_city: Option<String>,
    /// Date of birth.
    pub birth_day: Option<String>,
    /// Type of corporation.
    pub corporation_type: Option<String>,
    /// National identification number.
    pub national_identification_number: Option<String>,
    /// Company registration number.
    pub company_national_identification_number: Option<String>,
    /// Italian electronic-invoicing code (Sistema di Interscambio).
    #[serde(rename = "italianSDI")]
    pub italian_sdi: Option<String>,
}

text_enum! {
    /// DNS record types (`zone.NamedResolutionFieldTypeEnum`).
    pub enum FieldType {
        /// IPv4 address.
        A = "A",
        /// IPv6 address.
        Aaaa = "AAAA",
        /// Certification authority authorisation.
        Caa = "CAA",
        /// Canonical name.
        Cname = "CNAME",
        /// DomainKeys Identified Mail key.
        Dkim = "DKIM",
        /// DMARC policy.
        Dmarc = "DMARC",
        /// Delegation name.
        Dname = "DNAME",
        /// HTTPS service binding.
        Https = "HTTPS",
        /// Location.
        Loc = "LOC",
        /// Mail exchanger.
        Mx = "MX",
        /// Naming authority pointer.
        Naptr = "NAPTR",
        /// Name server.
        Ns = "NS",
        /// Reverse pointer.
        Ptr = "PTR",
        /// Sender policy framework.
        Spf = "SPF",
        /// Service locator.
        Srv = "SRV",
        /// SSH key fingerprint.
        Sshfp = "SSHFP",
        /// Service binding.
        Svcb = "SVCB",
        /// TLS certificate association.
        Tlsa = "TLSA",
        /// Text.
        Txt = "TXT",
    }
}

/// One DNS record of a zone (`domain.zone.Record`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// Its id in the zone.
    pub id: u64,
    /// The zone it belongs to (`example.com`).
    pub zone: String,
    /// The record type.
    pub field_type: FieldType,
    /// The name below the zone (`www`); empty for the zone's apex.
    pub sub_domain: String,
    /// The value (`192.0.2.1`, `"v=spf1 -all"`).
    pub target: String,
    /// Time to live in seconds; 0 means the zone's default.
    pub ttl: u64,
}

/// The body of `POST /domain/zone/{zone}/record`. The record is live once the zone is
/// refreshed (`POST /domain/zone/{zone}/refresh`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRecord {
    /// The record type.
    pub field_type: FieldType,
    /// The name below the zone; `None`: the apex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_domain: Option<String>,
    /// The value.
    pub target: String,
    /// Time to live in seconds; `None`: the zone's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
}

impl NewRecord {
    /// A record of this type and value at the zone's apex, with the default TTL.
    pub fn new(field_type: FieldType, target: impl Into<String>) -> Self {
        NewRecord {
            field_type,
            sub_domain: None,
            target: target.into(),
            ttl: None,
        }
    }

    /// Puts the record at this name below the zone (`www`).
    pub fn sub_domain(mut self, sub_domain: impl Into<String>) -> Self {
        self.sub_domain = Some(sub_domain.into());
        self
    }

    /// Sets its time to live, in seconds.
    pub fn ttl(mut self, seconds: u64) -> Self {
        self.ttl = Some(seconds);
        self
    }
}

/// The body of `PUT /domain/zone/{zone}/record/{id}`: fields left `None` stay as they
/// are (the type of a record cannot change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordUpdate {
    /// The new name below the zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_domain: Option<String>,
    /// The new value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The new time to live, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
}

impl RecordUpdate {
    /// Changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the record to this name below the zone.
    pub fn sub_domain(mut self, sub_domain: impl Into<String>) -> Self {
        self.sub_domain = Some(sub_domain.into());
        self
    }

    /// Changes its value.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Changes its time to live, in seconds.
    pub fn ttl(mut self, seconds: u64) -> Self {
        self.ttl = Some(seconds);
        self
    }
}

text_enum! {
    /// Who serves a domain's DNS (`domain.DomainNsTypeEnum`).
    pub enum NameServerType {
        /// Name servers outside OVH.
        External = "external",
        /// OVH's name servers, with a zone at OVH.
        Hosted = "hosted",
    }
}

text_enum! {
    /// Whether a domain may be transferred away (`domain.DomainLockStatusEnum`).
    pub enum TransferLockStatus {
        /// Locked against transfers.
        Locked = "locked",
        /// Being locked.
        Locking = "locking",
        /// The registry offers no lock.
        Unavailable = "unavailable",
        /// Free to transfer.
        Unlocked = "unlocked",
        /// Being unlocked.
        Unlocking = "unlocking",
    }
}

/// The service a domain was ordered with, if it came with one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ParentService {
    /// The parent service's name.
    pub name: String,
    /// The parent service's kind (`/hosting/web`).
    #[serde(rename = "type")]
    pub kind: String,
}

/// A resource's identity in OVH's IAM (`iam.ResourceMetadata`), for IAM policies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IamMetadata {
    /// The resource's IAM id.
    pub id: String,
    /// The resource's URN (`urn:v1:eu:resource:domain:example.com`).
    pub urn: String,
    /// Its display name.
    pub display_name: Option<String>,
    /// Its IAM tags.
    pub tags: Option<BTreeMap<String, String>>,
}

/// A domain name service (`domain.DomainServiceWithIAM`), from `GET /domain/{serviceName}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainService {
    /// The domain name.
    pub domain: String,
    /// The offer it was ordered with (`gold`, …).
    pub offer: Option<String>,
    /// Who serves its DNS.
    pub name_server_type: NameServerType,
    /// Whether it may be transferred away.
    pub transfer_lock_status: TransferLockStatus,
    /// The id of its owner contact in the whois.
    pub whois_owner: Option<String>,
    /// Whether the registry supports DNSSEC for it.
    pub dnssec_supported: bool,
    /// Whether whois obfuscation ("OwO") is available.
    pub owo_supported: bool,
    /// Whether the registry manages hosts as objects (needed for glue records).
    pub host_supported: bool,
    /// Whether glue records may carry IPv6 addresses.
    pub glue_record_ipv6_supported: bool,
    /// Whether glue records may carry several addresses.
    pub glue_record_multi_ip_supported: bool,
    /// When it last changed.
    pub last_update: String,
    /// The service it was ordered with, if any.
    pub parent_service: Option<ParentService>,
    /// Its identity in OVH's IAM.
    pub iam: Option<IamMetadata>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_documented_credential_request_is_sent_byte_for_byte() {
        let request = CredentialRequest::read_only()
            .redirection("https://www.mywebsite.com/")
            .allowed_ips(["203.0.113.0/24"]);
        assert_eq!(
            serde_json::to_string(&request).unwrap(),
            r#"{"accessRules":[{"method":"GET","path":"/*"}],"redirection":"https://www.mywebsite.com/","allowedIPs":["203.0.113.0/24"]}"#
        );
        // Unlike python-ovh, absent options are left out rather than sent as null.
        assert_eq!(
            serde_json::to_string(&CredentialRequest::new().rule(HttpMethod::Get, "/me")).unwrap(),
            r#"{"accessRules":[{"method":"GET","path":"/me"}]}"#
        );
    }

    #[test]
    fn rule_helpers_match_the_official_clients() {
        let rules = |request: CredentialRequest| -> Vec<(String, String)> {
            request
                .access_rules()
                .iter()
                .map(|rule| (rule.method.to_string(), rule.path.clone()))
                .collect()
        };
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(m, p)| (m.to_string(), p.to_string()))
                .collect()
        };
        assert_eq!(
            rules(CredentialRequest::read_write()),
            pairs(&[
                ("GET", "/*"),
                ("POST", "/*"),
                ("PUT", "/*"),
                ("DELETE", "/*")
            ])
        );
        for path in ["/sms", "/sms/", "/sms/*", "/sms/* "] {
            assert_eq!(
                rules(CredentialRequest::new().recursive_rules(READ_WRITE_SAFE, path)),
                pairs(&[
                    ("GET", "/sms"),
                    ("POST", "/sms"),
                    ("PUT", "/sms"),
                    ("GET", "/sms/*"),
                    ("POST", "/sms/*"),
                    ("PUT", "/sms/*"),
                ]),
                "{path}"
            );
        }
        for root in ["/", "/*", ""] {
            assert_eq!(
                rules(CredentialRequest::new().recursive_rules(READ_ONLY, root)),
                pairs(&[("GET", "/*")]),
                "{root:?}"
            );
        }
    }

    #[test]
    fn auth_credential_decodes_and_hides_its_key() {
        let credential: NewCredential = decode(json!({
            "validationUrl": "https://eu.api.ovh.com/auth/?credentialToken=fIDK6KCVHfEMuSTP3LV84D3CsHTq4T3BhOrmEEdd2hQ0CNcfVgGVWZRqIlolDJ3W",
            "consumerKey": "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1",
            "state": "pendingValidation",
            "unknownField": 1,
        }));
        assert_eq!(
            credential.consumer_key.expose(),
            "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1"
        );
        assert_eq!(credential.state, CredentialState::PendingValidation);
        assert!(
            credential
                .validation_url
                .unwrap()
                .contains("credentialToken=")
        );

        let without_url: NewCredential = decode(json!({
            "validationUrl": null, "consumerKey": "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1", "state": "validated",
        }));
        assert_eq!(without_url.validation_url, None);
        let debug = format!("{without_url:?}");
        assert!(!debug.contains("MtSwSrPp"), "{debug}");
    }

    #[test]
    fn api_credential_decodes_with_and_without_optional_fields() {
        let full: ApiCredential = decode(json!({
            "credentialId": 123456789,
            "applicationId": 42,
            "creation": "2024-05-01T12:00:00+02:00",
            "expiration": "2024-06-01T12:00:00+02:00",
            "lastUse": "2024-05-02T08:30:00+02:00",
            "ovhSupport": false,
            "allowedIPs": ["127.0.0.1/32"],
            "rules": [{ "method": "GET", "path": "/*" }, { "method": "DELETE", "path": "/domain/*" }],
            "status": "validated",
            "applicationName": "dns-tool",
        }));
        assert_eq!(full.credential_id, 123_456_789);
        assert_eq!(full.allowed_ips, Some(vec!["127.0.0.1/32".to_owned()]));
        assert_eq!(
            full.rules[1],
            AccessRule::new(HttpMethod::Delete, "/domain/*")
        );
        assert_eq!(full.status, CredentialState::Validated);

        let minimal: ApiCredential = decode(json!({
            "credentialId": 1, "applicationId": 2, "creation": "2024-05-01T12:00:00Z",
            "ovhSupport": true, "rules": [], "status": "expired",
        }));
        assert_eq!(minimal.expiration, None);
        assert_eq!(minimal.last_use, None);
        assert_eq!(minimal.allowed_ips, None);
        assert_eq!(minimal.status, CredentialState::Expired);
    }

    #[test]
    fn auth_details_decode() {
        let details: AuthDetails = decode(json!({
            "method": "user", "user": "alice", "description": "ci", "roles": ["ADMIN"], "account": "xx1111-ovh",
        }));
        assert_eq!(details.method, AuthMethod::User);
        assert_eq!(details.user.as_deref(), Some("alice"));
        assert_eq!(details.roles, Some(vec!["ADMIN".to_owned()]));
        let bare: AuthDetails = decode(json!({ "method": "account" }));
        assert_eq!(bare.method, AuthMethod::Account);
        assert_eq!(
            (bare.user, bare.description, bare.roles),
            (None, None, None)
        );
    }

    #[test]
    fn nichandle_decodes_with_only_its_required_fields() {
        let me: Nichandle = decode(json!({
            "nichandle": "xx1111-ovh",
            "email": "demo@example.com",
            "country": "FR",
            "currency": { "code": "EUR", "symbol": "EURO" },
            "legalform": "individual",
            "ovhCompany": "ovh",
            "ovhSubsidiary": "FR",
            "state": "complete",
            "kycValidated": true,
        }));
        assert_eq!(me.nichandle, "xx1111-ovh");
        assert_eq!(me.currency.code, "EUR");
        assert_eq!(me.legalform, LegalForm::Individual);
        assert_eq!(me.ovh_company, OvhCompany::Ovh);
        assert_eq!(me.state, NichandleState::Complete);
        assert_eq!(me.firstname, None);
        assert_eq!(me.italian_sdi, None);
    }

    #[test]
    fn nichandle_decodes_its_optional_fields() {
        let me: Nichandle = decode(json!({
            "nichandle": "ab123-ovh", "email": "a@example.it", "country": "IT",
            "currency": { "code": "EUR", "symbol": "EURO" }, "legalform": "corporation",
            "ovhCompany": "ovh", "ovhSubsidiary": "IT", "state": "incomplete",
            "firstname": "Ada", "name": "Rossi", "organisation": "Esempio srl",
            "phoneCountry": "IT", "customerCode": "1234-5678-90", "spareEmail": null,
            "birthDay": "1990-01-31", "companyNationalIdentificationNumber": "IT0123",
            "italianSDI": "ABC1234", "legalformUnknownToUs": "x",
        }));
        assert_eq!(me.state, NichandleState::Incomplete);
        assert_eq!(me.legalform, LegalForm::Corporation);
        assert_eq!(me.organisation.as_deref(), Some("Esempio srl"));
        assert_eq!(me.phone_country.as_deref(), Some("IT"));
        assert_eq!(me.customer_code.as_deref(), Some("1234-5678-90"));
        assert_eq!(me.spare_email, None);
        assert_eq!(me.italian_sdi.as_deref(), Some("ABC1234"));
    }

    #[test]
    fn records_decode_and_new_ones_encode_without_absent_fields() {
        let record: Record = decode(json!({
            "id": 5_088_155_155_u64, "zone": "example.com", "fieldType": "A",
            "subDomain": "www", "target": "192.0.2.1", "ttl": 0,
        }));
        assert_eq!(record.field_type, FieldType::A);
        assert_eq!(record.id, 5_088_155_155);
        assert_eq!(record.ttl, 0);

        let future: Record = decode(json!({
            "id": 1, "zone": "example.com", "fieldType": "OPENPGPKEY",
            "subDomain": "", "target": "x", "ttl": 60,
        }));
        assert_eq!(future.field_type, FieldType::Other("OPENPGPKEY".into()));

        let new = NewRecord::new(FieldType::Txt, "\"v=spf1 -all\"");
        assert_eq!(
            serde_json::to_string(&new).unwrap(),
            r#"{"fieldType":"TXT","target":"\"v=spf1 -all\""}"#
        );
        let new = NewRecord::new(FieldType::Aaaa, "2001:db8::1")
            .sub_domain("www")
            .ttl(60);
        assert_eq!(
            serde_json::to_value(&new).unwrap(),
            json!({ "fieldType": "AAAA", "subDomain": "www", "target": "2001:db8::1", "ttl": 60 })
        );
        assert_eq!(
            serde_json::to_string(&RecordUpdate::new().target("192.0.2.9")).unwrap(),
            r#"{"target":"192.0.2.9"}"#
        );
        assert_eq!(
            serde_json::to_string(&CredentialUpdate::allowed_ips(["127.0.0.1/32"])).unwrap(),
            r#"{"allowedIPs":["127.0.0.1/32"]}"#
        );
    }

    #[test]
    fn the_documented_domain_service_decodes() {
        // The answer shown in OVHcloud's "Configure the DNS of your domain name" guide.
        let domain: DomainService = decode(json!({
            "parentService": null,
            "domain": "test.com",
            "offer": "gold",
            "dnssecSupported": true,
            "owoSupported": true,
            "transferLockStatus": "locked",
            "whoisOwner": "123456",
            "hostSupported": true,
            "glueRecordIpv6Supported": true,
            "glueRecordMultiIpSupported": true,
            "lastUpdate": "2021-11-02T12:01:13+01:00",
            "nameServerType": "hosted"
        }));
        assert_eq!(domain.domain, "test.com");
        assert_eq!(domain.name_server_type, NameServerType::Hosted);
        assert_eq!(domain.transfer_lock_status, TransferLockStatus::Locked);
        assert_eq!(domain.whois_owner.as_deref(), Some("123456"));
        assert_eq!(domain.parent_service, None);
        assert_eq!(domain.iam, None);

        let with_iam: DomainService = decode(json!({
            "domain": "example.org", "nameServerType": "external", "transferLockStatus": "unavailable",
            "dnssecSupported": false, "owoSupported": false, "hostSupported": false,
            "glueRecordIpv6Supported": false, "glueRecordMultiIpSupported": false,
            "lastUpdate": "2024-01-01T00:00:00Z",
            "parentService": { "name": "example.org", "type": "/hosting/web" },
            "iam": { "id": "0f0e", "urn": "urn:v1:eu:resource:domain:example.org", "tags": { "env": "prod" } },
        }));
        assert_eq!(with_iam.offer, None);
        assert_eq!(with_iam.parent_service.unwrap().kind, "/hosting/web");
        let iam = with_iam.iam.unwrap();
        assert_eq!(iam.display_name, None);
        assert_eq!(iam.tags.unwrap()["env"], "prod");
    }

    #[test]
    fn enums_keep_values_they_do_not_know() {
        let state: CredentialState = decode(json!("suspended"));
        assert_eq!(state, CredentialState::Other("suspended".into()));
        assert_eq!(serde_json::to_string(&state).unwrap(), r#""suspended""#);
        assert_eq!(
            CredentialState::PendingValidation.to_string(),
            "pendingValidation"
        );
        assert_eq!(HttpMethod::from("PATCH"), HttpMethod::Other("PATCH".into()));
    }
}
