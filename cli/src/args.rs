//! The command line, exactly as the README's synopsis writes it (users' scripts depend on
//! it):
//!
//! ```text
//! signed-api <nops|ovh|qredo|armor|sigv4> <METHOD> <PATH> [--query K=V]... [--header 'Name: value']...
//!            [--data JSON | --data-raw TEXT|@FILE|@-] [--output FILE] [--base-url URL] [--dry-run]
//!            [--max-body BYTES]
//!            sigv4 also: [--service S] [--region R] [--presign SECONDS] [--unsigned-payload]
//! signed-api mock [--port N]
//! signed-api keygen [--bits 2048] [--out private.pem]
//! signed-api ovh-credential [--rules 'GET:/*'...] [--redirection URL]
//! ```
//!
//! Values are checked as they are parsed, so a malformed one is refused before any
//! configuration is read or any connection made.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use signed_api_runtime::schemes::sigv4::MAX_PRESIGN_EXPIRY;

/// Sign and send requests to nOps, OVH, Qredo, Armor and AWS (SigV4: S3, S3-compatible
/// stores, other AWS services), or run a verifying mock of the first four.
///
/// Credentials and base URLs come from the environment (NOPS_API_KEY, NOPS_PRIVATE_KEY,
/// NOPS_BASE_URL; OVH_ENDPOINT, OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET,
/// OVH_CONSUMER_KEY or ovh.conf; QREDO_API_KEY, QREDO_PRIVATE_KEY, QREDO_BASE_URL;
/// ARMOR_API_KEY_ID, ARMOR_SECRET_KEY, ARMOR_ACCOUNT_ID, ARMOR_BASE_URL;
/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION or
/// AWS_DEFAULT_REGION, AWS_PROFILE with ~/.aws/credentials and ~/.aws/config,
/// AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> such as AWS_ENDPOINT_URL_S3).
///
/// The answer goes to stdout (JSON pretty-printed), errors to stderr on one line. A
/// server's text can hold terminal control sequences, so on a terminal its control
/// characters (ESC and the other C0 controls but newline and tab, DEL, C1) are shown as
/// escapes such as \u{1b}; piped or redirected, the answer is written byte for byte.
/// Errors quoting the server are always shown that way.
///
/// With --output FILE, a 2xx answer is written to FILE as it arrives and nothing goes to
/// stdout. Transfers of 4 MiB or more show a progress bar on stderr when it is a terminal,
/// never when it is piped or redirected.
///
/// Exit status: 0 on a 2xx answer (or a dry run, or a presigned URL printed), 1 when the
/// API answered an error or could not be reached, 2 when the command was refused before
/// anything was sent.
#[derive(Debug, Parser)]
#[command(name = "signed-api", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call the nOps API (app.nops.io).
    Nops(CallArgs),
    /// Call the OVH API (OVH_ENDPOINT: ovh-eu, ovh-ca, … or a URL).
    Ovh(CallArgs),
    /// Call the Qredo Partner API.
    Qredo(CallArgs),
    /// Call the Armor API.
    Armor(CallArgs),
    /// Call AWS or an S3-compatible store, signed with SigV4 (S3 unless --service).
    ///
    /// The base URL is --base-url, else the configured endpoint (AWS_ENDPOINT_URL_<SERVICE>,
    /// AWS_ENDPOINT_URL or the profile's), else AWS's regional endpoint of the service,
    /// https://SERVICE.REGION.amazonaws.com.
    Sigv4(Sigv4Args),
    /// Run the verifying mock of the four APIs and of S3 (demo credentials when none are
    /// set).
    Mock {
        /// Port to listen on, on 127.0.0.1 (0 picks a free one).
        #[arg(long, value_name = "N", default_value_t = 8080)]
        port: u16,
    },
    /// Write a new RSA private key and print its public key (for the nOps or Qredo console).
    Keygen {
        /// Key size in bits: 1024 to 8192, the sizes the signer loads (2048 recommended).
        #[arg(long, value_name = "BITS", default_value_t = 2048)]
        bits: usize,
        /// Where to write the private key (refuses to overwrite a file).
        #[arg(long, value_name = "FILE", default_value = "private.pem")]
        out: PathBuf,
    },
    /// Ask OVH for a consumer key: the validation URL on stderr, and on stdout one line,
    /// `export OVH_CONSUMER_KEY='…'`, safe to `eval "$(signed-api ovh-credential)"`.
    OvhCredential {
        /// Access rules METHOD:PATH, one or more after a flag, or the flag repeated
        /// (default GET:/*).
        #[arg(long = "rules", value_name = "METHOD:PATH", num_args = 1.., value_parser = parse_rule)]
        rules: Vec<(String, String)>,
        /// Where OVH sends the browser after the user approves.
        #[arg(long, value_name = "URL")]
        redirection: Option<String>,
    },
}

