//! Runs the built `signed-api` binary against an in-process mock with known credentials,
//! in an empty working directory and an environment holding only what the test sets.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use signed_api_mock::{Limits, MockConfig, MockServer};
// Each test file uses a part of the shared set-up.
#[allow(unused_imports)]
pub use signed_api_mock::testing::{OVH_AK, OVH_AS, OVH_CK, SECRETS};

/// SigV4's test credentials, which only the tests' own servers check (the mock's S3 takes
/// its own, `signed_api_mock::testing::S3_KEY_ID` and the rest: see [`Harness::run_s3`]).
pub const AWS_KEY_ID: &str = "AKIDTESTCLI";
/// The secret access key.
pub const AWS_SECRET: &str = "test-aws-secret-access-key";
/// A session token, secret like the key.
pub const AWS_TOKEN: &str = "test-aws-session-token";
/// The region the environment names.
pub const AWS_REGION: &str = "eu-west-3";
/// The AWS values no output may show.
pub const AWS_SECRETS: &[&str] = &[AWS_SECRET, AWS_TOKEN];

/// The environment of a SigV4 call to `endpoint` with the test credentials, the region
/// [`AWS_REGION`], and a home directory of `home` (empty: no `~/.aws` files are read).
/// Variables that would take precedence (a session token, the S3 endpoint) are removed,
/// whatever the mock exports.
pub fn aws_env(endpoint: Option<&str>, home: &Path) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("AWS_ACCESS_KEY_ID", Some(AWS_KEY_ID.to_owned())),
        ("AWS_SECRET_ACCESS_KEY", Some(AWS_SECRET.to_owned())),
        ("AWS_SESSION_TOKEN", None),
        ("AWS_REGION", Some(AWS_REGION.to_owned())),
        ("AWS_ENDPOINT_URL", endpoint.map(str::to_owned)),
        ("AWS_ENDPOINT_URL_S3", None),
        ("HOME", Some(home.to_string_lossy().into_owned())),
    ]
}

/// `base` with `changes` applied, in the form [`Harness::run_with`] takes.
pub fn with_changes<'a>(
    base: &'a [(&'static str, Option<String>)],
    changes: &[(&'a str, Option<&'a str>)],
) -> Vec<(&'a str, Option<&'a str>)> {
    base.iter()
        .map(|(name, value)| (*name, value.as_deref()))
        .chain(changes.iter().copied())
        .collect()
}

pub fn repo_file(path: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path)
}

/// A mock on its own runtime (the binary runs in the foreground meanwhile).
pub struct Harness {
    pub mock: MockServer,
    pub dir: PathBuf,
    _runtime: tokio::runtime::Runtime,
}

impl Harness {
    pub fn new(name: &str) -> Self {
        Self::with_limits(name, Limits::default())
    }

    /// A mock with other limits (S3 objects larger than the default 2 MiB body).
    pub fn with_limits(name: &str, limits: Limits) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let config = MockConfig::new(signed_api_mock::testing::credentials()).limits(limits);
        let mock = runtime.block_on(signed_api_mock::testing::start_with(config));
        let dir =
            std::env::temp_dir().join(format!("signed-api-cli-test-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Harness {
            mock,
            dir,
            _runtime: runtime,
        }
    }

    /// Runs `signed-api args…` with the mock's environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Runs with the mock's environment, [`aws_env`] pointing at the mock's `/s3`, and
    /// `changes`.
    pub fn run_aws(&self, args: &[&str], changes: &[(&str, Option<&str>)]) -> Run {
        let endpoint = format!("{}/s3", self.mock.origin());
        let aws = aws_env(Some(&endpoint), &self.dir);
        self.run_with(args, &with_changes(&aws, changes))
    }

    /// Runs with the mock's own environment, its S3 credentials and `AWS_ENDPOINT_URL`
    /// (its `/s3`) included, and the test's directory as the home directory (no
    /// `~/.aws` files are read).
    pub fn run_s3(&self, args: &[&str]) -> Run {
        let home = self.dir.to_string_lossy().into_owned();
        self.run_with(args, &[("HOME", Some(home.as_str()))])
    }

    /// [`run_s3`](Self::run_s3) with `stdin` as standard input.
    pub fn run_s3_fed(&self, args: &[&str], stdin: &[u8]) -> Run {
        let home = self.dir.to_string_lossy().into_owned();
        let mut command = self.command(args, &[("HOME", Some(home.as_str()))]);
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        let stdin = stdin.to_vec();
        let feeder = std::thread::spawn(move || {
            let _ = input.write_all(&stdin);
        });
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        Run::from(output)
    }

    /// Runs with the mock's environment changed: `Some` sets a variable, `None` removes it.
    pub fn run_with(&self, args: &[&str], changes: &[(&str, Option<&str>)]) -> Run {
        Run::from(self.command(args, changes).output().unwrap())
    }

    /// The command [`run_with`](Self::run_with) runs.
    fn command(&self, args: &[&str], changes: &[(&str, Option<&str>)]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_signed-api"));
        command.args(args).env_clear().current_dir(&self.dir);
        for (name, value) in self.mock.env_vars() {
            command.env(name, value);
        }
        for (name, value) in changes {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        command
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit 0 and returns stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, Some(0), "{self:?}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:?}"))
    }

    /// Asserts that no credential appears in either stream.
    pub fn assert_no_secret(&self) {
        for secret in SECRETS.iter().chain(AWS_SECRETS) {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "{secret} shown: {self:?}"
            );
        }
    }
}

/// Runs `signed-api args…` in `dir` with only the environment `env`, no mock involved.
pub fn run_alone(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signed-api"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A fresh, empty directory for one test.
pub fn empty_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("signed-api-cli-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One answer of a [`HostileServer`].
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply {
            status,
            content_type: "application/json",
            body: body.to_string().into_bytes(),
        }
    }
}

/// A server that answers whatever its handler says, as a compromised or impersonated
/// API would: the mock only ever answers well. One connection at a time, closed after
/// each answer; it serves until the test process ends.
pub struct HostileServer {
    pub origin: String,
}

impl HostileServer {
    /// `answer` gets the method and the request target (`/1.0/auth/time`).
    pub fn start(answer: impl Fn(&str, &str) -> Reply + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let _ = serve_one(stream, &answer);
            }
        });
        HostileServer { origin }
    }

    /// The environment for the `ovh` scheme pointed at this server, without a consumer key.
    pub fn ovh_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("OVH_ENDPOINT", format!("{}/1.0", self.origin)),
            ("OVH_APPLICATION_KEY", "hostile-ak".to_owned()),
            ("OVH_APPLICATION_SECRET", "hostile-as".to_owned()),
        ]
    }
}

fn serve_one(stream: TcpStream, answer: &impl Fn(&str, &str) -> Reply) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut content_length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    // Read to the end of the request, so that closing does not reset the connection.
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let reply = answer(method, target);
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {} Hostile\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    )?;
    stream.write_all(&reply.body)?;
    stream.flush()
}
