//! Armor as the command line, the mock and the generated builders see it.

use std::sync::Arc;

use crate::builtin::CredentialScheme;
use crate::error::Result;
use crate::scheme::{EnvVar, LoadedScheme, SchemeDescriptor};

use super::{ARMOR_BASE_URL, ArmorConfig, ArmorCredentials, ArmorScheme};

/// Armor as the tools around it see it.
pub static DESCRIPTOR: SchemeDescriptor = SchemeDescriptor {
    name: "armor",
    title: "Armor",
    environment: &[
        EnvVar {
            name: "ARMOR_API_KEY_ID",
            holds: "the API key id",
            secret: false,
        },
        EnvVar {
            name: "ARMOR_SECRET_KEY",
            holds: "the secret key",
            secret: true,
        },
        EnvVar {
            name: "ARMOR_ACCOUNT_ID",
            holds: "the account the calls act for (X-Account-Context)",
            secret: false,
        },
        EnvVar {
            name: "ARMOR_BASE_URL",
            holds: "another base URL",
            secret: false,
        },
    ],
    base_url_variable: "ARMOR_BASE_URL",
    endpoints: &[("production", ARMOR_BASE_URL)],
    mock_prefix: "/armor",
    unsigned: &[],
    load,
};

fn load() -> Result<LoadedScheme> {
    let config = ArmorConfig::from_env()?;
    Ok(LoadedScheme {
        scheme: Arc::new(ArmorScheme::new(config.credentials)),
        base_url: config.base_url,
        cannot_sign: None,
    })
}

impl CredentialScheme for ArmorScheme {
    type Credentials = ArmorCredentials;

    fn from_credentials(credentials: ArmorCredentials) -> Self {
        ArmorScheme::new(credentials)
    }

    fn descriptor() -> &'static SchemeDescriptor {
        &DESCRIPTOR
    }
}
