//! CPU time of this process, for the CPU each call costs the client.
//!
//! Calls per second at 64 or 256 in flight are bound by the two cores the client, the
//! server and everything else on the machine share, so they move with whatever else
//! runs. The CPU time the client process spends per call moves much less: it counts
//! only this process's work (the server is another process), whoever else is busy. Read
//! from `/proc/self/stat` (Linux); elsewhere it is not measured.

use std::time::Duration;

/// Clock ticks per second of `/proc`'s times: `USER_HZ`, 100 on every Linux
/// architecture the kernel still exposes to user space this way.
const TICKS_PER_SECOND: u64 = 100;

/// User plus system time of all this process's threads so far, or `None` where
/// `/proc/self/stat` cannot be read.
pub fn process_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count fields
    // from after its closing parenthesis. utime and stime are fields 14 and 15 of the
    // line, so the 12th and 13th after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis(
        (user + system) * 1000 / TICKS_PER_SECOND,
    ))
}
