//! Numbers from `/proc/self/status`: `VmRSS` (resident memory now, KiB), `VmHWM` (its
//! peak), `Threads`. Linux only, as the figures these programs report are.

/// The value of `field` (`"VmRSS:"`, …), without its unit.
pub fn status_field(field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|error| format!("cannot read /proc/self/status: {error}"))?;
    let line = status
        .lines()
        .find(|line| line.starts_with(field))
        .ok_or_else(|| format!("no {field} in /proc/self/status"))?;
    let number = line
        .trim_start_matches(field)
        .trim()
        .trim_end_matches("kB")
        .trim();
    number
        .parse()
        .map_err(|_| format!("{field} {number:?} is not a number"))
}

/// Resident memory of this process now, in KiB (0 where it cannot be read).
#[allow(dead_code)] // the load example reports the error instead
pub fn vm_rss_kib() -> u64 {
    status_field("VmRSS:").unwrap_or(0)
}