/// A request to send.
#[derive(Debug, Args)]
pub struct CallArgs {
    /// The HTTP method (GET, POST, PUT, PATCH, DELETE, …).
    #[arg(value_name = "METHOD")]
    pub method: String,
    /// The path, relative to the base URL (a full URL only if it starts with the base URL).
    #[arg(value_name = "PATH")]
    pub path: String,
    /// A query parameter, encoded for you (repeatable).
    #[arg(long = "query", value_name = "K=V", value_parser = parse_query)]
    pub query: Vec<(String, String)>,
    /// A header to add (repeatable).
    #[arg(long = "header", value_name = "Name: value", value_parser = parse_header)]
    pub header: Vec<(String, String)>,
    /// A JSON body, sent exactly as given (must be valid JSON).
    #[arg(long, value_name = "JSON", conflicts_with = "data_raw")]
    pub data: Option<String>,
    /// A body sent exactly as given, JSON or not; or, after `@`, read from a file (@FILE)
    /// or from stdin (@-). A leading @@ sends one literal @ (@@me sends @me).
    ///
    /// sigv4 streams a regular file (never whole in memory), signed with its SHA-256,
    /// which is computed first by reading the file once, or as UNSIGNED-PAYLOAD with
    /// --unsigned-payload. Stdin, and any file for the schemes that sign the body's bytes
    /// (nops, ovh, qredo, armor), is read into memory, up to --max-body. A body read so
    /// is typed application/json when it is JSON, a streamed one application/octet-stream;
    /// --header 'Content-Type: …' sets another type. A file that cannot be read, or is
    /// over the limit, is refused before anything is sent.
    #[arg(long = "data-raw", value_name = "TEXT|@FILE|@-", value_parser = parse_data_raw)]
    pub data_raw: Option<RawData>,
    /// Write a 2xx answer's body to FILE as it arrives, and print nothing on stdout.
    ///
    /// The answer is never held whole in memory, so --max-body does not apply. FILE is
    /// written under a temporary name beside it and renamed once the answer has arrived
    /// whole: an existing FILE is replaced then (a symbolic link is replaced, not
    /// followed), and left as it was when the call fails or is interrupted. An error
    /// answer is shown on stderr as without --output. FILE's directory must exist.
    #[arg(long, value_name = "FILE", value_parser = parse_output)]
    pub output: Option<PathBuf>,
    /// The base URL (or a named endpoint such as ovh-ca, sandbox or, for sigv4, ovh-gra),
    /// instead of the environment's.
    #[arg(long = "base-url", value_name = "URL")]
    pub base_url: Option<String>,
    /// Print the string to sign and the headers that would be sent; send nothing.
    #[arg(long = "dry-run")]
    pub dry_run: bool,
    /// The largest answer read, in bytes, or with a suffix K, M or G (powers of 1024).
    /// A larger answer is an error, and is not held in memory. Also the largest body read
    /// into memory from a file or stdin (--data-raw @FILE, @-). Not a limit for
    /// --output, which holds no answer whole.
    #[arg(long = "max-body", value_name = "BYTES", default_value = "256M", value_parser = parse_size)]
    pub max_body: u64,
}

