//! A load run: many signed calls through the four typed clients, against the embedded
//! verifying mock, with a fixed number in flight.
//!
//!     cargo run --release --example load -- [--calls N] [--in-flight M] [--armor-window S]
//!                                            [--every K]
//!
//! It starts the mock in this process with demo credentials (as the quickstart does),
//! builds one client per API, shared by every task as an application would share it, and
//! makes `N` calls (50,000 by default) spread evenly over the four APIs, `M` (256) at a
//! time. Most calls are signed reads; about one call in ten is a write whose effect is
//! undone (an OVH record and an nOps project are created then deleted, a Qredo trusted
//! party is added, found and removed, an Armor VM is renamed in place), so the mock's
//! stores end as they began. The run checks that:
//!
//! - no call failed (the first distinct errors are printed);
//! - the mock received, per API, exactly the calls made, plus OVH's one unsigned
//!   `/auth/time` clock read: nothing lost, nothing sent twice;
//! - the resident memory of the whole process (clients and mock) grew by at most 10%
//!   between the 10,000th call and the last;
//!
//! and exits non-zero otherwise. It prints the resident memory after a warm-up of 1,000
//! calls, after 10,000 and after all of them, with the wall time and calls per second,
//! overall and per API.
//!
//! Beside resident memory it prints the bytes the process has allocated and not freed
//! (a counting wrapper around the system allocator): resident memory also counts what the
//! allocator keeps after it is freed, the live heap does not.
//!
//! `--armor-window S` sets the mock's Armor timestamp window (300 s, Armor's documented
//! ±5 minutes, by default). The mock remembers every Armor nonce for that long to refuse
//! replays, so a shorter window shows how much of the memory is that store. `--every K`
//! also reads the resident memory every `K` calls.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicIsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use signed_api::schemes::{ArmorConfig, NopsConfig, OvhConfig, QredoConfig};
use signed_api_clients::armor::{Armor, ArmorClient, RenameVm};
use signed_api_clients::nops::{NewProject, Nops, NopsClient};
use signed_api_clients::ovh::{FieldType, NewRecord, Ovh, OvhClient};
use signed_api_clients::qredo::{NewCompany, NewTrustedParty, Qredo, QredoClient};
use signed_api_mock::{Api, MockConfig, MockCredentials, MockServer, PerApi, Windows, demo_dir};
use tokio::task::JoinSet;

type Outcome<T = ()> = Result<T, Box<dyn StdError>>;

/// The zone the mock's OVH API seeds (two records).
const ZONE: &str = "example.com";
/// The calls after which resident memory is read (those not above `--calls`), and `N`.
const CHECKPOINTS: [u64; 2] = [1_000, 10_000];
/// The system allocator, counting the bytes allocated and not yet freed.
struct CountingAllocator;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; the counter is only
// read for the report.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is the system allocator's.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `alloc` above, with this layout.
        unsafe { System.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is the system allocator's.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE_BYTES.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn live_kib() -> i64 {
    LIVE_BYTES.load(Ordering::Relaxed) as i64 / 1024
}

/// The largest growth of resident memory allowed between 10,000 calls and the last.
const MAX_GROWTH_PERCENT: f64 = 10.0;
/// How many distinct error messages are kept to be shown.
const SHOWN_ERRORS: usize = 5;

struct Args {
    calls: u64,
    in_flight: usize,
    armor_window: i64,
    every: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        calls: 50_000,
        in_flight: 256,
        armor_window: Windows::default().armor,
        every: 0,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = |name: &str| words.next().ok_or_else(|| format!("{name} needs a value"));
        match word.as_str() {
            "--calls" => args.calls = number(&value("--calls")?, "--calls")?,
            "--in-flight" => args.in_flight = number(&value("--in-flight")?, "--in-flight")?,
            "--armor-window" => {
                args.armor_window = number(&value("--armor-window")?, "--armor-window")?;
            }
            "--every" => args.every = number(&value("--every")?, "--every")?,
            "-h" | "--help" => {
                return Err(
                    "usage: load [--calls N (50000)] [--in-flight M (256)] [--armor-window S (300)] \
                     [--every K (also read memory every K calls)]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if args.calls == 0 || args.in_flight == 0 || args.armor_window <= 0 {
        return Err("--calls, --in-flight and --armor-window must be above zero".into());
    }
    Ok(args)
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: {text:?} is not a number"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let keys = demo_dir();
    let outcome = run(&args).await;
    // The demo keys were written for this run only.
    let _ = std::fs::remove_dir_all(&keys);
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("load: FAILED (see above)");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("load failed: {error}");
            ExitCode::FAILURE
        }
    }
}

