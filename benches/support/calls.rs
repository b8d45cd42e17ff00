//! Sequential `GET /me` calls on a current-thread runtime: one thread does all the
//! client's work, in the same order every run, so a count per call is repeatable.

use std::time::Duration;

use signed_api_clients::ovh::{Ovh, OvhClient};
use tokio::runtime::Runtime;

use super::ovh_me::{PlainMe, typed_client};

/// Calls made before any is counted: the typed client's first reads the server's clock
/// (`/auth/time`), and both open their connection and fill their pools.
pub const WARM_UP: u64 = 5;

/// Which side makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The typed OVH client.
    Typed,
    /// Plain reqwest with headers signed once.
    Plain,
    /// Plain reqwest with a whole-request timeout, as the typed client sets one: how much
    /// of the difference is reqwest's timer.
    PlainTimeout,
}

impl Side {
    /// Every side, in the order reported.
    pub const ALL: [Side; 3] = [Side::Typed, Side::Plain, Side::PlainTimeout];

    /// The side's name on the command line and in results.
    pub fn name(self) -> &'static str {
        match self {
            Side::Typed => "typed",
            Side::Plain => "plain",
            Side::PlainTimeout => "plain_timeout",
        }
    }

    /// The side called `name`.
    pub fn parse(name: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|side| side.name() == name)
    }
}

/// Both sides, ready to call the mock at one base URL.
pub struct Calls {
    runtime: Runtime,
    typed: OvhClient,
    plain: PlainMe,
}

impl Calls {
    /// Clients of the OVH API at `base_url`, on a runtime of their own.
    pub fn new(base_url: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        Calls {
            runtime,
            typed: typed_client(base_url),
            plain: PlainMe::new(base_url),
        }
    }

    /// Makes [`WARM_UP`] calls on `side`, and checks that both sides read the same answer.
    pub fn warm_up(&self, side: Side) {
        let (typed, plain) = self
            .runtime
            .block_on(async { (self.typed.me().await.unwrap(), self.plain.me(None).await) });
        assert_eq!(typed, plain, "both sides decode the same account");
        self.run(side, WARM_UP - 1);
    }

    /// Makes `n` calls on `side`, one after the other.
    pub fn run(&self, side: Side, n: u64) {
        self.runtime.block_on(async {
            for _ in 0..n {
                match side {
                    Side::Typed => drop(self.typed.me().await.unwrap()),
                    Side::Plain => drop(self.plain.me(None).await),
                    Side::PlainTimeout => drop(self.plain.me(Some(Duration::from_secs(30))).await),
                }
            }
        });
    }
}
