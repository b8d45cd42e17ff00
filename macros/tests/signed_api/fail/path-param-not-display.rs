use signed_api::{Result, signed_api};

pub struct RecordId(u64);

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records/{id}")]
    async fn record(&self, id: RecordId) -> Result<String>;
}

fn main() {}
