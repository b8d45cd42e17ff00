// The input of a golden test (see src/golden_tests.rs): a small trait that uses every
// parameter role, option and return shape once. Not compiled on its own.

#[signed_api(scheme = "ovh")]
/// The parts of OVH's API used by the DNS tools.
pub trait Ovh {
    /// The server's clock, in Unix seconds.
    #[get("/auth/time", unsigned)]
    async fn server_time(&self) -> Result<i64>;

    #[get("/domain/zone/{zone}/record")]
    async fn records(
        &self,
        zone: &str,
        #[query(rename = "fieldType")] field_type: Option<&str>,
        #[query] ids: &[u64],
        #[header("X-Request-Id")] request_id: &str,
    ) -> Result<Response<Vec<u64>>>;

    #[post("/domain/zone/{zone}/record", idempotent)]
    async fn create_record(&self, zone: &str, #[body] record: &NewRecord) -> Result<Record>;

    #[put("/domain/zone/{zone}/import")]
    async fn import(&self, zone: &str, #[form] zone_file: &ZoneFile) -> Result<String>;

    #[delete("/domain/zone/{zone}/record/{id}", timeout = "5s")]
    async fn delete_record(&self, zone: &str, id: u64) -> Result<()>;
}
