use signed_api::schemes::OvhCredentials;
use signed_api::{Result, signed_api};

// One mistake in the trait: the code that uses the client and the trait still compiles
// against the stub, so the mistake is the only error.
#[signed_api(scheme = "ovh")]
pub trait Api {
    #[get("/me")]
    async fn me(&self) -> Result<String>;

    #[get("/records")]
    async fn records(&self, kind: &str) -> Result<Vec<u64>>;
}

async fn use_it(api: &impl Api) -> Result<usize> {
    Ok(api.me().await?.len() + api.records("A").await?.len())
}

fn main() -> Result<()> {
    let credentials = OvhCredentials::new("ak", "as")?;
    let client = ApiClient::builder().credentials(credentials).endpoint("ovh-eu").build()?;
    let _future = use_it(&client);
    Ok(())
}
