//! Every vector of `tests/vectors/` (computed by independent implementations: Python's
//! hashlib/hmac, OpenSSL, pycryptodomex) reproduces byte for byte through the public API:
//! the string to sign and the signature header.

use std::path::PathBuf;

use serde_json::Value;
use signed_api_runtime::keys::{RsaBackend, RsaKey};
use signed_api_runtime::nonce::FixedNonce;
use signed_api_runtime::scheme::{Scheme, SignableRequest, SigningParams};
use signed_api_runtime::schemes::{
    ArmorCredentials, ArmorScheme, NopsCredentials, NopsScheme, OvhCredentials, OvhScheme,
    QredoCredentials, QredoScheme,
};

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn cases(scheme: &str) -> Vec<Value> {
    let path = vectors_dir().join(format!("{scheme}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["scheme"], scheme);
    let cases = file["cases"].as_array().unwrap().clone();
    assert!(!cases.is_empty());
    cases
}

fn field<'a>(case: &'a Value, name: &str) -> &'a str {
    case[name]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no string field {name}", case["title"]))
}

fn key(case: &Value) -> RsaKey {
    RsaKey::from_pem_file(vectors_dir().join(field(case, "private_key"))).unwrap()
}

/// The one header a scheme's signature produced under `name`.
fn signed_header(
    scheme: &dyn Scheme,
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    name: &str,
) -> String {
    let headers = scheme.sign(request, params).unwrap();
    let values: Vec<_> = headers.iter().filter(|(n, _)| n == name).collect();
    assert_eq!(values.len(), 1, "{name} in {headers:?}");
    values[0].1.to_str().unwrap().to_owned()
}

/// Midnight UTC of a `YYYY-MM-DD` date, as Unix seconds (days-from-civil).
fn midnight(date: &str) -> i64 {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

#[test]
fn ovh_vectors_reproduce() {
    for case in cases("ovh") {
        let credentials =
            OvhCredentials::new("application-key", field(&case, "application_secret"))
                .unwrap()
                .with_consumer_key(field(&case, "consumer_key"))
                .unwrap();
        let scheme = OvhScheme::new(credentials);
        let request = SignableRequest::new(
            field(&case, "method"),
            field(&case, "url"),
            field(&case, "body").as_bytes(),
        );
        let params = SigningParams::at(case["timestamp"].as_i64().unwrap());
        let string = scheme.string_to_sign(&request, &params).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&string.to_bytes()),
            field(&case, "string_to_sign"),
            "{}",
            case["title"]
        );
        let signature = signed_header(&scheme, &request, &params, "x-ovh-signature");
        assert_eq!(signature, field(&case, "signature"), "{}", case["title"]);
    }
}

#[test]
fn nops_vectors_reproduce_with_every_rsa_backend() {
    for case in cases("nops") {
        let key = key(&case);
        let api_key = field(&case, "api_key");
        let scheme = NopsScheme::new(
            NopsCredentials::new(api_key)
                .unwrap()
                .with_private_key(key.clone()),
        );
        let url = format!(
            "https://app.nops.io{}?api_key={api_key}",
            field(&case, "path")
        );
        let request = SignableRequest::new("GET", &url, b"");
        // Any second of the vector's UTC day signs the same message.
        for timestamp in [
            midnight(field(&case, "date")),
            midnight(field(&case, "date")) + 86_399,
        ] {
            let params = SigningParams::at(timestamp);
            let string = scheme.string_to_sign(&request, &params).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&string.to_bytes()),
                field(&case, "string_to_sign"),
                "{}",
                case["title"]
            );
            let signature = signed_header(&scheme, &request, &params, "x-nops-signature");
            assert_eq!(signature, field(&case, "signature"), "{}", case["title"]);
        }
        assert_backends_agree(
            &key,
            field(&case, "string_to_sign"),
            field(&case, "signature"),
            base64_standard,
        );
    }
}

#[test]
fn qredo_vectors_reproduce_with_every_rsa_backend() {
    for case in cases("qredo") {
        let key = key(&case);
        let scheme = QredoScheme::new(QredoCredentials::new("qredo-api-key", key.clone()).unwrap());
        let request =
            SignableRequest::new("POST", field(&case, "url"), field(&case, "body").as_bytes());
        let timestamp = case["timestamp"].as_i64().unwrap();
        let params = SigningParams::at(timestamp);
        let string = scheme.string_to_sign(&request, &params).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&string.to_bytes()),
            field(&case, "string_to_sign"),
            "{}",
            case["title"]
        );
        assert_eq!(
            signed_header(&scheme, &request, &params, "x-sign"),
            field(&case, "signature"),
            "{}",
            case["title"]
        );
        assert_eq!(
            signed_header(&scheme, &request, &params, "x-timestamp"),
            timestamp.to_string()
        );
        assert_backends_agree(
            &key,
            field(&case, "string_to_sign"),
            field(&case, "signature"),
            base64_url_unpadded,
        );
    }
}

#[test]
fn armor_vectors_reproduce() {
    for case in cases("armor") {
        let credentials =
            ArmorCredentials::new(field(&case, "api_key_id"), field(&case, "secret_key")).unwrap();
        let nonce = field(&case, "nonce");
        let scheme = ArmorScheme::new(credentials)
            .nonce_source(std::sync::Arc::new(FixedNonce(nonce.into())));
        let url = format!("https://api.armor.com{}", field(&case, "path"));
        let request = SignableRequest::new(
            field(&case, "method"),
            &url,
            field(&case, "body").as_bytes(),
        );
        let timestamp = case["timestamp"].as_i64().unwrap();
        let drawn = scheme.nonce(timestamp).unwrap();
        let params = SigningParams::at(timestamp).with_nonce(&drawn);
        let string = scheme.string_to_sign(&request, &params).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&string.to_bytes()),
            field(&case, "string_to_sign"),
            "{}",
            case["title"]
        );
        assert_eq!(
            signed_header(&scheme, &request, &params, "authorization"),
            field(&case, "authorization"),
            "{}",
            case["title"]
        );
    }
}

fn base64_standard(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn base64_url_unpadded(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Both RSA implementations give the vector's signature (aws-lc-rs only takes ≥ 2048 bits,
/// and refuses smaller keys with an error rather than a wrong signature).
fn assert_backends_agree(key: &RsaKey, message: &str, expected: &str, encode: fn(&[u8]) -> String) {
    let rust_crypto = key
        .sign_with(RsaBackend::RustCrypto, message.as_bytes())
        .unwrap();
    assert_eq!(encode(&rust_crypto), expected);
    let aws_lc = key.sign_with(RsaBackend::AwsLc, message.as_bytes());
    if cfg!(feature = "aws-lc") && key.bits() >= 2048 {
        assert_eq!(encode(&aws_lc.unwrap()), expected);
    } else {
        assert!(aws_lc.is_err());
    }
}
