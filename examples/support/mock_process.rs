//! The verifying mock in a child process: this same program started again with a flag
//! that makes it serve instead of measure.
//!
//! Why a separate process: a measurement of the clients' memory is only theirs when the
//! mock's connections, replay stores and buffers are not in the same address space; and
//! ten thousand connections need ten thousand descriptors on each side, which one process
//! under `ulimit -n` 20000 does not have. The child reports its own figures (requests,
//! connections, resident memory, live heap) when asked, so the mock's growth is still
//! shown, beside the client's and never mixed into it.
//!
//! The protocol is one JSON object per line. The child writes [`Hello`] once it listens,
//! then a [`MockStats`] for each `stats` line it reads on its standard input; it stops
//! (and removes its demo keys) when its standard input closes, which is also what
//! happens if the parent dies.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde::{Deserialize, Serialize};
use signed_api_mock::{Api, MockConfig, MockCredentials, MockServer, demo_dir};

use crate::counting_alloc::live_bytes;
use crate::proc_status::status_field;

/// The child's first line: what a client needs to call it.
#[derive(Serialize, Deserialize)]
pub struct Hello {
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    /// The base URL variables and demo credentials ([`MockServer::env_vars`]).
    pub env: Vec<(String, String)>,
}

/// The child's own figures at one moment.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct MockStats {
    /// Requests received per API, by the API's name.
    pub requests: Vec<(String, u64)>,
    /// Requests received, all paths.
    pub total_requests: u64,
    /// TCP connections accepted so far.
    pub connections: u64,
    /// The mock process's resident memory, KiB.
    pub vm_rss_kib: u64,
    /// Its peak resident memory, KiB.
    pub vm_hwm_kib: u64,
    /// Its live heap, bytes.
    pub live_bytes: i64,
}

impl MockStats {
    /// Requests received for one API.
    #[allow(dead_code)] // the memory bench counts the total only
    pub fn requests(&self, api: Api) -> u64 {
        self.requests
            .iter()
            .find(|(name, _)| name == api.name())
            .map_or(0, |(_, count)| *count)
    }
}

/// The child's side: starts the mock with demo credentials and `configure`d settings,
/// says hello on standard output and answers `stats` until standard input closes.
pub fn serve(configure: impl FnOnce(MockConfig) -> MockConfig) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("mock: no runtime: {error}"))?;
    let keys = demo_dir();
    let served = serve_on(&runtime, &keys, configure);
    // The demo keys were written for this run only.
    let _ = std::fs::remove_dir_all(&keys);
    served
}

fn serve_on(
    runtime: &tokio::runtime::Runtime,
    keys: &std::path::Path,
    configure: impl FnOnce(MockConfig) -> MockConfig,
) -> Result<(), String> {
    let credentials = MockCredentials::demo(keys).map_err(|error| error.to_string())?;
    let mock = runtime
        .block_on(MockServer::start(configure(MockConfig::new(credentials))))
        .map_err(|error| error.to_string())?;
    say(&Hello {
        origin: mock.origin(),
        env: mock.env_vars(),
    })?;
    // The mock runs on the runtime's worker threads; this thread only answers questions.
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim() == "stats" {
            say(&stats(&mock))?;
        }
    }
    runtime.block_on(mock.shutdown());
    Ok(())
}

fn stats(mock: &MockServer) -> MockStats {
    MockStats {
        requests: Api::ALL
            .into_iter()
            .map(|api| (api.name().to_owned(), mock.requests(api)))
            .collect(),
        total_requests: mock.total_requests(),
        connections: mock.connections(),
        vm_rss_kib: status_field("VmRSS:").unwrap_or(0),
        vm_hwm_kib: status_field("VmHWM:").unwrap_or(0),
        live_bytes: live_bytes(),
    }
}

/// Writes one message as a line of JSON.
fn say(message: &impl Serialize) -> Result<(), String> {
    let line = serde_json::to_string(message).map_err(|error| error.to_string())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|error| format!("mock: cannot answer: {error}"))
}

/// The parent's side: a running mock child.
pub struct MockProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    hello: Hello,
}

impl MockProcess {
    /// Starts this program again with `args` (its serve flag and settings) and waits
    /// until the mock listens.
    pub fn spawn(args: &[String]) -> Result<MockProcess, String> {
        let program =
            std::env::current_exe().map_err(|error| format!("cannot find myself: {error}"))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot start the mock process: {error}"))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or("the mock process has no stdout")?;
        let mut stdout = BufReader::new(stdout);
        let hello = read_line(&mut stdout)?;
        Ok(MockProcess {
            child,
            stdin,
            stdout,
            hello,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.hello.origin
    }

    /// The variables a client reads, with the mock's values.
    #[allow(dead_code)] // the load example looks them up one by one
    pub fn env(&self) -> &[(String, String)] {
        &self.hello.env
    }

    /// The value the mock gives a client variable (`OVH_ENDPOINT`, …).
    #[allow(dead_code)] // the memory bench copies them all
    pub fn lookup(&self, name: &str) -> Option<String> {
        self.hello
            .env
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    /// Asks the child for its figures (a blocking exchange of two short lines).
    pub fn stats(&mut self) -> Result<MockStats, String> {
        let stdin = self.stdin.as_mut().ok_or("the mock process was stopped")?;
        writeln!(stdin, "stats")
            .and_then(|()| stdin.flush())
            .map_err(|error| format!("the mock process is gone: {error}"))?;
        read_line(&mut self.stdout)
    }

    /// Closes the child's input and waits for it to stop.
    pub fn stop(mut self) -> Result<(), String> {
        self.stdin = None;
        let status = self.child.wait().map_err(|error| error.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("the mock process ended with {status}"))
        }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        // Its input closed, the child stops by itself; waiting reaps it.
        self.stdin = None;
        let _ = self.child.wait();
    }
}

fn read_line<T: for<'de> Deserialize<'de>>(
    stdout: &mut BufReader<ChildStdout>,
) -> Result<T, String> {
    let mut line = String::new();
    let read = stdout
        .read_line(&mut line)
        .map_err(|error| format!("cannot read the mock process: {error}"))?;
    if read == 0 {
        return Err("the mock process ended without answering".into());
    }
    serde_json::from_str(&line).map_err(|error| format!("the mock process said {line:?}: {error}"))
}