// --- What is measured ------------------------------------------------------------------

/// Latencies in log-linear buckets (16 per power of two, about 6% wide): fixed size,
/// allocated and written once before the run, so that measuring does not grow memory.
struct Histogram {
    buckets: Vec<AtomicU64>,
    sum_us: AtomicU64,
    max_us: AtomicU64,
}

impl Histogram {
    const BUCKETS: usize = 61 * 16;

    fn new() -> Self {
        Histogram {
            buckets: (0..Self::BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            sum_us: AtomicU64::new(0),
            max_us: AtomicU64::new(0),
        }
    }

    fn index(us: u64) -> usize {
        if us < 16 {
            return us as usize;
        }
        let msb = 63 - us.leading_zeros() as usize;
        (msb - 3) * 16 + ((us >> (msb - 4)) & 15) as usize
    }

    /// The smallest value of bucket `index`.
    fn low(index: usize) -> u64 {
        if index < 16 {
            return index as u64;
        }
        (16 + (index % 16) as u64) << (index / 16 - 1)
    }

    fn record(&self, elapsed: Duration) {
        let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.buckets[Self::index(us)].fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(us, Ordering::Relaxed);
        self.max_us.fetch_max(us, Ordering::Relaxed);
    }

    fn count(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }

    /// The upper bound of the bucket holding the `quantile` (0..1) of the values.
    fn quantile_us(&self, quantile: f64) -> u64 {
        let counts: Vec<u64> = self
            .buckets
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .collect();
        let total: u64 = counts.iter().sum();
        let rank = ((total as f64) * quantile).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (index, count) in counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return Self::low(index + 1).min(self.max_us.load(Ordering::Relaxed));
            }
        }
        self.max_us.load(Ordering::Relaxed)
    }
}

#[derive(Default)]
struct Errors {
    /// The first distinct messages, with how often each came.
    first: BTreeMap<String, u64>,
    /// Errors whose message is not among the first ones.
    others: u64,
}

struct Stats {
    calls: PerApi<AtomicU64>,
    errors: AtomicU64,
    shown: Mutex<Errors>,
    latency: PerApi<Histogram>,
}

impl Stats {
    fn new() -> Self {
        Stats {
            calls: Default::default(),
            errors: AtomicU64::new(0),
            shown: Mutex::new(Errors::default()),
            latency: PerApi::from_fn(|_| Histogram::new()),
        }
    }

    fn calls(&self, api: Api) -> u64 {
        self.calls[api].load(Ordering::SeqCst)
    }

    fn error(&self, api: Api, message: String) {
        self.errors.fetch_add(1, Ordering::SeqCst);
        let message = format!("{api}: {message}");
        let mut shown = self
            .shown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = shown.first.get_mut(&message) {
            *count += 1;
        } else if shown.first.len() < SHOWN_ERRORS {
            shown.first.insert(message, 1);
        } else {
            shown.others += 1;
        }
    }
}

/// A number of `/proc/self/status`: `VmRSS:` and `VmHWM:` (resident memory of the whole
/// process, clients and mock, now and at its peak, in KiB), `Threads:`.
fn status_field(field: &str) -> Outcome<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .ok_or_else(|| format!("no {field} in /proc/self/status"))?;
    Ok(line
        .trim_start_matches(field)
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()?)
}

// --- The calls -------------------------------------------------------------------------

struct Load {
    ovh: OvhClient,
    nops: NopsClient,
    qredo: QredoClient,
    armor: ArmorClient,
    /// The Qredo company made for this run.
    company: String,
    stats: Stats,
}

