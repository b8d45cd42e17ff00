use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records")]
    async fn records(&self, #[query()] kind: &str) -> Result<Vec<u64>>;
}

fn main() {}
