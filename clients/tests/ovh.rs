//! The typed OVH client against the in-process mock: every method of [`Ovh`], its answers
//! decoded and checked against what the calls before it did, and the refusals (wrong
//! keys, revoked or logged-out consumer keys, calls outside a key's rules) with OVH's
//! error code and query id kept. Also: a mock whose clock is hours off still accepts the
//! client's signatures, because the client learns OVH's time first.

mod support;

use signed_api::{ApiError, ApiErrorKind, RetryPolicy};
use signed_api_clients::ovh::{
    AccessRule, AuthMethod, CredentialRequest, CredentialState, CredentialUpdate, FieldType,
    HttpMethod, LegalForm, NameServerType, NewRecord, NichandleState, Ovh, OvhClient, OvhCompany,
    OvhCredentials, READ_WRITE, RecordUpdate, TransferLockStatus,
};
use signed_api_mock::{Api, Faults, MockConfig, MockCredentials, MockServer, OvhMockCredentials};
use support::{mock_credentials, unix_now as now};

const APPLICATION_KEY: &str = "clients-test-ak";
const APPLICATION_SECRET: &str = "clients-test-application-secret";
const CONSUMER_KEY: &str = "clients-test-consumer-key";

async fn start(faults: Faults) -> MockServer {
    let credentials = MockCredentials {
        ovh: OvhMockCredentials::new(APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY).unwrap(),
        ..mock_credentials()
    };
    MockServer::start(MockConfig::new(credentials).faults(Api::Ovh, faults))
        .await
        .unwrap()
}

