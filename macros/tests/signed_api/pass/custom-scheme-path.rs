//! A scheme of the user's own, named by a path.
#![deny(warnings)]
use signed_api::scheme::StringToSign;
use signed_api::{Result, signed_api};
use signed_api::scheme::{Headers, SignableRequest, SigningParams};

mod auth {
    use super::*;

    /// Sends a fixed token; enough to show the plumbing.
    #[derive(Debug)]
    pub struct Token(pub String);

    impl signed_api::scheme::Scheme for Token {
        fn name(&self) -> &str {
            "token"
        }
        fn string_to_sign(
            &self,
            request: &SignableRequest<'_>,
            _: &SigningParams<'_>,
        ) -> Result<StringToSign> {
            Ok(StringToSign::new().public(request.url))
        }
        fn sign(&self, _: &SignableRequest<'_>, _: &SigningParams<'_>) -> Result<Headers> {
            Ok(vec![(
                signed_api::scheme::HeaderName::from_static("authorization"),
                signed_api::scheme::header_value("Authorization", &self.0)?,
            )])
        }
    }
}

#[signed_api(scheme = crate::auth::Token)]
trait Store {
    #[get("/items/{type}")]
    async fn items(&self, r#type: &str, #[query] r#where: Option<&str>) -> Result<Vec<String>>;
}

fn main() {
    let store = StoreClient::builder()
        .scheme(auth::Token("t".into()))
        .base_url("https://store.example")
        .build()
        .unwrap();
    let _future = store.items("books", None);
}
