//! The typed Qredo client against the in-process mock: every endpoint, the state they
//! share, and the refusals in Qredo's error shape.

#![cfg(feature = "qredo")]

mod support;

use signed_api::keys::RsaKey;
use signed_api::{ApiError, ApiErrorKind, Error, RetryPolicy, StatusCode};
use signed_api_clients::qredo::{
    ApprovalStatus, AssetAmount, EntityType, FeeKind, FeeRequest, LedgerDirection, LedgerEntryType,
    NewCompany, NewCustodyGroup, NewFund, NewTransfer, NewTrustedParty, NewWallet, NewWithdrawal,
    Qredo, QredoClient, QredoConfig, QredoCredentials, TxRefStatus, TxStatus, WalletType,
    WhitelistEntry,
};
use signed_api_mock::{Api, MockCredentials, MockServer, QredoMockCredentials};
use support::{key_path, mock_credentials, unix_now};

const QREDO_KEY: &str = "test-qredo-key";

async fn start() -> MockServer {
    support::start_mock(MockCredentials {
        qredo: QredoMockCredentials::new(QREDO_KEY, &key_path("rsa2048-pkcs1.pem")).unwrap(),
        ..mock_credentials()
    })
    .await
}

/// A client configured the way users configure one: from `QREDO_*` variables, here the
/// ones the mock hands out.
fn client(mock: &MockServer) -> QredoClient {
    let vars = mock.env_vars();
    let env = |name: &str| {
        vars.iter()
            .find(|(var, _)| var == name)
            .map(|(_, value)| value.clone())
    };
    let config = QredoConfig::from_lookup(&env).unwrap();
    assert_eq!(config.base_url, mock.base_url(Api::Qredo));
    QredoClient::builder()
        .credentials(config.credentials)
        .base_url(config.base_url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn client_with(mock: &MockServer, api_key: &str, key: &str) -> QredoClient {
    let key = RsaKey::from_pem_file(key_path(key)).unwrap();
    QredoClient::builder()
        .credentials(QredoCredentials::new(api_key, key).unwrap())
        .base_url(mock.base_url(Api::Qredo))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn in_an_hour() -> u64 {
    unix_now() as u64 + 3600
}

fn api_error(error: Error) -> Box<ApiError> {
    match error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// A company with two trusted users; returns its id and the two parties' ids.
async fn company_with_custodians(qredo: &QredoClient) -> (String, String, String) {
    let company = qredo
        .create_company(&NewCompany::new("Custody Test Ltd"))
        .await
        .unwrap();
    for address in ["alice@example.com", "bob@example.com"] {
        let added = qredo
            .add_trusted_party(&company.company_id, &NewTrustedParty::user(address))
            .await
            .unwrap();
        assert_eq!((added.code, added.msg.as_str()), (200, "OK"));
    }
    let parties = qredo.trusted_parties(&company.company_id).await.unwrap();
    let id_of = |address: &str| {
        parties
            .list
            .iter()
            .find(|party| party.address.as_deref() == Some(address))
            .map(|party| party.trusted_entity_id.clone())
            .unwrap()
    };
    let (alice, bob) = (id_of("alice@example.com"), id_of("bob@example.com"));
    (company.company_id, alice, bob)
}

fn group(threshold: u32, members: &[&str]) -> NewCustodyGroup {
    NewCustodyGroup {
        threshold,
        members: members.iter().map(|member| (*member).to_owned()).collect(),
    }
}

#[tokio::test]
async fn assets_and_fees() {
    let mock = start().await;
    let qredo = client(&mock);

    let assets = qredo.assets().await.unwrap();
    let btc = assets.assets.iter().find(|a| a.code == "BTC").unwrap();
    assert_eq!(btc.scale, Some(100_000_000));
    assert_eq!(btc.enabled, Some(true));
    assert_eq!(btc.test_asset, Some(false));
    let test_eth = assets
        .assets
        .iter()
        .find(|a| a.code == "ETH-TESTNET")
        .unwrap();
    assert_eq!(test_eth.test_asset, Some(true));
    assert_eq!(test_eth.scale, Some(1_000_000_000));

    // The swagger's own sample: 200000 base units cost 200.
    let fees = qredo
        .fees(&FeeRequest {
            kind: FeeKind::TransferOut,
            asset: "BTC-TESTNET".into(),
            amount: 200_000,
        })
        .await
        .unwrap();
    assert_eq!(
        (fees.net_amount, fees.amount_to_send, fees.fees),
        (200_000, 200_200, 200)
    );

    let unknown = qredo
        .fees(&FeeRequest {
            kind: FeeKind::Withdraw,
            asset: "DOGE".into(),
            amount: 10,
        })
        .await
        .unwrap_err();
    let unknown = api_error(unknown);
    assert_eq!(unknown.kind, ApiErrorKind::BadRequest);
    assert_eq!(unknown.message.as_deref(), Some("unknown asset DOGE"));
    mock.shutdown().await;
}

#[tokio::test]
async fn companies_are_created_found_updated_and_read_back() {
    let mock = start().await;
    let qredo = client(&mock);

    let company = NewCompany {
        name: "ACME Corp".into(),
        city: Some("Paris".into()),
        country: Some("FR".into()),
        domain: Some("acme.com".into()),
        reference: Some("9827feec-4eae-4e80-bda3-daa7c3b97add".into()),
    };
    let created = qredo.create_company(&company).await.unwrap();
    assert!(!created.company_id.is_empty());
    assert_eq!(created.reference, "9827feec-4eae-4e80-bda3-daa7c3b97add");

    let read = qredo.company(&created.company_id).await.unwrap();
    assert_eq!(
        read.company_id.as_deref(),
        Some(created.company_id.as_str())
    );
    assert_eq!(read.name, "ACME Corp");
    assert_eq!(read.city.as_deref(), Some("Paris"));
    assert_eq!(read.country.as_deref(), Some("FR"));
    assert_eq!(read.domain.as_deref(), Some("acme.com"));

    let found = qredo.search_companies("acme").await.unwrap();
    assert_eq!(found.total_count, 1);
    assert_eq!(found.matches[0].company_id, created.company_id);
    assert_eq!(found.matches[0].domain.as_deref(), Some("acme.com"));
    assert_eq!(
        qredo.search_companies("globex").await.unwrap().total_count,
        0
    );

    let update = NewCompany {
        city: Some("Lyon".into()),
        ..NewCompany::new("ACME Holdings")
    };
    let updated = qredo
        .update_company(&created.company_id, &update)
        .await
        .unwrap();
    assert_eq!(updated.company_id, created.company_id);
    assert_eq!(updated.reference, created.reference);
    let read = qredo.company(&created.company_id).await.unwrap();
    assert_eq!(read.name, "ACME Holdings");
    assert_eq!(read.city.as_deref(), Some("Lyon"));
    assert_eq!(read.domain.as_deref(), Some("acme.com"));
    let found = qredo.search_companies("holdings").await.unwrap();
    assert_eq!(found.total_count, 1);
    assert_eq!(found.matches[0].name, "ACME Holdings");

    let missing = api_error(qredo.company("no-such-company").await.unwrap_err());
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code.as_deref(), Some("Not Found"));
    assert_eq!(missing.message.as_deref(), Some("company not found"));
    mock.shutdown().await;
}

#[tokio::test]
async fn trusted_parties_are_added_listed_and_removed() {
    let mock = start().await;
    let qredo = client(&mock);
    let company = qredo
        .create_company(&NewCompany::new("Trusting Inc"))
        .await
        .unwrap()
        .company_id;

    let carol = NewTrustedParty {
        name: Some("Carol".into()),
        ..NewTrustedParty::user("carol@example.com")
    };
    let added = qredo.add_trusted_party(&company, &carol).await.unwrap();
    assert_eq!((added.code, added.msg.as_str()), (200, "OK"));

    let parties = qredo.trusted_parties(&company).await.unwrap();
    assert_eq!(parties.company_id.as_deref(), Some(company.as_str()));
    assert_eq!(parties.total_count, 1);
    let party = &parties.list[0];
    assert_eq!(party.address.as_deref(), Some("carol@example.com"));
    assert_eq!(party.name.as_deref(), Some("Carol"));
    assert_eq!(party.kind, Some(EntityType::User));
    assert!(party.created.is_some_and(|created| created > 0));

    let removed = qredo
        .remove_trusted_party(&company, &party.trusted_entity_id)
        .await
        .unwrap();
    assert_eq!(removed.code, 202);
    assert_eq!(
        qredo.trusted_parties(&company).await.unwrap().total_count,
        0
    );

    let again = qredo
        .remove_trusted_party(&company, &party.trusted_entity_id)
        .await
        .unwrap_err();
    let again = api_error(again);
    assert_eq!(again.kind, ApiErrorKind::NotFound);
    assert_eq!(again.message.as_deref(), Some("trusted party not found"));
    mock.shutdown().await;
}

#[tokio::test]
async fn funds_hold_wallets_with_deposit_addresses_and_whitelists() {
    let mock = start().await;
    let qredo = client(&mock);
    let (company, alice, bob) = company_with_custodians(&qredo).await;

    let new_fund = NewFund {
        name: "Treasury".into(),
        description: Some("Long-term holdings".into()),
        custodygroup_withdraw: Some(group(1, &[&alice, &bob])),
        custodygroup_tx: Some(group(2, &[&alice, &bob])),
        wallets: vec![
            NewWallet::new("Cold BTC", "BTC"),
            NewWallet {
                kind: Some(WalletType::Dedicated),
                ..NewWallet::new("Hot ETH", "ETH")
            },
        ],
    };
    let created = qredo.create_fund(&company, &new_fund).await.unwrap();

    let fund = qredo.fund(&company, &created.fund_id).await.unwrap();
    assert_eq!(fund.fund_id, created.fund_id);
    assert_eq!(fund.name, "Treasury");
    assert_eq!(fund.description.as_deref(), Some("Long-term holdings"));
    assert_eq!(fund.custodygroup_withdraw, created.custodygroup_withdraw);
    assert_eq!(fund.custodygroup_tx, created.custodygroup_tx);
    let withdraw_policy = fund.policy_withdraw.as_ref().unwrap();
    assert_eq!(withdraw_policy.threshold, Some(1));
    let custodians: Vec<_> = withdraw_policy
        .members
        .iter()
        .map(|member| member.id.as_deref().unwrap())
        .collect();
    assert_eq!(custodians, [alice.as_str(), bob.as_str()]);
    assert_eq!(fund.policy_tx.as_ref().unwrap().threshold, Some(2));
    assert_eq!(fund.assets, ["BTC", "ETH"]);
    assert_eq!(fund.members.len(), 1);
    let member = fund.members[0].entity.as_ref().unwrap();
    assert_eq!(member.id.as_deref(), Some(company.as_str()));
    assert_eq!(member.kind, Some(EntityType::Company));
    assert_eq!(fund.wallets.len(), 2);
    let btc = &fund.wallets[0];
    assert_eq!(btc.name.as_deref(), Some("Cold BTC"));
    assert_eq!(btc.asset.as_deref(), Some("BTC"));
    assert_eq!(btc.kind, Some(WalletType::Standard));
    assert_eq!(btc.balance, Some(0));
    assert!(
        btc.address
            .as_deref()
            .is_some_and(|a| a.starts_with("bc1q"))
    );
    assert_eq!(fund.wallets[1].kind, Some(WalletType::Dedicated));
    assert!(
        fund.wallets[1]
            .address
            .as_deref()
            .is_some_and(|a| a.starts_with("0x") && a.len() == 42)
    );

    // The deposit list and the wallet endpoint show the same addresses.
    let deposits = qredo
        .deposit_addresses(&company, &created.fund_id)
        .await
        .unwrap();
    assert_eq!(deposits.total_count, 2);
    for (deposit, wallet) in deposits.list.iter().zip(&fund.wallets) {
        assert_eq!(Some(deposit.asset.as_str()), wallet.asset.as_deref());
        assert_eq!(Some(deposit.address.as_str()), wallet.address.as_deref());
        assert_eq!(deposit.balance, Some(0));
    }
    let wallet = qredo.wallet(&btc.wallet_id).await.unwrap();
    assert_eq!(&wallet, btc);

    let holdings = qredo.holdings(&company).await.unwrap();
    assert_eq!(holdings.total_count, Some(2));
    let held: Vec<_> = holdings
        .holdings
        .iter()
        .map(|h| (h.code.as_str(), h.amount))
        .collect();
    assert_eq!(held, [("BTC", 0), ("ETH", 0)]);

    qredo
        .create_fund(
            &company,
            &NewFund {
                name: "Operations".into(),
                description: None,
                custodygroup_withdraw: Some(group(1, &[&alice])),
                custodygroup_tx: Some(group(1, &[&bob])),
                wallets: Vec::new(),
            },
        )
        .await
        .unwrap();
    let found = qredo.search_funds(&company, "treas").await.unwrap();
    assert_eq!(found.total_count, 1);
    assert_eq!(found.list[0].id, created.fund_id);
    assert_eq!(found.list[0].name, "Treasury");
    assert_eq!(
        qredo.search_funds(&company, "").await.unwrap().total_count,
        2
    );

    let entry = WhitelistEntry {
        name: "Exchange".into(),
        asset: "BTC".into(),
        address: "bc1qgr090hdm6y5wzwqc2r57rlaytx5v7ytm2ktq98".into(),
    };
    qredo
        .add_to_whitelist(&company, &created.fund_id, &entry)
        .await
        .unwrap();
    let listed = qredo
        .whitelist(&company, &created.fund_id, None, None)
        .await
        .unwrap();
    assert_eq!(listed.total_count, 1);
    assert_eq!(listed.list, std::slice::from_ref(&entry));
    let filtered = qredo
        .whitelist(
            &company,
            &created.fund_id,
            Some(&entry.address),
            Some("BTC"),
        )
        .await
        .unwrap();
    assert_eq!(filtered.list, std::slice::from_ref(&entry));
    let other = qredo
        .whitelist(
            &company,
            &created.fund_id,
            Some(&entry.address),
            Some("ETH"),
        )
        .await
        .unwrap();
    assert_eq!(other.total_count, 0);
    mock.shutdown().await;
}

#[tokio::test]
async fn custodians_must_be_trusted_parties() {
    let mock = start().await;
    let qredo = client(&mock);
    let (company, alice, _) = company_with_custodians(&qredo).await;
    let fund = NewFund {
        name: "Shady".into(),
        description: None,
        custodygroup_withdraw: Some(group(1, &[&alice, "a-stranger"])),
        custodygroup_tx: Some(group(1, &[&alice])),
        wallets: vec![NewWallet::new("BTC", "BTC")],
    };
    let refused = api_error(qredo.create_fund(&company, &fund).await.unwrap_err());
    assert_eq!(refused.kind, ApiErrorKind::BadRequest);
    assert_eq!(
        refused.message.as_deref(),
        Some("custodygroup_withdraw: a-stranger is not a trusted party of the company")
    );
    assert_eq!(
        qredo.search_funds(&company, "").await.unwrap().total_count,
        0
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn transfers_and_withdrawals_are_recorded_and_read_back() {
    let mock = start().await;
    let qredo = client(&mock);
    let (company, alice, bob) = company_with_custodians(&qredo).await;
    let fund_with = |name: &str| NewFund {
        name: name.into(),
        description: None,
        custodygroup_withdraw: Some(group(1, &[&alice])),
        custodygroup_tx: Some(group(2, &[&alice, &bob])),
        wallets: vec![NewWallet::new("BTC", "BTC"), NewWallet::new("ETH", "ETH")],
    };
    let treasury = qredo
        .create_fund(&company, &fund_with("Treasury"))
        .await
        .unwrap()
        .fund_id;
    let operations = qredo
        .create_fund(&company, &fund_with("Operations"))
        .await
        .unwrap()
        .fund_id;
    let wallets = qredo.fund(&company, &treasury).await.unwrap().wallets;
    let (btc, eth) = (&wallets[0].wallet_id, &wallets[1].wallet_id);
    let target = qredo.fund(&company, &operations).await.unwrap().wallets[0]
        .wallet_id
        .clone();
    let expires = in_an_hour();

    let transfer = NewTransfer {
        wallet_id: btc.clone(),
        counterparty_wallet_address: target.clone(),
        expires,
        send: AssetAmount {
            symbol: "BTC".into(),
            amount: 800,
        },
        benefit_of: Some("John Smith".into()),
        account_no: Some("123-XX".into()),
        reference: Some("CX15R99XX".into()),
        partner_tx_id: Some("partner-1".into()),
        authorize_id: None,
    };
    let sent = qredo.create_transfer(&company, &transfer).await.unwrap();
    assert_eq!(sent.status, Some(TxRefStatus::New));
    // The same partner id again: the first transaction, not a second one.
    let resent = qredo.create_transfer(&company, &transfer).await.unwrap();
    assert_eq!(resent.tx_id, sent.tx_id);
    assert_eq!(resent.status, Some(TxRefStatus::Existing));

    let read = qredo.transfer(&company, &sent.tx_id).await.unwrap();
    assert_eq!(read.tx_id, sent.tx_id);
    assert_eq!(read.tx_status, Some(TxStatus::Pending));
    assert_eq!(read.threshold_required, Some(2));
    assert_eq!(read.approved_count, Some(0));
    assert_eq!(read.expires, Some(expires as i64));
    assert_eq!(read.reference.as_deref(), Some("CX15R99XX"));
    let approvers: Vec<_> = read
        .status
        .iter()
        .map(|a| (a.user_id.as_deref().unwrap(), a.status.clone().unwrap()))
        .collect();
    assert_eq!(
        approvers,
        [
            (alice.as_str(), ApprovalStatus::Pending),
            (bob.as_str(), ApprovalStatus::Pending)
        ]
    );
    let details = read.status_details.unwrap();
    assert_eq!(details.asset.as_deref(), Some("BTC"));
    assert_eq!(
        (details.amount, details.fees, details.net_amount),
        (Some(801), Some(1), Some(800))
    );
    assert_eq!(details.fund_id.as_deref(), Some(treasury.as_str()));
    assert_eq!(details.recipient_address.as_deref(), Some(target.as_str()));
    assert_eq!(details.benefit_of.as_deref(), Some("John Smith"));
    assert_eq!(details.account_no.as_deref(), Some("123-XX"));

    let address = "bc1qgr090hdm6y5wzwqc2r57rlaytx5v7ytm2ktq98";
    qredo
        .add_to_whitelist(
            &company,
            &treasury,
            &WhitelistEntry {
                name: "Exchange".into(),
                asset: "BTC".into(),
                address: address.into(),
            },
        )
        .await
        .unwrap();
    let withdrawal = NewWithdrawal {
        wallet_id: btc.clone(),
        address: address.into(),
        expires,
        send: AssetAmount {
            symbol: "BTC".into(),
            amount: 5000,
        },
        benefit_of: None,
        account_no: None,
        reference: Some("W-1".into()),
        partner_tx_id: None,
    };
    let withdrawn = qredo
        .create_withdrawal(&company, &withdrawal)
        .await
        .unwrap();
    assert_eq!(withdrawn.status, Some(TxRefStatus::New));
    assert_ne!(withdrawn.tx_id, sent.tx_id);
    let read = qredo.withdrawal(&company, &withdrawn.tx_id).await.unwrap();
    assert_eq!(read.tx_id, withdrawn.tx_id);
    assert_eq!(read.tx_status, Some(TxStatus::Pending));
    assert_eq!(read.threshold_required, Some(1));
    assert_eq!(read.status.len(), 1);
    let details = read.status_details.unwrap();
    assert_eq!(details.recipient_address.as_deref(), Some(address));
    assert_eq!(
        (details.amount, details.fees, details.net_amount),
        (Some(5005), Some(5), Some(5000))
    );

    // A transfer id is not a withdrawal id, and the other way round.
    let crossed = api_error(qredo.withdrawal(&company, &sent.tx_id).await.unwrap_err());
    assert_eq!(crossed.kind, ApiErrorKind::NotFound);
    assert_eq!(crossed.message.as_deref(), Some("withdrawal not found"));
    let crossed = api_error(
        qredo
            .transfer(&company, &withdrawn.tx_id)
            .await
            .unwrap_err(),
    );
    assert_eq!(crossed.message.as_deref(), Some("transfer not found"));

    // The ledgers: newest first, filtered and paged.
    let ledger = qredo
        .ledger(&company, &treasury, None, None, None, None, None)
        .await
        .unwrap();
    assert_eq!(ledger.total, 2);
    let kinds: Vec<_> = ledger
        .list
        .iter()
        .map(|e| e.kind.clone().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [LedgerEntryType::Withdraw, LedgerEntryType::TransferOut]
    );
    assert_eq!(
        ledger.list[0].tx_id.as_deref(),
        Some(withdrawn.tx_id.as_str())
    );
    assert_eq!(ledger.list[0].address.as_deref(), Some(address));
    assert_eq!(ledger.list[1].tx_id.as_deref(), Some(sent.tx_id.as_str()));
    assert_eq!(
        (
            ledger.list[1].amount,
            ledger.list[1].fees,
            ledger.list[1].net_amount
        ),
        (Some(801), Some(1), Some(800))
    );
    assert_eq!(ledger.list[1].status, Some(TxStatus::Pending));
    let outgoing = qredo
        .ledger(
            &company,
            &treasury,
            None,
            None,
            Some(LedgerDirection::Out),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(outgoing.total, 2);
    let incoming = qredo
        .ledger(
            &company,
            &treasury,
            None,
            None,
            Some(LedgerDirection::In),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(incoming.total, 0);
    let page = qredo
        .ledger(
            &company,
            &treasury,
            Some("BTC"),
            Some(btc),
            None,
            Some(1),
            Some(1),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.list.len(), 1);
    assert_eq!(page.list[0].tx_id.as_deref(), Some(sent.tx_id.as_str()));
    let other_asset = qredo
        .ledger(&company, &treasury, Some("ETH"), None, None, None, None)
        .await
        .unwrap();
    assert_eq!(other_asset.total, 0);
    let received = qredo
        .ledger(
            &company,
            &operations,
            None,
            Some(&target),
            Some(LedgerDirection::In),
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(received.total, 1);
    let entry = &received.list[0];
    assert_eq!(entry.kind, Some(LedgerEntryType::TransferIn));
    assert_eq!(entry.tx_id.as_deref(), Some(sent.tx_id.as_str()));
    assert_eq!(entry.amount, Some(800));
    assert_eq!(entry.counterparty_id.as_deref(), Some(company.as_str()));

    // The ETH wallet may not withdraw to an address whitelisted for BTC only.
    let wrong_asset = NewWithdrawal {
        wallet_id: eth.clone(),
        send: AssetAmount {
            symbol: "ETH".into(),
            amount: 10,
        },
        ..withdrawal
    };
    let refused = api_error(
        qredo
            .create_withdrawal(&company, &wrong_asset)
            .await
            .unwrap_err(),
    );
    assert_eq!(refused.kind, ApiErrorKind::BadRequest);
    assert_eq!(
        refused.message.as_deref(),
        Some(format!("address {address} is not whitelisted for ETH in this fund").as_str())
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn withdrawals_to_addresses_not_whitelisted_are_refused() {
    let mock = start().await;
    let qredo = client(&mock);
    let (company, alice, _) = company_with_custodians(&qredo).await;
    let fund = qredo
        .create_fund(
            &company,
            &NewFund {
                name: "Treasury".into(),
                description: None,
                custodygroup_withdraw: Some(group(1, &[&alice])),
                custodygroup_tx: Some(group(1, &[&alice])),
                wallets: vec![NewWallet::new("BTC", "BTC")],
            },
        )
        .await
        .unwrap()
        .fund_id;
    let wallet = qredo.fund(&company, &fund).await.unwrap().wallets[0]
        .wallet_id
        .clone();
    let withdrawal = NewWithdrawal {
        wallet_id: wallet,
        address: "bc1qnotwhitelisted".into(),
        expires: in_an_hour(),
        send: AssetAmount {
            symbol: "BTC".into(),
            amount: 1000,
        },
        benefit_of: None,
        account_no: None,
        reference: None,
        partner_tx_id: None,
    };
    let refused = api_error(
        qredo
            .create_withdrawal(&company, &withdrawal)
            .await
            .unwrap_err(),
    );
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.kind, ApiErrorKind::BadRequest);
    assert_eq!(refused.code.as_deref(), Some("Bad Request"));
    assert_eq!(
        refused.message.as_deref(),
        Some("address bc1qnotwhitelisted is not whitelisted for BTC in this fund")
    );
    let body: serde_json::Value = serde_json::from_str(&refused.body_excerpt).unwrap();
    assert_eq!(body["code"], 400);
    // Nothing was recorded.
    let ledger = qredo
        .ledger(&company, &fund, None, None, None, None, None)
        .await
        .unwrap();
    assert_eq!(ledger.total, 0);
    mock.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_are_refused_as_authentication_errors() {
    let mock = start().await;

    let other_key = client_with(&mock, QREDO_KEY, "rsa1024-pkcs1.pem");
    let refused = api_error(other_key.assets().await.unwrap_err());
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.kind, ApiErrorKind::Authentication);
    assert_eq!(refused.code.as_deref(), Some("errPartnerAuth"));
    assert!(refused.message.as_deref().is_some_and(|m| !m.is_empty()));

    let other_api_key = client_with(&mock, "not-the-key", "rsa2048-pkcs1.pem");
    let refused = api_error(
        other_api_key
            .create_company(&NewCompany::new("Intruder"))
            .await
            .unwrap_err(),
    );
    assert_eq!(refused.kind, ApiErrorKind::Authentication);
    assert_eq!(refused.code.as_deref(), Some("errPartnerAuth"));
    // The refused call left nothing behind.
    let qredo = client(&mock);
    assert_eq!(qredo.search_companies("").await.unwrap().total_count, 0);
    mock.shutdown().await;
}
