use signed_api::signed_api;

#[signed_api(scheme = "ovh")]
pub trait Api {
    #[delete("/records/{id}")]
    async fn delete(&self, id: u64);
}

fn main() {}
