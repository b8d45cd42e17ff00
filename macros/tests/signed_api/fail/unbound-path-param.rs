use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/domain/zone/{zone}/record/{id}")]
    async fn record(&self, zone: &str) -> Result<String>;
}

fn main() {}
