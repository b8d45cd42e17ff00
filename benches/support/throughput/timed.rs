//! One timed run: a fixed number of calls kept in flight, counted over a fixed window.
//!
//! Each of the `in_flight` tasks makes one call after another until told to stop, so
//! exactly that many are outstanding at any time (one task is a sequential loop). The
//! count is read when the warm-up ends and when the window ends, and the rate is the
//! difference over the time between the two readings: connection set-up, the first
//! calls' allocations and the tail of calls still in flight at the end stay outside it.
//! The process's CPU time is read at the same two moments.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::calls::Caller;
use crate::cpu;

/// How long a run warms up, then how long it is timed.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub warm_up: Duration,
    pub measure: Duration,
}

/// What one run measured.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub calls_per_second: f64,
    /// CPU time of the whole client process over the window, per call completed in it.
    pub cpu_per_call: Option<Duration>,
}

/// What the tasks of one run share.
#[derive(Default)]
struct Tally {
    stop: AtomicBool,
    done: AtomicU64,
    failed: AtomicU64,
    first_failure: Mutex<Option<String>>,
}

impl Tally {
    fn fail(&self, message: String) {
        if self.failed.fetch_add(1, Ordering::Relaxed) == 0 {
            *self
                .first_failure
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(message);
        }
    }
}

/// Calls per second completed by `caller` with `in_flight` calls outstanding. Any
/// failed call, in the warm-up or in the window, makes the run an error that says how
/// many failed and the first one's message.
pub async fn calls_per_second(
    caller: Arc<Caller>,
    in_flight: usize,
    window: Window,
) -> Result<Rate, String> {
    let tally = Arc::new(Tally::default());
    let mut tasks = JoinSet::new();
    for _ in 0..in_flight {
        let caller = Arc::clone(&caller);
        let tally = Arc::clone(&tally);
        tasks.spawn(async move {
            while !tally.stop.load(Ordering::Relaxed) {
                match caller.call().await {
                    Ok(()) => {
                        tally.done.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(message) => tally.fail(message),
                }
            }
        });
    }
    tokio::time::sleep(window.warm_up).await;
    let (start_count, started, start_cpu) = (
        tally.done.load(Ordering::Relaxed),
        Instant::now(),
        cpu::process_time(),
    );
    tokio::time::sleep(window.measure).await;
    let (end_count, ended, end_cpu) = (
        tally.done.load(Ordering::Relaxed),
        Instant::now(),
        cpu::process_time(),
    );
    tally.stop.store(true, Ordering::Relaxed);
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| format!("a calling task died: {e}"))?;
    }
    let failed = tally.failed.load(Ordering::Relaxed);
    if failed > 0 {
        let first = tally
            .first_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        return Err(format!("{failed} calls failed; the first: {first}"));
    }
    let calls = end_count - start_count;
    let cpu_per_call = match (start_cpu, end_cpu) {
        (Some(start), Some(end)) if calls > 0 => {
            Some(end.saturating_sub(start).div_f64(calls as f64))
        }
        _ => None,
    };
    Ok(Rate {
        calls_per_second: calls as f64 / (ended - started).as_secs_f64(),
        cpu_per_call,
    })
}
