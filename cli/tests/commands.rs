//! The other commands: `mock` as users run it (the README's flow), `keygen` and
//! `ovh-credential`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn the_mock_command_prints_exports_that_the_command_can_use() {
    let dir = std::env::temp_dir().join(format!("signed-api-cli-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_signed-api"))
        .args(["mock", "--port", "0"])
        .env_clear()
        .env("TMPDIR", &dir)
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let ready = line.starts_with("# mock ready");
            if lines_tx.send(line).is_err() || ready {
                break;
            }
        }
    });
    let mut exports = Vec::new();
    loop {
        // Demo keys are generated first: allow a slow debug build some time.
        let line = lines_rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the mock printed its ready line");
        if line.starts_with("# mock ready") {
            break;
        }
        if let Some(export) = line.strip_prefix("export ") {
            let (name, value) = export.split_once('=').unwrap();
            exports.push((name.to_owned(), value.trim_matches('\'').to_owned()));
        }
    }
    let names: Vec<&str> = exports.iter().map(|(name, _)| name.as_str()).collect();
    for expected in [
        "ARMOR_BASE_URL",
        "ARMOR_API_KEY_ID",
        "ARMOR_SECRET_KEY",
        "QREDO_PRIVATE_KEY",
        "NOPS_API_KEY",
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let call = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_signed-api"))
            .args(args)
            .env_clear()
            .envs(exports.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .current_dir(&dir)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let export = |name: &str| {
        exports
            .iter()
            .find(|(own, _)| own == name)
            .map(|(_, value)| value.as_str())
            .unwrap()
    };
    // S3's demo credentials look like AWS's, in AWS's default region, at the mock's `/s3`.
    assert!(export("AWS_ACCESS_KEY_ID").starts_with("AKIA"));
    assert_eq!(export("AWS_SECRET_ACCESS_KEY").len(), 40);
    assert_eq!(export("AWS_REGION"), "us-east-1");
    assert!(export("AWS_ENDPOINT_URL").ends_with("/s3"));
    let (code, stdout) = call(&["armor", "GET", "/me"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("\"firstName\": \"Demo\""), "{stdout}");
    assert_eq!(call(&["qredo", "GET", "/assets"]).0, Some(0));
    assert_eq!(call(&["nops", "GET", "/c/admin/projectaws/"]).0, Some(0));
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn keygen_writes_a_private_key_and_prints_the_public_one() {
    let dir = std::env::temp_dir().join(format!("signed-api-cli-keygen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("private.pem");
    let keygen = |bits: &str| {
        Command::new(env!("CARGO_BIN_EXE_signed-api"))
            .args(["keygen", "--bits", bits, "--out", out.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let made = keygen("1024");
    assert_eq!(made.status.code(), Some(0), "{made:?}");
    let public = String::from_utf8(made.stdout).unwrap();
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
    let private = std::fs::read_to_string(&out).unwrap();
    assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!public.contains("PRIVATE"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = keygen("1024");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        private,
        "not overwritten"
    );
    std::fs::remove_file(&out).unwrap();
    let tiny = keygen("512");
    assert_eq!(tiny.status.code(), Some(2));
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn keygen_refuses_sizes_the_signer_would_not_load_before_generating() {
    let dir = std::env::temp_dir().join(format!("signed-api-cli-bits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("private.pem");
    // 16384 bits would take many minutes in a debug build, then be refused on loading.
    for bits in ["16384", "8193", "1023", "0"] {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_signed-api"))
            .args(["keygen", "--bits", bits, "--out", out.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(10) {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("keygen --bits {bits} started generating instead of refusing");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bits}: {stderr}");
        assert!(
            stderr.contains("out of range") && stderr.contains("8192"),
            "{bits}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{bits}");
        assert!(!out.exists(), "{bits}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ovh_credential_prints_a_consumer_key_limited_to_its_rules() {
    let h = Harness::new("ovh-credential");
    let run = h.run_with(
        &[
            "ovh-credential",
            "--rules",
            "GET:/me",
            "--redirection",
            "https://example.com/done",
        ],
        &[("OVH_CONSUMER_KEY", None)],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    // The URL is for the person, on stderr; stdout is only what `eval` should run.
    let url = run
        .stderr
        .lines()
        .find(|line| line.starts_with(&h.mock.origin()))
        .unwrap_or_else(|| panic!("no validation URL: {run:?}"));
    assert!(url.contains("redirection="), "{url}");
    let mut lines = run.stdout.lines();
    let key = lines
        .next()
        .and_then(|line| line.strip_prefix("export OVH_CONSUMER_KEY='"))
        .and_then(|rest| rest.strip_suffix('\''))
        .unwrap();
    assert_eq!(lines.next(), None, "{run:?}");
    let with_key = [("OVH_CONSUMER_KEY", Some(key))];
    assert_eq!(h.run_with(&["ovh", "GET", "/me"], &with_key).code, Some(0));
    let refused = h.run_with(&["ovh", "GET", "/domain"], &with_key);
    assert_eq!(refused.code, Some(1));
    assert!(refused.stderr.contains("NOT_GRANTED_CALL"), "{refused:?}");
    let bad_rule = h.run(&["ovh-credential", "--rules", "PATCH:/me"]);
    assert_eq!(bad_rule.code, Some(2), "{bad_rule:?}");
}

#[test]
fn a_closed_stdout_is_an_error_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("signed-api-cli-epipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("private.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_signed-api"))
        .args(["keygen", "--bits", "1024", "--out", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closed before the key is generated, so the public key meets a broken pipe.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
