//! The driver `benches/instructions.py` runs under callgrind: it signs, or calls the
//! mock, a given number of times and nothing else, so that the instructions of one
//! operation are the difference between two runs of different lengths divided by the
//! difference of their lengths (start-up and warm-up cancel out).
//!
//! Under callgrind, only what runs inside `counted` is collected (see there).
//!
//! ```text
//! per_call sign <case> <N>                   sign N times (cases: benches/support/signing.rs)
//! per_call serve                             start the mock, print its OVH base URL, run
//!                                            until standard input ends
//! per_call call <typed|plain|plain_timeout> <N> <base_url>
//!                                            N sequential GET /me after a warm-up
//! ```
//!
//! The server runs in a process of its own (`serve`), so none of its work is counted. The
//! calls run on a current-thread runtime: one thread, the same order every run. The
//! system allocator is used as is (the counting allocator of `benches/allocations.rs`
//! would add its own instructions to every allocation).

#[allow(dead_code, reason = "each bench uses part of the shared set-up")]
#[path = "support/mod.rs"]
mod support;

use std::hint::black_box;
use std::process::ExitCode;

use support::calls::{Calls, Side};
use support::signing::Case;

/// Signatures made before the counted ones (caches and lazily built statics settle).
const SIGN_WARM_UP: u64 = 3;

const USAGE: &str =
    "usage: per_call sign <case> <N> | serve | call <typed|plain|plain_timeout> <N> <base_url>";

fn main() -> ExitCode {
    // `cargo bench` adds `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[&str]) -> Result<(), String> {
    match args {
        ["sign", case, n] => {
            let n = count(n)?;
            let case = Case::new(case).ok_or_else(|| format!("no signing case {case:?}"))?;
            let request = case.request();
            for _ in 0..SIGN_WARM_UP {
                black_box(case.sign(&request));
            }
            counted(&|| {
                for _ in 0..n {
                    black_box(case.sign(&request));
                }
            });
            Ok(())
        }
        ["serve"] => {
            support::ovh_me::serve();
            Ok(())
        }
        ["call", side, n, base_url] => {
            let side = Side::parse(side).ok_or_else(|| format!("no side {side:?}"))?;
            let n = count(n)?;
            let calls = Calls::new(base_url);
            calls.warm_up(side);
            counted(&|| calls.run(side, n));
            Ok(())
        }
        _ => Err(format!("unexpected arguments {args:?}")),
    }
}

/// Runs the operations that are counted: `instructions.py` has callgrind collect only
/// inside this function (`--toggle-collect=per_call::counted`), so that nothing before
/// (process start, keys loaded, an RSA signature that fills nOps' cache, the warm-up
/// calls) adds its own variations to the count.
#[inline(never)]
fn counted(operations: &dyn Fn()) {
    operations();
}

fn count(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{text:?} is not a number of iterations"))
}
