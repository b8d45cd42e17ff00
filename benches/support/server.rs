//! The mock in a process of its own: [`Spawned`] starts this same binary with `serve`
//! (which runs [`super::ovh_me::serve`]) and reads the URL it prints.
//!
//! A separate process keeps the server's work off the measuring side's runtime and out
//! of its CPU accounting, as a real server would be. The server stops when its standard
//! input ends, so it never outlives the process that started it, even one that crashed.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};

/// A `serve` child process.
pub struct Spawned {
    child: Child,
    stdin: Option<ChildStdin>,
    base_url: String,
}

impl Spawned {
    /// Starts this binary again with `serve` and waits for its base URL.
    pub fn start() -> Result<Spawned, String> {
        let exe = std::env::current_exe()
            .map_err(|e| format!("cannot find this program to start the server: {e}"))?;
        let mut child = Command::new(exe)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut line = String::new();
        let read = stdout.read_line(&mut line);
        let base_url = line.trim().to_owned();
        if read.is_err() || !base_url.starts_with("http://") {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the server printed no base URL (got {line:?})"));
        }
        // Nothing else is printed; drain it anyway so that the child never blocks on it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(Spawned {
            child,
            stdin,
            base_url,
        })
    }

    /// `http://127.0.0.1:PORT/ovh/1.0`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Closes its input and waits for it to exit.
    pub fn stop(mut self) -> Result<(), String> {
        drop(self.stdin.take());
        let status = self
            .child
            .wait()
            .map_err(|e| format!("cannot wait for the server: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("the server exited with {status}"))
        }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        // An early return without `stop`: end of input stops it; do not leave it behind.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}
