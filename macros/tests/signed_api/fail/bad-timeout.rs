use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[delete("/records/{id}", timeout = "5 seconds")]
    async fn delete(&self, id: u64) -> Result<()>;
}

fn main() {}
