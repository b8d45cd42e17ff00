//! Only JSON and XML are decoded; the mistake is reported on the literal, on the trait or
//! the method, and given twice is reported once.
use signed_api::{Result, signed_api};

#[signed_api(scheme = "ovh", decode = "yaml")]
pub trait Ovh {
    #[get("/me", decode = "toml")]
    async fn me(&self) -> Result<String>;

    #[get("/you", decode = "xml", decode = "json")]
    async fn you(&self) -> Result<String>;
}

fn main() {}
