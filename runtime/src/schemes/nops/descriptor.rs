//! nOps as the command line, the mock and the generated builders see it.

use std::sync::Arc;

use crate::builtin::CredentialScheme;
use crate::error::Result;
use crate::scheme::{EnvVar, LoadedScheme, SchemeDescriptor};

use super::{NOPS_BASE_URL, NopsConfig, NopsCredentials, NopsScheme};

/// nOps as the tools around it see it.
pub static DESCRIPTOR: SchemeDescriptor = SchemeDescriptor {
    name: "nops",
    title: "nOps",
    environment: &[
        EnvVar {
            name: "NOPS_API_KEY",
            holds: "the API key",
            secret: true,
        },
        EnvVar {
            name: "NOPS_PRIVATE_KEY",
            holds: "the path of the PEM private key, when signing is enabled",
            secret: false,
        },
        EnvVar {
            name: "NOPS_BASE_URL",
            holds: "another base URL",
            secret: false,
        },
    ],
    base_url_variable: "NOPS_BASE_URL",
    endpoints: &[("production", NOPS_BASE_URL)],
    mock_prefix: "/nops",
    unsigned: &[],
    load,
};

fn load() -> Result<LoadedScheme> {
    let config = NopsConfig::from_env()?;
    Ok(LoadedScheme {
        scheme: Arc::new(NopsScheme::new(config.credentials)),
        base_url: config.base_url,
        cannot_sign: None,
    })
}

impl CredentialScheme for NopsScheme {
    type Credentials = NopsCredentials;

    fn from_credentials(credentials: NopsCredentials) -> Self {
        NopsScheme::new(credentials)
    }

    fn descriptor() -> &'static SchemeDescriptor {
        &DESCRIPTOR
    }
}
