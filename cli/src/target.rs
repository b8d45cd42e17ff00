//! Which API a call goes to: the scheme with its credentials, and the base URL, from the
//! scheme's environment variables (listed in the README; read by each scheme's
//! `from_env`) and ovh.conf, `--base-url` winning.

use std::sync::Arc;

use signed_api_runtime::schemes::ovh::ovh_endpoint_url;
use signed_api_runtime::schemes::{
    ArmorConfig, ArmorScheme, NopsConfig, NopsScheme, OvhConfig, OvhScheme, QredoConfig,
    QredoScheme,
};
use signed_api_runtime::{BaseUrl, CredentialScheme, Scheme};

use crate::error::CliError;

/// The four schemes the command speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeName {
    Nops,
    Ovh,
    Qredo,
    Armor,
}

/// A configured API: how to sign, and where to send.
pub struct ApiTarget {
    pub scheme: Arc<dyn Scheme>,
    pub base_url: BaseUrl,
    /// OVH without a consumer key: only its unsigned calls can be made.
    pub lacks_consumer_key: bool,
}

impl ApiTarget {
    /// Refuses a signed call that cannot be signed (OVH without a consumer key), before
    /// anything is sent, not even the clock request.
    pub fn check_signable(&self) -> Result<(), CliError> {
        if self.lacks_consumer_key {
            return Err(CliError::Refused(
                "OVH_CONSUMER_KEY is not set (nor consumer_key in ovh.conf); \
                 get one with `signed-api ovh-credential`"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// A base URL given as a URL, or as one of the scheme's named endpoints (`ovh-ca`,
/// `sandbox`, …).
fn resolve_base_url(scheme: SchemeName, given: &str) -> Result<BaseUrl, CliError> {
    let given = given.trim();
    let url = if given.contains("://") {
        given.to_owned()
    } else {
        match scheme {
            SchemeName::Ovh => ovh_endpoint_url(given)?,
            SchemeName::Nops => NopsScheme::endpoint_url(given)?,
            SchemeName::Qredo => QredoScheme::endpoint_url(given)?,
            SchemeName::Armor => ArmorScheme::endpoint_url(given)?,
        }
    };
    Ok(BaseUrl::parse(&url)?)
}

/// Loads the scheme's configuration.
pub fn load(scheme: SchemeName, base_url_flag: Option<&str>) -> Result<ApiTarget, CliError> {
    // A --base-url that is wrong is reported before the credentials.
    let flag = base_url_flag
        .map(|given| resolve_base_url(scheme, given))
        .transpose()?;
    let mut lacks_consumer_key = false;
    let (scheme_box, configured): (Arc<dyn Scheme>, String) = match scheme {
        SchemeName::Ovh => {
            let config = OvhConfig::load()?;
            lacks_consumer_key = !config.credentials.has_consumer_key();
            (
                Arc::new(OvhScheme::new(config.credentials)),
                config.base_url,
            )
        }
        SchemeName::Nops => {
            let config = NopsConfig::from_env()?;
            (
                Arc::new(NopsScheme::new(config.credentials)),
                config.base_url,
            )
        }
        SchemeName::Qredo => {
            let config = QredoConfig::from_env()?;
            (
                Arc::new(QredoScheme::new(config.credentials)),
                config.base_url,
            )
        }
        SchemeName::Armor => {
            let config = ArmorConfig::from_env()?;
            (
                Arc::new(ArmorScheme::new(config.credentials)),
                config.base_url,
            )
        }
    };
    let base_url = match flag {
        Some(base_url) => base_url,
        None => resolve_base_url(scheme, &configured)?,
    };
    Ok(ApiTarget {
        scheme: scheme_box,
        base_url,
        lacks_consumer_key,
    })
}
