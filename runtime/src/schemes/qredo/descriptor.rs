//! Qredo as the command line, the mock and the generated builders see it.

use std::sync::Arc;

use crate::builtin::CredentialScheme;
use crate::error::Result;
use crate::scheme::{EnvVar, LoadedScheme, SchemeDescriptor};

use super::{QredoConfig, QredoCredentials, QredoEnvironment, QredoScheme};

/// Qredo as the tools around it see it.
pub static DESCRIPTOR: SchemeDescriptor = SchemeDescriptor {
    name: "qredo",
    title: "Qredo",
    environment: &[
        EnvVar {
            name: "QREDO_API_KEY",
            holds: "the API key",
            secret: true,
        },
        EnvVar {
            name: "QREDO_PRIVATE_KEY",
            holds: "the path of the PEM private key",
            secret: false,
        },
        EnvVar {
            name: "QREDO_BASE_URL",
            holds: "another base URL, or production, sandbox or play",
            secret: false,
        },
    ],
    base_url_variable: "QREDO_BASE_URL",
    endpoints: &[
        ("production", QredoEnvironment::Production.base_url()),
        ("sandbox", QredoEnvironment::Sandbox.base_url()),
        ("play", QredoEnvironment::Play.base_url()),
    ],
    mock_prefix: "/qredo/api/v1/p",
    unsigned: &[],
    load,
};

fn load() -> Result<LoadedScheme> {
    let config = QredoConfig::from_env()?;
    Ok(LoadedScheme {
        scheme: Arc::new(QredoScheme::new(config.credentials)),
        base_url: config.base_url,
        cannot_sign: None,
    })
}

impl CredentialScheme for QredoScheme {
    type Credentials = QredoCredentials;

    fn from_credentials(credentials: QredoCredentials) -> Self {
        QredoScheme::new(credentials)
    }

    fn descriptor() -> &'static SchemeDescriptor {
        &DESCRIPTOR
    }
}