fn client_with(mock: &MockServer, credentials: OvhCredentials) -> OvhClient {
    OvhClient::builder()
        .credentials(credentials)
        .base_url(mock.base_url(Api::Ovh))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A client signing with the application and consumer key the mock was started with.
fn client(mock: &MockServer) -> OvhClient {
    signing_with(mock, APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY)
}

fn signing_with(mock: &MockServer, key: &str, secret: &str, consumer_key: &str) -> OvhClient {
    let credentials = OvhCredentials::new(key, secret)
        .unwrap()
        .with_consumer_key(consumer_key)
        .unwrap();
    client_with(mock, credentials)
}

/// The API error of a failed call, checked to carry the mock's query id.
fn api_error<T: std::fmt::Debug>(result: signed_api::Result<T>) -> ApiError {
    let error = support::api_error(result);
    let query_id = error.request_id.as_deref().unwrap_or_default();
    assert!(query_id.starts_with("MOCK.ovh-"), "{error:?}");
    error
}

/// Issues a consumer key with `request` and returns a client signing with it, and the
/// key's credential id.
async fn issue(mock: &MockServer, request: &CredentialRequest) -> (OvhClient, u64) {
    let application = OvhCredentials::new(APPLICATION_KEY, APPLICATION_SECRET).unwrap();
    let unsigned = client_with(mock, application.clone());
    let issued = unsigned.request_credential(request).await.unwrap();
    assert_eq!(issued.state, CredentialState::PendingValidation);
    let limited = client_with(
        mock,
        application.with_consumer_key(issued.consumer_key).unwrap(),
    );
    let id = limited.current_credential().await.unwrap().credential_id;
    (limited, id)
}

#[tokio::test]
async fn auth_endpoints_describe_the_caller_and_its_account() {
    let mock = start(Faults::none()).await;
    let ovh = client(&mock);

    let server_time = ovh.server_time().await.unwrap();
    assert!((server_time - now()).abs() <= 2, "{server_time}");

    let current = ovh.current_credential().await.unwrap();
    assert_eq!(current.credential_id, 1);
    assert_eq!(current.status, CredentialState::Validated);
    assert_eq!(
        current.rules,
        READ_WRITE
            .iter()
            .map(|method| AccessRule::new(method.clone(), "/*"))
            .collect::<Vec<_>>()
    );
    assert!(current.last_use.is_some());
    assert_eq!(current.allowed_ips, None);

    let details = ovh.auth_details().await.unwrap();
    assert_eq!(details.method, AuthMethod::Account);
    assert_eq!(details.roles, Some(Vec::new()));

    let me = ovh.me().await.unwrap();
    assert_eq!(me.nichandle, "xx1111-ovh");
    assert_eq!(me.email, "demo@example.com");
    assert_eq!(me.currency.code, "EUR");
    assert_eq!(me.legalform, LegalForm::Individual);
    assert_eq!(me.ovh_company, OvhCompany::Ovh);
    assert_eq!(me.state, NichandleState::Complete);
    assert_eq!(me.firstname.as_deref(), Some("Demo"));
    assert_eq!(me.vat, None);
}

#[tokio::test]
async fn bills_are_listed_and_filtered_by_date() {
    let mock = start(Faults::none()).await;
    let ovh = client(&mock);
    let all = ovh.bills(None, None).await.unwrap();
    assert_eq!(all.len(), 3, "{all:?}");
    let since_february = ovh.bills(Some("2024-02-01"), None).await.unwrap();
    assert_eq!(since_february, all[1..]);
    let february = ovh
        .bills(Some("2024-02-01"), Some("2024-02-29"))
        .await
        .unwrap();
    assert_eq!(february, all[1..2]);
    let until_january = ovh.bills(None, Some("2024-01-31")).await.unwrap();
    assert_eq!(until_january, all[..1]);

    let refused = api_error(ovh.bills(Some("last week"), None).await);
    assert_eq!(refused.kind, ApiErrorKind::BadRequest);
    assert!(refused.message.unwrap().contains("date.from"));
}

#[tokio::test]
async fn issued_keys_are_limited_listed_updated_and_revoked() {
    let mock = start(Faults::none()).await;
    let admin = client(&mock);

    let request = CredentialRequest::read_only()
        .recursive_rules(READ_WRITE, "/domain/zone")
        .redirection("https://example.com/done");
    let application = OvhCredentials::new(APPLICATION_KEY, APPLICATION_SECRET).unwrap();
    let issued = client_with(&mock, application.clone())
        .request_credential(&request)
        .await
        .unwrap();
    assert_eq!(issued.state, CredentialState::PendingValidation);
    let validation_url = issued.validation_url.clone().unwrap();
    assert!(
        validation_url.starts_with(&mock.origin()) && validation_url.contains("redirection="),
        "{validation_url}"
    );
    let limited = client_with(
        &mock,
        application.with_consumer_key(issued.consumer_key).unwrap(),
    );

    let credential = limited.current_credential().await.unwrap();
    assert_ne!(credential.credential_id, 1);
    assert_eq!(credential.rules, request.access_rules());
    assert_eq!(credential.status, CredentialState::Validated);
    let id = credential.credential_id;

    // Inside its rules: reads anywhere, writes below /domain/zone.
    assert_eq!(limited.me().await.unwrap().nichandle, "xx1111-ovh");
    let record = limited
        .create_record("example.org", &NewRecord::new(FieldType::Txt, "issued"))
        .await
        .unwrap();
    assert_eq!(record.target, "issued");
    // Outside them: refused as not granted, with the query id kept.
    let refused = api_error(
        limited
            .update_credential(id, &CredentialUpdate::allowed_ips(["192.0.2.0/24"]))
            .await,
    );
    assert_eq!(refused.kind, ApiErrorKind::Forbidden);
    assert_eq!(refused.code.as_deref(), Some("NOT_GRANTED_CALL"));

    // The account sees both keys, and their states.
    assert_eq!(admin.credentials(None).await.unwrap(), [1, id]);
    assert_eq!(
        admin
            .credentials(Some(CredentialState::Validated))
            .await
            .unwrap(),
        [1, id]
    );
    assert!(
        admin
            .credentials(Some(CredentialState::Expired))
            .await
            .unwrap()
            .is_empty()
    );
    let listed = admin.credential(id).await.unwrap();
    assert_eq!(listed.rules, credential.rules);
    assert_eq!(listed.allowed_ips, None);

    admin
        .update_credential(id, &CredentialUpdate::allowed_ips(["192.0.2.0/24"]))
        .await
        .unwrap();
    assert_eq!(
        admin.credential(id).await.unwrap().allowed_ips,
        Some(vec!["192.0.2.0/24".to_owned()])
    );

    admin.delete_credential(id).await.unwrap();
    let revoked = api_error(limited.me().await);
    assert_eq!(revoked.kind, ApiErrorKind::Authentication);
    assert_eq!(revoked.code.as_deref(), Some("INVALID_CREDENTIAL"));
    assert_eq!(admin.credentials(None).await.unwrap(), [1]);
    let gone = api_error(admin.credential(id).await);
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    let gone = api_error(admin.delete_credential(id).await);
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
}

#[tokio::test]
async fn logout_expires_the_key_it_was_signed_with() {
    let mock = start(Faults::none()).await;
    let admin = client(&mock);
    let (session, id) = issue(
        &mock,
        &CredentialRequest::new()
            .rule(HttpMethod::Get, "/me")
            .rule(HttpMethod::Get, "/auth/currentCredential")
            .rule(HttpMethod::Post, "/auth/logout"),
    )
    .await;
    assert_eq!(session.me().await.unwrap().nichandle, "xx1111-ovh");

    session.logout().await.unwrap();
    let refused = api_error(session.me().await);
    assert_eq!(refused.kind, ApiErrorKind::Authentication);
    assert_eq!(refused.code.as_deref(), Some("INVALID_CREDENTIAL"));

    let expired = admin.credential(id).await.unwrap();
    assert_eq!(expired.status, CredentialState::Expired);
    assert!(expired.expiration.is_some());
    assert_eq!(
        admin
            .credentials(Some(CredentialState::Expired))
            .await
            .unwrap(),
        [id]
    );
    // The admin's own key is untouched.
    assert_eq!(
        admin.current_credential().await.unwrap().status,
        CredentialState::Validated
    );
}

#[tokio::test]
async fn domains_are_listed_filtered_and_read() {
    let mock = start(Faults::none()).await;
    let ovh = client(&mock);
    let names = ovh.domains(None).await.unwrap();
    assert_eq!(names, ["example.com", "example.org"]);

    let domain = ovh.domain("example.org").await.unwrap();
    assert_eq!(domain.domain, "example.org");
    assert_eq!(domain.name_server_type, NameServerType::External);
    assert_eq!(domain.transfer_lock_status, TransferLockStatus::Unlocked);
    assert_eq!(
        domain.iam.unwrap().urn,
        "urn:v1:eu:resource:domain:example.org"
    );
    let owner = domain.whois_owner.unwrap();
    assert_eq!(ovh.domains(Some(&owner)).await.unwrap(), ["example.org"]);
    assert!(ovh.domains(Some("nobody")).await.unwrap().is_empty());

    let hosted = ovh.domain("example.com").await.unwrap();
    assert_eq!(hosted.name_server_type, NameServerType::Hosted);
    assert_eq!(hosted.transfer_lock_status, TransferLockStatus::Locked);

    let missing = api_error(ovh.domain("missing.example").await);
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    assert_eq!(missing.code.as_deref(), Some("Client::NotFound"));
    assert!(missing.message.unwrap().contains("missing.example"));
}

#[tokio::test]
async fn zone_records_are_created_filtered_updated_refreshed_and_deleted() {
    let mock = start(Faults::none()).await;
    let ovh = client(&mock);
    let zone = "example.org";
    assert!(ovh.records(zone, None, None).await.unwrap().is_empty());

    let www = ovh
        .create_record(
            zone,
            &NewRecord::new(FieldType::A, "192.0.2.1")
                .sub_domain("www")
                .ttl(300),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            www.zone.as_str(),
            &www.field_type,
            www.sub_domain.as_str(),
            www.target.as_str(),
            www.ttl
        ),
        (zone, &FieldType::A, "www", "192.0.2.1", 300)
    );
    let apex = ovh
        .create_record(zone, &NewRecord::new(FieldType::Txt, "v=spf1 -all"))
        .await
        .unwrap();
    assert_eq!(apex.sub_domain, "");
    assert_eq!(apex.ttl, 0);

    assert_eq!(
        ovh.records(zone, None, None).await.unwrap(),
        [www.id, apex.id]
    );
    assert_eq!(
        ovh.records(zone, Some(FieldType::A), None).await.unwrap(),
        [www.id]
    );
    assert_eq!(ovh.records(zone, None, Some("")).await.unwrap(), [apex.id]);
    assert!(
        ovh.records(zone, Some(FieldType::Txt), Some("www"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(ovh.record(zone, www.id).await.unwrap(), www);

    ovh.update_record(
        zone,
        www.id,
        &RecordUpdate::new().target("192.0.2.9").ttl(60),
    )
    .await
    .unwrap();
    let updated = ovh.record(zone, www.id).await.unwrap();
    assert_eq!(updated.target, "192.0.2.9");
    assert_eq!(updated.ttl, 60);
    assert_eq!(
        updated.sub_domain, "www",
        "fields left out stay as they were"
    );
    ovh.update_record(zone, www.id, &RecordUpdate::new().sub_domain("web"))
        .await
        .unwrap();
    assert_eq!(
        ovh.records(zone, None, Some("web")).await.unwrap(),
        [www.id]
    );

    ovh.refresh_zone(zone).await.unwrap();

    ovh.delete_record(zone, www.id).await.unwrap();
    assert_eq!(ovh.records(zone, None, None).await.unwrap(), [apex.id]);
    let gone = api_error(ovh.record(zone, www.id).await);
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    assert!(gone.message.unwrap().contains(&www.id.to_string()));
    let gone = api_error(
        ovh.update_record(zone, www.id, &RecordUpdate::new().target("x"))
            .await,
    );
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    let gone = api_error(ovh.delete_record(zone, www.id).await);
    assert_eq!(gone.kind, ApiErrorKind::NotFound);

    let no_zone = api_error(ovh.refresh_zone("missing.example").await);
    assert_eq!(no_zone.kind, ApiErrorKind::NotFound);
    let no_zone = api_error(ovh.records("missing.example", None, None).await);
    assert_eq!(no_zone.kind, ApiErrorKind::NotFound);
    let bad_type = api_error(
        ovh.create_record(zone, &NewRecord::new(FieldType::Other("BOGUS".into()), "x"))
            .await,
    );
    assert_eq!(bad_type.kind, ApiErrorKind::BadRequest);
}

#[tokio::test]
async fn wrong_keys_are_refused_with_ovh_codes_and_query_ids() {
    let mock = start(Faults::none()).await;

    let wrong_consumer = signing_with(&mock, APPLICATION_KEY, APPLICATION_SECRET, "not-a-key");
    let error = api_error(wrong_consumer.me().await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.status.as_u16(), 403);
    assert_eq!(error.code.as_deref(), Some("INVALID_CREDENTIAL"));
    assert!(error.message.is_some());

    let wrong_secret = signing_with(&mock, APPLICATION_KEY, "not-the-secret", CONSUMER_KEY);
    let error = api_error(wrong_secret.current_credential().await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.status.as_u16(), 401);
    assert_eq!(error.code.as_deref(), Some("INVALID_SIGNATURE"));

    let wrong_application = signing_with(&mock, "other-ak", APPLICATION_SECRET, CONSUMER_KEY);
    let error = api_error(wrong_application.domains(None).await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.code.as_deref(), Some("INVALID_KEY"));
    // The unsigned credential request checks the application key too.
    let error = api_error(
        wrong_application
            .request_credential(&CredentialRequest::read_only())
            .await,
    );
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.code.as_deref(), Some("INVALID_KEY"));

    // None of the refusals shows a secret.
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains(APPLICATION_SECRET) && !shown.contains(CONSUMER_KEY));
}

#[tokio::test]
async fn a_server_clock_hours_off_is_learned_before_signing() {
    for offset in [-7200, 3 * 3600] {
        let mock = start(Faults::none().clock_offset(offset)).await;
        let ovh = client(&mock);
        // The first signed call learns the offset from /auth/time and passes.
        assert_eq!(ovh.me().await.unwrap().nichandle, "xx1111-ovh");
        let learned = ovh.client().clock().offset();
        assert!((learned - offset).abs() <= 2, "{learned} vs {offset}");
        let server_time = ovh.server_time().await.unwrap();
        assert!((server_time - (now() + offset)).abs() <= 2, "{server_time}");
        let current = ovh.current_credential().await.unwrap();
        assert_eq!(current.status, CredentialState::Validated);
    }
}
