//! Runs the built `signed-api` binary against an in-process mock with known credentials,
//! in an empty working directory and an environment holding only what the test sets.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

use signed_api_mock::{
    ArmorMockCredentials, MockConfig, MockCredentials, MockServer, NopsMockCredentials,
    OvhMockCredentials, QredoMockCredentials,
};

pub const OVH_AS: &str = "cli-application-secret";
pub const OVH_CK: &str = "cli-consumer-key";
pub const NOPS_KEY: &str = "88.cli-nops-api-key";
pub const QREDO_KEY: &str = "cli-qredo-api-key";
pub const ARMOR_SECRET: &str = "cli-armor-secret";
pub const SECRETS: &[&str] = &[OVH_AS, OVH_CK, "cli-nops-api-key", QREDO_KEY, ARMOR_SECRET];

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
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let nops_key = repo_file("tests/vectors/keys/rsa2048-pkcs8.pem");
        let qredo_key = repo_file("tests/vectors/keys/rsa2048-pkcs1.pem");
        let credentials = MockCredentials {
            ovh: OvhMockCredentials::new("cli-ak", OVH_AS, OVH_CK).unwrap(),
            nops: NopsMockCredentials::new(NOPS_KEY, Some(&nops_key)).unwrap(),
            qredo: QredoMockCredentials::new(QREDO_KEY, &qredo_key).unwrap(),
            armor: ArmorMockCredentials::new("cli-armor-id", ARMOR_SECRET, Some("1024")).unwrap(),
        };
        let mock = runtime
            .block_on(MockServer::start(MockConfig::new(credentials)))
            .unwrap();
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

    /// Runs with the mock's environment changed: `Some` sets a variable, `None` removes it.
    pub fn run_with(&self, args: &[&str], changes: &[(&str, Option<&str>)]) -> Run {
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
        Run::from(command.output().unwrap())
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
        for secret in SECRETS {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "{secret} shown: {self:?}"
            );
        }
    }
}