impl Load {
    /// Makes one call to `api`: counts it, times it, keeps its error.
    async fn call<T>(
        &self,
        api: Api,
        request: impl Future<Output = signed_api::Result<T>>,
    ) -> Option<T> {
        self.stats.calls[api].fetch_add(1, Ordering::SeqCst);
        let start = Instant::now();
        let result = request.await;
        self.stats.latency[api].record(start.elapsed());
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.stats.error(api, error.to_string());
                None
            }
        }
    }
}

/// The APIs the run loads: those with a typed client. The mock's S3 has none, and is
/// left idle.
const LOADED: [Api; 4] = [Api::Ovh, Api::Nops, Api::Qredo, Api::Armor];

/// One unit of work on one API: a read (one call) or a write and its undoing.
#[derive(Clone, Copy)]
enum Op {
    Read(Api, u64),
    Write(Api, u64),
}

impl Op {
    /// The `k`th operation on `api`: per API, one write in every ten calls.
    fn plan(api: Api, k: u64) -> Op {
        let cycle = 10 - Op::Write(api, k).calls() + 1;
        if k % cycle == 0 {
            Op::Write(api, k)
        } else {
            Op::Read(api, k)
        }
    }

    fn calls(self) -> u64 {
        match self {
            Op::Read(..) | Op::Write(Api::Armor | Api::S3, _) => 1,
            Op::Write(Api::Ovh | Api::Nops, _) => 2,
            Op::Write(Api::Qredo, _) => 3,
        }
    }

    async fn run(self, load: &Load) {
        match self {
            Op::Read(Api::Ovh, k) => match k % 4 {
                0 => drop(load.call(Api::Ovh, load.ovh.me()).await),
                1 => drop(
                    load.call(Api::Ovh, load.ovh.records(ZONE, None, None))
                        .await,
                ),
                2 => drop(load.call(Api::Ovh, load.ovh.domains(None)).await),
                _ => drop(load.call(Api::Ovh, load.ovh.current_credential()).await),
            },
            Op::Read(Api::Nops, k) => match k % 3 {
                0 => drop(load.call(Api::Nops, load.nops.projects()).await),
                1 => drop(load.call(Api::Nops, load.nops.current_client()).await),
                _ => drop(load.call(Api::Nops, load.nops.map_projects()).await),
            },
            Op::Read(Api::Qredo, k) => match k % 4 {
                0 => drop(load.call(Api::Qredo, load.qredo.assets()).await),
                1 => drop(
                    load.call(Api::Qredo, load.qredo.company(&load.company))
                        .await,
                ),
                2 => {
                    let parties = load.qredo.trusted_parties(&load.company);
                    drop(load.call(Api::Qredo, parties).await);
                }
                _ => drop(
                    load.call(Api::Qredo, load.qredo.holdings(&load.company))
                        .await,
                ),
            },
            Op::Read(Api::Armor, k) => match k % 4 {
                0 => drop(load.call(Api::Armor, load.armor.me()).await),
                1 => drop(load.call(Api::Armor, load.armor.accounts()).await),
                2 => drop(load.call(Api::Armor, load.armor.vms()).await),
                _ => drop(load.call(Api::Armor, load.armor.locations(None)).await),
            },
            Op::Write(Api::Ovh, k) => {
                let record = NewRecord::new(FieldType::A, format!("203.0.113.{}", k % 250 + 1))
                    .sub_domain("load")
                    .ttl(60);
                let created = load.ovh.create_record(ZONE, &record);
                if let Some(created) = load.call(Api::Ovh, created).await {
                    let deleted = load.ovh.delete_record(ZONE, created.id);
                    load.call(Api::Ovh, deleted).await;
                }
            }
            Op::Write(Api::Nops, k) => {
                let project = NewProject::new(format!("load-{k}"), "123456789012");
                let created = load.nops.create_project(&project);
                if let Some(created) = load.call(Api::Nops, created).await {
                    load.call(Api::Nops, load.nops.delete_project(created.id))
                        .await;
                }
            }
            Op::Write(Api::Qredo, k) => {
                let address = format!("load-{k}@example.com");
                let party = NewTrustedParty::user(address.clone());
                let added = load.qredo.add_trusted_party(&load.company, &party);
                if load.call(Api::Qredo, added).await.is_none() {
                    return;
                }
                let listed = load.qredo.trusted_parties(&load.company);
                let Some(list) = load.call(Api::Qredo, listed).await else {
                    return;
                };
                let Some(id) = list
                    .list
                    .into_iter()
                    .find(|p| p.address.as_deref() == Some(address.as_str()))
                    .map(|p| p.trusted_entity_id)
                else {
                    load.stats
                        .error(Api::Qredo, "the added trusted party is not listed".into());
                    return;
                };
                let removed = load.qredo.remove_trusted_party(&load.company, &id);
                load.call(Api::Qredo, removed).await;
            }
            Op::Write(Api::Armor, k) => {
                let (id, name) = if k % 2 == 0 {
                    (101, "web-01")
                } else {
                    (102, "db-01")
                };
                let rename = RenameVm::new(id, name);
                load.call(Api::Armor, load.armor.rename_vm(id, &rename))
                    .await;
            }
            // Never planned: S3 is not in `LOADED`.
            Op::Read(Api::S3, _) | Op::Write(Api::S3, _) => {}
        }
    }
}

