//! What the server learned about a request before handing it to an API's routes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The mock's time for one API: the real time plus that API's clock-offset fault.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ServerTime {
    pub(crate) unix: i64,
}

impl ServerTime {
    pub(crate) fn now(offset_secs: i64) -> Self {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        ServerTime {
            unix: real + offset_secs,
        }
    }

    /// The `Date` header value for this time.
    pub(crate) fn http_date(self) -> String {
        let moment = if self.unix >= 0 {
            UNIX_EPOCH + Duration::from_secs(self.unix as u64)
        } else {
            UNIX_EPOCH
        };
        httpdate::fmt_http_date(moment)
    }
}

/// Handed to an API's routes as a request extension once the request is verified.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// The server's time for this API.
    pub(crate) now: i64,
    /// `http://host:port` as the client addressed the server.
    pub(crate) origin: String,
    /// Who the request was signed by, when the API distinguishes callers (OVH's consumer
    /// key); `None` for unsigned calls.
    pub(crate) caller: Option<String>,
}

/// `2024-05-01T12:00:00Z` for a Unix time (the proleptic Gregorian calendar, UTC), for
/// the dates the fake APIs return.
pub(crate) fn iso8601(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let seconds = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_utc_calendar_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn date_headers_follow_the_offset() {
        assert_eq!(
            ServerTime {
                unix: 1_700_000_000
            }
            .http_date(),
            "Tue, 14 Nov 2023 22:13:20 GMT"
        );
    }
}
