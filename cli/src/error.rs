//! The command's two kinds of failure and their exit codes.

use std::fmt;
use std::process::ExitCode;

use signed_api_runtime::Error;

/// Why the command failed, with the one line printed on stderr.
#[derive(Debug)]
pub enum CliError {
    /// Refused before anything was sent (bad input, configuration or key): exit 2.
    Refused(String),
    /// Sent, but the API answered an error or could not be reached: exit 1.
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Refused(_) => ExitCode::from(2),
            CliError::Failed(_) => ExitCode::from(1),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (CliError::Refused(message) | CliError::Failed(message)) = self;
        // Printed on stderr, nearly always a terminal, and a server's message may be part
        // of it: one line, its control characters shown rather than acted on.
        f.write_str(&crate::terminal::one_line(message))
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        match error {
            Error::Config(_) | Error::Key(_) | Error::InvalidRequest(_) | Error::Signing(_) => {
                CliError::Refused(error.to_string())
            }
            other => CliError::Failed(other.to_string()),
        }
    }
}
