use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records")]
    async fn search(&self, #[body] filter: &str) -> Result<Vec<u64>>;
}

fn main() {}
