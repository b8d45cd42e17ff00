use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[post("/records")]
    async fn create(&self, #[body] record: &str, #[body] meta: &str) -> Result<u64>;
}

fn main() {}
