use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/me")]
    #[post("/me")]
    async fn me(&self) -> Result<String>;
}

fn main() {}
