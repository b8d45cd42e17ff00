//! The endpoints: one method per call, signed by the runtime's OVH scheme (which learns
//! the server's clock from `/auth/time` before the first signed call).

use signed_api::schemes::OvhConfig;
use signed_api::{Result, signed_api};

use super::models::{
    ApiCredential, AuthDetails, CredentialRequest, CredentialState, CredentialUpdate,
    DomainService, FieldType, NewCredential, NewRecord, Nichandle, Record, RecordUpdate,
};

/// The OVHcloud API: authentication, the account, its API credentials and bills, domains
/// and their DNS zones.
///
/// [`OvhClient`] implements it against the real API (or the mock); implement it yourself
/// for a fake in your tests.
#[signed_api(scheme = "ovh")]
pub trait Ovh {
    /// OVH's clock, in Unix seconds. Unsigned. The client already corrects its own
    /// signatures with it; this is for callers who want to see the skew.
    #[get("/auth/time", unsigned)]
    async fn server_time(&self) -> Result<i64>;

    /// Asks for a new consumer key with the given rules. Unsigned (only the application
    /// key is sent), so it works before any consumer key exists; the key works once the
    /// account owner approved it at the returned validation URL.
    #[post("/auth/credential", unsigned)]
    async fn request_credential(
        &self,
        #[body] request: &CredentialRequest,
    ) -> Result<NewCredential>;

    /// The credential this client signs with: its rules, status and expiry.
    #[get("/auth/currentCredential")]
    async fn current_credential(&self) -> Result<ApiCredential>;

    /// Who the caller is and how they logged in.
    #[get("/auth/details")]
    async fn auth_details(&self) -> Result<AuthDetails>;

    /// Expires the consumer key this client signs with; later calls with it are refused.
    #[post("/auth/logout")]
    async fn logout(&self) -> Result<()>;

    /// The account behind the consumer key.
    #[get("/me")]
    async fn me(&self) -> Result<Nichandle>;

    /// The ids of the account's API credentials, only those in `status` when given.
    #[get("/me/api/credential")]
    async fn credentials(&self, #[query] status: Option<CredentialState>) -> Result<Vec<u64>>;

    /// One API credential of the account.
    #[get("/me/api/credential/{credential_id}")]
    async fn credential(&self, credential_id: u64) -> Result<ApiCredential>;

    /// Changes the settings of an API credential (the addresses it may be used from).
    #[put("/me/api/credential/{credential_id}")]
    async fn update_credential(
        &self,
        credential_id: u64,
        #[body] update: &CredentialUpdate,
    ) -> Result<()>;

    /// Revokes an API credential: its consumer key stops working at once.
    #[delete("/me/api/credential/{credential_id}")]
    async fn delete_credential(&self, credential_id: u64) -> Result<()>;

    /// The ids of the account's bills, only those dated within `from` and `to` (both
    /// inclusive, `YYYY-MM-DD`) when given.
    #[get("/me/bill")]
    async fn bills(
        &self,
        #[query(rename = "date.from")] from: Option<&str>,
        #[query(rename = "date.to")] to: Option<&str>,
    ) -> Result<Vec<String>>;

    /// The account's domain names, only those whose whois owner is `whois_owner` when
    /// given.
    #[get("/domain")]
    async fn domains(
        &self,
        #[query(rename = "whoisOwner")] whois_owner: Option<&str>,
    ) -> Result<Vec<String>>;

    /// One domain name service.
    #[get("/domain/{service_name}")]
    async fn domain(&self, service_name: &str) -> Result<DomainService>;

    /// The ids of a zone's records, only those of `field_type` and at `sub_domain` when
    /// given (an empty `sub_domain` selects the apex).
    #[get("/domain/zone/{zone}/record")]
    async fn records(
        &self,
        zone: &str,
        #[query(rename = "fieldType")] field_type: Option<FieldType>,
        #[query(rename = "subDomain")] sub_domain: Option<&str>,
    ) -> Result<Vec<u64>>;

    /// Adds a record to a zone; it is served once the zone is
    /// [refreshed](Self::refresh_zone).
    #[post("/domain/zone/{zone}/record")]
    async fn create_record(&self, zone: &str, #[body] record: &NewRecord) -> Result<Record>;

    /// One record of a zone.
    #[get("/domain/zone/{zone}/record/{id}")]
    async fn record(&self, zone: &str, id: u64) -> Result<Record>;

    /// Changes a record's name, value or time to live.
    #[put("/domain/zone/{zone}/record/{id}")]
    async fn update_record(&self, zone: &str, id: u64, #[body] update: &RecordUpdate)
    -> Result<()>;

    /// Removes a record from a zone.
    #[delete("/domain/zone/{zone}/record/{id}")]
    async fn delete_record(&self, zone: &str, id: u64) -> Result<()>;

    /// Publishes a zone's pending changes to its name servers.
    #[post("/domain/zone/{zone}/refresh")]
    async fn refresh_zone(&self, zone: &str) -> Result<()>;
}

impl OvhClient {
    /// A client for the endpoint and credentials of `config` (see [`OvhConfig::load`]).
    pub fn from_config(config: OvhConfig) -> Result<Self> {
        OvhClient::builder()
            .credentials(config.credentials)
            .base_url(config.base_url)
            .build()
    }

    /// A client configured as the official OVH clients are: `OVH_ENDPOINT`,
    /// `OVH_APPLICATION_KEY`, `OVH_APPLICATION_SECRET`, `OVH_CONSUMER_KEY`, then the
    /// `ovh.conf` files. The error names what is missing.
    pub fn from_env() -> Result<Self> {
        Self::from_config(OvhConfig::load()?)
    }
}
