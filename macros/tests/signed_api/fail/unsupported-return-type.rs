use signed_api::signed_api;

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records")]
    async fn records(&self) -> Option<Vec<u64>>;
}

fn main() {}
