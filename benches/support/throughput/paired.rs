//! Typed against plain one call at a time, under the very same conditions: a single
//! loop alternating the two clients.
//!
//! Runs of one client after the other leave the ratio at the mercy of whatever else the
//! machine does during each run: on a shared host single runs spread by ±20%, more than
//! the 5% the comparison is about. Here one task makes a typed call, then a plain one,
//! then a typed one…, timing each. Whatever slows the machine slows both clients' calls
//! alike, within a fraction of a millisecond of each other, and cancels out of the ratio
//! of their mean times per call. One call at a time, a loop's calls per second are one
//! over its mean time per call, so that ratio (plain's mean time over typed's) is the
//! typed client's sequential throughput relative to plain reqwest's.
//!
//! Only sequentially. With many calls in flight a call's time is mostly spent waiting
//! behind the other calls' work on the shared cores, and with both clients in the same
//! loops that wait is the same for both: tried at 64 and 256 in flight, the ratio came
//! out at 1.00–1.03, while each client alone shows the typed one spending more CPU per
//! call. There the alternated runs and the CPU time per call are the readings.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

use crate::calls::Caller;
use crate::timed::Window;

/// What one paired run measured: each client's completed calls and their total time.
#[derive(Debug, Clone, Copy)]
pub struct PairedRun {
    pub typed_calls: u64,
    pub typed_mean_us: f64,
    pub plain_calls: u64,
    pub plain_mean_us: f64,
}

impl PairedRun {
    /// Typed's throughput relative to plain's: plain's mean time per call over typed's.
    pub fn ratio(&self) -> f64 {
        self.plain_mean_us / self.typed_mean_us
    }
}

/// Where a run is: calls are counted only if they start and end while measuring.
const WARMING: u8 = 0;
const MEASURING: u8 = 1;
const STOPPING: u8 = 2;

/// One client's calls in the window: how many, and their summed time.
#[derive(Default)]
struct Sum {
    calls: AtomicU64,
    nanos: AtomicU64,
}

impl Sum {
    fn add(&self, started: Instant) {
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    fn mean_us(&self) -> (u64, f64) {
        let calls = self.calls.load(Ordering::Relaxed);
        let nanos = self.nanos.load(Ordering::Relaxed);
        (calls, nanos as f64 / 1e3 / calls.max(1) as f64)
    }
}

/// What the tasks of one paired run share.
struct Shared {
    phase: AtomicU8,
    typed: Sum,
    plain: Sum,
    failed: AtomicU64,
}

impl Shared {
    fn new() -> Self {
        Shared {
            phase: AtomicU8::new(WARMING),
            typed: Sum::default(),
            plain: Sum::default(),
            failed: AtomicU64::new(0),
        }
    }
}

/// One paired run: one task alternating `typed` and `plain` calls, spawned on the
/// runtime as the alternated runs' tasks are. Any failed call makes the run an error.
pub async fn paired_run(
    typed: Arc<Caller>,
    plain: Arc<Caller>,
    window: Window,
) -> Result<PairedRun, String> {
    let shared = Arc::new(Shared::new());
    let looping = {
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let callers = [typed, plain];
            let mut turn = 0;
            let mut first_failure = None;
            while shared.phase.load(Ordering::Relaxed) != STOPPING {
                let counted = shared.phase.load(Ordering::Relaxed) == MEASURING;
                let started = Instant::now();
                match callers[turn].call().await {
                    Err(message) => {
                        shared.failed.fetch_add(1, Ordering::Relaxed);
                        first_failure.get_or_insert(message);
                    }
                    Ok(()) if counted && shared.phase.load(Ordering::Relaxed) == MEASURING => {
                        [&shared.typed, &shared.plain][turn].add(started);
                    }
                    Ok(()) => {}
                }
                turn = 1 - turn;
            }
            first_failure
        })
    };
    tokio::time::sleep(window.warm_up).await;
    shared.phase.store(MEASURING, Ordering::Relaxed);
    tokio::time::sleep(window.measure).await;
    shared.phase.store(STOPPING, Ordering::Relaxed);
    let first_failure = looping
        .await
        .map_err(|e| format!("the calling task died: {e}"))?;
    let failed = shared.failed.load(Ordering::Relaxed);
    if failed > 0 {
        let first = first_failure.unwrap_or_default();
        return Err(format!("{failed} calls failed; the first: {first}"));
    }
    let (typed_calls, typed_mean_us) = shared.typed.mean_us();
    let (plain_calls, plain_mean_us) = shared.plain.mean_us();
    if typed_calls == 0 || plain_calls == 0 {
        return Err("no call completed inside the window".to_owned());
    }
    Ok(PairedRun {
        typed_calls,
        typed_mean_us,
        plain_calls,
        plain_mean_us,
    })
}
