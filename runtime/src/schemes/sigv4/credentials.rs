//! What Signature Version 4 signs with: an access key id, its secret access key, and the
//! session token that comes with short-term keys.

use std::fmt;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// AWS credentials (or any S3-compatible store's): access key id, secret access key,
/// optional session token.
///
/// `Debug` shows the access key id (it travels in clear in every `Authorization` header)
/// and hides the secret access key and the session token.
#[derive(Clone)]
pub struct Sigv4Credentials {
    pub(super) access_key_id: String,
    pub(super) secret_access_key: Secret,
    pub(super) session_token: Option<Secret>,
}

impl Sigv4Credentials {
    /// Long-term keys, or the first two parts of short-term ones (add the token with
    /// [`with_session_token`](Self::with_session_token)).
    ///
    /// The key id is written into `Credential=<key id>/<date>/<region>/<service>/aws4_request`,
    /// so a `/`, `,`, `=` or white space in it would shift the fields the server reads, and
    /// anything outside printable ASCII could not travel in the header: such ids are refused
    /// here rather than turned into a signature the server cannot match. The secret is only
    /// ever a MAC key, so any text is taken except control characters, which no store issues
    /// and which are the mark of a value pasted with its line end.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<Secret>,
    ) -> Result<Self> {
        let access_key_id = access_key_id.into();
        let secret_access_key = secret_access_key.into();
        if access_key_id.trim().is_empty() {
            return Err(Error::Config("the AWS access key id is empty".into()));
        }
        let breaks_the_scope = |c: char| {
            !c.is_ascii()
                || c.is_ascii_control()
                || c.is_whitespace()
                || matches!(c, '/' | ',' | '=')
        };
        if access_key_id.chars().any(breaks_the_scope) {
            return Err(Error::Config(
                "the AWS access key id contains `/`, `,`, `=`, white space, or characters \
                 that are not printable ASCII"
                    .into(),
            ));
        }
        if secret_access_key.is_blank() {
            return Err(Error::Config("the AWS secret access key is empty".into()));
        }
        if secret_access_key.expose().chars().any(char::is_control) {
            return Err(Error::Config(
                "the AWS secret access key contains control characters".into(),
            ));
        }
        Ok(Sigv4Credentials {
            access_key_id,
            secret_access_key,
            session_token: None,
        })
    }

    /// Adds the token of short-term keys (from STS, SSO, a role). It is sent as it is in
    /// the `X-Amz-Security-Token` header, so only visible ASCII is taken: refusing it here
    /// keeps a bad token from failing every request later, after the clock sync and the
    /// retries.
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Result<Self> {
        let token = token.into();
        if token.is_blank() {
            return Err(Error::Config("the AWS session token is empty".into()));
        }
        if !token.expose().chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::Config(
                "the AWS session token contains white space, control characters or \
                 characters that are not ASCII"
                    .into(),
            ));
        }
        self.session_token = Some(token);
        Ok(self)
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The key the signing key is derived from.
    pub(super) fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    /// The token to send in `X-Amz-Security-Token`, when the keys are short-term.
    pub(super) fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }
}

impl fmt::Debug for Sigv4Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sigv4Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYsentinel";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEsentinel/token+==";

    #[test]
    fn keys_and_token_are_kept_as_given() {
        let credentials = Sigv4Credentials::new("AKIDEXAMPLE", SECRET)
            .unwrap()
            .with_session_token(TOKEN)
            .unwrap();
        assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
        assert_eq!(credentials.secret_access_key().expose(), SECRET);
        assert_eq!(credentials.session_token().unwrap().expose(), TOKEN);
        let long_term = Sigv4Credentials::new("AKIDEXAMPLE", SECRET).unwrap();
        assert!(long_term.session_token().is_none());
    }

    #[test]
    fn key_ids_that_would_break_the_credential_scope_are_refused() {
        for key_id in [
            "",
            "  ",
            "AK/ID",
            "AK,ID",
            "AK=ID",
            "AK ID",
            "AK\tID",
            " AKID",
            "AK\nID",
            "AK\u{7f}",
            "AKÉID",
            "AK\u{a0}ID",
        ] {
            let err = Sigv4Credentials::new(key_id, SECRET).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{key_id:?}: {err}");
            assert!(err.to_string().contains("access key id"), "{err}");
        }
        // Every printable ASCII character but the three separators is taken.
        assert!(Sigv4Credentials::new("AKIA_-.:+!~0123", SECRET).is_ok());
    }

    #[test]
    fn blank_secrets_and_control_characters_are_refused_without_being_shown() {
        for secret in [
            "",
            "   ",
            "sentinel\n",
            "sen\0tinel",
            "sentinel\u{85}",
            "\r\nsentinel",
        ] {
            let err = Sigv4Credentials::new("AKID", secret)
                .unwrap_err()
                .to_string();
            assert!(err.contains("secret access key"), "{err}");
            assert!(!err.contains("sentinel"), "{err}");
        }
        // A store that issues other characters is followed: the secret is a MAC key only.
        assert!(Sigv4Credentials::new("AKID", "pass word/é+=").is_ok());
    }

    #[test]
    fn tokens_that_a_header_cannot_carry_are_refused_without_being_shown() {
        let credentials = Sigv4Credentials::new("AKID", SECRET).unwrap();
        for token in [
            "",
            "  ",
            "sentinel token",
            "sentinel\r\n",
            "sentinel\t",
            "sentinel\u{7f}",
            "sentinél",
        ] {
            let err = credentials
                .clone()
                .with_session_token(token)
                .unwrap_err()
                .to_string();
            assert!(err.contains("session token"), "{err}");
            assert!(!err.contains("sentinel") && !err.contains(SECRET), "{err}");
        }
    }

    #[test]
    fn debug_shows_the_key_id_and_hides_the_secret_and_the_token() {
        let credentials = Sigv4Credentials::new("AKIDEXAMPLE", SECRET)
            .unwrap()
            .with_session_token(TOKEN)
            .unwrap();
        let shown = format!("{credentials:?}");
        assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
        assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains("sentinel"), "{shown}");
        assert_eq!(shown.matches("Secret(***)").count(), 2, "{shown}");
    }
}
