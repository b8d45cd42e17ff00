use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[put("/records")]
    async fn replace(&self, #[body] record: &str, #[form] meta: &[(&str, &str)]) -> Result<u64>;
}

fn main() {}
