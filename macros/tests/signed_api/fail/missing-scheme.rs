use signed_api::{Result, signed_api};

#[signed_api]
pub trait Api {
    #[get("/me")]
    async fn me(&self) -> Result<String>;
}

fn main() {}
