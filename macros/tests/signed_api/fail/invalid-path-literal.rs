use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records?type=A")]
    async fn records(&self) -> Result<Vec<u64>>;
}

fn main() {}
