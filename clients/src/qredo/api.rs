//! The endpoints of the Partner API, as one `#[signed_api]` trait.

use signed_api::schemes::QredoConfig;
use signed_api::{Result, signed_api};

use super::models::{
    AssetList, Company, CompanyRef, CompanySearch, CreatedFund, DepositAddresses, FeeRequest, Fees,
    Fund, FundSearch, Holdings, Ledger, LedgerDirection, NewCompany, NewFund, NewTransfer,
    NewTrustedParty, NewWithdrawal, OkResponse, Transaction, TrustedPartyList, TxRef, Wallet,
    Whitelist, WhitelistEntry,
};

/// Qredo's Partner API: companies, their trusted networks and funds, and the transfers
/// and withdrawals out of those funds' wallets.
///
/// Paths are relative to the environment's base URL (`…/api/v1/p`). Every call is signed;
/// amounts are in the asset's base units (see [`Asset::scale`](super::Asset::scale)).
#[signed_api(scheme = "qredo")]
pub trait Qredo {
    /// The assets the network supports, with their scales.
    #[get("/assets")]
    async fn assets(&self) -> Result<AssetList>;

    /// What a transaction of `request.amount` would cost in fees. Only a computation, so
    /// it is safe to retry.
    #[post("/fees", idempotent)]
    async fn fees(&self, #[body] request: &FeeRequest) -> Result<Fees>;

    /// Creates a company on behalf of a customer.
    #[post("/company")]
    async fn create_company(&self, #[body] company: &NewCompany) -> Result<CompanyRef>;

    /// A company's details.
    #[get("/company/{company_id}")]
    async fn company(&self, company_id: &str) -> Result<Company>;

    /// Changes a company's details.
    #[put("/company/{company_id}")]
    async fn update_company(
        &self,
        company_id: &str,
        #[body] company: &NewCompany,
    ) -> Result<CompanyRef>;

    /// The companies whose name or domain contains `query`.
    #[get("/company/search")]
    async fn search_companies(&self, #[query] query: &str) -> Result<CompanySearch>;

    /// The parties a company trusts: who may be a custodian or a fund member.
    #[get("/company/{company_id}/trustedparty")]
    async fn trusted_parties(&self, company_id: &str) -> Result<TrustedPartyList>;

    /// Adds a party to a company's trusted network (a user must then accept in the Qredo
    /// app). The answer carries no id: list the parties to learn it.
    #[post("/company/{company_id}/trustedparty")]
    async fn add_trusted_party(
        &self,
        company_id: &str,
        #[body] party: &NewTrustedParty,
    ) -> Result<OkResponse>;

    /// Removes a party from a company's trusted network (answered with `202`).
    #[delete("/company/{company_id}/trustedparty/{trustedparty_id}")]
    async fn remove_trusted_party(
        &self,
        company_id: &str,
        trustedparty_id: &str,
    ) -> Result<OkResponse>;

    /// What a company holds, per asset, across its funds.
    #[get("/company/{company_id}/holding")]
    async fn holdings(&self, company_id: &str) -> Result<Holdings>;

    /// Creates a fund with its custody groups and wallets; custodians are trusted-party
    /// ids of the company.
    #[post("/company/{company_id}/fund")]
    async fn create_fund(&self, company_id: &str, #[body] fund: &NewFund) -> Result<CreatedFund>;

    /// A fund's policies, members and wallets.
    #[get("/company/{company_id}/fund/{fund_id}")]
    async fn fund(&self, company_id: &str, fund_id: &str) -> Result<Fund>;

    /// The company's funds whose name contains `query`.
    #[get("/company/{company_id}/fund/search")]
    async fn search_funds(&self, company_id: &str, #[query] query: &str) -> Result<FundSearch>;

    /// The addresses to deposit to, one per wallet of the fund, with their balances.
    #[get("/company/{company_id}/fund/{fund_id}/deposit")]
    async fn deposit_addresses(&self, company_id: &str, fund_id: &str) -> Result<DepositAddresses>;

    /// The outside addresses the fund may withdraw to, optionally only those matching
    /// `address` (and `asset`).
    #[get("/company/{company_id}/fund/{fund_id}/whitelist")]
    async fn whitelist(
        &self,
        company_id: &str,
        fund_id: &str,
        #[query] address: Option<&str>,
        #[query] asset: Option<&str>,
    ) -> Result<Whitelist>;

    /// Allows withdrawals of `entry.asset` from the fund to `entry.address`. The answer
    /// is a bare `200`.
    #[post("/company/{company_id}/fund/{fund_id}/whitelist")]
    async fn add_to_whitelist(
        &self,
        company_id: &str,
        fund_id: &str,
        #[body] entry: &WhitelistEntry,
    ) -> Result<()>;

    /// A page of the fund's transactions, newest first, filtered by asset, wallet and
    /// direction; `offset` and `limit` page through them.
    #[allow(clippy::too_many_arguments)] // one per documented query parameter
    #[get("/company/{company_id}/fund/{fund_id}/ledger")]
    async fn ledger(
        &self,
        company_id: &str,
        fund_id: &str,
        #[query] asset: Option<&str>,
        #[query] wallet_id: Option<&str>,
        #[query] direction: Option<LedgerDirection>,
        #[query] offset: Option<u64>,
        #[query] limit: Option<u64>,
    ) -> Result<Ledger>;

    /// A wallet's address, balance and policies, by wallet id.
    #[get("/wallet/{wallet_id}")]
    async fn wallet(&self, wallet_id: &str) -> Result<Wallet>;

    /// Requests a transfer between Qredo wallets; custodians then approve it. Not retried:
    /// set `partner_tx_id` to make a repeated request harmless.
    #[post("/company/{company_id}/transfer")]
    async fn create_transfer(
        &self,
        company_id: &str,
        #[body] transfer: &NewTransfer,
    ) -> Result<TxRef>;

    /// Where a transfer stands.
    #[get("/company/{company_id}/transfer/{tx_id}")]
    async fn transfer(&self, company_id: &str, tx_id: &str) -> Result<Transaction>;

    /// Requests a withdrawal to a whitelisted outside address; custodians then approve it.
    #[post("/company/{company_id}/withdraw")]
    async fn create_withdrawal(
        &self,
        company_id: &str,
        #[body] withdrawal: &NewWithdrawal,
    ) -> Result<TxRef>;

    /// Where a withdrawal stands.
    #[get("/company/{company_id}/withdraw/{tx_id}")]
    async fn withdrawal(&self, company_id: &str, tx_id: &str) -> Result<Transaction>;
}

impl QredoClient {
    /// A client for the base URL and credentials of `config` (see
    /// [`QredoConfig::from_env`]), signing with timestamps.
    pub fn from_config(config: QredoConfig) -> Result<Self> {
        Self::builder()
            .credentials(config.credentials)
            .base_url(config.base_url)
            .build()
    }

    /// A client configured from `QREDO_API_KEY`, `QREDO_PRIVATE_KEY` and
    /// `QREDO_BASE_URL`. The error names what is missing.
    pub fn from_env() -> Result<Self> {
        Self::from_config(QredoConfig::from_env()?)
    }
}
