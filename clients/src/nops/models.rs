//! What nOps sends and receives, as far as its documentation and its own clients show.
//!
//! Where a field's shape is known it is typed; where only its name is known (the MAP
//! incentive entities, the credits) it is a [`serde_json::Value`]. Fields nOps adds later
//! are tolerated everywhere. Enums keep values they do not know in an `Other` variant, so
//! a new value on nOps' side never breaks decoding.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------
// AWS projects (`/c/admin/projectaws/`)
// ---------------------------------------------------------------------------------------

/// An AWS account connected to nOps (a "project" in nOps' words).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Project {
    /// nOps' id of the project; the `{id}` of the update and delete calls.
    pub id: u64,
    /// The nOps client (organisation) the project belongs to.
    pub client: Option<u64>,
    /// The name shown in the nOps console.
    pub name: String,
    /// The AWS account id (twelve digits, kept as text for its leading zeros).
    pub account_number: Option<String>,
    /// The IAM role nOps assumes in the account.
    pub arn: Option<String>,
    /// The S3 bucket holding the account's cost and usage reports.
    pub bucket: Option<String>,
    /// The external id the role's trust policy requires.
    pub external_id: Option<String>,
    /// The name of the IAM role nOps assumes.
    pub role_name: Option<String>,
}

text_enum! {
    /// How nOps reaches a new account; only `role` is documented.
    pub enum AccessType {
        /// nOps assumes an IAM role in the account.
        Role = "role",
    }
}

text_enum! {
    /// The cloud of a new project; only `aws` is documented.
    pub enum CloudType {
        /// Amazon Web Services.
        Aws = "aws",
    }
}

/// The body that connects an account to nOps.
///
/// nOps' clients use two forms: its Terraform provider sends the name and account numbers,
/// its registration Lambda sends the role (`access_type`, `arn`, `external_id`, `client`,
/// `cloud_type`) and the report location. Fields left `None` are not sent, so either form
/// (or a mix) can be built from [`NewProject::new`] and struct update syntax.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct NewProject {
    /// The name shown in the nOps console.
    pub name: String,
    /// The AWS account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// The account id of the organisation's payer account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_payer_account_number: Option<String>,
    /// How nOps reaches the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_type: Option<AccessType>,
    /// The IAM role nOps assumes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// The S3 bucket of the cost and usage reports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The external id the role's trust policy requires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The nOps client the project is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<u64>,
    /// The cloud of the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_type: Option<CloudType>,
    /// The name of the cost and usage report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_name: Option<String>,
    /// The S3 prefix of the cost and usage report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_path_prefix: Option<String>,
}

impl NewProject {
    /// The Terraform provider's form: a name and the AWS account id.
    pub fn new(name: impl Into<String>, account_number: impl Into<String>) -> Self {
        NewProject {
            name: name.into(),
            account_number: Some(account_number.into()),
            ..NewProject::default()
        }
    }
}

/// The changes of a project update; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ProjectUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new AWS account id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Cost summary (`/c/cost_page/cost_summary/`)
// ---------------------------------------------------------------------------------------

text_enum! {
    /// Which column of the AWS cost and usage report a cost summary adds up.
    pub enum CostType {
        /// What was billed, discounts not spread (`line_item_unblended_cost`).
        LineItemUnblendedCost = "line_item_unblended_cost",
        /// Upfront commitments spread over their term (`line_item_amortized_cost`).
        LineItemAmortizedCost = "line_item_amortized_cost",
        /// The organisation's averaged rates (`line_item_blended_cost`).
        LineItemBlendedCost = "line_item_blended_cost",
    }
}

// ---------------------------------------------------------------------------------------
// Essentials scheduler (`/svc/notifications/…`)
// ---------------------------------------------------------------------------------------

text_enum! {
    /// What a scheduler is for (`scheduler_for`).
    pub enum SchedulerKind {
        /// Starts and stops resources on a weekly grid (`scheduler_start_stop`).
        StartStop = "scheduler_start_stop",
    }
}

