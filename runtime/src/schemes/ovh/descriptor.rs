//! OVH as the command line, the mock and the generated builders see it.

use std::sync::Arc;

use crate::builtin::CredentialScheme;
use crate::error::Result;
use crate::scheme::{EnvVar, LoadedScheme, SchemeDescriptor};

use super::{OVH_ENDPOINTS, OvhConfig, OvhCredentials, OvhScheme};

/// OVH as the tools around it see it.
pub static DESCRIPTOR: SchemeDescriptor = SchemeDescriptor {
    name: "ovh",
    title: "OVH",
    environment: &[
        EnvVar {
            name: "OVH_ENDPOINT",
            holds: "an endpoint name (ovh-eu, ovh-ca, …) or a base URL",
            secret: false,
        },
        EnvVar {
            name: "OVH_APPLICATION_KEY",
            holds: "the application key",
            secret: false,
        },
        EnvVar {
            name: "OVH_APPLICATION_SECRET",
            holds: "the application secret",
            secret: true,
        },
        EnvVar {
            name: "OVH_CONSUMER_KEY",
            holds: "the consumer key",
            secret: true,
        },
    ],
    base_url_variable: "OVH_ENDPOINT",
    endpoints: OVH_ENDPOINTS,
    mock_prefix: "/ovh/1.0",
    // The server time, and the request for a consumer key (before there is one).
    unsigned: &[("GET", "/auth/time"), ("POST", "/auth/credential")],
    load,
};

/// From the environment, then the `ovh.conf` files, as the official clients read them.
fn load() -> Result<LoadedScheme> {
    let config = OvhConfig::load()?;
    let cannot_sign = (!config.credentials.has_consumer_key()).then(|| {
        "OVH_CONSUMER_KEY is not set (nor consumer_key in ovh.conf); \
         get one with `signed-api ovh-credential`"
            .to_owned()
    });
    Ok(LoadedScheme {
        scheme: Arc::new(OvhScheme::new(config.credentials)),
        base_url: config.base_url,
        cannot_sign,
    })
}

impl CredentialScheme for OvhScheme {
    type Credentials = OvhCredentials;

    fn from_credentials(credentials: OvhCredentials) -> Self {
        OvhScheme::new(credentials)
    }

    fn descriptor() -> &'static SchemeDescriptor {
        &DESCRIPTOR
    }
}
