//! Memory of the typed clients: what one client holds after a call, and what many calls
//! in flight at once cost and give back.
//!
//!     cargo bench --bench memory
//!
//! The verifying mock runs in a child process (this program started again with `serve`),
//! so that nothing the mock holds is counted as the client's. Two measurements:
//!
//! 1. **One client.** The live heap (bytes allocated and not freed, counted by a wrapper
//!    around the system allocator) added by (a) a plain `reqwest::Client`, built as the
//!    runtime builds its own, after one request, and (b) each typed client after one
//!    call, each on one kept-alive connection. (b) − (a) is what a typed client holds
//!    beyond reqwest's own client and pool; the bar is 64 KiB. glibc's `mallinfo2` is
//!    read beside it, since aws-lc allocates its keys with C `malloc`, out of the
//!    counting allocator's sight.
//! 2. **Calls in flight.** 10,000 `GET /me` on one OVH client, all started at once,
//!    against the mock answering at once (most end before the last start), then 1,000 to
//!    10,000 against a mock that waits 2 s before each answer (all are in flight
//!    together, each on its own connection), then 10,000 through a plain reqwest client
//!    for comparison: the peak live heap and resident memory, per call in flight, and
//!    what is left after the burst, after the mock has closed the idle connections, and
//!    after the client is dropped (resident memory also after `malloc_trim`).
//!
//! It prints tables and writes `bench-results/memory.json` under `$CARGO_TARGET_DIR`
//! (or `target/`). Results and the machine they ran on: BENCHMARKS.md.

#[path = "../examples/support/counting_alloc.rs"]
mod counting_alloc;
#[path = "../examples/support/free_pages.rs"]
mod free_pages;
#[path = "memory/in_flight.rs"]
mod in_flight;
#[path = "memory/malloc_stats.rs"]
mod malloc_stats;
#[path = "../examples/support/mock_process.rs"]
mod mock_process;
#[path = "memory/one_client.rs"]
mod one_client;
#[path = "../examples/support/proc_status.rs"]
mod proc_status;
#[path = "memory/report.rs"]
mod report;
#[path = "support/results.rs"]
mod results;

use std::process::ExitCode;
use std::time::Duration;

use signed_api::schemes::{ArmorConfig, NopsConfig, OvhConfig, QredoConfig};
use signed_api_clients::armor::{Armor, ArmorClient};
use signed_api_clients::nops::{Nops, NopsClient};
use signed_api_clients::ovh::{Ovh, OvhClient};
use signed_api_clients::qredo::{Qredo, QredoClient};
use signed_api_mock::{Api, Faults, Limits};

use crate::in_flight::{Burst, Target};

use crate::mock_process::MockProcess;

type Outcome<T> = Result<T, String>;

/// The sub-command that makes this program the mock.
const SERVE: &str = "serve";
/// The calls started at once against the slow mock, smallest first: memory should grow
/// in proportion.
const BURSTS: [u64; 4] = [1_000, 2_500, 5_000, 10_000];
/// The most calls started at once.
const MOST: u64 = 10_000;
/// How long the slow mock waits before each answer: long enough for ten thousand calls
/// to be sent (and their connections opened) before the first answer comes.
const SLOW: Duration = Duration::from_secs(2);
/// The mock closes a connection idle for its header timeout (10 s by default).
const MOCK_IDLE_CLOSE: Duration = Duration::from_secs(11);

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let outcome = if args.next().as_deref() == Some(SERVE) {
        let latency =
            Duration::from_millis(args.next().and_then(|ms| ms.parse().ok()).unwrap_or(0));
        // Ten thousand connections at once: above the default limit of 4,096, which
        // would leave the rest waiting in the listen backlog.
        mock_process::serve(|config| {
            config
                .limits(Limits {
                    max_connections: 16_384,
                    ..Limits::default()
                })
                .faults(Api::Ovh, Faults::none().latency(latency))
        })
    } else {
        measure()
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("memory: {message}");
            ExitCode::FAILURE
        }
    }
}

