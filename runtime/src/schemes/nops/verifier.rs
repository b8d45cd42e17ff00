//! The server side of nOps' scheme, as the mock uses it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::Result;
use crate::keys::RsaPublicKeyPem;
use crate::secret::Secret;
use crate::verify::{ReceivedRequest, Verified, Verifier, VerifyError, constant_time_eq};

use super::string_to_sign::{string_to_sign, utc_date};

/// The server side of nOps' scheme.
#[derive(Debug, Clone)]
pub struct NopsVerifier {
    api_key: Secret,
    public_key: Option<RsaPublicKeyPem>,
    midnight_grace: i64,
}

impl NopsVerifier {
    /// Accepts `api_key`; when `public_key` is given, also requires a valid
    /// `x-nops-signature` for today's UTC date (or the neighbouring date within
    /// `midnight_grace` seconds of midnight).
    pub fn new(
        api_key: impl Into<Secret>,
        public_key: Option<RsaPublicKeyPem>,
        midnight_grace: i64,
    ) -> Self {
        NopsVerifier {
            api_key: api_key.into(),
            public_key,
            midnight_grace,
        }
    }
}

impl NopsVerifier {
    /// The API key from the one place it travels: once in the query as `api_key`, or once
    /// in `x-nops-api-key`, never both (a server could read one while this checked the
    /// other).
    fn api_key(request: &ReceivedRequest<'_>) -> Result<String, VerifyError> {
        let mut from_query = None;
        if let Some(query) = request.query() {
            for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
                if name == "api_key" {
                    if from_query.is_some() {
                        return Err(VerifyError::Malformed {
                            what: "api_key",
                            why: "sent more than once".into(),
                        });
                    }
                    from_query = Some(value.into_owned());
                }
            }
        }
        match (from_query, request.header("x-nops-api-key")?) {
            (Some(key), None) => Ok(key),
            (None, Some(key)) => Ok(key.to_owned()),
            (Some(_), Some(_)) => Err(VerifyError::Malformed {
                what: "api_key",
                why: "sent both in the query and in x-nops-api-key".into(),
            }),
            (None, None) => Err(VerifyError::MissingHeader(
                "x-nops-api-key (or the api_key query parameter)",
            )),
        }
    }
}

impl Verifier for NopsVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        let api_key = Self::api_key(request)?;
        if !constant_time_eq(api_key.as_bytes(), self.api_key.expose().as_bytes()) {
            return Err(VerifyError::UnknownKey("API key"));
        }
        let Some(public_key) = &self.public_key else {
            return Ok(Verified::default());
        };
        let claimed = request.require("x-nops-signature")?;
        let claimed = STANDARD
            .decode(claimed)
            .map_err(|e| VerifyError::Malformed {
                what: "x-nops-signature",
                why: format!("not standard base64: {e}"),
            })?;
        let client_id = api_key
            .split_once('.')
            .map_or(api_key.as_str(), |(id, _)| id);
        // Today, and the neighbouring day when `now` is within the grace of midnight.
        let moments = [
            Some(now),
            now.checked_sub(self.midnight_grace),
            now.checked_add(self.midnight_grace),
        ];
        let mut tried: Vec<String> = Vec::with_capacity(3);
        for moment in moments.into_iter().flatten() {
            let Ok(date) = utc_date(moment) else { continue };
            if tried.contains(&date) {
                continue;
            }
            let string = string_to_sign(client_id, &date, request.path(), &api_key);
            if public_key.verify(&string.to_bytes(), &claimed) {
                return Ok(Verified::default());
            }
            tried.push(date);
        }
        Err(VerifyError::BadSignature)
    }
}
