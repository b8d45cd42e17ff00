//! Reading settings from environment variables, through a lookup function so that tests
//! (and embedders) can supply their own environment instead of the process's.

use crate::error::{Error, Result};

/// A source of environment variables: `|name| std::env::var(name).ok()` for the process's.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A variable's value, or `None` when it is unset or blank.
pub(crate) fn optional(env: EnvLookup<'_>, name: &str) -> Option<String> {
    env(name).filter(|value| !value.trim().is_empty())
}

/// A variable that must be set and not blank.
pub(crate) fn required(env: EnvLookup<'_>, name: &str) -> Result<String> {
    match env(name) {
        None => Err(Error::Config(format!("{name} is not set"))),
        Some(value) if value.trim().is_empty() => Err(Error::Config(format!("{name} is empty"))),
        Some(value) => Ok(value),
    }
}
