//! The string both sides sign: the client id, the UTC date, the path and the API key.

use crate::error::{Error, Result};
use crate::scheme::{StringToSign, Visibility};

/// The UTC date of a Unix timestamp as `YYYY-MM-DD`.
pub(super) fn utc_date(timestamp: i64) -> Result<String> {
    let moment = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|_| Error::Signing(format!("timestamp {timestamp} is out of range")))?;
    let date = moment.date();
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// `CLIENT_ID.DATE.PATH?api_key=KEY`. The client id is the key up to its first `.`, so
/// it is public only when the key has one; otherwise it is the whole key.
pub(super) fn string_to_sign(
    client_id: &str,
    date: &str,
    path: &str,
    api_key: &str,
) -> StringToSign {
    let client_id_visibility = if client_id.len() < api_key.len() {
        Visibility::Public
    } else {
        Visibility::Secret
    };
    StringToSign::from_parts([
        (client_id_visibility, client_id.as_bytes()),
        (Visibility::Public, b"."),
        (Visibility::Public, date.as_bytes()),
        (Visibility::Public, b"."),
        (Visibility::Public, path.as_bytes()),
        (Visibility::Public, b"?api_key="),
        (Visibility::Secret, api_key.as_bytes()),
    ])
}
