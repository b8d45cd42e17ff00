//! `signed-api`: curl that knows the signing schemes of nOps, OVH, Qredo, Armor and AWS
//! (SigV4), and a verifying mock of the four APIs and of S3. See `args.rs` for the synopsis.

#![forbid(unsafe_code)]

mod args;
mod body;
mod call;
mod download;
mod dry_run;
mod error;
mod interrupt;
mod keygen;
mod mock;
mod ovh_credential;
mod progress;
mod sigv4;
mod target;
mod terminal;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::args::{Cli, Command};
use crate::error::CliError;
use signed_api_runtime::schemes::{armor, nops, ovh, qredo};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&CliError::Failed(format!("cannot start the runtime: {e}"))),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Nops(call) => call::run(&nops::DESCRIPTOR, call).await,
        Command::Ovh(call) => call::run(&ovh::DESCRIPTOR, call).await,
        Command::Qredo(call) => call::run(&qredo::DESCRIPTOR, call).await,
        Command::Armor(call) => call::run(&armor::DESCRIPTOR, call).await,
        Command::Sigv4(args) => sigv4::run(args).await,
        Command::Mock { port } => mock::run(port).await,
        Command::Keygen { bits, out } => keygen::run(bits, &out),
        Command::OvhCredential { rules, redirection } => {
            ovh_credential::run(rules, redirection).await
        }
    }
}

fn fail(error: &CliError) -> ExitCode {
    // Not `eprintln!`, which panics when stderr is a closed pipe: the exit code still tells.
    let _ = writeln!(std::io::stderr(), "signed-api: {error}");
    error.exit_code()
}

/// Help and version as clap prints them; any other parse error as one line.
fn usage_error(error: &clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let message = match (error.kind(), error.get(ContextKind::InvalidSubcommand)) {
        (ErrorKind::InvalidSubcommand, Some(ContextValue::String(name))) => format!(
            "unknown scheme or command `{name}`; use nops, ovh, qredo, armor, sigv4, mock, \
             keygen or ovh-credential"
        ),
        (ErrorKind::MissingRequiredArgument, _) => match error.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(missing)) => format!("missing {}", missing.join(", ")),
            _ => "missing a required argument".to_owned(),
        },
        // The value itself is not repeated: it may hold a credential (an Authorization
        // header) or span lines.
        (ErrorKind::ValueValidation, _) => {
            let argument = match error.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(argument)) => argument.clone(),
                _ => "an argument".to_owned(),
            };
            match std::error::Error::source(error) {
                Some(reason) => format!("invalid value for {argument}: {reason}"),
                None => format!("invalid value for {argument}"),
            }
        }
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            first.strip_prefix("error: ").unwrap_or(first).to_owned()
        }
    };
    fail(&CliError::Refused(format!(
        "{message} (see signed-api --help)"
    )))
}
