//! The nOps client against the mock, started in-process: every method of [`Nops`], with
//! the key in the query and in the header, signed with the mock's key, and refused with
//! a wrong key, a key of another client (nOps' HTML page) and a wrong private key.

mod support;

use serde_json::{Value, json};
use signed_api::keys::RsaKey;
use signed_api::{ApiErrorKind, Method, RetryPolicy};
use signed_api_clients::nops::{
    CostType, NewProject, NewScheduler, Nops, NopsClient, NopsConfig, NopsCredentials,
    NopsKeyPlacement, NopsScheme, PowerAction, ProjectUpdate, ResourceDetails, ScheduleAction,
    ScheduledItemType, ScheduledResource, Scheduler, SchedulerId, SchedulerKind, Trigger,
};
use signed_api_mock::{Api, MockCredentials, MockServer, NopsMockCredentials};
use support::{api_error, key_path, mock_credentials};

/// The mock's nOps key: client 77.
const NOPS_KEY: &str = "77.client-test-nops-key";

/// The private key whose public half the mock checks nOps signatures with.
fn signing_key() -> RsaKey {
    RsaKey::from_pem_file(key_path("rsa2048-pkcs8.pem")).unwrap()
}

async fn start_mock() -> MockServer {
    support::start_mock(MockCredentials {
        nops: NopsMockCredentials::new(NOPS_KEY, Some(&key_path("rsa2048-pkcs8.pem"))).unwrap(),
        ..mock_credentials()
    })
    .await
}

/// A client of the mock whose key goes where `placement` says, signed with `key`.
fn client(
    mock: &MockServer,
    api_key: &str,
    key: RsaKey,
    placement: NopsKeyPlacement,
) -> NopsClient {
    let credentials = NopsCredentials::new(api_key).unwrap().with_private_key(key);
    NopsClient::builder()
        .scheme(NopsScheme::new(credentials).key_placement(placement))
        .base_url(mock.base_url(Api::Nops))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn signed_client(mock: &MockServer) -> NopsClient {
    client(mock, NOPS_KEY, signing_key(), NopsKeyPlacement::Query)
}

#[tokio::test]
async fn projects_are_created_listed_updated_and_deleted() {
    let mock = start_mock().await;
    let nops = signed_client(&mock);

    let before = nops.projects().await.unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].name, "demo-project");
    assert_eq!(before[0].client, Some(77));

    let created = nops
        .create_project(&NewProject {
            bucket: Some("cur-reports".into()),
            ..NewProject::new("Projét ✓", "111122223333")
        })
        .await
        .unwrap();
    assert_eq!(created.name, "Projét ✓");
    assert_eq!(created.account_number.as_deref(), Some("111122223333"));
    assert_eq!(created.bucket.as_deref(), Some("cur-reports"));
    assert_eq!(created.client, Some(77));
    assert_eq!(created.arn, None);
    assert_eq!(nops.projects().await.unwrap().len(), 2);

    let updated = nops
        .update_project(
            created.id,
            &ProjectUpdate {
                name: Some("renamed".into()),
                ..ProjectUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.name, "renamed");
    assert_eq!(
        updated.account_number.as_deref(),
        Some("111122223333"),
        "left as it was"
    );
    let listed = nops.projects().await.unwrap();
    assert_eq!(listed.iter().find(|p| p.id == created.id), Some(&updated));

    nops.delete_project(created.id).await.unwrap();
    let after = nops.projects().await.unwrap();
    assert!(after.iter().all(|p| p.id != created.id));
    assert_eq!(after, before);

    let gone = api_error(nops.delete_project(created.id).await);
    assert_eq!(gone.kind, ApiErrorKind::NotFound);
    assert_eq!(gone.message.as_deref(), Some("Not found."));
    let gone = api_error(
        nops.update_project(created.id, &ProjectUpdate::default())
            .await,
    );
    assert_eq!(gone.status.as_u16(), 404);

    let incomplete = api_error(
        nops.create_project(&NewProject {
            name: "no account".into(),
            ..NewProject::default()
        })
        .await,
    );
    assert_eq!(incomplete.kind, ApiErrorKind::BadRequest);
    assert!(incomplete.body_excerpt.contains("account_number"));
}

