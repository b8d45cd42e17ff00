use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/me", timeout = "5s", unsigned, timeout = "10s")]
    async fn me(&self) -> Result<String>;
}

fn main() {}
