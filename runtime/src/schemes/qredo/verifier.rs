//! The server side of Qredo's scheme, in one time mode, as the mock uses it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::signer::QredoTimeMode;
use super::string_to_sign::string_to_sign_bytes;
use crate::error::Result;
use crate::keys::RsaPublicKeyPem;
use crate::secret::Secret;
use crate::verify::{
    ReceivedRequest, Verified, Verifier, VerifyError, check_window, constant_time_eq,
    parse_canonical_u64, parse_unix_seconds,
};

/// The server side of Qredo's scheme, for one mode.
///
/// The string to sign starts with the timestamp or the nonce and does not say which, so a
/// verifier that took whichever header came would accept a captured timestamp-mode
/// request days later, re-labelled `x-nonce: <its timestamp>`. It is configured for one
/// mode and refuses the other mode's header.
#[derive(Debug, Clone)]
pub struct QredoVerifier {
    api_key: Secret,
    public_key: RsaPublicKeyPem,
    window: i64,
    mode: QredoTimeMode,
}

impl QredoVerifier {
    /// Accepts `api_key` with signatures by `public_key`, in timestamp mode, with
    /// timestamps within `window` seconds of server time.
    pub fn new(api_key: impl Into<Secret>, public_key: RsaPublicKeyPem, window: i64) -> Self {
        QredoVerifier {
            api_key: api_key.into(),
            public_key,
            window,
            mode: QredoTimeMode::Timestamp,
        }
    }

    /// Switches to `mode`. In nonce mode the nonce comes back in [`Verified::nonce`] for
    /// the caller to check that it increases (this verifier keeps no state).
    pub fn mode(mut self, mode: QredoTimeMode) -> Self {
        self.mode = mode;
        self
    }
}

impl Verifier for QredoVerifier {
    fn verify(&self, request: &ReceivedRequest<'_>, now: i64) -> Result<Verified, VerifyError> {
        let api_key = request.require("x-api-key")?;
        if !constant_time_eq(api_key.as_bytes(), self.api_key.expose().as_bytes()) {
            return Err(VerifyError::UnknownKey("API key"));
        }
        let mut verified = Verified::default();
        let first = match self.mode {
            QredoTimeMode::Nonce => {
                request.forbid("x-timestamp", "this server takes nonce-mode requests only")?;
                let nonce = request.require("x-nonce")?;
                parse_canonical_u64("x-nonce", nonce)?;
                verified.nonce = Some(nonce.to_owned());
                nonce
            }
            QredoTimeMode::Timestamp => {
                request.forbid("x-nonce", "this server takes timestamp-mode requests only")?;
                let timestamp = request.require("x-timestamp")?;
                let seconds = parse_unix_seconds("x-timestamp", timestamp)?;
                check_window(seconds, now, self.window)?;
                verified.timestamp = Some(seconds);
                timestamp
            }
        };
        let claimed = request.require("x-sign")?;
        let claimed = URL_SAFE_NO_PAD
            .decode(claimed)
            .map_err(|e| VerifyError::Malformed {
                what: "x-sign",
                why: format!("not unpadded base64url: {e}"),
            })?;
        let url = request.url();
        if !self
            .public_key
            .verify(&string_to_sign_bytes(first, &url, request.body()), &claimed)
        {
            return Err(VerifyError::BadSignature);
        }
        Ok(verified)
    }
}
