//! The endpoints of nOps' API, one method each.
//!
//! Paths keep nOps' trailing slashes exactly: the signature covers the path, and the
//! Django routes under `/c/` and `/sp/` want the slash while the `/svc/` services do not.

use serde_json::Value;
use signed_api::{Result, signed_api};

use super::models::{
    CostType, MapMigrationProject, MapProduct, MapResource, NewProject, NewScheduler, Project,
    ProjectUpdate, Scheduler, SchedulerId, SchedulerKind, Trigger,
};

/// nOps' API: AWS projects, the cost summary, the Essentials scheduler and MAP migration
/// tracking.
///
/// Answers whose shape nOps does not document come back as [`serde_json::Value`]:
/// `current_client`, `cost_summary`, `schedulers`, `eventbridge_configurations` and
/// `client_map_projects`.
#[signed_api(scheme = "nops")]
pub trait Nops {
    /// The AWS accounts connected to nOps.
    #[get("/c/admin/projectaws/")]
    async fn projects(&self) -> Result<Vec<Project>>;

    /// Connects an AWS account to nOps.
    #[post("/c/admin/projectaws/")]
    async fn create_project(&self, #[body] project: &NewProject) -> Result<Project>;

    /// Renames a project or changes its account id; answers the project as it now is.
    #[patch("/c/admin/projectaws/{id}/")]
    async fn update_project(&self, id: u64, #[body] changes: &ProjectUpdate) -> Result<Project>;

    /// Disconnects an AWS account from nOps.
    #[delete("/c/admin/projectaws/{id}/")]
    async fn delete_project(&self, id: u64) -> Result<()>;

    /// The nOps client (organisation) the API key belongs to. Its shape is not
    /// documented: a JSON value.
    #[get("/c/admin/current_client/")]
    async fn current_client(&self) -> Result<Value>;

    /// Costs between two dates (`YYYY-MM-DD`), filtered by account, region, product
    /// (empty slices: no filter), a tag filter (a JSON object of key and value, as text)
    /// and whether to count only resources (`Some(false)`) or only non-resource charges
    /// (`Some(true)`). The answer's shape is not documented: a JSON value.
    #[allow(clippy::too_many_arguments)]
    #[get("/c/cost_page/cost_summary/")]
    async fn cost_summary(
        &self,
        #[query] date_start: &str,
        #[query] date_end: &str,
        #[query] cost_type: &CostType,
        #[query(rename = "account_id[]")] account_ids: &[&str],
        #[query(rename = "region[]")] regions: &[&str],
        #[query(rename = "product[]")] products: &[&str],
        #[query] tag: Option<&str>,
        #[query] non_resources: Option<bool>,
    ) -> Result<Value>;

    /// The Essentials schedulers of one kind. The list's shape is not documented: a JSON
    /// value (its entries decode as [`Scheduler`] with `serde_json::from_value`).
    #[get("/svc/notifications/scheduler/nops_scheduler")]
    async fn schedulers(&self, #[query] scheduler_for: &SchedulerKind) -> Result<Value>;

    /// Creates a scheduler (not retried: a second attempt would make a second one).
    #[post("/svc/notifications/scheduler/nops_scheduler")]
    async fn create_scheduler(&self, #[body] scheduler: &NewScheduler) -> Result<Scheduler>;

    /// Lets a disabled scheduler act again.
    #[post("/svc/notifications/scheduler/{id}/enable", idempotent)]
    async fn enable_scheduler(&self, id: &SchedulerId) -> Result<()>;

    /// Keeps a scheduler from acting, without deleting it.
    #[post("/svc/notifications/scheduler/{id}/disable", idempotent)]
    async fn disable_scheduler(&self, id: &SchedulerId) -> Result<()>;

    /// Starts or stops a scheduler's resources now, off its schedule.
    #[post("/svc/notifications/scheduler/{id}/trigger")]
    async fn trigger_scheduler(&self, id: &SchedulerId, #[body] action: &Trigger) -> Result<()>;

    /// The EventBridge configurations nOps acts through (their ids go in
    /// [`NewScheduler::eventbridge_configuration`](super::models::NewScheduler)). The
    /// shape is not documented: a JSON value.
    #[get("/svc/notifications/eventbridge")]
    async fn eventbridge_configurations(&self) -> Result<Value>;

    /// The client's MAP migration projects.
    #[get("/c/v3/map-migration/")]
    async fn map_projects(&self) -> Result<Vec<MapMigrationProject>>;

    /// One MAP migration project.
    #[get("/c/v3/map-migration/{id}/")]
    async fn map_project(&self, id: u64) -> Result<MapMigrationProject>;

    /// The AWS services of a MAP project, with their resource counts and costs.
    #[get("/c/v3/map-migration/{id}/products/")]
    async fn map_products(&self, id: u64) -> Result<Vec<MapProduct>>;

    /// The resources of a MAP project. nOps asks for a `product_names` filter, or the list
    /// gets very long. Each account id and product name is sent as its own parameter.
    #[get("/c/v3/map-migration/{id}/resources/")]
    async fn map_resources(
        &self,
        id: u64,
        #[query] migration_entity: Option<&str>,
        #[query] tagged: Option<bool>,
        #[query] account_ids: &[&str],
        #[query] product_names: &[&str],
    ) -> Result<Vec<MapResource>>;

    /// For solution providers: the MAP projects of all their clients, grouped by client.
    /// The grouping's shape is not documented: a JSON value.
    #[get("/sp/v3/map-projects/")]
    async fn client_map_projects(&self) -> Result<Value>;
}
