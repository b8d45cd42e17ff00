use signed_api::{Result, signed_api};

pub struct NewRecord {
    pub target: String,
}

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[post("/records")]
    async fn create(&self, #[body] record: &NewRecord) -> Result<u64>;
}

fn main() {}
