//! The trait stays as written: users implement it for their own types, and helper methods
//! with a default body are left alone.
#![deny(warnings)]
use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh")]
pub trait Ovh {
    #[get("/me")]
    async fn me(&self) -> Result<String>;

    #[get("/domain/zone/{zone}")]
    async fn zone<'a>(&'a self, zone: &'a str) -> Result<serde_json::Value>;

    /// Not an endpoint: a helper built on the others.
    async fn greeting(&self) -> Result<String> {
        Ok(format!("hello {}", self.me().await?))
    }
}

struct Fake;

impl Ovh for Fake {
    async fn me(&self) -> Result<String> {
        Ok("fake".into())
    }
    async fn zone<'a>(&'a self, zone: &'a str) -> Result<serde_json::Value> {
        Ok(serde_json::json!({ "name": zone }))
    }
}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let _ = Fake.greeting();
    let client = OvhClient::builder().build();
    if let Ok(client) = client {
        assert_send(client.zone("example.com"));
        assert_send(client.greeting());
    }
}
