//! RSA keys for the nOps and Qredo schemes: parsed once from PEM, checked, then used for
//! RSASSA-PKCS1-v1_5 with SHA-256.
//!
//! Two implementations sign: the `rsa` crate, which takes every key size, and `aws-lc-rs`
//! (feature `aws-lc`, on by default; reqwest's TLS compiles it in anyway), which is several
//! times faster and constant-time but only takes keys of 2048 bits and more. PKCS#1 v1.5 is
//! deterministic, so both give the same bytes; a test holds them to it.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

use crate::error::{Error, Result};

/// Smallest key accepted: nOps' own instructions make 1024-bit keys.
pub const MIN_RSA_BITS: usize = 1024;
/// Largest key accepted: aws-lc-rs refuses larger moduli, and a larger key would only
/// make each signature slower (16384 bits: about 40× a 2048-bit signature).
pub const MAX_RSA_BITS: usize = 8192;
/// Keys below this size are accepted with a warning.
pub const RECOMMENDED_RSA_BITS: usize = 2048;

/// Which implementation performs RSA signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RsaBackend {
    /// aws-lc-rs when compiled in and the key is at least 2048 bits, else the `rsa` crate.
    #[default]
    Auto,
    /// Always the pure-Rust `rsa` crate.
    RustCrypto,
    /// Always aws-lc-rs; an error if it is not compiled in or the key is under 2048 bits.
    AwsLc,
}

/// An RSA private key ready to sign with PKCS#1 v1.5 / SHA-256. Cheap to clone (shared).
///
/// Its `Debug` shows the size only; the key material is wiped when the last clone drops.
#[derive(Clone)]
pub struct RsaKey {
    inner: Arc<KeyInner>,
}

struct KeyInner {
    rust_crypto: SigningKey<Sha256>,
    public: RsaPublicKey,
    bits: usize,
    #[cfg(feature = "aws-lc")]
    aws_lc: Option<aws_lc_rs::signature::RsaKeyPair>,
}

