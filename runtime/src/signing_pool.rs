//! The threads that compute slow signatures (RSA) away from the async workers.
//!
//! Why not tokio's `spawn_blocking`: it starts a new thread whenever none is idle at the
//! moment a task is spawned, and a thread that has just handed back a signature is not
//! idle yet when the next one arrives. Under load the blocking pool kept growing (11 → 18
//! threads in a 50,000-call run of `examples/load.rs`), each new thread with its own stack
//! and allocator arena, which showed as resident memory that rose with the number of
//! calls. Here a fixed set of threads, one per core, started on first use, takes jobs from
//! one queue: the count is known in advance and a signature never waits for a thread to
//! start. A job whose caller has gone away still runs; its result is dropped.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

type Job = Box<dyn FnOnce() + Send>;

/// Why a job did not produce its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PoolError {
    /// No signing thread could be started.
    NoThreads,
    /// The job panicked.
    Panicked,
}

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PoolError::NoThreads => "no signing thread could be started",
            PoolError::Panicked => "the signing job panicked",
        })
    }
}

/// Runs `work` on one of the signing threads and waits for its result without blocking
/// the async worker.
pub(crate) async fn run<T, F>(work: F) -> Result<T, PoolError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let queue = queue().ok_or(PoolError::NoThreads)?;
    let (reply, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        // The caller may have stopped waiting; the result is then not needed.
        let _ = reply.send(work());
    });
    queue.send(job).map_err(|_| PoolError::NoThreads)?;
    // The reply is dropped unsent only when the job panicked (the threads outlive it).
    result.await.map_err(|_| PoolError::Panicked)
}

/// The queue the signing threads read, started on first use; `None` when not even one
/// thread could be started.
fn queue() -> Option<&'static Sender<Job>> {
    static QUEUE: OnceLock<Option<Sender<Job>>> = OnceLock::new();
    QUEUE
        .get_or_init(|| {
            let (sender, receiver) = channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
            let started = (0..cores)
                .filter(|index| {
                    let receiver = Arc::clone(&receiver);
                    std::thread::Builder::new()
                        .name(format!("signed-api-signer-{index}"))
                        .spawn(move || work_loop(&receiver))
                        .is_ok()
                })
                .count();
            (started > 0).then_some(sender)
        })
        .as_ref()
}

fn work_loop(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, never while running one.
        let job = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        match job {
            // A panic drops the job's reply sender, which its caller sees as
            // `PoolError::Panicked`; the thread goes on serving the others.
            Ok(job) => drop(catch_unwind(AssertUnwindSafe(job))),
            // The sender is in a static and never dropped; this ends the thread only if
            // that ever changes.
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_jobs_on_named_threads_and_returns_their_results() {
        let name = run(|| std::thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert!(name.unwrap().starts_with("signed-api-signer-"));
        let tasks: Vec<_> = (0..64u64)
            .map(|i| tokio::spawn(run(move || i * i)))
            .collect();
        for (i, task) in (0..64u64).zip(tasks) {
            assert_eq!(task.await.unwrap(), Ok(i * i));
        }
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_threads_go_on() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        // More panics than threads: a thread that died with its job would leave none.
        for _ in 0..cores + 1 {
            let outcome = run(|| -> u8 { panic!("a job that fails") }).await;
            assert_eq!(outcome, Err(PoolError::Panicked));
        }
        assert_eq!(run(|| 7u8).await, Ok(7));
    }
}
