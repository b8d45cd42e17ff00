//! The server side of Armor's scheme, as the mock uses it.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::credentials::ArmorCredentials;
use super::string_to_sign::{ArmorString, check_nonce};
use crate::crypto::HmacSha512;
use crate::error::Result;
use crate::verify::{
    ReceivedRequest, Verified, Verifier, VerifyError, check_window, constant_time_eq,
    parse_unix_seconds,
};

/// The server side of Armor's scheme. Replays are the caller's to refuse: the nonce comes
/// back in [`Verified::nonce`].
#[derive(Clone)]
pub struct ArmorVerifier {
    credentials: ArmorCredentials,
    hmac: Arc<HmacSha512>,
    window: i64,
}

impl ArmorVerifier {
    /// Accepts the key of `credentials` (and requires its account in
    /// `X-Account-Context` when it has one), with timestamps within `window` seconds.
    pub fn new(credentials: ArmorCredentials, window: i64) -> Self {
        ArmorVerifier {
            hmac: Arc::new(HmacSha512::new(credentials.secret.expose().as_bytes())),
            credentials,
            window,
        }
    }
}

impl fmt::Debug for ArmorVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmorVerifier")
            .field("credentials", &self.credentials)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl Verifier for ArmorVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        let malformed = |why: &str| VerifyError::Malformed {
            what: "Authorization",
            why: why.to_owned(),
        };
        let authorization = request.require("authorization")?;
        let fields = authorization
            .strip_prefix("ARMOR-PSK ")
            .ok_or_else(|| malformed("expected `ARMOR-PSK key_id:signature:nonce:timestamp`"))?;
        let [key_id, signature, nonce, timestamp] = fields.split(':').collect::<Vec<_>>()[..]
        else {
            return Err(malformed("expected four `:`-separated fields"));
        };
        if !constant_time_eq(key_id.as_bytes(), self.credentials.key_id.as_bytes()) {
            return Err(VerifyError::UnknownKey("API key id"));
        }
        if let Some(account) = &self.credentials.account_id {
            let context = request.require("x-account-context")?;
            if context != account {
                return Err(VerifyError::UnknownKey("account (X-Account-Context)"));
            }
        }
        check_nonce(nonce).map_err(|why| malformed(&why))?;
        let timestamp = parse_unix_seconds("Authorization timestamp", timestamp)?;
        check_window(timestamp, now, self.window)?;
        let claimed = STANDARD
            .decode(signature)
            .map_err(|_| malformed("the signature is not standard base64"))?;
        let string = ArmorString::new(
            key_id,
            Cow::Borrowed(request.method()),
            request.path(),
            request.body(),
            nonce,
            timestamp,
        );
        if !constant_time_eq(&claimed, &self.hmac.sign(&string.parts())) {
            return Err(VerifyError::BadSignature);
        }
        Ok(Verified {
            timestamp: Some(timestamp),
            nonce: Some(nonce.to_owned()),
        })
    }
}
