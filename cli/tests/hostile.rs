//! The command against a hostile server (compromised, impersonated, or just broken): what
//! it answers must not run in the user's shell nor drive the user's terminal.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;
use serde_json::json;

/// An OVH API that tells the time truthfully and answers everything else with `reply`.
fn ovh_server(reply: impl Fn(&str) -> Reply + Send + 'static) -> HostileServer {
    HostileServer::start(move |_, target| {
        if target.ends_with("/auth/time") {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            Reply::json(200, &json!(now))
        } else {
            reply(target)
        }
    })
}

fn credential_answer(validation_url: &str, consumer_key: &str) -> Reply {
    Reply::json(
        200,
        &json!({
            "validationUrl": validation_url,
            "consumerKey": consumer_key,
            "state": "pendingValidation",
        }),
    )
}

fn run_ovh_credential(dir: &Path, server: &HostileServer) -> std::process::Output {
    let env = server.ovh_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_alone(dir, &["ovh-credential"], &env)
}

/// What `eval "$(output)"` does in a POSIX shell started in `dir` (where the injected
/// commands would create their files): the variables it added or changed, as `set`
/// lists them, and the value of OVH_CONSUMER_KEY afterwards.
fn eval_in_shell(dir: &Path, output: &str) -> (Vec<String>, String) {
    let script = r#"set > set-before; eval "$1" || exit 9; set > set-after; printf %s "$OVH_CONSUMER_KEY" > key-after"#;
    let status = Command::new("sh")
        .args(["-c", script, "sh", output])
        .env_clear()
        // A real PATH, so that an injected `touch` would run.
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "eval failed ({status}) on {output:?}");
    let lines = |name: &str| -> BTreeSet<String> {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        text.lines().map(str::to_owned).collect()
    };
    let changed = lines("set-after")
        .difference(&lines("set-before"))
        .cloned()
        .collect();
    let key = std::fs::read_to_string(dir.join("key-after")).unwrap();
    for name in ["set-before", "set-after", "key-after"] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    (changed, key)
}

fn pwned_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("pwned"))
        .collect()
}

