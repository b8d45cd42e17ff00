//! Set-up shared by the benches: the requests each scheme signs, the OVH `GET /me` call
//! against the mock, and the small drivers the counting benches run. One copy of each, so
//! that a figure of `signing` (time), `per_call` (instructions) and `allocations` measures
//! the same request.
//!
//! Included by each bench with `#[path]`; a bench that uses only part of it allows the
//! rest to go unused.

pub mod calls;
pub mod ovh_me;
pub mod results;
pub mod server;
pub mod signing;
