use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh", client = MyClient)]
pub trait Api {
    #[get("/me")]
    async fn me(&self) -> Result<String>;
}

fn main() {}
