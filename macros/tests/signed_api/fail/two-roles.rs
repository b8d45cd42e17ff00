use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records")]
    async fn records(&self, #[query] #[header("X-Zone")] zone: &str) -> Result<Vec<u64>>;
}

fn main() {}