text_enum! {
    /// Starting or stopping resources: a schedule's step, or a manual trigger.
    pub enum PowerAction {
        /// Start the resources.
        Start = "start",
        /// Stop the resources.
        Stop = "stop",
    }
}

text_enum! {
    /// How a schedule's step is timed; the scheduler uses `selected_day_of_week`.
    pub enum ActionType {
        /// Once a week, on a given day, hour and minute.
        SelectedDayOfWeek = "selected_day_of_week",
    }
}

text_enum! {
    /// The kinds of AWS resources a scheduler can start and stop.
    pub enum ScheduledItemType {
        /// An EC2 instance (its `resource_id` is the instance id).
        Ec2 = "ec2",
        /// An RDS instance.
        Rds = "rds",
        /// An RDS cluster.
        RdsCluster = "rds_cluster",
        /// An Auto Scaling group (with its scaling configuration).
        AutoscalingGroups = "autoscaling_groups",
        /// An EKS node group (with its scaling configuration).
        EksNodegroups = "eks_nodegroups",
    }
}

/// One step of a weekly schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleAction {
    /// Start or stop.
    pub action: PowerAction,
    /// How the step is timed.
    pub action_type: ActionType,
    /// 0 is Sunday, 1 Monday, … 6 Saturday.
    pub day_of_week: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
}

impl ScheduleAction {
    /// A step on `day_of_week` (0 is Sunday) at `hour:minute`, as the scheduler expects.
    pub fn weekly(action: PowerAction, day_of_week: u8, hour: u8, minute: u8) -> Self {
        ScheduleAction {
            action,
            action_type: ActionType::SelectedDayOfWeek,
            day_of_week,
            hour,
            minute,
        }
    }
}

/// The scaling configuration restored when an Auto Scaling group or EKS node group is
/// started again; empty (`{}`) for EC2 and RDS.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceDetails {
    /// The group's minimum size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size: Option<u32>,
    /// The group's maximum size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    /// The group's desired capacity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<u32>,
}

/// A resource a scheduler starts and stops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledResource {
    /// The kind of resource.
    pub item_type: ScheduledItemType,
    /// The resource's ARN (the instance id for EC2).
    pub resource_id: String,
    /// The resource's name in AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
    /// The resource's ARN.
    pub resource_arn: String,
    /// The AWS region of the resource.
    pub region: String,
    /// The scaling configuration (groups) or nothing (EC2, RDS).
    #[serde(default)]
    pub resource_details: ResourceDetails,
    /// What the resource costs per hour, for the savings estimate.
    pub price_per_unit: f64,
}

/// The body that creates a scheduler.
///
/// With no `resources`, nOps makes up a tag (returned in
/// [`Scheduler::scheduled_by_tag_key`] and [`Scheduler::scheduled_by_tag_value`]) and
/// schedules whatever AWS resources carry it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewScheduler {
    /// The nOps project id (sent as text, as nOps' example does).
    pub project: String,
    /// The AWS account id.
    pub account_number: String,
    /// The id of the EventBridge configuration nOps acts through.
    pub eventbridge_configuration: String,
    /// What the scheduler is for.
    pub scheduler_for: SchedulerKind,
    /// A description shown in the console.
    pub description: String,
    /// Hours the resources are down over four weeks (up to 167), for the savings estimate.
    pub hours_down: u16,
    /// The resources to start and stop; empty to schedule by tag.
    pub resources: Vec<ScheduledResource>,
    /// The weekly steps.
    pub actions: Vec<ScheduleAction>,
}

/// A scheduler's id. nOps does not document its type, so both a number and text are
/// accepted; either way it is written as-is into the enable, disable and trigger paths.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SchedulerId {
    /// A numeric id.
    Number(u64),
    /// A textual id (a UUID, say).
    Text(String),
}

impl fmt::Display for SchedulerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchedulerId::Number(number) => write!(f, "{number}"),
            SchedulerId::Text(text) => f.write_str(text),
        }
    }
}