#[tokio::test]
async fn the_key_travels_in_the_query_or_in_the_header() {
    let mock = start_mock().await;
    for placement in [NopsKeyPlacement::Query, NopsKeyPlacement::Header] {
        let nops = client(&mock, NOPS_KEY, signing_key(), placement);
        let prepared = nops
            .client()
            .request(Method::GET, "/c/admin/current_client/")
            .prepare()
            .await
            .unwrap();
        let in_query = prepared.url.contains("api_key=");
        let in_header = prepared.headers.contains_key("x-nops-api-key");
        assert_eq!(
            (in_query, in_header),
            (
                placement == NopsKeyPlacement::Query,
                placement == NopsKeyPlacement::Header
            ),
            "{placement:?}"
        );
        assert!(prepared.headers.contains_key("x-nops-signature"));

        let current = nops.current_client().await.unwrap();
        assert_eq!(current[0]["id"], 77, "{placement:?}: {current}");
        assert_eq!(nops.projects().await.unwrap()[0].id, 1, "{placement:?}");
    }
}

#[tokio::test]
async fn clients_from_a_configuration_sign_when_it_names_a_private_key() {
    let mock = start_mock().await;
    let base_url = mock.base_url(Api::Nops);
    let private_key = key_path("rsa2048-pkcs8.pem").to_string_lossy().into_owned();
    let config = |with_key: bool| {
        let lookup = |name: &str| match name {
            "NOPS_API_KEY" => Some(NOPS_KEY.to_owned()),
            "NOPS_BASE_URL" => Some(base_url.clone()),
            "NOPS_PRIVATE_KEY" if with_key => Some(private_key.clone()),
            _ => None,
        };
        NopsConfig::from_lookup(&lookup).unwrap()
    };

    let header_client = |config: NopsConfig| {
        NopsClient::builder()
            .scheme(NopsScheme::new(config.credentials).key_placement(NopsKeyPlacement::Header))
            .base_url(config.base_url)
            .build()
            .unwrap()
    };
    let signed = header_client(config(true));
    assert_eq!(signed.projects().await.unwrap()[0].name, "demo-project");

    // The mock requires a signature: without a private key the call is refused.
    let unsigned = header_client(config(false));
    let refused = api_error(unsigned.projects().await);
    assert_eq!(refused.status.as_u16(), 403);
    assert_eq!(refused.kind, ApiErrorKind::Authentication);
    assert!(refused.message.unwrap().contains("x-nops-signature"));
}

/// Accounts, regions, products, tag, non-resources only, and the expected total.
type CostCase<'a> = (
    &'a [&'a str],
    &'a [&'a str],
    &'a [&'a str],
    Option<&'a str>,
    Option<bool>,
    f64,
);

