//! Which API a call goes to: the scheme with its credentials, and the base URL, from the
//! scheme's environment variables (listed in the README; read by each scheme's
//! descriptor) and ovh.conf, `--base-url` winning.

use std::sync::Arc;

use signed_api_runtime::BaseUrl;
use signed_api_runtime::scheme::Scheme;
use signed_api_runtime::scheme::SchemeDescriptor;

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