/// A SigV4 request: the common arguments and what SigV4 adds.
#[derive(Debug, Args)]
pub struct Sigv4Args {
    #[command(flatten)]
    pub call: CallArgs,
    /// The service signed for, as it appears in the credential scope (s3, execute-api,
    /// iam, …).
    #[arg(long, value_name = "S", default_value = "s3", value_parser = parse_service)]
    pub service: String,
    /// The region signed for (us-east-1, eu-west-3, …), instead of AWS_REGION,
    /// AWS_DEFAULT_REGION or the profile's.
    #[arg(long, value_name = "R", value_parser = parse_region)]
    pub region: Option<String>,
    /// Print a presigned URL valid for SECONDS (1 to 604800, 7 days) on stdout, one line,
    /// and send nothing. Whoever holds the URL can use it (with temporary credentials it
    /// carries the session token): hand it out as a short-lived password. With
    /// --dry-run, its signature and token are shown as ***. Headers SigV4 signs
    /// (x-amz-*, Content-Type) given with --header must be sent by the URL's user.
    #[arg(
        long,
        value_name = "SECONDS",
        value_parser = parse_expiry,
        conflicts_with_all = ["data", "data_raw", "unsigned_payload", "output"]
    )]
    pub presign: Option<Duration>,
    /// Leave the body out of the signature (x-amz-content-sha256: UNSIGNED-PAYLOAD), as S3
    /// allows.
    #[arg(long = "unsigned-payload")]
    pub unsigned_payload: bool,
}

/// What `--data-raw` gives: the body itself, or where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawData {
    /// The body, as given (a leading `@@` unescaped to one `@`).
    Text(String),
    /// `@FILE`: the file's bytes.
    File(PathBuf),
    /// `@-`: standard input's bytes.
    Stdin,
}

/// `TEXT`, `@FILE`, `@-`, or `@@TEXT` for a body that starts with `@` (as curl's
/// `--data` reads `@`; its `--data-raw` would send `@FILE` as text, but a body that
/// starts with `@` is rare where a file's is common).
fn parse_data_raw(text: &str) -> Result<RawData, String> {
    match text.strip_prefix('@') {
        None => Ok(RawData::Text(text.to_owned())),
        Some(rest) if rest.starts_with('@') => Ok(RawData::Text(rest.to_owned())),
        Some("-") => Ok(RawData::Stdin),
        Some("") => Err(
            "`@` names no file: use @FILE, @- for stdin, or @@ for a body that \
                         starts with @"
                .to_owned(),
        ),
        Some(path) => Ok(RawData::File(PathBuf::from(path))),
    }
}

/// A file to write the answer to. `-` is refused rather than taken as a file name: curl
/// reads it as stdout, where the answer goes without the flag.
fn parse_output(text: &str) -> Result<PathBuf, String> {
    match text {
        "" => Err("the file name is empty".to_owned()),
        "-" => Err("leave out --output to print the answer on stdout".to_owned()),
        path => Ok(PathBuf::from(path)),
    }
}

/// `1048576`, `512K`, `256M`, `1G` (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit {
        "" => 0,
        "K" | "k" => 10,
        "M" | "m" => 20,
        "G" | "g" => 30,
        _ => return Err(format!("`{unit}` is not a size unit (K, M or G)")),
    };
    let number: u64 = digits
        .parse()
        .map_err(|_| "expected a number of bytes, such as 1048576 or 256M".to_owned())?;
    number
        .checked_mul(1 << shift)
        .filter(|bytes| *bytes > 0)
        .ok_or_else(|| "the size must be between 1 byte and 16 EiB".to_owned())
}

/// A presigned URL's lifetime: whole seconds, from 1 to 7 days (the longest SigV4 allows).
fn parse_expiry(text: &str) -> Result<Duration, String> {
    let max = MAX_PRESIGN_EXPIRY.as_secs();
    text.parse::<u64>()
        .ok()
        .filter(|seconds| (1..=max).contains(seconds))
        .map(Duration::from_secs)
        .ok_or_else(|| format!("expected a number of seconds from 1 to {max} (7 days)"))
}

/// A service or region is a field of the credential scope, which `/` separates: anything
/// but AWS's plain names (lower-case letters, digits, `-`) would sign for another scope.
/// Checked here so that a mistyped flag is refused before any configuration is read.
fn scope_part(text: &str, example: &str) -> Result<String, String> {
    let plain = !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "expected lower-case letters, digits and `-`, as in `{example}`"
        ))
    }
}

fn parse_service(text: &str) -> Result<String, String> {
    scope_part(text, "s3")
}

fn parse_region(text: &str) -> Result<String, String> {
    scope_part(text, "eu-west-3")
}

