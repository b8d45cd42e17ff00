//! `signed-api keygen`: a new RSA private key for nOps or Qredo, written readable by its
//! owner only; the public key goes to stdout, ready to paste into the vendor's console.

use std::io::Write;
use std::path::Path;

use signed_api_runtime::keys::{MAX_RSA_BITS, MIN_RSA_BITS, RsaKey};

use crate::call::print_stdout;
use crate::error::CliError;

/// Refuses a size the signer would not load, before generation (which takes minutes for
/// large sizes) starts.
fn check_bits(bits: usize) -> Result<(), CliError> {
    if (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Ok(());
    }
    Err(CliError::Refused(format!(
        "--bits {bits} is out of range: the signer accepts RSA keys of {MIN_RSA_BITS} to \
         {MAX_RSA_BITS} bits (2048 recommended)"
    )))
}

pub fn run(bits: usize, out: &Path) -> Result<(), CliError> {
    check_bits(bits)?;
    if out.exists() {
        return Err(CliError::Refused(format!(
            "{} already exists; choose another --out or remove it first",
            out.display()
        )));
    }
    let key = RsaKey::generate(bits)?;
    let pem = key.to_pkcs8_pem()?;
    write_private(out, pem.as_bytes()).map_err(|e| {
        CliError::Failed(format!(
            "cannot write the private key to {}: {e}",
            out.display()
        ))
    })?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote a {bits}-bit private key to {} (keep it secret; point NOPS_PRIVATE_KEY or \
         QREDO_PRIVATE_KEY at it). Public key for the nOps or Qredo console:",
        out.display()
    );
    print_stdout(key.public_key().to_pem().as_bytes())
}

/// Creates the file (never overwriting one that appeared meanwhile) with mode 0600.
#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_sizes_outside_what_the_signer_loads_are_refused() {
        for bits in [MIN_RSA_BITS, 2048, 4096, MAX_RSA_BITS] {
            assert!(check_bits(bits).is_ok(), "{bits}");
        }
        for bits in [
            0,
            512,
            MIN_RSA_BITS - 1,
            MAX_RSA_BITS + 1,
            16384,
            usize::MAX,
        ] {
            let error = check_bits(bits).unwrap_err();
            assert!(matches!(error, CliError::Refused(_)), "{bits}");
            assert!(error.to_string().contains("out of range"), "{error}");
        }
    }
}
