use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/me")]
    async fn me(&self, #[header("X Request Id")] request_id: &str) -> Result<String>;
}

fn main() {}
