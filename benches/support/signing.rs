//! The requests each scheme signs in the benches, at a fixed time and nonce so that every
//! run signs the same bytes.

use std::hint::black_box;
use std::sync::Arc;

use signed_api::HeaderMap;
use signed_api::keys::RsaKey;
use signed_api::nonce::FixedNonce;
use signed_api::scheme::{Scheme, SignableRequest, SigningParams};
use signed_api::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsScheme, OvhCredentials, OvhScheme,
    QredoCredentials, QredoScheme, Sigv4Credentials, Sigv4Scheme,
};

/// The Unix time every signature is made at.
pub const TIMESTAMP: i64 = 1_700_000_000;

/// The body of the OVH, Armor and Qredo requests (an OVH DNS record).
pub const BODY: &[u8] = br#"{"fieldType":"A","subDomain":"www","target":"203.0.113.7","ttl":3600}"#;

/// The URL of the OVH, Armor and Qredo requests.
const URL: &str =
    "https://eu.api.ovh.com/1.0/domain/zone/example.com/record?fieldType=A&subDomain=www";

/// The cases, in the order the benches report them.
pub const CASES: [&str; 7] = [
    "ovh",
    "armor",
    "armor_get",
    "nops_cached",
    "sigv4_get",
    "sigv4_put_1kib",
    "qredo_rsa2048",
];

/// The 2048-bit RSA key of the test vectors (nOps and Qredo sign with it).
pub fn key() -> RsaKey {
    RsaKey::from_pem_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/rsa2048-pkcs1.pem"
    ))
    .unwrap()
}

/// Signs once; the number of headers, so the work cannot be optimised away.
pub fn sign(scheme: &dyn Scheme, request: &SignableRequest<'_>, nonce: Option<&str>) -> usize {
    let mut params = SigningParams::at(TIMESTAMP);
    if let Some(nonce) = nonce {
        params = params.with_nonce(nonce);
    }
    scheme.sign(request, &params).unwrap().len()
}

/// One case: a scheme, with the request it signs and the nonce it signs with.
pub struct Case {
    scheme: Box<dyn Scheme>,
    method: &'static str,
    url: &'static str,
    body: Vec<u8>,
    headers: HeaderMap,
    nonce: Option<String>,
}

impl Case {
    /// The case called `name` (one of [`CASES`]), and nothing else: a run that counts one
    /// case's instructions does not also load the RSA key of another. The caches a
    /// long-running client has filled are filled: nOps' signature of the day (the first
    /// call pays the RSA operation) and SigV4's signing key of the day (the first call
    /// derives it).
    pub fn new(name: &str) -> Option<Case> {
        let post = |scheme: Box<dyn Scheme>| Case {
            scheme,
            method: "POST",
            url: URL,
            body: BODY.to_vec(),
            headers: HeaderMap::new(),
            nonce: None,
        };
        let case = match name {
            "ovh" => post(Box::new(OvhScheme::new(
                OvhCredentials::new("ak", "as-0123456789abcdef")
                    .unwrap()
                    .with_consumer_key("ck-0123456789")
                    .unwrap(),
            ))),
            "armor" => {
                let armor = ArmorScheme::new(
                    ArmorCredentials::new("20a37099-4a0b-432f-bf46-5fa690a0405c", "secret")
                        .unwrap(),
                )
                .nonce_source(Arc::new(FixedNonce(
                    "0b5e1e0c-7a55-4a4c-9b53-2f3f3c1a8d11".into(),
                )));
                let nonce = armor.nonce(TIMESTAMP);
                Case {
                    nonce,
                    ..post(Box::new(armor))
                }
            }
            // The same URL with no body: Armor then signs an empty body part (no hash).
            "armor_get" => Case {
                method: "GET",
                body: Vec::new(),
                ..Case::new("armor")?
            },
            "nops_cached" => Case {
                method: "GET",
                url: "https://app.nops.io/c/admin/projectaws/?api_key=4711.f00dfeed",
                body: Vec::new(),
                ..post(Box::new(NopsScheme::new(
                    NopsCredentials::new("4711.f00dfeed")
                        .unwrap()
                        .with_private_key(key()),
                )))
            },
            "sigv4_get" => Case {
                method: "GET",
                url: "https://bucket.s3.eu-west-3.amazonaws.com/reports/2024/q3.pdf",
                body: Vec::new(),
                headers: client_headers(),
                ..post(Box::new(sigv4()))
            },
            "sigv4_put_1kib" => {
                let mut headers = client_headers();
                headers.insert("content-type", "application/octet-stream".parse().unwrap());
                Case {
                    method: "PUT",
                    url: "https://bucket.s3.eu-west-3.amazonaws.com/uploads/blob.bin",
                    body: vec![b'x'; 1024],
                    headers,
                    ..post(Box::new(sigv4()))
                }
            }
            "qredo_rsa2048" => post(Box::new(QredoScheme::new(
                QredoCredentials::new("api-key", key()).unwrap(),
            ))),
            _ => return None,
        };
        case.sign(&case.request());
        Some(case)
    }

    /// The request to sign, borrowed from the case (made once, outside a timed loop).
    pub fn request(&self) -> SignableRequest<'_> {
        SignableRequest::new(self.method, self.url, &self.body).with_headers(&self.headers)
    }

    /// Signs `request` once (through `black_box`, as a benchmark loop would).
    pub fn sign(&self, request: &SignableRequest<'_>) -> usize {
        sign(&*self.scheme, black_box(request), self.nonce.as_deref())
    }
}

/// The SigV4 scheme of both SigV4 cases: S3 in eu-west-3.
fn sigv4() -> Sigv4Scheme {
    Sigv4Scheme::new(
        Sigv4Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .unwrap(),
        "eu-west-3",
        "s3",
    )
    .unwrap()
}

/// The headers a client sends with a SigV4 request: User-Agent and Accept, unsigned.
fn client_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("user-agent", "signed-api/0.1.0".parse().unwrap());
    headers.insert("accept", "application/json".parse().unwrap());
    headers
}