impl From<u64> for SchedulerId {
    fn from(number: u64) -> Self {
        SchedulerId::Number(number)
    }
}

impl From<&str> for SchedulerId {
    fn from(text: &str) -> Self {
        SchedulerId::Text(text.to_owned())
    }
}

impl From<String> for SchedulerId {
    fn from(text: String) -> Self {
        SchedulerId::Text(text)
    }
}

/// A scheduler as nOps returns it. Its full shape is not documented: the fields below are
/// the ones nOps' guide names, everything else is kept in [`other`](Self::other).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Scheduler {
    /// The id the enable, disable and trigger calls take.
    pub id: Option<SchedulerId>,
    /// The tag key nOps made up for a scheduler created without resources.
    pub scheduled_by_tag_key: Option<String>,
    /// The tag value nOps made up for a scheduler created without resources.
    pub scheduled_by_tag_value: Option<String>,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The body of a manual start or stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trigger {
    /// Start or stop, now.
    pub action_name: PowerAction,
}

impl Trigger {
    /// Starts the scheduler's resources now.
    pub fn start() -> Self {
        Trigger {
            action_name: PowerAction::Start,
        }
    }

    /// Stops the scheduler's resources now.
    pub fn stop() -> Self {
        Trigger {
            action_name: PowerAction::Stop,
        }
    }
}

// ---------------------------------------------------------------------------------------
// MAP (AWS Migration Acceleration Program) projects
// ---------------------------------------------------------------------------------------

/// A number that nOps may send as a JSON number or as decimal text (Django REST
/// framework's default for decimals); which one is not documented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    /// Sent as a JSON number.
    Number(f64),
    /// Sent as text.
    Text(String),
}

impl Amount {
    /// The value as a float, when it is a number or text that reads as one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Amount::Number(number) => Some(*number),
            Amount::Text(text) => text.trim().parse().ok(),
        }
    }
}

/// A MAP migration project tracked by nOps.
///
/// nOps documents the incentive entities, the tagged and untagged resource summaries and
/// the credits only by name, so they stay JSON values.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapMigrationProject {
    /// nOps' id of the project; the `{id}` of the other MAP calls.
    pub id: u64,
    /// The name given when the project was added to the MAP dashboard.
    pub name: Option<String>,
    /// The project number of the MAP contract (`MPE…` or ten characters).
    pub migration_id: Option<String>,
    /// The tag value from the contract (`mig…`, or an older server id).
    pub tag_key: Option<String>,
    /// The server id of older contracts (`d-…`).
    pub server_id: Option<String>,
    /// The credit rate for standard MAP resources (typically 25).
    pub credit_percent: Option<Amount>,
    /// The cap on MAP credits, in USD.
    pub map_credit_cap: Option<Amount>,
    /// Deprecated: a workload's primary key.
    pub workload_pk: Option<u64>,
    /// The contract's start date.
    pub date_start: Option<String>,
    /// The contract's end date.
    pub date_end: Option<String>,
    /// The migration period, in months.
    pub migration_period: Option<Amount>,
    /// Whether Windows optimisation is on.
    pub windows_optimization: Option<bool>,
    /// The nOps client the project belongs to.
    pub client: Option<u64>,
    /// When the project was created.
    pub created: Option<String>,
    /// When the project was last changed.
    pub modified: Option<String>,
    /// Incentives for on-premises non-commercial databases.
    pub on_prem_non_commercial_db_entity: Option<Value>,
    /// Incentives for on-premises commercial databases.
    pub on_prem_commercial_db_entity: Option<Value>,
    /// Incentives for non-commercial databases on EC2.
    pub ec2_non_commercial_db_entity: Option<Value>,
    /// Incentives for commercial databases on EC2.
    pub ec2_commercial_db_entity: Option<Value>,
    /// Incentives for SAP.
    pub sap_entity: Option<Value>,
    /// Incentives for S3.
    pub baseline_s3_entity: Option<Value>,
    /// Incentives for speciality services.
    pub speciality_services_entity: Option<Value>,
    /// Incentives for private equity.
    pub private_equity_entity: Option<Value>,
    /// Count and cost of the resources carrying the MAP tag.
    pub tagged_resources: Option<Value>,
    /// Count and cost of the resources missing the MAP tag.
    pub untagged_resources: Option<Value>,
    /// The credits received.
    pub credits: Option<Value>,
}

