use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/domain/zone/{zone}/record")]
    async fn records(&self, zone: &str, #[qurey] field_type: &str) -> Result<Vec<u64>>;
}

fn main() {}
