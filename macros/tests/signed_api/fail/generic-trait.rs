use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api<T> {
    #[get("/records")]
    async fn records(&self) -> Result<Vec<u64>>;
}

fn main() {}