impl RsaKey {
    /// Parses a PEM private key, PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8
    /// (`BEGIN PRIVATE KEY`). Refuses other key types, encrypted keys and keys under
    /// 1024 bits with an error that says which; warns (through `tracing`) under 2048 bits.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let private = match pem_label(pem)? {
            "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_pem(pem)
                .map_err(|e| Error::Key(format!("invalid PKCS#1 RSA private key: {e}")))?,
            "PRIVATE KEY" => {
                let (_, document) = rsa::pkcs8::SecretDocument::from_pem(pem)
                    .map_err(|e| Error::Key(format!("invalid PKCS#8 private key: {e}")))?;
                let info = rsa::pkcs8::PrivateKeyInfo::from_der(document.as_bytes())
                    .map_err(|e| Error::Key(format!("invalid PKCS#8 private key: {e}")))?;
                let oid = info.algorithm.oid;
                if oid != rsa::pkcs1::ALGORITHM_OID {
                    return Err(Error::Key(format!(
                        "not an RSA key: the PKCS#8 key is {} (OID {oid}); nOps and Qredo need RSA",
                        algorithm_name(&oid.to_string())
                    )));
                }
                RsaPrivateKey::from_pkcs8_der(document.as_bytes())
                    .map_err(|e| Error::Key(format!("invalid PKCS#8 RSA private key: {e}")))?
            }
            "ENCRYPTED PRIVATE KEY" => {
                return Err(Error::Key(
                    "the private key is encrypted; decrypt it first \
                     (openssl pkey -in key.pem -out plain.pem)"
                        .into(),
                ));
            }
            "EC PRIVATE KEY" | "DSA PRIVATE KEY" | "OPENSSH PRIVATE KEY" => {
                return Err(Error::Key(format!(
                    "not an RSA key: found a PEM `{}` block; nOps and Qredo need RSA",
                    pem_label(pem)?
                )));
            }
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                return Err(Error::Key(
                    "this is a public key; signing needs the private key".into(),
                ));
            }
            other => {
                return Err(Error::Key(format!(
                    "unexpected PEM block `{other}`; expected `RSA PRIVATE KEY` or `PRIVATE KEY`"
                )));
            }
        };
        Self::from_private_key(private)
    }

    /// Reads and parses a PEM private key file. The error names the file, never its content.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let pem = std::fs::read_to_string(path)
            .map_err(|e| Error::Key(format!("cannot read private key {}: {e}", path.display())))?;
        let pem = zeroize::Zeroizing::new(pem);
        Self::from_pem(&pem)
            .map_err(|e| Error::Key(format!("{}: {}", path.display(), key_message(e))))
    }

    /// Wraps a key already parsed by the `rsa` crate (for example a freshly generated one).
    pub fn from_private_key(private: RsaPrivateKey) -> Result<Self> {
        let bits = private.n().bits();
        if bits < MIN_RSA_BITS {
            return Err(Error::Key(format!(
                "the RSA key has {bits} bits; at least {MIN_RSA_BITS} are required"
            )));
        }
        if bits > MAX_RSA_BITS {
            return Err(Error::Key(format!(
                "the RSA key has {bits} bits; at most {MAX_RSA_BITS} are accepted"
            )));
        }
        if bits < RECOMMENDED_RSA_BITS {
            tracing::warn!(
                bits,
                "RSA key under {RECOMMENDED_RSA_BITS} bits: accepted, but generate a 2048-bit key"
            );
        }
        #[cfg(feature = "aws-lc")]
        let aws_lc = aws_lc_key(&private, bits)?;
        let public = private.to_public_key();
        Ok(RsaKey {
            inner: Arc::new(KeyInner {
                rust_crypto: SigningKey::<Sha256>::new(private),
                public,
                bits,
                #[cfg(feature = "aws-lc")]
                aws_lc,
            }),
        })
    }

    /// Generates a new key of `bits` bits (for `signed-api keygen` and the mock's demo keys).
    pub fn generate(bits: usize) -> Result<Self> {
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err(Error::Key(format!(
                "cannot generate a {bits}-bit key; choose between {MIN_RSA_BITS} and {MAX_RSA_BITS}"
            )));
        }
        let private = RsaPrivateKey::new(&mut rand_core::OsRng, bits)
            .map_err(|e| Error::Key(format!("key generation failed: {e}")))?;
        Self::from_private_key(private)
    }

    /// Size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// The matching public key, to verify with or to paste into the vendor's console.
    pub fn public_key(&self) -> RsaPublicKeyPem {
        RsaPublicKeyPem {
            key: self.inner.public.clone(),
        }
    }

    /// The private key as PKCS#8 PEM, to write to a file (`signed-api keygen`).
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>> {
        use rsa::pkcs8::EncodePrivateKey;
        self.inner
            .rust_crypto
            .as_ref()
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| Error::Key(format!("cannot encode the private key: {e}")))
    }

    /// Signs `message` with RSASSA-PKCS1-v1_5 over SHA-256, with the default backend.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.sign_with(RsaBackend::Auto, message)
    }

    /// Signs `message` with the chosen implementation.
    pub fn sign_with(&self, backend: RsaBackend, message: &[u8]) -> Result<Vec<u8>> {
        match backend {
            RsaBackend::RustCrypto => self.sign_rust_crypto(message),
            RsaBackend::AwsLc => self.sign_aws_lc(message),
            RsaBackend::Auto => {
                #[cfg(feature = "aws-lc")]
                if self.inner.aws_lc.is_some() {
                    return self.sign_aws_lc(message);
                }
                self.sign_rust_crypto(message)
            }
        }
    }

    fn sign_rust_crypto(&self, message: &[u8]) -> Result<Vec<u8>> {
        // Blinded with OS randomness (timing side channels); the signature is the same.
        self.inner
            .rust_crypto
            .try_sign_with_rng(&mut rand_core::OsRng, message)
            .map(|signature| signature.to_vec())
            .map_err(|e| Error::Signing(format!("RSA signing failed: {e}")))
    }

    #[cfg(feature = "aws-lc")]
    fn sign_aws_lc(&self, message: &[u8]) -> Result<Vec<u8>> {
        let Some(pair) = &self.inner.aws_lc else {
            return Err(Error::Signing(format!(
                "aws-lc-rs signs RSA keys of {RECOMMENDED_RSA_BITS} bits or more; this one has {}",
                self.inner.bits
            )));
        };
        let mut signature = vec![0; pair.public_modulus_len()];
        pair.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            message,
            &mut signature,
        )
        .map_err(|_| Error::Signing("RSA signing failed in aws-lc-rs".into()))?;
        Ok(signature)
    }

    #[cfg(not(feature = "aws-lc"))]
    fn sign_aws_lc(&self, _message: &[u8]) -> Result<Vec<u8>> {
        Err(Error::Signing(
            "aws-lc-rs is not compiled in (enable the `aws-lc` feature)".into(),
        ))
    }
}

