use signed_api::{Result, signed_api};

#[derive(Debug)]
pub struct Token(pub String);

#[signed_api(scheme = Token)]
pub trait Api {
    #[get("/me")]
    async fn me(&self) -> Result<String>;
}

fn main() {}