/// Makes `calls` calls, a quarter per API, `in_flight` at a time (a quarter of them per
/// API, so that each client's connection pool settles at a steady size instead of
/// following the random peaks of a shared limit), and waits for the last.
/// `next_op` is, per API, the index of the next operation (it goes on across phases).
async fn phase(load: &Arc<Load>, calls: u64, in_flight: usize, next_op: &mut PerApi<u64>) {
    // The calls left over from a quarter each go to the first APIs of `LOADED`.
    let mut position = 0;
    let mut budget = PerApi::from_fn(|api| {
        if !LOADED.contains(&api) {
            return 0;
        }
        position += 1;
        calls / 4 + u64::from(position <= calls % 4)
    });
    let per_api = in_flight.div_ceil(4);
    let mut running = PerApi::<usize>::default();
    let mut apis = std::collections::HashMap::new();
    let mut tasks = JoinSet::new();
    while budget.iter().any(|(_, left)| *left > 0) {
        for api in LOADED {
            let left = &mut budget[api];
            if *left == 0 {
                continue;
            }
            let k = &mut next_op[api];
            let mut op = Op::plan(api, *k);
            if op.calls() > *left {
                op = Op::Read(api, *k);
            }
            *k += 1;
            *left -= op.calls();
            // Joined as they end: a finished task is not kept until the end of the phase.
            while running[api] >= per_api {
                joined(
                    load,
                    tasks.join_next_with_id().await,
                    &mut apis,
                    &mut running,
                );
            }
            running[api] += 1;
            let load = Arc::clone(load);
            let task = tasks.spawn(async move { op.run(&load).await });
            apis.insert(task.id(), api);
        }
    }
    while let Some(result) = tasks.join_next_with_id().await {
        joined(load, Some(result), &mut apis, &mut running);
    }
}

/// Counts a finished task off its API (a task that panicked counts as an error).
fn joined(
    load: &Load,
    result: Option<Result<(tokio::task::Id, ()), tokio::task::JoinError>>,
    apis: &mut std::collections::HashMap<tokio::task::Id, Api>,
    running: &mut PerApi<usize>,
) {
    let id = match result {
        Some(Ok((id, ()))) => id,
        Some(Err(error)) => {
            load.stats.errors.fetch_add(1, Ordering::SeqCst);
            eprintln!("a task failed: {error}");
            error.id()
        }
        None => return,
    };
    if let Some(api) = apis.remove(&id) {
        running[api] -= 1;
    }
}

// --- The run ---------------------------------------------------------------------------

/// What the mock's stores hold that the writes touch: OVH records of the zone, nOps
/// projects, Qredo trusted parties of the run's company.
async fn stores(load: &Load) -> Option<(usize, usize, usize)> {
    let records = load
        .call(Api::Ovh, load.ovh.records(ZONE, None, None))
        .await?;
    let projects = load.call(Api::Nops, load.nops.projects()).await?;
    let parties = load
        .call(Api::Qredo, load.qredo.trusted_parties(&load.company))
        .await?;
    Some((records.len(), projects.len(), parties.list.len()))
}

