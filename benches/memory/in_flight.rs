//! Many calls in flight at once on one client: the peak of the heap and of resident
//! memory, and what is left once they have ended.
//!
//! Every task is spawned first and waits at a barrier, so that all `calls` are started
//! together. Against a mock that answers at once, the first calls still end before the
//! last have started (a local answer takes well under a millisecond); a mock that waits
//! before each answer (its latency fault, as a distant API would) keeps every call in
//! flight until all have been sent. A sampling
//! thread reads `VmRSS` every 2 ms while they run (the peak between two samples can be
//! missed; `VmHWM`, the kernel's own peak, is read too but covers the whole process
//! life). The live heap's peak is exact: the counting allocator keeps it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use signed_api_clients::ovh::{Ovh, OvhClient};
use tokio::sync::Barrier;

use crate::counting_alloc::{live_bytes, peak_bytes, reset_peak};
use crate::free_pages::release_free_pages;
use crate::mock_process::MockProcess;
use crate::proc_status::vm_rss_kib;

type Outcome<T> = Result<T, String>;

/// What the calls go through.
pub enum Target {
    /// The typed OVH client: `GET /me`, signed, decoded.
    Typed(OvhClient),
    /// A plain reqwest client built as the runtime builds its own: `GET` of this URL
    /// (OVH's unsigned `/auth/time`), read to the end.
    Plain(reqwest::Client, String),
}

impl Target {
    pub fn name(&self) -> &'static str {
        match self {
            Target::Typed(_) => "OvhClient::me",
            Target::Plain(..) => "reqwest GET",
        }
    }

    async fn call(&self) -> Outcome<()> {
        match self {
            Target::Typed(client) => client.me().await.map(drop).map_err(|e| e.to_string()),
            Target::Plain(client, url) => plain_get(client, url).await,
        }
    }

    /// The size of one call's own future (not the enum's, which is as large as the
    /// larger of the two), part of what each task in flight holds.
    fn call_size(&self) -> usize {
        match self {
            Target::Typed(client) => std::mem::size_of_val(&client.me()),
            Target::Plain(client, url) => std::mem::size_of_val(&plain_get(client, url)),
        }
    }
}

async fn plain_get(client: &reqwest::Client, url: &str) -> Outcome<()> {
    let answer = client.get(url).send().await.map_err(|e| e.to_string())?;
    let answer = answer.error_for_status().map_err(|e| e.to_string())?;
    answer.bytes().await.map(drop).map_err(|e| e.to_string())
}

/// Live heap and resident memory at one moment.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Memory {
    pub live_bytes: i64,
    pub vm_rss_kib: u64,
}

impl Memory {
    fn now() -> Memory {
        Memory {
            live_bytes: live_bytes(),
            vm_rss_kib: vm_rss_kib(),
        }
    }
}

/// One burst of `calls` simultaneous calls.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Burst {
    /// What was called ([`Target::name`]).
    pub target: &'static str,
    /// How long the mock waited before each answer, ms.
    pub mock_latency_ms: u64,
    pub calls: u64,
    /// Bytes of the future of one call (part of what each task in flight holds).
    pub call_future_bytes: usize,
    pub errors: u64,
    pub first_error: Option<String>,
    /// The most calls that were between their start and their answer at once.
    pub most_in_flight: u64,
    /// Connections the mock accepted during the burst.
    pub connections: u64,
    /// Requests the mock received during the burst (more than `calls` means retries).
    pub mock_requests: u64,
    pub seconds: f64,
    pub before: Memory,
    /// The live heap's exact peak and the highest `VmRSS` sampled.
    pub peak: Memory,
    /// Right after the last answer, the client and its pool of idle connections alive.
    pub after: Memory,
    /// After the mock has closed the idle connections (its 10 s idle limit), client alive.
    pub after_idle: Option<Memory>,
    /// After the client is dropped, once the heap has stopped falling.
    pub after_drop: Memory,
    /// How long that took, s.
    pub drop_seconds: f64,
    /// Resident memory after that and `malloc_trim`: what glibc kept only in reserve.
    pub trimmed_rss_kib: u64,
}

