//! `scheme = "sigv4"`: the builder takes a SigV4 configuration as its credentials (S3 in
//! the configuration's region), or a configured scheme for another service.
#![deny(warnings)]
use signed_api::schemes::{Sigv4Config, Sigv4Credentials, Sigv4Scheme};
use signed_api::{Result, signed_api};

#[signed_api(scheme = "sigv4")]
pub trait Store {
    #[get("/{bucket}/{key}")]
    async fn object(&self, bucket: &str, key: &str) -> Result<String>;
}

fn main() -> Result<()> {
    let credentials = Sigv4Credentials::new("AKIDEXAMPLE", "secret")?;
    let config = Sigv4Config {
        credentials: credentials.clone(),
        region: "eu-west-3".into(),
        endpoint_url: None,
        profile: "default".into(),
    };
    let _s3 = StoreClient::builder()
        .credentials(config)
        .endpoint("ovh-gra")
        .build()?;
    let api_gateway = Sigv4Scheme::new(credentials, "eu-west-3", "execute-api")?;
    let _other = StoreClient::builder()
        .scheme(api_gateway)
        .base_url("https://abc.execute-api.eu-west-3.amazonaws.com")
        .build()?;
    Ok(())
}