async fn run(args: &Args) -> Outcome<bool> {
    let windows = Windows {
        armor: args.armor_window,
        ..Windows::default()
    };
    let config = MockConfig::new(MockCredentials::demo(&demo_dir())?).windows(windows);
    let mock = MockServer::start(config).await?;
    let env = mock.env_vars();
    let lookup = |name: &str| {
        env.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let ovh = OvhClient::from_config(OvhConfig::load_from(&lookup, &[])?)?;
    let nops = NopsClient::from_config(NopsConfig::from_lookup(&lookup)?)?;
    let qredo = QredoClient::from_config(QredoConfig::from_lookup(&lookup)?)?;
    let armor = ArmorClient::from_config(ArmorConfig::from_lookup(&lookup)?)?;

    println!(
        "Load: {} calls over the four APIs, {} in flight, against the in-process mock at {}",
        args.calls,
        args.in_flight,
        mock.origin()
    );
    println!(
        "({} cores; the mock's Armor window, for which it keeps every nonce: {} s)\n",
        std::thread::available_parallelism().map_or(0, usize::from),
        args.armor_window
    );

    // Set-up: a Qredo company for the company-scoped calls, and the stores as they start.
    let stats = Stats::new();
    let new_company = NewCompany::new("Load Corp");
    stats.calls[Api::Qredo].fetch_add(1, Ordering::SeqCst);
    let company = qredo.create_company(&new_company).await?.company_id;
    let load = Arc::new(Load {
        ovh,
        nops,
        qredo,
        armor,
        company,
        stats,
    });
    let before = stores(&load)
        .await
        .ok_or("the first read of the stores failed")?;
    let setup = PerApi::from_fn(|api| load.stats.calls(api));

    let mut checkpoints: Vec<u64> = CHECKPOINTS
        .iter()
        .copied()
        .filter(|n| *n < args.calls)
        .collect();
    if args.every > 0 {
        checkpoints.extend(
            (1..)
                .map(|i| i * args.every)
                .take_while(|n| *n < args.calls),
        );
        checkpoints.sort_unstable();
        checkpoints.dedup();
    }
    checkpoints.push(args.calls);
    let mut rss = Vec::new();
    let mut next_op = PerApi::<u64>::default();
    let mut done = 0;
    let start = Instant::now();
    println!(
        "{:>8}  {:>11}  {:>11}  {:>9}  {:>8}  {:>12}  {:>8}  {:>7}",
        "calls", "VmRSS", "live heap", "phase", "calls/s", "connections", "threads", "errors"
    );
    for &checkpoint in &checkpoints {
        let phase_start = Instant::now();
        phase(&load, checkpoint - done, args.in_flight, &mut next_op).await;
        let elapsed = phase_start.elapsed();
        let kib = status_field("VmRSS:")?;
        let live = live_kib();
        println!(
            "{:>8}  {:>7} KiB  {:>7} KiB  {:>7.2} s  {:>8.0}  {:>12}  {:>8}  {:>7}",
            checkpoint,
            kib,
            live,
            elapsed.as_secs_f64(),
            (checkpoint - done) as f64 / elapsed.as_secs_f64(),
            mock.connections(),
            status_field("Threads:")?,
            load.stats.errors.load(Ordering::SeqCst)
        );
        rss.push((checkpoint, kib, live));
        done = checkpoint;
    }
    let wall = start.elapsed();
    let peak = status_field("VmHWM:")?;

    let after = stores(&load)
        .await
        .ok_or("the last read of the stores failed")?;
    let mut ok = true;

    // Throughput and latency.
    let made = PerApi::from_fn(|api| load.stats.calls(api));
    let load_calls: u64 = made
        .iter()
        .map(|(api, made)| made - setup[api])
        .sum::<u64>()
        - 3;
    println!(
        "\n{load_calls} calls in {:.2} s: {:.0} calls/s overall (peak VmRSS {peak} KiB)",
        wall.as_secs_f64(),
        load_calls as f64 / wall.as_secs_f64()
    );
    println!(
        "\n{:<6} {:>7} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "api", "calls", "calls/s", "mean", "p50", "p99", "max"
    );
    for api in LOADED {
        // The load phases only: the set-up and the two reads of the stores are left out.
        let calls = made[api] - setup[api] - u64::from(api != Api::Armor);
        let histogram = &load.stats.latency[api];
        let ms = |us: u64| format!("{:.2} ms", us as f64 / 1000.0);
        println!(
            "{:<6} {:>7} {:>9.0} {:>10} {:>10} {:>10} {:>10}",
            api.name(),
            calls,
            calls as f64 / wall.as_secs_f64(),
            ms(histogram.sum_us.load(Ordering::Relaxed) / histogram.count().max(1)),
            ms(histogram.quantile_us(0.50)),
            ms(histogram.quantile_us(0.99)),
            ms(histogram.max_us.load(Ordering::Relaxed)),
        );
    }

    // Errors.
    let errors = load.stats.errors.load(Ordering::SeqCst);
    println!("\nerrors: {errors}");
    if errors > 0 {
        ok = false;
        let shown = load
            .stats
            .shown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (message, count) in &shown.first {
            println!("  {count} × {message}");
        }
        if shown.others > 0 {
            println!("  and {} other error(s)", shown.others);
        }
    }

    // The mock's counters against the calls made.
    println!("\nrequests the mock received, against the calls made:");
    let mut expected_total = 0;
    for api in LOADED {
        let calls = made[api];
        // OVH's client reads /auth/time once, unsigned, before its first signed call.
        let own = u64::from(api == Api::Ovh);
        let expected = calls + own;
        expected_total += expected;
        let received = mock.requests(api);
        let verdict = if received == expected {
            "ok"
        } else {
            ok = false;
            "MISMATCH"
        };
        println!(
            "  {:<6} received {received:>6}, calls {calls:>6} + {own} clock read = {expected:>6}  {verdict}",
            api.name()
        );
    }
    let total = mock.total_requests();
    println!(
        "  total  received {total:>6}, expected {expected_total:>6}  {}",
        if total == expected_total {
            "ok"
        } else {
            ok = false;
            "MISMATCH"
        }
    );
    println!(
        "  (calls include the set-up: 1 Qredo company and one read of the OVH records, nOps \
         projects and Qredo trusted parties, before and after)"
    );

    // The stores the writes touch end as they began.
    let verdict = if before == after {
        "unchanged"
    } else {
        ok = false;
        "CHANGED"
    };
    println!(
        "\nmock stores (OVH records of {ZONE}, nOps projects, Qredo trusted parties): \
         {before:?} before, {after:?} after: {verdict}"
    );

    // Memory.
    println!("\nresident memory (VmRSS, whole process) and live heap (allocated, not freed):");
    for (calls, kib, live) in &rss {
        println!("  after {calls:>6} calls: {kib} KiB resident, {live} KiB live heap");
    }
    if let (Some(&(_, at_10k, live_10k)), Some(&(last_calls, at_last, live_last))) = (
        rss.iter().find(|(calls, ..)| *calls == 10_000),
        rss.last().filter(|(calls, ..)| *calls > 10_000),
    ) {
        println!(
            "  live heap from 10000 to {last_calls} calls: {:+} KiB ({:+.1}%)",
            live_last - live_10k,
            (live_last - live_10k) as f64 / live_10k.max(1) as f64 * 100.0
        );
        let growth = (at_last as f64 - at_10k as f64) / at_10k as f64 * 100.0;
        let verdict = if growth <= MAX_GROWTH_PERCENT {
            "within"
        } else {
            ok = false;
            "ABOVE"
        };
        println!(
            "  growth from 10000 to {last_calls} calls: {:+} KiB ({growth:+.1}%), {verdict} the {MAX_GROWTH_PERCENT}% bound",
            at_last as i64 - at_10k as i64
        );
    } else {
        println!("  (no growth check: it needs more than 10000 calls)");
    }
    let armor_calls = made[Api::Armor];
    if wall.as_secs() < args.armor_window.unsigned_abs() {
        println!(
            "  the run ({:.0} s) was shorter than the Armor window ({} s): the mock still \
             holds all {armor_calls} Armor nonces",
            wall.as_secs_f64(),
            args.armor_window
        );
    }

    mock.shutdown().await;
    Ok(ok)
}
