//! The figures: medians and spreads per client and case, a Markdown table for the
//! terminal (ready to paste into BENCHMARKS.md), and the JSON file a chart script reads.

use std::path::Path;

use serde::Serialize;

use crate::calls::{ClientKind, Endpoint};
use crate::options::Options;
use crate::timed::Rate;

/// The runs of one client in one case, and their summary. Serialised as is: this is the
/// JSON shape documented in `benches/throughput.rs`.
#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub client: &'static str,
    pub endpoint: &'static str,
    pub in_flight: usize,
    /// Calls per second, in the order the runs were taken.
    pub runs: Vec<f64>,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// The client process's CPU time per call, in microseconds, run by run (Linux).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_us_per_call: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_us_per_call_median: Option<f64>,
    /// The per-call timeout of a plain loop run with `--plain-timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<f64>,
}

impl Measured {
    pub fn new(client: ClientKind, endpoint: Endpoint, in_flight: usize, rates: &[Rate]) -> Self {
        let runs: Vec<f64> = rates.iter().map(|rate| rate.calls_per_second).collect();
        let cpu: Option<Vec<f64>> = rates
            .iter()
            .map(|rate| rate.cpu_per_call.map(|cpu| cpu.as_secs_f64() * 1e6))
            .collect();
        let mut sorted = runs.clone();
        sorted.sort_by(f64::total_cmp);
        Measured {
            client: client.name(),
            endpoint: endpoint.path(),
            in_flight,
            median: median(&sorted),
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            runs,
            cpu_us_per_call_median: cpu.as_deref().map(|cpu| {
                let mut sorted = cpu.to_vec();
                sorted.sort_by(f64::total_cmp);
                median(&sorted)
            }),
            cpu_us_per_call: cpu,
            timeout_s: None,
        }
    }
}

/// The middle value of sorted figures (the mean of the two middle ones for an even
/// count): robust to the one run a neighbouring build slowed down.
fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// What the run is about to do, for the top of its output.
pub fn preamble(options: &Options, base_url: &str) -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let plain_timeout = options.plain_timeout.map_or_else(String::new, |timeout| {
        format!(
            "; plain calls with a {:.1} s timeout",
            timeout.as_secs_f64()
        )
    });
    format!(
        "throughput: {} runs of {:.1} s (after {:.1} s warm-up) per client and case, clients \
         interleaved; in flight {:?}; server {base_url} (separate process); {cores} \
         cores{plain_timeout}",
        options.runs,
        options.seconds.as_secs_f64(),
        options.warm_up.as_secs_f64(),
        options.in_flight,
    )
}

/// One run's figures, for the progress lines.
pub fn progress(client: ClientKind, rate: &Rate) -> String {
    let cpu = rate.cpu_per_call.map_or_else(
        || "–".to_owned(),
        |cpu| format!("{:.1} µs", cpu.as_secs_f64() * 1e6),
    );
    format!(
        "{:<5} {:>10.0} calls/s  {cpu} CPU/call",
        client.name(),
        rate.calls_per_second
    )
}

/// One row per endpoint and in-flight level: each client's median and min–max, and
/// typed/plain of the medians when both were measured; then the median CPU per call.
pub fn table(measured: &[Measured]) -> String {
    let mut out = String::from(
        "| endpoint | in flight | typed calls/s (min–max) | plain calls/s (min–max) | typed / plain \
         | client CPU/call, typed / plain |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut cases: Vec<(&str, usize)> = Vec::new();
    for m in measured {
        if !cases.contains(&(m.endpoint, m.in_flight)) {
            cases.push((m.endpoint, m.in_flight));
        }
    }
    for (endpoint, in_flight) in cases {
        let find = |client: ClientKind| {
            measured.iter().find(|m| {
                m.client == client.name() && m.endpoint == endpoint && m.in_flight == in_flight
            })
        };
        let (typed, plain) = (find(ClientKind::Typed), find(ClientKind::Plain));
        let ratio = match (typed, plain) {
            (Some(typed), Some(plain)) => format!("{:.3}", typed.median / plain.median),
            _ => "–".to_owned(),
        };
        let cpu = |m: Option<&Measured>| {
            m.and_then(|m| m.cpu_us_per_call_median)
                .map_or_else(|| "–".to_owned(), |cpu| format!("{cpu:.1} µs"))
        };
        out.push_str(&format!(
            "| `{endpoint}` | {in_flight} | {} | {} | {ratio} | {} / {} |\n",
            cell(typed),
            cell(plain),
            cpu(typed),
            cpu(plain)
        ));
    }
    out
}

fn cell(measured: Option<&Measured>) -> String {
    measured.map_or_else(
        || "–".to_owned(),
        |m| format!("{:.0} ({:.0}–{:.0})", m.median, m.min, m.max),
    )
}

/// Writes the list of [`Measured`], creating the folder.
pub fn write_json(measured: &[Measured], path: &Path) -> Result<(), String> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let json = serde_json::to_string_pretty(measured)
        .map_err(|e| format!("cannot encode the results: {e}"))?;
    std::fs::write(path, json + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}
