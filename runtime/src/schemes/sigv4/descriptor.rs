//! SigV4 as the command line, the mock and the generated builders see it.

use std::sync::Arc;

use crate::builtin::CredentialScheme;
use crate::error::Result;
use crate::scheme::{EnvVar, LoadedScheme, SchemeDescriptor};

use super::{Sigv4Config, Sigv4Scheme};

/// SigV4 as the tools around it see it. The service is S3 unless the command line's
/// `--service` says otherwise.
pub static DESCRIPTOR: SchemeDescriptor = SchemeDescriptor {
    name: "sigv4",
    title: "AWS SigV4",
    environment: &[
        EnvVar {
            name: "AWS_ACCESS_KEY_ID",
            holds: "the access key id",
            secret: false,
        },
        EnvVar {
            name: "AWS_SECRET_ACCESS_KEY",
            holds: "the secret access key",
            secret: true,
        },
        EnvVar {
            name: "AWS_SESSION_TOKEN",
            holds: "the session token of temporary credentials",
            secret: true,
        },
        EnvVar {
            name: "AWS_REGION",
            holds: "the region (or AWS_DEFAULT_REGION, or the profile's)",
            secret: false,
        },
        EnvVar {
            name: "AWS_PROFILE",
            holds: "the profile of ~/.aws/credentials and ~/.aws/config to read",
            secret: false,
        },
        EnvVar {
            name: "AWS_ENDPOINT_URL",
            holds: "another endpoint (an S3-compatible store; AWS_ENDPOINT_URL_S3 for S3 only)",
            secret: false,
        },
    ],
    base_url_variable: "AWS_ENDPOINT_URL",
    endpoints: super::ENDPOINTS,
    mock_prefix: "/s3",
    unsigned: &[],
    load,
};

fn load() -> Result<LoadedScheme> {
    load_for("s3")
}

/// The scheme for `service` from the environment and the AWS shared files, with the
/// configured endpoint or AWS's regional one.
pub fn load_for(service: &str) -> Result<LoadedScheme> {
    let config = Sigv4Config::from_env(service)?;
    let base_url = config
        .endpoint_url
        .clone()
        .unwrap_or_else(|| super::aws_endpoint(service, &config.region));
    let scheme = Sigv4Scheme::from_config(config, service)?;
    Ok(LoadedScheme {
        scheme: Arc::new(scheme),
        base_url,
        cannot_sign: None,
    })
}

impl CredentialScheme for Sigv4Scheme {
    type Credentials = Sigv4Config;

    /// S3 in the configuration's region.
    fn from_credentials(config: Sigv4Config) -> Self {
        Sigv4Scheme::assemble(config.credentials, config.region, "s3")
    }

    fn descriptor() -> &'static SchemeDescriptor {
        &DESCRIPTOR
    }
}
