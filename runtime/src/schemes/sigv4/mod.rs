//! AWS Signature Version 4: credentials and where their settings come from.

mod config;
// Until the signer reads the secret and the token, only the tests do.
#[allow(dead_code)]
mod credentials;
mod profile_file;

pub use self::config::Sigv4Config;
pub use self::credentials::Sigv4Credentials;