#[tokio::test]
async fn cost_summaries_follow_the_filters() {
    let mock = start_mock().await;
    let nops = signed_client(&mock);

    let all = nops
        .cost_summary(
            "2025-01-01",
            "2025-01-31",
            &CostType::LineItemUnblendedCost,
            &[],
            &[],
            &[],
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(all["total_cost"], 255.0);
    assert_eq!(all["cost_type"], "line_item_unblended_cost");
    assert_eq!(all["items"].as_array().unwrap().len(), 4);

    // Each filter on its own (unblended costs: EC2 120, S3 30, RDS 80, support 25).
    let unblended = CostType::LineItemUnblendedCost;
    let one_filter: [CostCase<'_>; 5] = [
        (&["123456789012"], &[], &[], None, None, 150.0),
        (&[], &["us-west-2"], &[], None, None, 30.0),
        (
            &[],
            &[],
            &["Amazon Relational Database Service"],
            None,
            None,
            80.0,
        ),
        (&[], &[], &[], Some(r#"{"Environment":"dev"}"#), None, 80.0),
        (&[], &[], &[], None, Some(false), 230.0),
    ];
    for (accounts, regions, products, tag, non_resources, total) in one_filter {
        let summary = nops
            .cost_summary(
                "2025-01-01",
                "2025-01-31",
                &unblended,
                accounts,
                regions,
                products,
                tag,
                non_resources,
            )
            .await
            .unwrap();
        assert_eq!(summary["total_cost"], total, "{summary}");
    }

    let filtered = nops
        .cost_summary(
            "2025-01-01",
            "2025-01-31",
            &CostType::LineItemAmortizedCost,
            &["123456789012", "210987654321"],
            &["us-east-1"],
            &[
                "Amazon Elastic Compute Cloud",
                "Amazon Relational Database Service",
            ],
            Some(r#"{"App":"web"}"#),
            Some(false),
        )
        .await
        .unwrap();
    assert_eq!(filtered["total_cost"], 174.0, "{filtered}");
    let products: Vec<&str> = filtered["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["product"].as_str().unwrap())
        .collect();
    assert_eq!(
        products,
        [
            "Amazon Elastic Compute Cloud",
            "Amazon Relational Database Service"
        ]
    );

    let fees_only = nops
        .cost_summary(
            "2025-01-01",
            "2025-01-31",
            &CostType::LineItemBlendedCost,
            &["210987654321"],
            &[],
            &[],
            None,
            Some(true),
        )
        .await
        .unwrap();
    assert_eq!(fees_only["total_cost"], 25.0);
    assert_eq!(fees_only["items"][0]["product"], "AWS Support (Business)");

    let unknown_type = api_error(
        nops.cost_summary(
            "2025-01-01",
            "2025-01-31",
            &CostType::Other("net_cost".into()),
            &[],
            &[],
            &[],
            None,
            None,
        )
        .await,
    );
    assert_eq!(unknown_type.kind, ApiErrorKind::BadRequest);
    assert!(unknown_type.body_excerpt.contains("cost_type"));
    let bad_date = api_error(
        nops.cost_summary(
            "01/01/2025",
            "2025-01-31",
            &CostType::LineItemUnblendedCost,
            &[],
            &[],
            &[],
            None,
            None,
        )
        .await,
    );
    assert!(bad_date.body_excerpt.contains("date_start"));
}

fn ec2_scheduler(eventbridge: &str) -> NewScheduler {
    NewScheduler {
        project: "1".into(),
        account_number: "123456789012".into(),
        eventbridge_configuration: eventbridge.into(),
        scheduler_for: SchedulerKind::StartStop,
        description: "Nights and weekends off".into(),
        hours_down: 80,
        resources: vec![ScheduledResource {
            item_type: ScheduledItemType::Ec2,
            resource_id: "i-0a1b2c3d4e5f60718".into(),
            resource_name: Some("dev-box".into()),
            resource_arn: "i-0a1b2c3d4e5f60718".into(),
            region: "us-east-1".into(),
            resource_details: ResourceDetails::default(),
            price_per_unit: 0.5,
        }],
        actions: vec![
            ScheduleAction::weekly(PowerAction::Stop, 5, 19, 0),
            ScheduleAction::weekly(PowerAction::Start, 1, 7, 30),
        ],
    }
}

/// The listed schedulers, decoded, by id.
async fn listed_schedulers(nops: &NopsClient) -> Vec<Scheduler> {
    let listed = nops.schedulers(&SchedulerKind::StartStop).await.unwrap();
    serde_json::from_value(listed).unwrap()
}

#[tokio::test]
async fn schedulers_are_created_listed_switched_and_triggered() {
    let mock = start_mock().await;
    let nops = signed_client(&mock);

    let configurations = nops.eventbridge_configurations().await.unwrap();
    let eventbridge = configurations[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(configurations[0]["account_number"], "123456789012");

    assert_eq!(
        nops.schedulers(&SchedulerKind::StartStop).await.unwrap(),
        json!([])
    );
    let by_resource = nops
        .create_scheduler(&ec2_scheduler(&eventbridge))
        .await
        .unwrap();
    let id = by_resource.id.clone().unwrap();
    assert_eq!(by_resource.scheduled_by_tag_key, None);
    assert_eq!(by_resource.other["description"], "Nights and weekends off");
    assert_eq!(
        by_resource.other["resources"][0]["resource_name"],
        "dev-box"
    );
    assert_eq!(by_resource.other["actions"][1]["minute"], 30);

    let by_tag = nops
        .create_scheduler(&NewScheduler {
            resources: Vec::new(),
            ..ec2_scheduler(&eventbridge)
        })
        .await
        .unwrap();
    assert_ne!(by_tag.id, by_resource.id);
    assert!(by_tag.scheduled_by_tag_key.is_some_and(|k| !k.is_empty()));
    assert!(by_tag.scheduled_by_tag_value.is_some_and(|v| !v.is_empty()));

    let listed = listed_schedulers(&nops).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0], by_resource);
    let other_kind = nops
        .schedulers(&SchedulerKind::Other("scheduler_rightsizing".into()))
        .await
        .unwrap();
    assert_eq!(other_kind, json!([]));

    let enabled_of = |schedulers: &[Scheduler]| -> Value {
        schedulers
            .iter()
            .find(|s| s.id.as_ref() == Some(&id))
            .map(|s| s.other["enabled"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(enabled_of(&listed), true);
    nops.disable_scheduler(&id).await.unwrap();
    assert_eq!(enabled_of(&listed_schedulers(&nops).await), false);
    nops.enable_scheduler(&id).await.unwrap();
    assert_eq!(enabled_of(&listed_schedulers(&nops).await), true);

    nops.trigger_scheduler(&id, &Trigger::stop()).await.unwrap();
    nops.trigger_scheduler(&id, &Trigger::start())
        .await
        .unwrap();
    let refused = api_error(
        nops.trigger_scheduler(
            &id,
            &Trigger {
                action_name: PowerAction::Other("pause".into()),
            },
        )
        .await,
    );
    assert_eq!(refused.kind, ApiErrorKind::BadRequest);
    assert!(refused.body_excerpt.contains("action_name"));

    let unknown = SchedulerId::from(9_999);
    for result in [
        nops.enable_scheduler(&unknown).await,
        nops.disable_scheduler(&unknown).await,
        nops.trigger_scheduler(&unknown, &Trigger::start()).await,
    ] {
        assert_eq!(api_error(result).kind, ApiErrorKind::NotFound);
    }

    let wrong_configuration = api_error(
        nops.create_scheduler(&ec2_scheduler("00000000-0000-0000-0000-000000000000"))
            .await,
    );
    assert_eq!(wrong_configuration.kind, ApiErrorKind::BadRequest);
    assert!(
        wrong_configuration
            .body_excerpt
            .contains("eventbridge_configuration")
    );
    assert_eq!(listed_schedulers(&nops).await.len(), 2, "nothing created");
}

#[tokio::test]
async fn map_projects_products_and_resources_agree() {
    let mock = start_mock().await;
    let nops = signed_client(&mock);

    let projects = nops.map_projects().await.unwrap();
    assert_eq!(projects.len(), 1);
    let project = nops.map_project(projects[0].id).await.unwrap();
    assert_eq!(project, projects[0]);
    assert_eq!(project.migration_id.as_deref(), Some("MPE12345"));
    assert_eq!(project.tag_key.as_deref(), Some("migMPE12345"));
    assert_eq!(
        project.credit_percent.as_ref().and_then(|a| a.as_f64()),
        Some(25.0)
    );
    assert_eq!(project.client, Some(77));
    assert_eq!(project.server_id, None);

    let products = nops.map_products(project.id).await.unwrap();
    let ec2 = products
        .iter()
        .find(|p| p.product_product_name == "Amazon Elastic Compute Cloud")
        .unwrap();
    assert_eq!((ec2.resources_count, ec2.cost), (2.0, 52.75));

    let all = nops
        .map_resources(project.id, None, None, &[], &[])
        .await
        .unwrap();
    let products_total: f64 = products.iter().map(|p| p.cost).sum();
    let resources_total: f64 = all.iter().map(|r| r.cost).sum();
    assert_eq!(products_total, resources_total);
    let tagged_cost = project.tagged_resources.as_ref().unwrap()["cost"].as_f64();
    let untagged_cost = project.untagged_resources.as_ref().unwrap()["cost"].as_f64();
    assert_eq!(
        tagged_cost.unwrap() + untagged_cost.unwrap(),
        resources_total
    );

    let tagged_ec2 = nops
        .map_resources(
            project.id,
            None,
            Some(true),
            &["123456789012"],
            &["Amazon Elastic Compute Cloud"],
        )
        .await
        .unwrap();
    assert_eq!(tagged_ec2.len(), 1);
    assert_eq!(tagged_ec2[0].resource_name.as_deref(), Some("sap-app-1"));
    assert_eq!(tagged_ec2[0].cost, 40.5);
    let untagged = nops
        .map_resources(
            project.id,
            Some("ec2_commercial_db_entity"),
            Some(false),
            &[],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(untagged.len(), 1);
    assert_eq!(untagged[0].resource_name, None);
    assert_eq!(untagged[0].account_id.as_deref(), Some("210987654321"));

    for missing in [
        api_error(nops.map_project(404).await),
        api_error(nops.map_products(404).await),
        api_error(nops.map_resources(404, None, None, &[], &[]).await),
    ] {
        assert_eq!(missing.kind, ApiErrorKind::NotFound);
    }

    let by_client = nops.client_map_projects().await.unwrap();
    assert_eq!(by_client[0]["id"], project.id);
    assert_eq!(by_client[0]["client"], 77);
}

#[tokio::test]
async fn wrong_keys_are_authentication_errors() {
    let mock = start_mock().await;

    // This client's id with a wrong secret: nOps' JSON 401.
    let wrong_secret = client(
        &mock,
        "77.not-the-key",
        signing_key(),
        NopsKeyPlacement::Query,
    );
    let error = api_error(wrong_secret.projects().await);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert_eq!(error.status.as_u16(), 401);
    assert!(error.message.unwrap().starts_with("Authentication failed"));

    // A key nOps does not know at all: its sign-in page, status 200, in either placement.
    for placement in [NopsKeyPlacement::Query, NopsKeyPlacement::Header] {
        let stranger = client(&mock, "5.unknown-client", signing_key(), placement);
        let error = api_error(stranger.current_client().await);
        assert_eq!(error.kind, ApiErrorKind::Authentication, "{placement:?}");
        assert_eq!(error.status.as_u16(), 200);
        assert_eq!(error.code.as_deref(), Some("html_response"));
        assert!(error.body_excerpt.contains("<html"), "{error:?}");
    }

    // The right key signed with another private key: the signature is refused.
    let other_key = RsaKey::from_pem_file(key_path("rsa1024-pkcs1.pem")).unwrap();
    let forged = client(&mock, NOPS_KEY, other_key, NopsKeyPlacement::Query);
    let error = api_error(forged.projects().await);
    assert_eq!(error.status.as_u16(), 403);
    assert_eq!(error.kind, ApiErrorKind::Authentication);
    assert!(error.message.unwrap().contains("signature"));
}
