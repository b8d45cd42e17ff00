//! `signed-api mock`: runs the verifying mock until Ctrl-C, after printing the `export`
//! lines that point the command (or any client) at it.

use std::io::Write;

use signed_api_mock::{MockConfig, MockServer};

use crate::error::CliError;
use crate::interrupt::stop_signal;

/// The last line printed once the server is ready (tests and scripts wait for it).
pub const READY_LINE: &str = "# mock ready; press Ctrl-C to stop";

pub async fn run(port: u16) -> Result<(), CliError> {
    let demo_dir = signed_api_mock::demo_dir();
    let config = MockConfig::from_env()
        .map_err(|e| CliError::Refused(e.to_string()))?
        .port(port);
    let server = MockServer::start(config)
        .await
        .map_err(|e| CliError::Refused(e.to_string()))?;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "# signed-api mock listening on {}", server.origin());
    if server.credentials().exports().is_empty() {
        let _ = writeln!(stdout, "# credentials: those of your environment");
    } else {
        let _ = writeln!(
            stdout,
            "# demo credentials (generated for this run) where your environment has none"
        );
    }
    let _ = write!(stdout, "{}", server.usage());
    let _ = writeln!(stdout, "{READY_LINE}");
    let _ = stdout.flush();
    drop(stdout);
    let stopped = stop_signal().await;
    server.shutdown().await;
    remove_demo_keys(&demo_dir);
    stopped.map_err(|e| CliError::Failed(format!("cannot wait for Ctrl-C: {e}")))
}

/// Demo keys are only good while this mock runs.
fn remove_demo_keys(dir: &std::path::Path) {
    for name in ["nops-demo.pem", "qredo-demo.pem"] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    let _ = std::fs::remove_dir(dir);
}
