//! The client side: the signature headers, `/auth/time` clock sync, and OVH's `/v1` and
//! `/v2` base URLs.

use std::borrow::Cow;

use super::credentials::OvhCredentials;
use super::responses::OvhResponses;
use super::string_to_sign::{signature, string_parts};
use super::{APPLICATION, CONSUMER, SIGNATURE, TIMESTAMP};
use crate::error::{Error, Result};
use crate::scheme::upper_case;
use crate::scheme::{
    ClockSync, Headers, ResponseReader, Scheme, SignableRequest, SigningParams, StringToSign,
    header_value, sensitive_header_value,
};
use crate::secret::Secret;

/// The OVH signing scheme.
#[derive(Debug, Clone)]
pub struct OvhScheme {
    pub(super) credentials: OvhCredentials,
}

impl OvhScheme {
    /// A scheme signing with `credentials`.
    pub fn new(credentials: OvhCredentials) -> Self {
        OvhScheme { credentials }
    }

    /// The credentials it signs with.
    pub fn credentials(&self) -> &OvhCredentials {
        &self.credentials
    }

    fn consumer_key(&self) -> Result<&Secret> {
        self.credentials.consumer_key.as_ref().ok_or_else(|| {
            Error::Signing(
                "OVH signed calls need a consumer key (OVH_CONSUMER_KEY); \
                 get one with `signed-api ovh-credential`"
                    .into(),
            )
        })
    }
}

impl Scheme for OvhScheme {
    fn name(&self) -> &str {
        "ovh"
    }

    fn string_to_sign(
        &self,
        request: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<StringToSign> {
        let method = upper_case(request.method);
        let timestamp = params.timestamp.to_string();
        Ok(StringToSign::from_parts(string_parts(
            self.credentials.application_secret.expose(),
            self.consumer_key()?.expose(),
            &method,
            request,
            &timestamp,
        )))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let consumer_key = self.consumer_key()?;
        let signature = signature(
            self.credentials.application_secret.expose(),
            consumer_key.expose(),
            request,
            params.timestamp,
        );
        Ok(vec![
            (
                CONSUMER,
                sensitive_header_value("X-Ovh-Consumer", consumer_key.expose())?,
            ),
            (
                TIMESTAMP,
                header_value("X-Ovh-Timestamp", &params.timestamp.to_string())?,
            ),
            (SIGNATURE, header_value("X-Ovh-Signature", &signature)?),
        ])
    }

    fn constant_headers(&self) -> Headers {
        match header_value("X-Ovh-Application", &self.credentials.application_key) {
            Ok(value) => vec![(APPLICATION, value)],
            Err(_) => Vec::new(), // refused when the credentials were made
        }
    }

    /// Paths of OVH's versioned APIs (`/v1/…`, `/v2/…`) hang off the host, not `/1.0`.
    fn address<'b, 'p>(
        &self,
        base_url: &'b str,
        path: &'p str,
    ) -> Result<(Cow<'b, str>, Cow<'p, str>)> {
        let versioned = ["/v1", "/v2"].iter().any(|prefix| {
            path == *prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        let base = match base_url.strip_suffix("/1.0") {
            Some(root) if versioned => root,
            _ => base_url,
        };
        Ok((Cow::Borrowed(base), Cow::Borrowed(path)))
    }

    fn clock_sync(&self) -> ClockSync {
        ClockSync::ServerTime { path: "/auth/time" }
    }

    fn responses(&self) -> &dyn ResponseReader {
        &OvhResponses
    }
}
