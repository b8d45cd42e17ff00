use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records/{id}")]
    async fn record(&mut self, id: u64) -> Result<String>;
}

fn main() {}
