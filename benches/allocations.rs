//! Heap allocations per operation: per signature of each scheme, and per whole `GET /me`
//! call of the typed OVH client and of plain reqwest (the requests of `benches/signing.rs`
//! and `benches/client.rs`).
//!
//!     cargo bench --bench allocations
//!
//! A counting wrapper around the system allocator counts the calls to `alloc` (and
//! `alloc_zeroed`), to `realloc`, and the bytes asked for (an allocation's size, a
//! reallocation's growth). Each case is warmed up, then run `N` times between two reads
//! of the counters; the figures are the differences divided by `N`. The mock answering
//! the calls runs in a child process (this bench started again with `serve`), so its
//! allocations are not counted; the calls run on a current-thread runtime.
//!
//! Prints a table and writes `bench-results/allocations.json` in Cargo's target
//! directory (see `benches/support/results.rs`):
//!
//! ```json
//! {"signing": {"ovh": {"allocs": 9.0, "reallocs": 0.0, "bytes": 512.0}, ...},
//!  "call": {"typed": {...}, "plain": {...}, "plain_timeout": {...}},
//!  "iterations": {"signing": 1000, "signing_rsa": 100, "call": 500}}
//! ```

#[allow(dead_code, reason = "this bench reads the request counts only")]
#[path = "../examples/support/counting_alloc.rs"]
mod counting_alloc;
#[allow(dead_code, reason = "each bench uses part of the shared set-up")]
#[path = "support/mod.rs"]
mod support;

use serde_json::{Map, Value, json};
use support::calls::{Calls, Side};
use support::signing::{CASES, Case};

/// Signatures counted per case (RSA cases fewer: each takes about a millisecond).
const SIGNING: u64 = 1_000;
const SIGNING_RSA: u64 = 100;
/// Calls counted per side.
const CALLS: u64 = 500;

/// What one operation asked of the allocator, on average.
#[derive(Clone, Copy)]
struct PerOp {
    allocs: f64,
    reallocs: f64,
    bytes: f64,
}

impl PerOp {
    fn json(self) -> Value {
        json!({"allocs": self.allocs, "reallocs": self.reallocs, "bytes": self.bytes})
    }
}

/// Runs `operation` `n` times and divides what it asked for by `n`.
fn per_op(n: u64, mut operation: impl FnMut(u64)) -> PerOp {
    let before = counting_alloc::requests();
    operation(n);
    let after = counting_alloc::requests();
    let per = |at: usize| (after[at] - before[at]) as f64 / n as f64;
    PerOp {
        allocs: per(0),
        reallocs: per(1),
        bytes: per(2),
    }
}

fn row(name: &str, per: PerOp) {
    println!(
        "| {name:<16} | {:>9.2} | {:>11.2} | {:>10.1} |",
        per.allocs, per.reallocs, per.bytes
    );
}

fn header(what: &str) {
    println!(
        "| {what:<16} | {:>9} | {:>11} | {:>10} |",
        "allocs/op", "reallocs/op", "bytes/op"
    );
    println!("|------------------|----------:|------------:|-----------:|");
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("serve") {
        support::ovh_me::serve();
        return;
    }

    let mut signing = Map::new();
    header("signing");
    for name in CASES {
        let case = Case::new(name).unwrap();
        let request = case.request();
        let n = if name.contains("rsa") {
            SIGNING_RSA
        } else {
            SIGNING
        };
        for _ in 0..3 {
            case.sign(&request);
        }
        let per = per_op(n, |n| {
            for _ in 0..n {
                case.sign(&request);
            }
        });
        row(name, per);
        signing.insert(name.to_owned(), per.json());
    }

    // The server in a child process: none of its allocations are counted here.
    let server = support::server::Spawned::start().unwrap();
    let calls = Calls::new(server.base_url());
    let mut call = Map::new();
    println!();
    header("GET /me call");
    for side in Side::ALL {
        calls.warm_up(side);
        let per = per_op(CALLS, |n| calls.run(side, n));
        row(side.name(), per);
        call.insert(side.name().to_owned(), per.json());
    }
    server.stop().unwrap();

    let results = json!({
        "signing": signing,
        "call": call,
        "iterations": {"signing": SIGNING, "signing_rsa": SIGNING_RSA, "call": CALLS},
    });
    let path = support::results::dir().join("allocations.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&results).unwrap() + "\n",
    )
    .unwrap();
    println!("\nwritten to {}", path.display());
}
