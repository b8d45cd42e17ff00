//! Every parameter role, option and return shape on a built-in scheme, with warnings denied
//! (generated items are documented and raise no lint).
#![deny(warnings, missing_docs)]

use serde::{Deserialize, Serialize};
use signed_api::schemes::ArmorCredentials;
use signed_api::{Bytes, Response, Result, signed_api};

/// A VM to create.
#[derive(Serialize)]
pub struct NewVm {
    /// Its name.
    pub name: String,
}

/// A VM.
#[derive(Deserialize)]
pub struct Vm {
    /// Its id.
    pub id: u64,
}

/// Armor's virtual machines.
#[signed_api(scheme = "armor")]
pub trait Vms {
    /// One VM.
    #[get("/vms/{id}", timeout = "500ms")]
    async fn vm(&self, id: u64, #[header("X-Request-Id")] request_id: Option<&str>) -> Result<Vm>;

    /// VMs by tag.
    #[get("/vms")]
    async fn search(
        &self,
        #[query] tag: &[String],
        #[query(rename = "pageSize")] page_size: Option<u32>,
        #[query] states: Option<Vec<&str>>,
        #[query] owner: &str,
    ) -> Result<Response<Vec<Vm>>>;

    /// Creates a VM.
    #[post("/vms", idempotent)]
    async fn create(&self, #[body] vm: &NewVm) -> Result<Vm>;

    /// Renames a VM.
    #[patch("/vms/{id}", unsigned)]
    async fn rename(&self, id: u64, #[form] form: &[(&str, &str)]) -> Result<Response<()>>;

    /// Replaces a VM's notes.
    #[put("/vms/{id}/notes")]
    async fn notes(&self, id: u64, #[body] notes: String) -> Result<String>;

    /// The console log.
    #[get("/vms/{id}/log")]
    async fn log(&self, id: u64) -> Result<Bytes>;

    /// The console log, with its headers.
    #[get("/vms/{id}/log")]
    async fn log_response(&self, id: u64) -> Result<Response<Bytes>>;

    /// The notes, with their headers.
    #[get("/vms/{id}/notes")]
    async fn notes_response(&self, id: u64) -> Result<Response<String>>;

    /// Deletes a VM.
    #[delete("/vms/{id}")]
    async fn delete(&self, id: u64) -> Result<()>;
}

fn main() -> Result<()> {
    let credentials = ArmorCredentials::new("key-id", "secret")?;
    let client: VmsClient = VmsClient::builder()
        .credentials(credentials)
        .http_client(reqwest::Client::new())
        .build()?;
    let _clone = client.clone();
    Ok(())
}
