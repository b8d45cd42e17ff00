use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records/{id}")]
    async fn record<T: std::fmt::Display>(&self, id: T) -> Result<String>;
}

fn main() {}
