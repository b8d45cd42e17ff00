//! The tables printed and the JSON written.

use crate::in_flight::Burst;
use crate::mock_process::MockStats;
use crate::one_client::{Holding, Kind};

type Outcome<T> = Result<T, String>;

/// What a typed client may hold beyond reqwest's own client and pool.
pub const BAR_KIB: f64 = 64.0;

fn kib(bytes: i64) -> f64 {
    bytes as f64 / 1024.0
}

/// Instances 2 and later: what one more client of a kind costs.
fn another(kind: &Kind, field: fn(&Holding) -> i64) -> f64 {
    let rest = &kind.instances[1..];
    rest.iter().map(field).sum::<i64>() as f64 / rest.len().max(1) as f64
}

/// (b) − (a) for one typed kind: (first instance, another instance), in bytes, for the
/// live heap and for glibc's count.
struct Beyond {
    first: (f64, f64),
    another: (f64, f64),
}

fn beyond(kind: &Kind, plain: &Kind) -> Beyond {
    let live = |h: &Holding| h.live_bytes;
    let malloc = |h: &Holding| h.malloc_bytes;
    Beyond {
        first: (
            (kind.instances[0].live_bytes - plain.instances[0].live_bytes) as f64,
            (kind.instances[0].malloc_bytes - plain.instances[0].malloc_bytes) as f64,
        ),
        another: (
            another(kind, live) - another(plain, live),
            another(kind, malloc) - another(plain, malloc),
        ),
    }
}

pub fn print(kinds: &[Kind], bursts: &[Burst], mocks: &[MockStats]) {
    println!("1. One client after one call on one kept-alive connection");
    println!("   heap added, KiB: live Rust heap / glibc in use (Rust + C allocations)\n");
    println!(
        "{:<20} {:>17} {:>17} {:>17} {:>6}",
        "client", "1st instance", "2nd", "3rd", "conns"
    );
    for kind in kinds {
        let cells: Vec<String> = kind
            .instances
            .iter()
            .map(|h| format!("{:.1} / {:.1}", kib(h.live_bytes), kib(h.malloc_bytes)))
            .collect();
        let connections: Vec<String> = kind
            .instances
            .iter()
            .map(|h| h.connections.to_string())
            .collect();
        println!(
            "{:<20} {:>17} {:>17} {:>17} {:>6}",
            kind.name,
            cells.first().map_or("", String::as_str),
            cells.get(1).map_or("", String::as_str),
            cells.get(2).map_or("", String::as_str),
            connections.join(",")
        );
    }
    let Some((plain, typed)) = kinds.split_first() else {
        return;
    };
    println!(
        "\n   (b) − (a): held beyond a plain reqwest::Client, KiB (live / glibc), bar {BAR_KIB} KiB\n"
    );
    println!(
        "{:<20} {:>21} {:>21} {:>8}",
        "client", "first of its kind", "one more (2nd, 3rd)", "verdict"
    );
    // The typed clients: named by their path (the plain client's own breakdown is not).
    for kind in typed.iter().filter(|kind| kind.name.contains("::")) {
        let b = beyond(kind, plain);
        let worst = b.another.0.max(b.another.1) / 1024.0;
        println!(
            "{:<20} {:>21} {:>21} {:>8}",
            kind.name,
            format!("{:.1} / {:.1}", b.first.0 / 1024.0, b.first.1 / 1024.0),
            format!("{:.1} / {:.1}", b.another.0 / 1024.0, b.another.1 / 1024.0),
            if worst < BAR_KIB { "under" } else { "OVER" }
        );
    }

    println!("\n2. Calls started at once on one client");
    println!("   live heap of the client process, KiB\n");
    println!(
        "{:<14} {:>5} {:>6} {:>9} {:>6} {:>8} {:>6} {:>6}  {:>7} {:>8} {:>9} {:>8} {:>8} {:>7}",
        "target",
        "mock",
        "calls",
        "in flight",
        "conns",
        "mock req",
        "errors",
        "secs",
        "before",
        "peak",
        "per call",
        "after",
        "idle",
        "dropped"
    );
    for burst in bursts {
        let idle = burst
            .after_idle
            .map_or("–".to_owned(), |m| format!("{:.0}", kib(m.live_bytes)));
        println!(
            "{:<14} {:>5} {:>6} {:>9} {:>6} {:>8} {:>6} {:>6.2}  {:>7.0} {:>8.0} {:>9} {:>8.0} {:>8} {:>7.0}",
            burst.target,
            format!("{} ms", burst.mock_latency_ms),
            burst.calls,
            burst.most_in_flight,
            burst.connections,
            burst.mock_requests,
            burst.errors,
            burst.seconds,
            kib(burst.before.live_bytes),
            kib(burst.peak.live_bytes),
            format!("{:.1} KiB", kib(burst.bytes_per_call())),
            kib(burst.after.live_bytes),
            idle,
            kib(burst.after_drop.live_bytes),
        );
    }
    println!("\n   resident memory (VmRSS) of the client process, KiB (peak sampled every 2 ms)\n");
    println!(
        "{:<14} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>12} {:>6}",
        "target",
        "mock",
        "calls",
        "before",
        "peak",
        "after",
        "idle",
        "dropped",
        "trimmed",
        "future bytes",
        "drop s"
    );
    for burst in bursts {
        let idle = burst
            .after_idle
            .map_or("–".to_owned(), |m| m.vm_rss_kib.to_string());
        println!(
            "{:<14} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>12} {:>6.1}",
            burst.target,
            format!("{} ms", burst.mock_latency_ms),
            burst.calls,
            burst.before.vm_rss_kib,
            burst.peak.vm_rss_kib,
            burst.after.vm_rss_kib,
            idle,
            burst.after_drop.vm_rss_kib,
            burst.trimmed_rss_kib,
            burst.call_future_bytes,
            burst.drop_seconds,
        );
    }
    for burst in bursts.iter().filter(|b| b.errors > 0) {
        println!(
            "   {} calls: {} errors, the first: {}",
            burst.calls,
            burst.errors,
            burst.first_error.as_deref().unwrap_or("?")
        );
    }
    for (mock, name) in mocks.iter().zip(["instant", "slow"]) {
        println!(
            "\nThe {name} mock process at the end: {} requests, {} connections, VmRSS {} KiB (peak {} KiB)",
            mock.total_requests, mock.connections, mock.vm_rss_kib, mock.vm_hwm_kib
        );
    }
}