/// An AWS service's share of a MAP project.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapProduct {
    /// The service's name (`Amazon Simple Storage Service`).
    pub product_product_name: String,
    /// How many resources of the service (an approximate count, hence a float).
    pub resources_count: f64,
    /// What they cost together.
    pub cost: f64,
}

/// A resource counted in a MAP project.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MapResource {
    /// The resource's id or ARN.
    pub line_item_resource_id: String,
    /// The AWS region of the resource.
    pub region: Option<String>,
    /// The AWS account of the resource.
    pub account_id: Option<String>,
    /// The resource's name, when it has one.
    pub resource_name: Option<String>,
    /// What the resource cost.
    pub cost: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn projects_decode_from_the_documented_list() {
        let body = r#"[
            {"id": 12, "client": 123, "name": "prod", "arn": "arn:aws:iam::111122223333:role/nops",
             "bucket": "cur-bucket", "account_number": "111122223333",
             "external_id": "ext-1", "role_name": "nops", "added_later": {"x": 1}},
            {"id": 13, "name": "from terraform"}
        ]"#;
        let projects: Vec<Project> = serde_json::from_str(body).unwrap();
        assert_eq!(projects[0].id, 12);
        assert_eq!(projects[0].client, Some(123));
        assert_eq!(projects[0].account_number.as_deref(), Some("111122223333"));
        assert_eq!(projects[0].role_name.as_deref(), Some("nops"));
        assert_eq!(
            projects[1],
            Project {
                id: 13,
                client: None,
                name: "from terraform".into(),
                account_number: None,
                arn: None,
                bucket: None,
                external_id: None,
                role_name: None,
            }
        );
    }

    #[test]
    fn new_projects_send_only_what_is_set() {
        let terraform = NewProject {
            master_payer_account_number: Some("999988887777".into()),
            ..NewProject::new("prod", "111122223333")
        };
        assert_eq!(
            serde_json::to_value(&terraform).unwrap(),
            json!({"name": "prod", "account_number": "111122223333",
                   "master_payer_account_number": "999988887777"})
        );
        let lambda = NewProject {
            name: "prod".into(),
            access_type: Some(AccessType::Role),
            arn: Some("arn:aws:iam::111122223333:role/nops".into()),
            external_id: Some("ext".into()),
            client: Some(123),
            cloud_type: Some(CloudType::Aws),
            ..NewProject::default()
        };
        assert_eq!(
            serde_json::to_value(&lambda).unwrap(),
            json!({"name": "prod", "access_type": "role",
                   "arn": "arn:aws:iam::111122223333:role/nops", "external_id": "ext",
                   "client": 123, "cloud_type": "aws"})
        );
        let update = ProjectUpdate {
            name: Some("renamed".into()),
            ..ProjectUpdate::default()
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({"name": "renamed"})
        );
    }

    #[test]
    fn enums_keep_unknown_values() {
        assert_eq!(
            CostType::LineItemAmortizedCost.to_string(),
            "line_item_amortized_cost"
        );
        let known: CostType = serde_json::from_value(json!("line_item_blended_cost")).unwrap();
        assert_eq!(known, CostType::LineItemBlendedCost);
        let unknown: CostType = serde_json::from_value(json!("net_unblended_cost")).unwrap();
        assert_eq!(unknown, CostType::Other("net_unblended_cost".into()));
        assert_eq!(unknown.to_string(), "net_unblended_cost");
        assert_eq!(
            serde_json::to_value(&unknown).unwrap(),
            json!("net_unblended_cost")
        );
        let kind: SchedulerKind = serde_json::from_value(json!("scheduler_start_stop")).unwrap();
        assert_eq!(kind, SchedulerKind::StartStop);
        let item: ScheduledItemType = serde_json::from_value(json!("lambda")).unwrap();
        assert_eq!(item, ScheduledItemType::Other("lambda".into()));
        assert_eq!(ScheduledItemType::EksNodegroups.as_str(), "eks_nodegroups");
        assert_eq!(AccessType::Role.to_string(), "role");
        assert_eq!(CloudType::Aws.to_string(), "aws");
    }

    /// The guide's example payload, built with the types and compared field for field.
    #[test]
    fn a_new_scheduler_serialises_as_the_documented_payload() {
        let scheduler = NewScheduler {
            project: "11111".into(),
            account_number: "123123123123".into(),
            eventbridge_configuration: "4288edde-fe34-4d6f-b5cb-e7ca9ce823ed".into(),
            scheduler_for: SchedulerKind::StartStop,
            description: "Stopping test EC2 resources!".into(),
            hours_down: 80,
            resources: vec![
                ScheduledResource {
                    item_type: ScheduledItemType::Ec2,
                    resource_id: "i-0000000000000000".into(),
                    resource_name: Some("My-Test-Instance".into()),
                    resource_arn: "i-0000000000000000".into(),
                    region: "us-west-2".into(),
                    resource_details: ResourceDetails::default(),
                    price_per_unit: 100.0,
                },
                ScheduledResource {
                    item_type: ScheduledItemType::AutoscalingGroups,
                    resource_id: "arn:aws:autoscaling:us-west-2:123123123123:autoScalingGroup:x:autoScalingGroupName/asg-name".into(),
                    resource_name: Some("asg-name".into()),
                    resource_arn: "arn:aws:autoscaling:us-west-2:123123123123:autoScalingGroup:x:autoScalingGroupName/asg-name".into(),
                    region: "us-west-2".into(),
                    resource_details: ResourceDetails {
                        min_size: Some(1),
                        max_size: Some(3),
                        desired_capacity: Some(2),
                    },
                    price_per_unit: 50.0,
                },
            ],
            actions: vec![
                ScheduleAction::weekly(PowerAction::Stop, 4, 19, 15),
                ScheduleAction::weekly(PowerAction::Start, 0, 8, 0),
            ],
        };
        let expected = json!({
            "project": "11111",
            "account_number": "123123123123",
            "eventbridge_configuration": "4288edde-fe34-4d6f-b5cb-e7ca9ce823ed",
            "scheduler_for": "scheduler_start_stop",
            "description": "Stopping test EC2 resources!",
            "hours_down": 80,
            "resources": [
                {"item_type": "ec2", "resource_id": "i-0000000000000000",
                 "resource_name": "My-Test-Instance", "resource_arn": "i-0000000000000000",
                 "region": "us-west-2", "resource_details": {}, "price_per_unit": 100.0},
                {"item_type": "autoscaling_groups",
                 "resource_id": "arn:aws:autoscaling:us-west-2:123123123123:autoScalingGroup:x:autoScalingGroupName/asg-name",
                 "resource_name": "asg-name",
                 "resource_arn": "arn:aws:autoscaling:us-west-2:123123123123:autoScalingGroup:x:autoScalingGroupName/asg-name",
                 "region": "us-west-2",
                 "resource_details": {"MinSize": 1, "MaxSize": 3, "DesiredCapacity": 2},
                 "price_per_unit": 50.0}
            ],
            "actions": [
                {"action": "stop", "action_type": "selected_day_of_week",
                 "day_of_week": 4, "hour": 19, "minute": 15},
                {"action": "start", "action_type": "selected_day_of_week",
                 "day_of_week": 0, "hour": 8, "minute": 0}
            ]
        });
        assert_eq!(serde_json::to_value(&scheduler).unwrap(), expected);
        assert_eq!(
            serde_json::to_value(Trigger::stop()).unwrap(),
            json!({"action_name": "stop"})
        );
    }

    #[test]
    fn schedulers_keep_what_is_not_documented() {
        let tagged: Scheduler = serde_json::from_value(json!({
            "id": 42,
            "scheduled_by_tag_key": "nops-scheduler",
            "scheduled_by_tag_value": "a1b2",
            "description": "nightly"
        }))
        .unwrap();
        assert_eq!(tagged.id, Some(SchedulerId::Number(42)));
        assert_eq!(tagged.id.as_ref().unwrap().to_string(), "42");
        assert_eq!(
            tagged.scheduled_by_tag_key.as_deref(),
            Some("nops-scheduler")
        );
        assert_eq!(tagged.other["description"], "nightly");
        let bare: Scheduler = serde_json::from_value(json!({"id": "5f0c"})).unwrap();
        assert_eq!(bare.id, Some(SchedulerId::from("5f0c")));
        assert_eq!(bare.scheduled_by_tag_key, None);
        assert!(bare.other.is_empty());
    }

    #[test]
    fn map_products_and_resources_decode_from_the_documented_examples() {
        let products: Vec<MapProduct> = serde_json::from_str(
            r#"[
                {"product_product_name": "Amazon Simple Storage Service", "resources_count": 123.0, "cost": 123.0},
                {"product_product_name": "Amazon Relational Database Service", "resources_count": 123.0, "cost": 123.0}
            ]"#,
        )
        .unwrap();
        assert_eq!(products.len(), 2);
        assert_eq!(
            products[1].product_product_name,
            "Amazon Relational Database Service"
        );
        assert_eq!(products[0].resources_count, 123.0);
        let resources: Vec<MapResource> = serde_json::from_str(
            r#"[
                {"line_item_resource_id": "arn:aws:ec2:region:account-id:instance/i-1234567890abcdef0",
                 "region": "us-west-2", "account_id": "123456789012",
                 "resource_name": "My EC2 Instance", "cost": 25.50},
                {"line_item_resource_id": "arn:aws:s3:::my-bucket", "region": "us-east-1",
                 "account_id": "123456789012", "cost": 10.00, "usage_type": "TimedStorage"}
            ]"#,
        )
        .unwrap();
        assert_eq!(resources[0].cost, 25.5);
        assert_eq!(
            resources[0].resource_name.as_deref(),
            Some("My EC2 Instance")
        );
        assert_eq!(resources[1].resource_name, None, "absent: None");
        assert_eq!(resources[1].region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn map_projects_decode_with_numbers_as_numbers_or_text() {
        let project: MapMigrationProject = serde_json::from_value(json!({
            "id": 7,
            "name": "Datacenter exit",
            "migration_id": "MPE12345",
            "tag_key": "migMPE12345",
            "server_id": null,
            "credit_percent": "25.00",
            "map_credit_cap": 1000000,
            "workload_pk": null,
            "date_start": "2024-01-01",
            "date_end": "2026-12-31",
            "migration_period": 36,
            "windows_optimization": false,
            "client": 123,
            "sap_entity": {"credit_percent": 50},
            "tagged_resources": {"resources_count": 3, "cost": 12.5},
            "credits": [],
            "added_later": true
        }))
        .unwrap();
        assert_eq!(project.id, 7);
        assert_eq!(project.tag_key.as_deref(), Some("migMPE12345"));
        assert_eq!(
            project.credit_percent.as_ref().and_then(Amount::as_f64),
            Some(25.0)
        );
        assert_eq!(project.map_credit_cap, Some(Amount::Number(1_000_000.0)));
        assert_eq!(project.server_id, None);
        assert_eq!(project.windows_optimization, Some(false));
        assert_eq!(project.sap_entity, Some(json!({"credit_percent": 50})));
        assert_eq!(project.tagged_resources.as_ref().unwrap()["cost"], 12.5);
        assert_eq!(project.created, None, "absent: None");
        let minimal: MapMigrationProject = serde_json::from_value(json!({"id": 8})).unwrap();
        assert_eq!(minimal.name, None);
        assert_eq!(minimal.credits, None);
        assert_eq!(Amount::Text("n/a".into()).as_f64(), None);
    }
}
