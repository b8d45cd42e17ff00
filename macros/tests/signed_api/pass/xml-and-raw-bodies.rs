//! `decode = "xml"` on the trait (every typed answer) or on one method; `#[body]` of bytes
//! sent as they are, moved or borrowed; `{key+}` keeps the `/` of an object key.
#![deny(warnings)]
use signed_api::{Bytes, Response, Result, signed_api};

#[derive(serde::Deserialize)]
pub struct Listing {
    #[serde(rename = "Name")]
    pub name: String,
}

#[signed_api(scheme = "sigv4", decode = "xml")]
pub trait Store {
    #[get("/{bucket}")]
    async fn list(&self, bucket: &str) -> Result<Listing>;

    #[get("/{bucket}", decode = "json")]
    async fn list_as_json(&self, bucket: &str) -> Result<serde_json::Value>;

    #[get("/{bucket}/{key+}")]
    async fn get(&self, bucket: &str, key: &str) -> Result<Bytes>;

    #[put("/{bucket}/{key+}")]
    async fn put(
        &self,
        bucket: &str,
        key: &str,
        #[body] data: Bytes,
        #[header("Content-Type")] content_type: Option<&str>,
    ) -> Result<Response<()>>;

    #[put("/{bucket}/{key+}")]
    async fn put_vec(&self, bucket: &str, key: &str, #[body] data: Vec<u8>) -> Result<()>;

    #[put("/{bucket}/{key+}")]
    async fn put_slice<'a>(&'a self, bucket: &'a str, key: &'a str, #[body] data: &'a [u8]) -> Result<()>;
}

#[signed_api(scheme = "ovh")]
pub trait Mixed {
    #[get("/me", decode = "xml")]
    async fn me(&self) -> Result<Response<Listing>>;
}

fn main() {}
