//! Private keys: both PEM encodings load, every unusable key is refused with an error that
//! says why, and the two RSA implementations sign identically.

use proptest::prelude::*;
use signed_api_runtime::keys::{RsaBackend, RsaKey, RsaPublicKeyPem};

fn path(relative: &str) -> String {
    format!("{}/../tests/{relative}", env!("CARGO_MANIFEST_DIR"))
}

fn load(relative: &str) -> signed_api_runtime::Result<RsaKey> {
    RsaKey::from_pem_file(path(relative))
}

fn refusal(relative: &str) -> String {
    let err = load(relative).unwrap_err();
    assert!(matches!(err, signed_api_runtime::Error::Key(_)), "{err:?}");
    err.to_string()
}

#[test]
fn pkcs1_and_pkcs8_rsa_keys_load() {
    assert_eq!(load("vectors/keys/rsa2048-pkcs1.pem").unwrap().bits(), 2048);
    assert_eq!(load("vectors/keys/rsa2048-pkcs8.pem").unwrap().bits(), 2048);
    // 1024 bits: nOps' own instructions make such keys; accepted (with a warning).
    assert_eq!(load("vectors/keys/rsa1024-pkcs1.pem").unwrap().bits(), 1024);
}

#[test]
fn unusable_keys_are_refused_with_the_reason() {
    let ec = refusal("vectors/keys/ec-p256-pkcs8.pem");
    assert!(ec.contains("not an RSA key") && ec.contains("EC"), "{ec}");
    let ed = refusal("vectors/keys/ed25519-pkcs8.pem");
    assert!(
        ed.contains("not an RSA key") && ed.contains("Ed25519"),
        "{ed}"
    );
    let small = refusal("vectors/keys/rsa512-pkcs1.pem");
    assert!(
        small.contains("512 bits") && small.contains("1024"),
        "{small}"
    );
    let encrypted = refusal("vectors/keys/rsa2048-encrypted.pem");
    assert!(encrypted.contains("encrypted"), "{encrypted}");
    let public = refusal("vectors/keys/rsa2048-pkcs1.pub.pem");
    assert!(public.contains("public key"), "{public}");
    let missing = refusal("vectors/keys/no-such-key.pem");
    assert!(
        missing.contains("no-such-key.pem") && missing.contains("cannot read"),
        "{missing}"
    );

    for garbage in [
        "",
        "hello",
        "-----BEGIN RSA PRIVATE KEY-----\nnot base64\n-----END RSA PRIVATE KEY-----\n",
    ] {
        let err = RsaKey::from_pem(garbage).unwrap_err();
        assert!(
            matches!(err, signed_api_runtime::Error::Key(_)),
            "{garbage:?}: {err:?}"
        );
    }
    assert!(
        RsaKey::from_pem("-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----")
            .unwrap_err()
            .to_string()
            .contains("not an RSA key")
    );
}

#[test]
fn public_keys_match_the_vector_files_and_verify() {
    for name in ["rsa2048-pkcs1", "rsa2048-pkcs8", "rsa1024-pkcs1"] {
        let key = load(&format!("vectors/keys/{name}.pem")).unwrap();
        let published =
            std::fs::read_to_string(path(&format!("vectors/keys/{name}.pub.pem"))).unwrap();
        let published = RsaPublicKeyPem::from_pem(&published).unwrap();
        assert_eq!(key.public_key(), published, "{name}");
        let reparsed = RsaPublicKeyPem::from_pem(&key.public_key().to_pem()).unwrap();
        let signature = key.sign(b"message").unwrap();
        assert!(reparsed.verify(b"message", &signature));
        assert!(!reparsed.verify(b"messagf", &signature));
        assert!(!reparsed.verify(b"message", &signature[1..]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// PKCS#1 v1.5 is deterministic: the `rsa` crate and aws-lc-rs must agree byte for byte.
    #[test]
    fn rsa_crate_and_aws_lc_sign_identically(message in prop::collection::vec(any::<u8>(), 0..512)) {
        for name in ["rsa2048-pkcs1", "rsa2048-pkcs8"] {
            let key = load(&format!("vectors/keys/{name}.pem")).unwrap();
            let rust_crypto = key.sign_with(RsaBackend::RustCrypto, &message).unwrap();
            if cfg!(feature = "aws-lc") {
                let aws_lc = key.sign_with(RsaBackend::AwsLc, &message).unwrap();
                prop_assert_eq!(&rust_crypto, &aws_lc);
            }
            prop_assert!(key.public_key().verify(&message, &rust_crypto));
        }
    }
}