#[test]
fn ovh_credential_output_is_safe_to_eval_whatever_the_server_answers() {
    let dir = empty_dir("hostile-eval");
    let url = "touch pwned-url; echo";
    let key = r#"ck'; touch pwned-quote; echo '$(touch pwned-subst)`touch pwned-tick`";x=1"#;
    let server = ovh_server(move |_| credential_answer(url, key));

    let run = run_ovh_credential(&dir, &server);
    let stdout = String::from_utf8(run.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stdout}{stderr}");

    let (changed, value) = eval_in_shell(&dir, &stdout);
    assert_eq!(pwned_files(&dir), Vec::<String>::new(), "{stdout}");
    assert_eq!(value, key, "{stdout}");
    assert_eq!(
        changed.len(),
        1,
        "only OVH_CONSUMER_KEY is set: {changed:?}"
    );
    assert!(changed[0].starts_with("OVH_CONSUMER_KEY="), "{changed:?}");
    assert!(
        stderr.contains(url),
        "the URL is shown to the user: {stderr}"
    );

    // The harness does catch an injection: the URL as a first line of stdout, as the
    // command used to print it, runs.
    eval_in_shell(&dir, &format!("{url}\n{stdout}"));
    assert_eq!(pwned_files(&dir), ["pwned-url"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ovh_credential_refuses_control_characters_in_the_answer() {
    let dir = empty_dir("hostile-controls");
    let good_url = "https://eu.api.ovh.com/auth/?credentialToken=abc";
    let cases = [
        ("consumerKey", good_url, "sekrit-ck\ntouch pwned"),
        ("consumerKey", good_url, "sekrit-ck\rtouch pwned"),
        ("consumerKey", good_url, "sekrit-ck\0x"),
        ("consumerKey", good_url, "sekrit-ck\u{1b}]0;title\u{7}"),
        ("validationUrl", "https://x/\ntouch pwned", "good-key"),
        ("validationUrl", "https://x/\r\u{1b}[2K", "good-key"),
        ("validationUrl", "https://x/\u{9b}31m", "good-key"),
    ];
    for (field, url, key) in cases {
        let server = ovh_server(move |_| credential_answer(url, key));
        let run = run_ovh_credential(&dir, &server);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(
            run.status.code(),
            Some(1),
            "{field} {url:?} {key:?}: {stderr}"
        );
        assert!(run.stdout.is_empty(), "{field}: nothing to eval");
        assert!(
            stderr.contains(field) && stderr.contains("control character"),
            "{stderr}"
        );
        assert!(
            !stderr.contains("sekrit"),
            "the consumer key is not shown: {stderr}"
        );
        assert!(!run.stderr.contains(&0x1b), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert_eq!(pwned_files(&dir), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Retitles the terminal, clears the screen and starts a C1 control sequence, both as
/// UTF-8 and as a raw byte.
const HOSTILE_BODY: &[u8] =
    b"title\x1b]0;pwned\x07 clear\x1b[2J del\x7f c1\xc2\x9b31m raw\x9b31m\r\nend\n";

fn hostile_body_server() -> (HostileServer, Vec<(&'static str, String)>) {
    let server = ovh_server(|_| Reply {
        status: 200,
        content_type: "text/plain",
        body: HOSTILE_BODY.to_vec(),
    });
    let mut env = server.ovh_env();
    env.push(("OVH_CONSUMER_KEY", "hostile-ck".to_owned()));
    (server, env)
}

#[test]
fn a_piped_answer_is_written_byte_for_byte() {
    let dir = empty_dir("hostile-pipe");
    let (_server, env) = hostile_body_server();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = run_alone(&dir, &["ovh", "GET", "/note"], &env);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(run.stdout, HOSTILE_BODY);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn on_a_terminal_control_characters_in_the_answer_are_shown_as_escapes() {
    let dir = empty_dir("hostile-tty");
    let (_server, env) = hostile_body_server();
    // `script` (util-linux) runs the command with a pseudo-terminal as its stdout.
    let command = format!("'{}' ovh GET /note", env!("CARGO_BIN_EXE_signed-api"));
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(&dir)
        .output()
        .expect("`script` runs the command on a pseudo-terminal");
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    for raw in [&b"\x1b"[..], b"\x07", b"\x7f", b"\x9b"] {
        assert!(
            !output.stdout.windows(raw.len()).any(|w| w == raw),
            "{raw:?} reached the terminal: {shown:?}"
        );
    }
    assert!(
        shown.contains(r"title\u{1b}]0;pwned\u{7} clear\u{1b}[2J del\u{7f} c1\u{9b}31m raw\x9b31m"),
        "{shown:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn api_errors_show_the_servers_control_characters_as_escapes() {
    let dir = empty_dir("hostile-error");
    let server = ovh_server(|_| {
        Reply::json(
            400,
            &json!({
                "errorCode": "BAD\u{1b}[2J",
                "message": "bad\u{1b}]0;pwned\u{7} value\nsecond line\u{9b}",
            }),
        )
    });
    let mut env = server.ovh_env();
    env.push(("OVH_CONSUMER_KEY", "hostile-ck".to_owned()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = run_alone(&dir, &["ovh", "GET", "/me"], &env);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        !stderr.contains(['\u{1b}', '\u{7}', '\u{9b}', '\r']),
        "{stderr:?}"
    );
    assert!(
        stderr.contains(r"bad\u{1b}]0;pwned\u{7} value second line\u{9b}"),
        "{stderr:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server that announces a 4 GiB body, then sends zeros until the client hangs up.
fn endless_body_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || {
                use std::io::{BufRead, BufReader, Write};
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let mut stream = stream;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Content-Length: 4294967296\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'0'; 64 * 1024];
                while stream.write_all(&chunk).is_ok() {}
            });
        }
    });
    origin
}

#[test]
fn an_answer_larger_than_the_limit_is_refused_not_read() {
    let origin = endless_body_server();
    let dir = empty_dir("endless-body");
    let env = [
        ("OVH_ENDPOINT", format!("{origin}/1.0")),
        ("OVH_APPLICATION_KEY", "hostile-ak".to_owned()),
        ("OVH_APPLICATION_SECRET", "hostile-as".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let started = std::time::Instant::now();
    // /auth/time is unsigned: no consumer key or clock needed to reach the body.
    let output = run_alone(
        &dir,
        &["ovh", "GET", "/auth/time", "--max-body", "1M"],
        &env,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1048576-byte limit"), "{stderr}");
    assert!(output.stdout.is_empty());
    // Refused from the announced length, before reading: well inside any timeout.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));

    // The default limit holds too, however much the server sends.
    let output = run_alone(&dir, &["ovh", "GET", "/auth/time"], &env);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("268435456-byte limit"), "{stderr}");
}