/// `memory.json` in the benches' results folder (`benches/support/results.rs`).
pub fn write_json(kinds: &[Kind], bursts: &[Burst], mocks: &[MockStats]) -> Outcome<()> {
    let dir = crate::results::dir();
    let beyond: Vec<serde_json::Value> = match kinds.split_first() {
        Some((plain, typed)) => typed
            .iter()
            .filter(|kind| kind.name.contains("::"))
            .map(|kind| {
                let b = beyond(kind, plain);
                serde_json::json!({
                    "client": kind.name,
                    "first_live_bytes": b.first.0,
                    "first_malloc_bytes": b.first.1,
                    "another_live_bytes": b.another.0,
                    "another_malloc_bytes": b.another.1,
                    "under_bar": b.another.0.max(b.another.1) / 1024.0 < BAR_KIB,
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let bursts: Vec<serde_json::Value> = bursts
        .iter()
        .map(|burst| {
            let mut value = serde_json::to_value(burst).unwrap_or_default();
            value["bytes_per_call"] = burst.bytes_per_call().into();
            value
        })
        .collect();
    let json = serde_json::json!({
        "bar_kib": BAR_KIB,
        "one_client": kinds,
        "beyond_reqwest": beyond,
        "in_flight": bursts,
        "mocks_at_end": mocks,
    });
    let path = dir.join("memory.json");
    let text = serde_json::to_string_pretty(&json).map_err(|error| error.to_string())?;
    std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    println!("written: {}", path.display());
    Ok(())
}
