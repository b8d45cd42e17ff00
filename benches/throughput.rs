//! Calls per second of the typed OVH client against a plain reqwest loop, side by side.
//!
//! ```sh
//! cargo bench --bench throughput                       # 1, 64 and 256 in flight, 30 runs of 0.4 s
//! cargo bench --bench throughput -- --runs 9 --seconds 2 --in-flight 1,64
//! cargo bench --bench throughput -- --client typed --endpoint /me --in-flight 1,64
//! cargo bench --bench throughput -- --paired-only --runs 15 # sequential, call by call
//! cargo bench --bench throughput -- serve              # just the mock: prints its OVH base URL
//! ```
//!
//! Criterion (`benches/client.rs`) times one call after another; this counts how many
//! calls complete per second when 1, 64 or 256 are kept in flight, which is what an
//! application fanning calls out sees. The mock runs in a separate process (this binary
//! started again with `serve`), so the client side has its own runtime and the server's
//! work does not count as the client's.
//!
//! Each case (an endpoint at an in-flight level) builds one typed client and one
//! `reqwest::Client`, each shared by all the case's tasks, and measures them in turns
//! (typed then plain, then plain then typed, …) so that drift in the machine's load hits
//! both alike.
//! `GET /me` is signed: the typed client signs every call, the plain loop sends headers
//! signed once before each run (OVH accepts a timestamp for minutes). `GET /auth/time` is
//! unsigned: what is left is the client's own path (URL, retry, error mapping). Both sides
//! decode the same model. Any failed call fails the whole run (exit status 1).
//!
//! Two readings of typed/plain come out of the alternated runs: the ratio of the two
//! medians, and the median of the ratios of runs taken next to each other, with a 95%
//! interval that assumes nothing about how the runs spread (the sign test's order
//! statistics: min–max for 5 runs, the 4th to 12th of 15). One call at a time there is
//! a third, steadier one ([`paired`]): after the alternated runs, one loop alternates the
//! two clients call by call and compares their mean times per call, so that whatever
//! slows the machine slows both alike.
//!
//! The results go to the terminal as a Markdown table and to
//! `$CARGO_TARGET_DIR/bench-results/throughput.json` (`target/` when the variable is
//! unset; `--out` names another file), a JSON list with one object per client and case:
//!
//! ```json
//! [{"client": "typed", "endpoint": "/me", "in_flight": 64,
//!   "runs": [5210.4, 5302.9, 5188.0], "median": 5210.4, "min": 5188.0, "max": 5302.9}]
//! ```
//!
//! `client` is `"typed"` or `"plain"`, `endpoint` `"/me"` or `"/auth/time"`, and the
//! figures are calls per second, `runs` in the order they were taken. Each object also
//! has `"cpu_us_per_call"` (a list, one per run) and `"cpu_us_per_call_median"`: the
//! client process's CPU time over the window per call, in microseconds (Linux only;
//! absent elsewhere), which the machine's other load moves far less than calls/s. A
//! typed entry measured beside plain has `"ratios_to_plain"`, typed/plain run by run. A
//! plain entry measured with `--plain-timeout S` (a diagnostic) also has `"timeout_s": S`.
//! The paired runs go to a second file beside it, `throughput-paired.json`:
//!
//! ```json
//! [{"endpoint": "/me", "ratios": [0.96, 0.95, 0.97], "median": 0.96, "low": 0.95,
//!   "high": 0.97, "min": 0.95, "max": 0.97,
//!   "typed_mean_us": [131.0, …], "plain_mean_us": [126.2, …],
//!   "typed_calls": [11422, …], "plain_calls": [11420, …]}]
//! ```
//!
//! where `ratios` are plain's mean time per call over typed's (typed's throughput
//! relative to plain's), run by run, and `low`–`high` the median's 95% interval. Flags: see `--help` ([`options`]).

#[path = "support/throughput/calls.rs"]
mod calls;
#[path = "support/throughput/cpu.rs"]
mod cpu;
#[path = "support/throughput/options.rs"]
mod options;
#[allow(
    dead_code,
    reason = "the throughput driver uses the credentials and serve only"
)]
#[path = "support/ovh_me.rs"]
mod ovh_me;
#[path = "support/throughput/paired.rs"]
mod paired;
#[path = "support/throughput/report.rs"]
mod report;
#[path = "support/results.rs"]
mod results;
#[path = "support/server.rs"]
mod server;
#[path = "support/throughput/timed.rs"]
mod timed;

use std::process::ExitCode;
use std::sync::Arc;

use calls::{ClientKind, Endpoint};
use options::{Command, Options};
use report::{Measured, PairedMeasured};
use timed::{Rate, Window};

fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("throughput: {message}\n\n{}", options::USAGE);
            return ExitCode::from(2);
        }
    };
    let outcome = match options.command {
        Command::Help => {
            println!("{}", options::USAGE);
            Ok(())
        }
        Command::Serve => {
            ovh_me::serve();
            Ok(())
        }
        Command::Measure => measure(&options),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("throughput: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Starts the server (unless `--base-url` names one), measures every case, reports.
fn measure(options: &Options) -> Result<(), String> {
    let spawned = match &options.base_url {
        Some(_) => None,
        None => Some(server::Spawned::start()?),
    };
    let base_url = match (&options.base_url, &spawned) {
        (Some(url), _) => url.clone(),
        (None, Some(spawned)) => spawned.base_url().to_owned(),
        (None, None) => unreachable!("a server is spawned when no base URL is given"),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the client runtime: {e}"))?;
    eprintln!("{}", report::preamble(options, &base_url));
    let (measured, paired) = runtime.block_on(measure_all(options, &base_url))?;
    drop(runtime);
    if let Some(spawned) = spawned {
        spawned.stop()?;
    }
    println!("{}", report::table(&measured));
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| results::dir().join("throughput.json"));
    report::write_json(&measured, &out)?;
    eprintln!("results written to {}", out.display());
    if !paired.is_empty() {
        println!("{}", report::paired_table(&paired));
        let out = report::paired_path(&out);
        report::write_json(&paired, &out)?;
        eprintln!("paired results written to {}", out.display());
    }
    Ok(())
}

/// Every case in turn: in-flight levels outermost, so one level's figures are taken
/// close together in time. With both clients, each sequential case's alternated runs are
/// followed by as many paired runs ([`paired`]).
async fn measure_all(
    options: &Options,
    base_url: &str,
) -> Result<(Vec<Measured>, Vec<PairedMeasured>), String> {
    let (mut measured, mut paired) = (Vec::new(), Vec::new());
    let both = options.clients.len() == ClientKind::ALL.len();
    for &in_flight in &options.in_flight {
        for &endpoint in &options.endpoints {
            let case = calls::Case::new(base_url, endpoint, options.plain_timeout)?;
            case.check_agreement().await?;
            if !options.paired_only {
                measured.extend(measure_case(options, &case, endpoint, in_flight).await?);
            }
            if both && in_flight == 1 {
                paired.push(measure_paired(options, &case, endpoint).await?);
            }
        }
    }
    Ok((measured, paired))
}

/// One endpoint one call at a time, the clients alternating call by call ([`paired`]).
async fn measure_paired(
    options: &Options,
    case: &calls::Case,
    endpoint: Endpoint,
) -> Result<PairedMeasured, String> {
    let window = Window {
        warm_up: options.warm_up,
        measure: options.seconds,
    };
    let mut runs = Vec::new();
    for run in 1..=options.runs {
        let typed = Arc::new(case.caller(ClientKind::Typed)?);
        let plain = Arc::new(case.caller(ClientKind::Plain)?);
        let measured = paired::paired_run(typed, plain, window)
            .await
            .map_err(|failed| format!("paired {}, run {run}: {failed}", endpoint.path()))?;
        eprintln!(
            "  {:<10}   1 in flight  run {run}/{}  {}",
            endpoint.path(),
            options.runs,
            report::paired_progress(&measured)
        );
        runs.push(measured);
    }
    Ok(PairedMeasured::new(endpoint, &runs))
}

/// One endpoint at one in-flight level: the clients' runs taken in turns, the order
/// reversed every other run (typed then plain, plain then typed, …), so that whatever a
/// run leaves behind for the next (idle connections, a busier server) favours neither.
async fn measure_case(
    options: &Options,
    case: &calls::Case,
    endpoint: Endpoint,
    in_flight: usize,
) -> Result<Vec<Measured>, String> {
    let window = Window {
        warm_up: options.warm_up,
        measure: options.seconds,
    };
    let mut rates: Vec<Vec<Rate>> = vec![Vec::new(); options.clients.len()];
    for run in 1..=options.runs {
        let mut order: Vec<(usize, ClientKind)> =
            options.clients.iter().copied().enumerate().collect();
        if run % 2 == 0 {
            order.reverse();
        }
        for (slot, client) in order {
            let caller = Arc::new(case.caller(client)?);
            let rate = timed::calls_per_second(caller, in_flight, window)
                .await
                .map_err(|failed| {
                    format!(
                        "{} {} at {in_flight} in flight, run {run}: {failed}",
                        client.name(),
                        endpoint.path()
                    )
                })?;
            eprintln!(
                "  {:<10} {in_flight:>3} in flight  run {run}/{}  {}",
                endpoint.path(),
                options.runs,
                report::progress(client, &rate)
            );
            rates[slot].push(rate);
        }
    }
    let mut measured: Vec<Measured> = options
        .clients
        .iter()
        .zip(rates)
        .map(|(&client, rates)| {
            let mut result = Measured::new(client, endpoint, in_flight, &rates);
            if client == ClientKind::Plain {
                result.timeout_s = options.plain_timeout.map(|t| t.as_secs_f64());
            }
            result
        })
        .collect();
    if let [first, second] = measured.as_mut_slice() {
        let (typed, plain) = if first.client == ClientKind::Typed.name() {
            (first, &*second)
        } else {
            (second, &*first)
        };
        typed.set_ratios_to(plain);
    }
    Ok(measured)
}