impl Burst {
    /// Heap added at the peak, per call in flight.
    pub fn bytes_per_call(&self) -> i64 {
        (self.peak.live_bytes - self.before.live_bytes) / self.most_in_flight.max(1) as i64
    }
}

/// Samples `VmRSS` until stopped; returns the highest.
fn sample_rss(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut highest = 0;
        while !stop.load(Ordering::Relaxed) {
            highest = highest.max(vm_rss_kib());
            std::thread::sleep(Duration::from_millis(2));
        }
        highest.max(vm_rss_kib())
    })
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Waits until the live heap has stopped falling (less than 64 KiB in 500 ms), at most
/// 20 s, and says how long that took: a dropped client's connections close in their own
/// tasks, which on two shared cores can take a moment to all run.
async fn settle_until_steady() -> f64 {
    let start = Instant::now();
    let mut last = live_bytes();
    while start.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = live_bytes();
        if (last - now).abs() < 64 * 1024 {
            break;
        }
        last = now;
    }
    start.elapsed().as_secs_f64()
}

/// Runs one burst on a new target; `wait_idle` also waits for the mock to close the
/// idle connections before the target is dropped.
pub async fn burst(
    mock: &mut MockProcess,
    mock_latency: Duration,
    target: Target,
    calls: u64,
    wait_idle: Option<Duration>,
) -> Outcome<Burst> {
    let name = target.name();
    let call_future_bytes = target.call_size();
    let client = Arc::new(target);
    // The clock sync and one connection before the reading, as any client in use has.
    client.call().await?;
    settle().await;
    let mock_before = mock.stats()?;
    let before = Memory::now();
    reset_peak();

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = sample_rss(Arc::clone(&stop));
    let in_flight = Arc::new(AtomicU64::new(0));
    let most = Arc::new(AtomicU64::new(0));
    let gate = Arc::new(Barrier::new(calls as usize + 1));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..calls {
        let (client, gate) = (Arc::clone(&client), Arc::clone(&gate));
        let (in_flight, most) = (Arc::clone(&in_flight), Arc::clone(&most));
        tasks.spawn(async move {
            gate.wait().await;
            let now = in_flight.fetch_add(1, Ordering::Relaxed) + 1;
            most.fetch_max(now, Ordering::Relaxed);
            let result = client.call().await;
            in_flight.fetch_sub(1, Ordering::Relaxed);
            result
        });
    }
    let start = Instant::now();
    gate.wait().await;
    let (mut errors, mut first_error) = (0, None);
    while let Some(joined) = tasks.join_next().await {
        let failed = match joined {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error),
            Err(error) => Some(error.to_string()),
        };
        if let Some(message) = failed {
            errors += 1;
            first_error.get_or_insert(message);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let peak_rss = sampler.join().map_err(|_| "the sampler panicked")?;
    let peak = Memory {
        live_bytes: peak_bytes(),
        vm_rss_kib: peak_rss,
    };
    settle().await;
    let after = Memory::now();
    let mock_after = mock.stats()?;
    let after_idle = match wait_idle {
        Some(wait) => {
            tokio::time::sleep(wait).await;
            Some(Memory::now())
        }
        None => None,
    };
    drop(client);
    let drop_seconds = settle_until_steady().await;
    let after_drop = Memory::now();
    release_free_pages();
    Ok(Burst {
        target: name,
        mock_latency_ms: mock_latency.as_millis() as u64,
        calls,
        call_future_bytes,
        errors,
        first_error,
        most_in_flight: most.load(Ordering::Relaxed),
        connections: mock_after.connections - mock_before.connections,
        mock_requests: mock_after.total_requests - mock_before.total_requests,
        seconds,
        before,
        peak,
        after,
        after_idle,
        after_drop,
        drop_seconds,
        trimmed_rss_kib: vm_rss_kib(),
    })
}
