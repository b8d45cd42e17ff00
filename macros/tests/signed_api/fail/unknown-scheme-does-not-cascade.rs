use signed_api::schemes::OvhCredentials;
use signed_api::{Result, signed_api};

// A misspelt scheme: the code that configures and calls the client still compiles against
// the stub, so the scheme is the only error.
#[signed_api(scheme = "ovhh")]
pub trait Api {
    #[get("/me")]
    async fn me(&self) -> Result<String>;
}

async fn use_it(api: &impl Api) -> Result<usize> {
    Ok(api.me().await?.len())
}

fn main() -> Result<()> {
    let credentials = OvhCredentials::new("ak", "as")?;
    let client = ApiClient::builder()
        .credentials(credentials)
        .endpoint("ovh-eu")
        .user_agent("tool/1")
        .timeout(std::time::Duration::from_secs(5))
        .build()?;
    let copy = client.clone();
    let _future = use_it(&copy);
    Ok(())
}
