//! The client side: the signature headers, `/auth/time` clock sync, and OVH's `/v1` and
//! `/v2` base URLs.

use std::borrow::Cow;
use std::fmt;

use super::credentials::OvhCredentials;
use super::responses::OvhResponses;
use super::string_to_sign::{signature, string_parts};
use super::{APPLICATION, CONSUMER, SIGNATURE, TIMESTAMP};
use crate::decimal::Decimal;
use crate::error::{Error, Result};
use crate::scheme::upper_case;
use crate::scheme::{
    ClockSync, CredentialHeader, HeaderValue, Headers, ResponseReader, Scheme, SignableRequest,
    SigningParams, StringToSign, generated_header_value, header_value, sensitive_header_value,
};
use crate::secret::Secret;

/// The OVH signing scheme.
#[derive(Clone)]
pub struct OvhScheme {
    pub(super) credentials: OvhCredentials,
    /// `X-Ovh-Application`, made once: every request sends it, and a clone of a value
    /// shares its bytes where building it again would copy them. Not a secret (the
    /// application key identifies the application; the secret signs). `None` never
    /// happens: the credentials refuse a key a header cannot carry.
    application: Option<HeaderValue>,
    /// `X-Ovh-Consumer`, made once for the same reason, and a credential: one copy,
    /// shared by every request and wiped after the last ([`CredentialHeader`]).
    consumer: Option<CredentialHeader>,
}

impl OvhScheme {
    /// A scheme signing with `credentials`.
    pub fn new(credentials: OvhCredentials) -> Self {
        let application = header_value("X-Ovh-Application", &credentials.application_key).ok();
        let consumer = credentials
            .consumer_key
            .as_ref()
            .and_then(|key| CredentialHeader::new("X-Ovh-Consumer", key).ok());
        OvhScheme {
            credentials,
            application,
            consumer,
        }
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
        let timestamp = Decimal::new(params.timestamp);
        Ok(StringToSign::from_parts(string_parts(
            self.credentials.application_secret.expose(),
            self.consumer_key()?.expose(),
            &method,
            request,
            timestamp.as_str(),
        )))
    }

    fn sign(&self, request: &SignableRequest<'_>, params: &SigningParams<'_>) -> Result<Headers> {
        let consumer_key = self.consumer_key()?;
        // One text of the timestamp, on the stack, for the hash and for the header.
        let timestamp = Decimal::new(params.timestamp);
        let signature = signature(
            self.credentials.application_secret.expose(),
            consumer_key.expose(),
            request,
            timestamp.as_str(),
        );
        let consumer = match &self.consumer {
            Some(consumer) => consumer.value(),
            // Only for a key the credentials would have refused: this names the problem.
            None => sensitive_header_value("X-Ovh-Consumer", consumer_key.expose())?,
        };
        Ok(vec![
            (CONSUMER, consumer),
            (
                TIMESTAMP,
                generated_header_value("X-Ovh-Timestamp", timestamp.as_str().to_owned())?,
            ),
            (
                SIGNATURE,
                generated_header_value("X-Ovh-Signature", signature)?,
            ),
        ])
    }

    fn constant_headers(&self) -> Headers {
        self.application
            .iter()
            .map(|value| (APPLICATION, value.clone()))
            .collect()
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

/// The credentials' own `Debug` (which hides the secrets); the header value made from
/// the application key says nothing more.
impl fmt::Debug for OvhScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OvhScheme")
            .field("credentials", &self.credentials)
            .finish()
    }
}
