//! A signing scheme of your own, used through `#[signed_api(scheme = HmacSha256)]`.
//!
//! The scheme here, "HMAC-SHA256 v1", is made up for the example but shaped like the real
//! ones: each request carries a key id, a timestamp and an HMAC over what the server can
//! rebuild from the bytes it receives.
//!
//! ```text
//! string-to-sign   = METHOD "\n" PATH_AND_QUERY "\n" TIMESTAMP "\n" base64(SHA-256(BODY))
//! X-Key-Id         = KEY_ID
//! X-Timestamp      = TIMESTAMP (Unix seconds)
//! X-Signature      = base64(HMAC-SHA256(SECRET, string-to-sign))
//! ```
//!
//! `cargo run --example custom_scheme` starts a local server that verifies the signatures
//! with [`HmacSha256Verifier`], then calls it through the generated `NotesClient`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use signed_api::scheme::StringToSign;
use signed_api::scheme::{
    HeaderName, Headers, Scheme, SignableRequest, SigningParams, header_value,
};
use signed_api::verify::{ReceivedRequest, Verified, Verifier, VerifyError};
use signed_api::verify::{check_window, parse_unix_seconds};
use signed_api::{Error, Result, Secret, signed_api};

use signed_api_mock::testing::capture::{CaptureServer, Reply};

/// The client side of the scheme: signs each request with a shared secret.
#[derive(Debug)]
pub struct HmacSha256 {
    key_id: String,
    /// Redacted by its `Debug`: it never shows in logs or errors.
    secret: Secret,
}

impl HmacSha256 {
    /// A scheme signing as `key_id` with `secret`; both must be non-empty.
    pub fn new(key_id: impl Into<String>, secret: impl Into<Secret>) -> Result<Self> {
        let (key_id, secret) = (key_id.into(), secret.into());
        if key_id.is_empty() || secret.is_blank() {
            return Err(Error::Config(
                "the key id and the secret must not be empty".into(),
            ));
        }
        Ok(HmacSha256 { key_id, secret })
    }
}

/// The string both sides sign. Pure: the same request at the same time gives the same string.
/// Nothing in it is secret, so every piece is public (a scheme that signs a credential
/// marks that piece with `.secret(…)`, and `--dry-run` shows it as `***`).
fn string_to_sign(method: &str, path_and_query: &str, timestamp: i64, body: &[u8]) -> StringToSign {
    let body_hash = STANDARD.encode(Sha256::digest(body));
    StringToSign::new().public(format!(
        "{method}\n{path_and_query}\n{timestamp}\n{body_hash}"
    ))
}

fn hmac_sha256(secret: &Secret, message: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

impl Scheme for HmacSha256 {
    fn name(&self) -> &str {
        "hmac-sha256-v1"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        Ok(string_to_sign(
            request.method,
            request.path_and_query(),
            params.timestamp,
            request.body,
        ))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let string = self.string_to_sign(request, params)?;
        let signature = STANDARD.encode(hmac_sha256(&self.secret, &string.to_bytes()));
        Ok(vec![
            (
                HeaderName::from_static("x-key-id"),
                header_value("X-Key-Id", &self.key_id)?,
            ),
            (
                HeaderName::from_static("x-timestamp"),
                header_value("X-Timestamp", &params.timestamp.to_string())?,
            ),
            (
                HeaderName::from_static("x-signature"),
                header_value("X-Signature", &signature)?,
            ),
        ])
    }
}

/// The server side: checks key id, timestamp window and signature over the received bytes.
#[derive(Debug)]
pub struct HmacSha256Verifier {
    key_id: String,
    secret: Secret,
    /// Accepted distance between the request's timestamp and the server's clock, in seconds.
    window: i64,
}

impl HmacSha256Verifier {
    /// A verifier that knows one key.
    pub fn new(key_id: impl Into<String>, secret: impl Into<Secret>, window: i64) -> Self {
        HmacSha256Verifier {
            key_id: key_id.into(),
            secret: secret.into(),
            window,
        }
    }
}

impl Verifier for HmacSha256Verifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        // `require` refuses a header that is absent, empty or sent twice; the timestamp is
        // read in its one canonical form and compared without overflow.
        if request.require("x-key-id")? != self.key_id {
            return Err(VerifyError::UnknownKey("key id"));
        }
        let timestamp = parse_unix_seconds("X-Timestamp", request.require("x-timestamp")?)?;
        check_window(timestamp, now, self.window)?;
        let claimed = STANDARD
            .decode(request.require("x-signature")?)
            .map_err(|_| VerifyError::Malformed {
                what: "X-Signature",
                why: "not base64".into(),
            })?;
        // The request-target as received, never a URL rebuilt from the Host header.
        let string = string_to_sign(
            request.method(),
            request.target(),
            timestamp,
            request.body(),
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(&string.to_bytes());
        // `verify_slice` compares in constant time.
        mac.verify_slice(&claimed)
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(Verified {
            timestamp: Some(timestamp),
            nonce: None,
        })
    }
}

/// A note, as the example API stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub title: String,
    pub text: String,
}

/// A small notes API signed with [`HmacSha256`].
#[signed_api(scheme = HmacSha256)]
pub trait Notes {
    /// Stores a note and returns its id.
    #[post("/notes")]
    async fn create(&self, #[body] note: &Note) -> Result<u64>;

    /// Notes whose title contains `search`.
    #[get("/notes")]
    async fn search(&self, #[query(rename = "q")] search: &str) -> Result<Vec<Note>>;
}

/// Starts a server that verifies every request with `verifier` and answers like the notes
/// API (401 with the reason when a signature is refused).
pub async fn start_server(verifier: HmacSha256Verifier) -> CaptureServer {
    CaptureServer::start(move |request, origin| {
        let reply = match request.method.as_str() {
            "POST" => Reply::json(201, "17"),
            _ => Reply::json(200, r#"[{"title":"signed","text":"every request"}]"#),
        };
        signed_api_mock::testing::capture::verified(
            &verifier,
            request,
            origin,
            signed_api_mock::testing::unix_now(),
            reply,
        )
    })
    .await
}

/// Creates a note and searches for it through the generated client.
pub async fn run(client: &NotesClient) -> Result<(u64, Vec<Note>)> {
    let id = client
        .create(&Note {
            title: "signed".into(),
            text: "every request".into(),
        })
        .await?;
    let found = client.search("sign").await?;
    Ok((id, found))
}

#[tokio::main]
async fn main() -> Result<()> {
    let server = start_server(HmacSha256Verifier::new("demo-key", "demo-secret", 300)).await;
    let client = NotesClient::builder()
        .scheme(HmacSha256::new("demo-key", "demo-secret")?)
        .base_url(server.url("/v1"))
        .build()?;
    let (id, found) = run(&client).await?;
    println!("created note {id}; the search found {found:?}");
    for request in server.requests() {
        println!(
            "{} {} signed by {} at {}",
            request.method,
            request.target,
            request.header("x-key-id").unwrap_or("?"),
            request.header("x-timestamp").unwrap_or("?"),
        );
    }
    Ok(())
}
