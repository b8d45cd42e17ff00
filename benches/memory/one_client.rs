//! (a) and (b): the heap one client holds after one call on one kept-alive connection.
//!
//! Each reading is the difference between the live heap just before the client is built
//! and just after its first call has returned, with the client (and so its pool, its
//! idle connection and that connection's task) still alive. The first client of each
//! kind also pays for what its kind sets up once per process (the signing threads, lazy
//! tables), so two more of the same kind are measured after it: their figure is what one
//! more client costs. Readings are taken once the process is quiet (no call in flight;
//! the mock is another process), so other threads add nothing in between.

use std::future::Future;
use std::time::Duration;

use crate::counting_alloc::live_bytes;
use crate::malloc_stats::malloc_in_use;
use crate::mock_process::MockProcess;

type Outcome<T> = Result<T, String>;

/// What one client holds.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Holding {
    /// Live Rust heap added, bytes.
    pub live_bytes: i64,
    /// glibc's in-use bytes added (Rust's and C's allocations).
    pub malloc_bytes: i64,
    /// Connections the mock accepted for it.
    pub connections: u64,
}

/// The same kind of client, measured `INSTANCES` times, all kept alive.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Kind {
    pub name: &'static str,
    /// The first instance, then the others.
    pub instances: Vec<Holding>,
}

/// Instances per kind: the first, and two more to show the figure repeats.
pub const INSTANCES: usize = 3;

/// Lets the connection's task finish with its buffers and the workers go idle.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Builds and calls one client with `make`, returns what it holds, and keeps the client
/// (whatever `make` returns) in `kept` so that nothing of it is freed before the end.
pub async fn measure<F, Fut, T>(
    mock: &mut MockProcess,
    kept: &mut Vec<Box<dyn std::any::Any + Send>>,
    make: F,
) -> Outcome<Holding>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Outcome<T>>,
    T: Send + 'static,
{
    let connections = mock.stats()?.connections;
    settle().await;
    let (live, malloc) = (live_bytes(), malloc_in_use());
    let client = make().await?;
    settle().await;
    let holding = Holding {
        live_bytes: live_bytes() - live,
        malloc_bytes: malloc_in_use() - malloc,
        connections: 0,
    };
    kept.push(Box::new(client));
    Ok(Holding {
        connections: mock.stats()?.connections - connections,
        ..holding
    })
}

/// Measures `INSTANCES` clients made by `make`.
pub async fn kind<F, Fut, T>(
    name: &'static str,
    mock: &mut MockProcess,
    kept: &mut Vec<Box<dyn std::any::Any + Send>>,
    make: F,
) -> Outcome<Kind>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Outcome<T>>,
    T: Send + 'static,
{
    let mut instances = Vec::with_capacity(INSTANCES);
    for _ in 0..INSTANCES {
        instances.push(measure(mock, kept, &make).await?);
    }
    Ok(Kind { name, instances })
}
