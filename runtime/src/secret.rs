//! A string that must never be shown.

use std::fmt;

use zeroize::Zeroizing;

/// A credential (application secret, consumer key, API key): wiped from memory on drop,
/// shown as `Secret(***)` by `Debug`, and without `Display`, so it cannot reach a log or an
/// error message by accident. Read it with [`Secret::expose`] where it is really needed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret itself, to sign with or to send.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty (or only white space): refused by every scheme.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

/// Takes the buffer as it is: a value read into a wiped buffer reaches the `Secret`
/// without a copy left behind.
impl From<Zeroizing<String>> for Secret {
    fn from(value: Zeroizing<String>) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn a_wiped_buffer_becomes_a_secret_without_a_copy() {
        let value = Zeroizing::new(String::from("hunter2"));
        let buffer = value.as_ptr();
        let secret = Secret::from(value);
        assert_eq!(secret.expose().as_ptr(), buffer);
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn blank_secrets_are_detected() {
        assert!(Secret::new("  ").is_blank());
        assert!(!Secret::new("x").is_blank());
    }
}
