//! Which API a call goes to: the scheme with its credentials, and the base URL, from the
//! scheme's environment variables (listed in the README; read by each scheme's
//! descriptor) and ovh.conf, `--base-url` winning. SigV4 also takes the service and
//! region from the command line.

use std::sync::Arc;

use signed_api_runtime::__workspace::process_env;
use signed_api_runtime::BaseUrl;
use signed_api_runtime::scheme::Scheme;
use signed_api_runtime::scheme::SchemeDescriptor;
use signed_api_runtime::schemes::sigv4::{self, Sigv4Config, Sigv4Scheme};

use crate::error::CliError;

/// A configured API: how to sign, and where to send.
pub struct ApiTarget {
    pub scheme: Arc<dyn Scheme>,
    pub base_url: BaseUrl,
    /// Why signed calls cannot be made (OVH without a consumer key): only the API's
    /// unsigned calls can.
    cannot_sign: Option<String>,
}

impl ApiTarget {
    /// Refuses a signed call that cannot be signed (OVH without a consumer key), before
    /// anything is sent, not even the clock request.
    pub fn check_signable(&self) -> Result<(), CliError> {
        match &self.cannot_sign {
            Some(reason) => Err(CliError::Refused(reason.clone())),
            None => Ok(()),
        }
    }
}

/// A base URL given as a URL, or as one of the scheme's named endpoints (`ovh-ca`,
/// `sandbox`, …).
fn resolve_base_url(scheme: &SchemeDescriptor, given: &str) -> Result<BaseUrl, CliError> {
    Ok(BaseUrl::parse(&scheme.endpoint_url(given)?)?)
}

/// Loads the scheme's configuration.
pub fn load(
    descriptor: &'static SchemeDescriptor,
    base_url_flag: Option<&str>,
) -> Result<ApiTarget, CliError> {
    // A --base-url that is wrong is reported before the credentials.
    let flag = base_url_flag
        .map(|given| resolve_base_url(descriptor, given))
        .transpose()?;
    let loaded = (descriptor.load)()?;
    let base_url = match flag {
        Some(base_url) => base_url,
        None => resolve_base_url(descriptor, &loaded.base_url)?,
    };
    Ok(ApiTarget {
        scheme: loaded.scheme,
        base_url,
        cannot_sign: loaded.cannot_sign,
    })
}

/// Loads SigV4 for `service`: the configuration (environment, then the AWS shared files)
/// with `region_flag` in place of the configured region, and the base URL from
/// `base_url_flag`, else the configured endpoint, else AWS's regional endpoint of the
/// service.
pub fn load_sigv4(
    service: &str,
    region_flag: Option<&str>,
    base_url_flag: Option<&str>,
) -> Result<ApiTarget, CliError> {
    let descriptor = &sigv4::DESCRIPTOR;
    let flag = base_url_flag
        .map(|given| resolve_base_url(descriptor, given))
        .transpose()?;
    // The flag answers for AWS_REGION, which the configuration reads before
    // AWS_DEFAULT_REGION and the profile: one rule of precedence, the configuration's.
    let environment = |name: &str| match (name, region_flag) {
        ("AWS_REGION", Some(region)) => Some(region.to_owned()),
        _ => process_env(name),
    };
    let config = Sigv4Config::from_lookup(&environment, service)?;
    let endpoint = config.endpoint_url.clone();
    // The scheme first: it checks the region, which AWS's endpoint puts in a host name.
    let scheme = Sigv4Scheme::from_config(config, service)?;
    let base_url = match (flag, endpoint) {
        (Some(base_url), _) => base_url,
        (None, Some(endpoint)) => resolve_base_url(descriptor, &endpoint)?,
        (None, None) => BaseUrl::parse(&sigv4::aws_endpoint(service, scheme.region()))?,
    };
    Ok(ApiTarget {
        scheme: Arc::new(scheme),
        base_url,
        cannot_sign: None,
    })
}
