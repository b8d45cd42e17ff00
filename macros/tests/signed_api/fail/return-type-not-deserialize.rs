use signed_api::{Response, Result, signed_api};

pub struct Record {
    pub id: u64,
}

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records/{id}")]
    async fn record(&self, id: u64) -> Result<Record>;

    #[get("/records")]
    async fn records(&self) -> Result<Response<Vec<Record>>>;
}

fn main() {}
