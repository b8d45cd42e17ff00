use signed_api::{Result, signed_api};

// Every mistake of a trait shows in one build, each once.
#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/records/{id}")]
    fn record(&self, id: u64) -> Result<String>;

    #[get("/records")]
    async fn search(&self, kind: &str) -> Result<Vec<u64>>;

    #[delete("/records/{id}", timeout = "soon")]
    async fn delete(&self, id: u64) -> Result<()>;
}

fn main() {}