#[cfg(feature = "aws-lc")]
fn aws_lc_key(
    private: &RsaPrivateKey,
    bits: usize,
) -> Result<Option<aws_lc_rs::signature::RsaKeyPair>> {
    use rsa::pkcs8::EncodePrivateKey;
    if bits < RECOMMENDED_RSA_BITS {
        return Ok(None);
    }
    let der = private
        .to_pkcs8_der()
        .map_err(|e| Error::Key(format!("cannot re-encode the RSA key: {e}")))?;
    aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der.as_bytes())
        .map(Some)
        .map_err(|e| Error::Key(format!("aws-lc-rs refused the RSA key: {e}")))
}

impl fmt::Debug for RsaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaKey")
            .field("bits", &self.inner.bits)
            .finish_non_exhaustive()
    }
}

/// An RSA public key: verifies PKCS#1 v1.5 / SHA-256 signatures (the mock's side) and
/// prints as the PEM a vendor console asks for.
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKeyPem {
    key: RsaPublicKey,
}

impl RsaPublicKeyPem {
    /// Parses `BEGIN PUBLIC KEY` (SPKI) or `BEGIN RSA PUBLIC KEY` (PKCS#1) PEM.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let key = match pem_label(pem)? {
            "PUBLIC KEY" => RsaPublicKey::from_public_key_pem(pem)
                .map_err(|e| Error::Key(format!("invalid RSA public key: {e}")))?,
            "RSA PUBLIC KEY" => RsaPublicKey::from_pkcs1_pem(pem)
                .map_err(|e| Error::Key(format!("invalid PKCS#1 RSA public key: {e}")))?,
            other => {
                return Err(Error::Key(format!(
                    "unexpected PEM block `{other}`; expected `PUBLIC KEY`"
                )));
            }
        };
        Ok(RsaPublicKeyPem { key })
    }

    /// Size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bits()
    }

    /// Whether `signature` is a valid PKCS#1 v1.5 / SHA-256 signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = Signature::try_from(signature) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(self.key.clone())
            .verify(message, &signature)
            .is_ok()
    }

    /// The SPKI PEM (`BEGIN PUBLIC KEY`), as nOps' and Qredo's consoles take it.
    pub fn to_pem(&self) -> String {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .expect("an RSA public key always encodes as SPKI")
    }
}

impl fmt::Debug for RsaPublicKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("bits", &self.bits())
            .finish()
    }
}

/// The label of the first PEM block (`RSA PRIVATE KEY`, `PRIVATE KEY`, …).
fn pem_label(pem: &str) -> Result<&str> {
    const BEGIN: &str = "-----BEGIN ";
    let start = pem
        .find(BEGIN)
        .ok_or_else(|| Error::Key("not a PEM key: no `-----BEGIN …-----` line found".into()))?
        + BEGIN.len();
    let rest = &pem[start..];
    let end = rest
        .find("-----")
        .ok_or_else(|| Error::Key("not a PEM key: unterminated BEGIN line".into()))?;
    Ok(&rest[..end])
}

fn algorithm_name(oid: &str) -> &'static str {
    match oid {
        "1.2.840.10045.2.1" => "an EC key",
        "1.3.101.112" => "an Ed25519 key",
        "1.3.101.113" => "an Ed448 key",
        "1.2.840.10040.4.1" => "a DSA key",
        "1.2.840.113549.1.1.10" => "an RSA-PSS key",
        _ => "another algorithm",
    }
}

fn key_message(error: Error) -> String {
    match error {
        Error::Key(message) => message,
        other => other.to_string(),
    }
}
