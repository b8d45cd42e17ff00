use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[post("/orders", retry)]
    async fn order(&self) -> Result<()>;
}

fn main() {}
