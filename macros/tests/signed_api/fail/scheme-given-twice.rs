use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh", scheme = "nops")]
pub trait Api {
    #[get("/me")]
    async fn me(&self) -> Result<String>;
}

fn main() {}