fn parse_query(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some(("", _)) => Err("the name before `=` is empty".into()),
        Some((name, value)) => Ok((name.to_owned(), value.to_owned())),
        None => Err("expected K=V (no `=` found)".into()),
    }
}

fn parse_header(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once(':')
        .ok_or("expected 'Name: value' (no `:` found)")?;
    let name = name.trim();
    signed_api_runtime::scheme::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    let value = value.trim_start_matches([' ', '\t']);
    signed_api_runtime::scheme::header_value(name, value).map_err(|e| e.to_string())?;
    Ok((name.to_owned(), value.to_owned()))
}

fn parse_rule(text: &str) -> Result<(String, String), String> {
    let (method, path) = text
        .split_once(':')
        .ok_or("expected METHOD:PATH, such as GET:/me or GET:/*")?;
    let method = method.trim().to_ascii_uppercase();
    if !["GET", "POST", "PUT", "DELETE"].contains(&method.as_str()) {
        return Err(format!(
            "OVH access rules take GET, POST, PUT or DELETE, not `{method}`"
        ));
    }
    if !path.starts_with('/') {
        return Err(format!("the rule's path `{path}` must start with /"));
    }
    Ok((method, path.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_sizes_take_binary_suffixes_and_refuse_the_rest() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        for bad in [
            "",
            "0",
            "M",
            "1T",
            "1.5M",
            "-1",
            "99999999999999999999",
            "17179869184G",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn raw_data_names_a_file_stdin_or_escapes_its_at_sign() {
        let text = |t: &str| Ok(RawData::Text(t.to_owned()));
        assert_eq!(parse_data_raw("plain"), text("plain"));
        assert_eq!(parse_data_raw(""), text(""));
        assert_eq!(parse_data_raw("a@b"), text("a@b"));
        assert_eq!(parse_data_raw("@@me"), text("@me"));
        assert_eq!(parse_data_raw("@@"), text("@"));
        assert_eq!(parse_data_raw("@@@x"), text("@@x"));
        assert_eq!(parse_data_raw("@-"), Ok(RawData::Stdin));
        assert_eq!(
            parse_data_raw("@dir/body.json"),
            Ok(RawData::File(PathBuf::from("dir/body.json")))
        );
        assert_eq!(
            parse_data_raw("@--"),
            Ok(RawData::File(PathBuf::from("--")))
        );
        assert!(parse_data_raw("@").is_err());
    }

    #[test]
    fn outputs_are_files_not_stdout() {
        assert_eq!(parse_output("out.bin"), Ok(PathBuf::from("out.bin")));
        assert!(parse_output("-").is_err());
        assert!(parse_output("").is_err());
    }

    #[test]
    fn queries_need_an_equals_sign() {
        assert_eq!(
            parse_query("a=b=c").unwrap(),
            ("a".to_owned(), "b=c".to_owned())
        );
        assert_eq!(parse_query("a=").unwrap(), ("a".to_owned(), String::new()));
        assert!(parse_query("ab").is_err());
        assert!(parse_query("=b").is_err());
    }

    #[test]
    fn headers_are_split_and_checked() {
        assert_eq!(
            parse_header("X-Trace:  a:b").unwrap(),
            ("X-Trace".to_owned(), "a:b".to_owned())
        );
        assert!(parse_header("X-Trace a").is_err());
        assert!(parse_header("X Trace: a").is_err());
        assert!(parse_header("X-Trace: a\r\nInjected: 1").is_err());
        assert!(parse_header("X-Trace: a\nb").is_err());
    }

    #[test]
    fn rules_are_method_and_path() {
        assert_eq!(
            parse_rule("get:/*").unwrap(),
            ("GET".to_owned(), "/*".to_owned())
        );
        assert!(parse_rule("PATCH:/me").is_err());
        assert!(parse_rule("GET:me").is_err());
        assert!(parse_rule("GET").is_err());
    }

    #[test]
    fn rules_come_after_one_flag_or_several() {
        let rules = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::OvhCredential { rules, .. } => rules,
            _ => panic!("not ovh-credential"),
        };
        let expected = vec![
            ("GET".to_owned(), "/me".to_owned()),
            ("POST".to_owned(), "/domain/*".to_owned()),
        ];
        let one_flag = [
            "signed-api",
            "ovh-credential",
            "--rules",
            "GET:/me",
            "POST:/domain/*",
        ];
        assert_eq!(rules(&one_flag), expected);
        let two_flags = [
            "signed-api",
            "ovh-credential",
            "--rules",
            "GET:/me",
            "--rules",
            "POST:/domain/*",
            "--redirection",
            "https://example.com/",
        ];
        assert_eq!(rules(&two_flags), expected);
    }

    #[test]
    fn presign_lifetimes_are_one_second_to_seven_days() {
        assert_eq!(parse_expiry("1"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_expiry("604800"), Ok(Duration::from_secs(604_800)));
        for bad in [
            "0",
            "604801",
            "",
            "-1",
            "1.5",
            "60s",
            " 60",
            "99999999999999999999",
        ] {
            assert!(parse_expiry(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn services_and_regions_are_plain_scope_names() {
        assert_eq!(parse_service("execute-api"), Ok("execute-api".to_owned()));
        assert_eq!(parse_region("eu-west-3"), Ok("eu-west-3".to_owned()));
        for bad in [
            "",
            "S3",
            "s 3",
            "s3/x",
            "eu-west-3/s3",
            "é",
            &"a".repeat(65),
        ] {
            assert!(parse_service(bad).is_err(), "{bad:?}");
            assert!(parse_region(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_sigv4_synopsis_parses_and_its_flags_belong_to_it() {
        let cli = Cli::try_parse_from([
            "signed-api",
            "sigv4",
            "PUT",
            "/bucket/key",
            "--region",
            "eu-west-3",
            "--service",
            "s3",
            "--unsigned-payload",
            "--data-raw",
            "x",
            "--dry-run",
        ])
        .unwrap();
        let Command::Sigv4(args) = cli.command else {
            panic!("not a sigv4 call")
        };
        assert_eq!(args.region.as_deref(), Some("eu-west-3"));
        assert!(args.unsigned_payload && args.call.dry_run);
        assert_eq!(args.presign, None);
        let defaults =
            Cli::try_parse_from(["signed-api", "sigv4", "GET", "/b/k", "--presign", "60"]).unwrap();
        let Command::Sigv4(args) = defaults.command else {
            panic!("not a sigv4 call")
        };
        assert_eq!(args.service, "s3");
        assert_eq!(args.presign, Some(Duration::from_secs(60)));
        for flags in [
            &["--service", "s3"][..],
            &["--region", "us-east-1"],
            &["--presign", "60"],
            &["--unsigned-payload"],
        ] {
            let mut argv = vec!["signed-api", "ovh", "GET", "/me"];
            argv.extend_from_slice(flags);
            assert!(Cli::try_parse_from(&argv).is_err(), "{flags:?}");
        }
        for other in [
            &["--data", "{}"][..],
            &["--data-raw", "x"],
            &["--unsigned-payload"],
            &["--output", "x"],
        ] {
            let mut argv = vec!["signed-api", "sigv4", "PUT", "/b/k", "--presign", "60"];
            argv.extend_from_slice(other);
            assert!(Cli::try_parse_from(&argv).is_err(), "{other:?}");
        }
    }

    #[test]
    fn the_synopsis_parses() {
        let cli = Cli::try_parse_from([
            "signed-api",
            "ovh",
            "GET",
            "/me",
            "--query",
            "a=1",
            "--header",
            "X-A: b",
            "--base-url",
            "http://127.0.0.1:1/ovh/1.0",
            "--dry-run",
            "--data-raw",
            "@body.json",
            "--output",
            "answer.json",
        ])
        .unwrap();
        let Command::Ovh(call) = cli.command else {
            panic!("not an ovh call")
        };
        assert!(call.dry_run);
        assert_eq!(
            call.data_raw,
            Some(RawData::File(PathBuf::from("body.json")))
        );
        assert_eq!(call.output, Some(PathBuf::from("answer.json")));
        assert_eq!(call.query, vec![("a".to_owned(), "1".to_owned())]);
        assert!(
            Cli::try_parse_from([
                "signed-api",
                "nops",
                "GET",
                "/",
                "--data",
                "{}",
                "--data-raw",
                "x"
            ])
            .is_err()
        );
    }
}