fn measure() -> Outcome<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    let mut mock = MockProcess::spawn(&[SERVE.to_owned(), "0".to_owned()])?;
    let env = Env(mock.env().to_vec());
    let (clients, mut bursts) = runtime.block_on(async {
        let clients = one_client_kinds(&mut mock, &env).await?;
        let instant = Duration::ZERO;
        let target = Target::Typed(ovh(&env)?);
        let bursts = vec![in_flight::burst(&mut mock, instant, target, MOST, None).await?];
        Ok::<_, String>((clients, bursts))
    })?;
    let mut mocks = vec![mock.stats()?];
    mock.stop()?;

    let mut slow = MockProcess::spawn(&[SERVE.to_owned(), SLOW.as_millis().to_string()])?;
    let env = Env(slow.env().to_vec());
    bursts.extend(runtime.block_on(slow_bursts(&mut slow, &env))?);
    mocks.push(slow.stats()?);
    slow.stop()?;

    report::print(&clients, &bursts, &mocks);
    report::write_json(&clients, &bursts, &mocks)
}

/// The bursts against the slow mock: the typed client at each size, then a plain reqwest
/// client at the largest, for what reqwest itself holds per call.
async fn slow_bursts(mock: &mut MockProcess, env: &Env) -> Outcome<Vec<Burst>> {
    let mut bursts = Vec::new();
    for calls in BURSTS {
        let wait = (calls == MOST).then_some(MOCK_IDLE_CLOSE);
        let target = Target::Typed(ovh(env)?);
        bursts.push(in_flight::burst(mock, SLOW, target, calls, wait).await?);
    }
    let url = format!("{}/ovh/1.0/auth/time", mock.origin());
    let target = Target::Plain(plain_client()?, url);
    bursts.push(in_flight::burst(mock, SLOW, target, MOST, None).await?);
    Ok(bursts)
}

/// The variables a client reads, as the mock process gave them (a copy, so that the
/// clients can be built while the mock is asked for its counters).
struct Env(Vec<(String, String)>);

impl Env {
    fn lookup(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// A plain reqwest client built as the runtime builds its own (no redirects), after one
/// request to the mock (OVH's unsigned time, read to the end so the connection is kept).
async fn plain(origin: String) -> Outcome<reqwest::Client> {
    let client = plain_client()?;
    let answer = client
        .get(format!("{origin}/ovh/1.0/auth/time"))
        .send()
        .await
        .map_err(text)?;
    answer
        .error_for_status()
        .map_err(text)?
        .bytes()
        .await
        .map_err(text)?;
    Ok(client)
}

fn plain_client() -> Outcome<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(text)
}

fn ovh(env: &Env) -> Outcome<OvhClient> {
    OvhClient::from_config(OvhConfig::load_from(&|name| env.lookup(name), &[]).map_err(text)?)
        .map_err(text)
}

/// The plain reqwest client, then each typed client, measured with one call each.
async fn one_client_kinds(mock: &mut MockProcess, env: &Env) -> Outcome<Vec<one_client::Kind>> {
    let mut kept: Vec<Box<dyn std::any::Any + Send>> = Vec::new();
    let origin = mock.origin().to_owned();
    // Warm-up: what the first HTTP client of a process sets up once (tokio's I/O driver,
    // hyper's and rustls' statics) is no client's own.
    drop(plain(origin.clone()).await?);
    let mut kinds = Vec::new();
    kinds.push(
        one_client::kind("reqwest::Client", mock, &mut kept, || plain(origin.clone())).await?,
    );
    // Where a plain client's heap goes: the client alone, before any connection.
    let unused = || async { plain_client() };
    let unused = one_client::kind("  built, no call", mock, &mut kept, unused).await?;
    kinds.push(
        one_client::kind("ovh::OvhClient", mock, &mut kept, || async {
            let client = ovh(env)?;
            client.me().await.map_err(text)?;
            Ok(client)
        })
        .await?,
    );
    kinds.push(
        one_client::kind("nops::NopsClient", mock, &mut kept, || async {
            let config = NopsConfig::from_lookup(&|name| env.lookup(name)).map_err(text)?;
            let client = NopsClient::from_config(config).map_err(text)?;
            client.projects().await.map_err(text)?;
            Ok(client)
        })
        .await?,
    );
    kinds.push(
        one_client::kind("qredo::QredoClient", mock, &mut kept, || async {
            let config = QredoConfig::from_lookup(&|name| env.lookup(name)).map_err(text)?;
            let client = QredoClient::from_config(config).map_err(text)?;
            client.assets().await.map_err(text)?;
            Ok(client)
        })
        .await?,
    );
    kinds.push(
        one_client::kind("armor::ArmorClient", mock, &mut kept, || async {
            let config = ArmorConfig::from_lookup(&|name| env.lookup(name)).map_err(text)?;
            let client = ArmorClient::from_config(config).map_err(text)?;
            client.me().await.map_err(text)?;
            Ok(client)
        })
        .await?,
    );
    kinds.push(unused);
    Ok(kinds)
}
