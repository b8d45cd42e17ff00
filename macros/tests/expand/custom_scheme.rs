// The input of a golden test (see src/golden_tests.rs): a user scheme given as a type
// path, and the remaining return shapes. Not compiled on its own.

#[signed_api(scheme = crate::auth::Hmac)]
trait Storage {
    #[get("/blobs/{key}")]
    async fn blob(&self, key: &str) -> Result<Bytes>;

    #[patch("/blobs/{key}/meta")]
    async fn touch(&self, key: &str, #[header("If-Match")] etag: Option<&str>) -> Result<Response<()>, MyError>;
}
