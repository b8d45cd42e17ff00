//! The figures: medians and spreads per client and case, a Markdown table for the
//! terminal (ready to paste into BENCHMARKS.md), and the JSON file a chart script reads.

use std::path::Path;

use serde::Serialize;

use crate::calls::{ClientKind, Endpoint};
use crate::options::Options;
use crate::paired::PairedRun;
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
    /// Typed's calls per second over plain's in the run taken beside it, run by run
    /// (typed entries, when plain was measured too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratios_to_plain: Option<Vec<f64>>,
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
            cpu_us_per_call_median: cpu.as_deref().map(median_of),
            cpu_us_per_call: cpu,
            timeout_s: None,
            ratios_to_plain: None,
        }
    }

    /// Records, on a typed entry, its runs' ratios to `plain`'s, run by run: each typed
    /// run was taken next to the plain one it is divided by, so drift in the machine's
    /// load over the case cancels more than in the ratio of the medians.
    pub fn set_ratios_to(&mut self, plain: &Measured) {
        self.ratios_to_plain = Some(
            self.runs
                .iter()
                .zip(&plain.runs)
                .map(|(typed, plain)| typed / plain)
                .collect(),
        );
    }
}

/// The median of `values` and a 95% interval for it that assumes nothing about their
/// distribution: the order statistics the sign test puts the median between (with 5
/// runs the interval is min–max and holds with 94%; with 15, the 4th to the 12th).
pub fn median_with_interval(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    interval_of_sorted(&sorted)
}

/// [`median_with_interval`] of figures already sorted.
fn interval_of_sorted(sorted: &[f64]) -> (f64, f64, f64) {
    let n = sorted.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    // The largest k with P(Binomial(n, 1/2) < k) ≤ 2.5%, at least 1: the interval is
    // the k-th value from each end.
    let mut k = 1;
    let mut below = 0.0;
    let mut term = 0.5f64.powi(i32::try_from(n).unwrap_or(i32::MAX));
    for i in 0..n {
        below += term;
        if below > 0.025 {
            break;
        }
        k = i + 1;
        term *= (n - i) as f64 / (i + 1) as f64;
    }
    let k = k.min(n.div_ceil(2));
    (median(sorted), sorted[k - 1], sorted[n - k])
}

/// The paired runs of one endpoint, one call at a time ([`crate::paired`]): typed's
/// throughput relative to plain's in each run, and the mean time per call of each
/// client. Serialised as is into the `-paired` JSON file.
#[derive(Debug, Clone, Serialize)]
pub struct PairedMeasured {
    pub endpoint: &'static str,
    /// Plain's mean time per call over typed's, run by run.
    pub ratios: Vec<f64>,
    pub median: f64,
    /// The median's 95% interval ([`median_with_interval`]).
    pub low: f64,
    pub high: f64,
    pub min: f64,
    pub max: f64,
    /// Each client's mean time per call, in microseconds, run by run.
    pub typed_mean_us: Vec<f64>,
    pub plain_mean_us: Vec<f64>,
    /// Calls counted per client, run by run.
    pub typed_calls: Vec<u64>,
    pub plain_calls: Vec<u64>,
}

impl PairedMeasured {
    pub fn new(endpoint: Endpoint, runs: &[PairedRun]) -> Self {
        let ratios: Vec<f64> = runs.iter().map(PairedRun::ratio).collect();
        let mut sorted = ratios.clone();
        sorted.sort_by(f64::total_cmp);
        let (median, low, high) = interval_of_sorted(&sorted);
        PairedMeasured {
            endpoint: endpoint.path(),
            median,
            low,
            high,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            ratios,
            typed_mean_us: runs.iter().map(|run| run.typed_mean_us).collect(),
            plain_mean_us: runs.iter().map(|run| run.plain_mean_us).collect(),
            typed_calls: runs.iter().map(|run| run.typed_calls).collect(),
            plain_calls: runs.iter().map(|run| run.plain_calls).collect(),
        }
    }
}

/// The median of figures in any order.
fn median_of(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    median(&sorted)
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

/// One paired run's figures, for the progress lines.
pub fn paired_progress(run: &PairedRun) -> String {
    format!(
        "paired typed {:.1} µs/call ({}), plain {:.1} µs/call ({}): typed/plain {:.3}",
        run.typed_mean_us,
        run.typed_calls,
        run.plain_mean_us,
        run.plain_calls,
        run.ratio()
    )
}

/// One row per paired case: the ratio's median and its 95% interval over the runs, and
/// each client's median time per call.
pub fn paired_table(paired: &[PairedMeasured]) -> String {
    let mut out = String::from(
        "| endpoint, one call at a time | typed / plain, paired (95% interval) \
         | time per call, typed / plain |\n\
         |---|---:|---:|\n",
    );
    for p in paired {
        out.push_str(&format!(
            "| `{}` | {:.3} ({:.3}–{:.3}) | {:.1} / {:.1} µs |\n",
            p.endpoint,
            p.median,
            p.low,
            p.high,
            median_of(&p.typed_mean_us),
            median_of(&p.plain_mean_us)
        ));
    }
    out
}

/// Where the paired results go: beside `out`, `-paired` added to its name
/// (`throughput.json` → `throughput-paired.json`).
pub fn paired_path(out: &Path) -> std::path::PathBuf {
    let stem = out.file_stem().map_or_else(
        || "throughput".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let extension = out
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    out.with_file_name(format!("{stem}-paired{extension}"))
}

/// One row per endpoint and in-flight level: each client's median and min–max, and
/// typed/plain of the medians when both were measured, and run by run (median and its
/// 95% interval); then the median CPU per call.
pub fn table(measured: &[Measured]) -> String {
    let mut out = String::from(
        "| endpoint | in flight | typed calls/s (min–max) | plain calls/s (min–max) | typed / plain \
         | typed / plain run by run (95% interval) | client CPU/call, typed / plain |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
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
        let by_run = typed
            .and_then(|typed| typed.ratios_to_plain.as_deref())
            .map_or_else(
                || "–".to_owned(),
                |ratios| {
                    let (median, low, high) = median_with_interval(ratios);
                    format!("{median:.3} ({low:.3}–{high:.3})")
                },
            );
        let cpu = |m: Option<&Measured>| {
            m.and_then(|m| m.cpu_us_per_call_median)
                .map_or_else(|| "–".to_owned(), |cpu| format!("{cpu:.1} µs"))
        };
        out.push_str(&format!(
            "| `{endpoint}` | {in_flight} | {} | {} | {ratio} | {by_run} | {} / {} |\n",
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

/// Writes a list of results ([`Measured`], [`PairedMeasured`]), creating the folder.
pub fn write_json<T: Serialize>(measured: &[T], path: &Path) -> Result<(), String> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let json = serde_json::to_string_pretty(measured)
        .map_err(|e| format!("cannot encode the results: {e}"))?;
    std::fs::write(path, json + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}
