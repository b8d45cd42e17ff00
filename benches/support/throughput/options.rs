//! The command line: a sub-command and a few flags, parsed by hand (the benchmark does
//! not need clap's compile time for six flags).

use std::path::PathBuf;
use std::time::Duration;

use crate::calls::{ClientKind, Endpoint};

/// What `--help` prints, and what a wrong flag is answered with.
pub const USAGE: &str = "\
usage: throughput [serve] [--runs R] [--seconds S] [--warm-up S] [--in-flight N,N,...]
                  [--endpoint /me|/auth/time]... [--client typed|plain]...
                  [--base-url URL] [--out FILE] [--plain-timeout S] [--paired-only]

  serve          run only the mock (fixed OVH credentials) on 127.0.0.1: print its OVH
                 base URL on the first line of standard output, stop at end of input
  --runs R       measured runs per client and case, interleaved (default 30)
  --seconds S    length of each measured run (default 0.4)
  --warm-up S    calls made before each run is timed, in seconds (default 0.1)
  --in-flight L  calls kept in flight, comma-separated levels (default 1,64,256)
  --endpoint E   only this endpoint (repeatable; default both)
  --client C     only this client (repeatable; default both)
  --base-url U   measure against a running `serve` at U instead of starting one
  --out FILE     write the JSON results there (default
                 $CARGO_TARGET_DIR/bench-results/throughput.json)
  --plain-timeout S
                 give each plain call a timeout of S seconds, as the typed client gives
                 each attempt one (diagnostic: what the timer costs; off by default)
  --paired-only  only the paired runs: one call at a time, typed and plain alternating
                 call by call in one loop (made after the sequential alternated runs
                 whenever both clients are measured); implies --in-flight 1";

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Measure (the default).
    Measure,
    /// Run the mock only.
    Serve,
    /// Print the usage.
    Help,
}

/// The parsed command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub command: Command,
    pub runs: usize,
    pub seconds: Duration,
    pub warm_up: Duration,
    pub in_flight: Vec<usize>,
    pub endpoints: Vec<Endpoint>,
    pub clients: Vec<ClientKind>,
    pub base_url: Option<String>,
    pub out: Option<PathBuf>,
    pub plain_timeout: Option<Duration>,
    pub paired_only: bool,
}

impl Options {
    /// Parses the arguments after the program name. `--bench`, which `cargo bench` adds,
    /// is ignored.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut options = Options {
            command: Command::Measure,
            // Many short runs rather than a few long ones: a shared host's load drifts
            // over seconds, so typed and plain runs a fraction of a second apart see
            // nearly the same machine, and 30 pairs put a 95% interval around their ratio
            // (a few hundredths wide on each side) where single runs spread by ±20%.
            runs: 30,
            seconds: Duration::from_millis(400),
            warm_up: Duration::from_millis(100),
            in_flight: vec![1, 64, 256],
            endpoints: Vec::new(),
            clients: Vec::new(),
            base_url: None,
            out: None,
            plain_timeout: None,
            paired_only: false,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--bench" => {}
                "serve" => options.command = Command::Serve,
                "-h" | "--help" => options.command = Command::Help,
                "--runs" => options.runs = positive(&arg, &value()?)?,
                "--seconds" => options.seconds = seconds(&arg, &value()?)?,
                "--warm-up" => options.warm_up = seconds(&arg, &value()?)?,
                "--in-flight" => {
                    options.in_flight = value()?
                        .split(',')
                        .map(|level| positive(&arg, level.trim()))
                        .collect::<Result<_, _>>()?;
                }
                "--endpoint" => options.endpoints.push(Endpoint::parse(&value()?)?),
                "--client" => options.clients.push(ClientKind::parse(&value()?)?),
                "--base-url" => options.base_url = Some(value()?),
                "--out" => options.out = Some(PathBuf::from(value()?)),
                "--plain-timeout" => options.plain_timeout = Some(seconds(&arg, &value()?)?),
                "--paired-only" => options.paired_only = true,
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if options.seconds.is_zero() {
            return Err("--seconds must be more than 0".to_owned());
        }
        if options.endpoints.is_empty() {
            options.endpoints = Endpoint::ALL.to_vec();
        }
        if options.clients.is_empty() {
            options.clients = ClientKind::ALL.to_vec();
        }
        options.endpoints.dedup();
        options.clients.dedup();
        if options.paired_only {
            if options.clients.len() < ClientKind::ALL.len() {
                return Err("--paired-only needs both clients".to_owned());
            }
            options.in_flight = vec![1];
        }
        Ok(options)
    }
}

fn positive(flag: &str, text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "{flag} takes a positive whole number, not {text:?}"
        )),
    }
}

fn seconds(flag: &str, text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{flag} takes seconds (0.5, 3), not {text:?}"))
}
