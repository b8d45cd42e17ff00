//! How a mock server is set up: where it listens, what it accepts, how it misbehaves.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use signed_api_runtime::schemes::qredo::QredoTimeMode;

use crate::{Api, Faults, MockCredentials, MockError};

/// How far from the server's time a signed timestamp may be, per API, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    /// OVH's `X-Ovh-Timestamp` (OVH does not document its window; five minutes).
    pub ovh: i64,
    /// Qredo's `x-timestamp` (not documented either; five minutes).
    pub qredo: i64,
    /// Armor's timestamp (Armor documents ±5 minutes).
    pub armor: i64,
    /// How close to midnight UTC an nOps signature for the neighbouring day is still
    /// accepted (client and server clocks never agree to the second).
    pub nops_midnight_grace: i64,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            ovh: 300,
            qredo: 300,
            armor: signed_api_runtime::schemes::armor::ARMOR_WINDOW,
            nops_midnight_grace: 300,
        }
    }
}

/// The set-up of a [`MockServer`](crate::MockServer).
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Where to listen; port 0 picks a free port (the default, for tests).
    pub addr: SocketAddr,
    /// What the four APIs accept.
    pub credentials: MockCredentials,
    /// The faults of each API, indexed like [`Api::ALL`].
    pub faults: [Faults; 4],
    /// The timestamp windows.
    pub windows: Windows,
    /// Whether Qredo requests carry `x-timestamp` (the default) or an increasing
    /// `x-nonce`. One mode only: the signed payload does not say which it holds.
    pub qredo_mode: QredoTimeMode,
}

impl MockConfig {
    /// Accepts `credentials`, listens on 127.0.0.1 on a free port, no faults.
    pub fn new(credentials: MockCredentials) -> Self {
        MockConfig {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials,
            faults: Default::default(),
            windows: Windows::default(),
            qredo_mode: QredoTimeMode::Timestamp,
        }
    }

    /// Credentials from the environment variables of the command line (demo credentials
    /// for the APIs that have none; their keys go to [`demo_dir`]).
    pub fn from_env() -> Result<Self, MockError> {
        Ok(Self::new(MockCredentials::from_env(&demo_dir())?))
    }

    /// Listens on this port of 127.0.0.1.
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Sets the faults of one API.
    pub fn faults(mut self, api: Api, faults: Faults) -> Self {
        self.faults[api.index()] = faults;
        self
    }

    /// Takes Qredo requests in `mode` only.
    pub fn qredo_mode(mut self, mode: QredoTimeMode) -> Self {
        self.qredo_mode = mode;
        self
    }

    /// Sets the timestamp windows.
    pub fn windows(mut self, windows: Windows) -> Self {
        self.windows = windows;
        self
    }
}

/// Where demo keys are written: a folder of the system's temporary directory, one per
/// process, so that two mocks never overwrite each other's keys.
pub fn demo_dir() -> PathBuf {
    std::env::temp_dir().join(format!("signed-api-mock-{}", std::process::id()))
}
