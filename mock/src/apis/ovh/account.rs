//! The account: its owner (`/me`) and its bills.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::{Shared, error, lock};
use crate::reply::{is_date, ok, query_param};

/// The date part (`YYYY-MM-DD`) of a date or date-time filter, if it has one.
fn date_part(value: &str) -> Option<&str> {
    value.get(..10).filter(|date| is_date(date))
}

/// Bill ids, filtered by `date.from` and `date.to` (inclusive, compared by day).
pub(super) async fn bills(State(api): Shared, RawQuery(query): RawQuery) -> Response {
    let mut bounds = [None, None];
    for (bound, name) in bounds.iter_mut().zip(["date.from", "date.to"]) {
        if let Some(value) = query_param(query.as_deref(), name) {
            match date_part(&value) {
                Some(date) => *bound = Some(date.to_owned()),
                None => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        &format!("Invalid {name} {value:?}: expected a date (YYYY-MM-DD)"),
                    );
                }
            }
        }
    }
    let [from, to] = bounds;
    let store = lock(&api.store);
    let ids: Vec<&str> = store
        .bills
        .iter()
        .filter(|(_, date)| {
            let day = &date[..10];
            from.as_deref().is_none_or(|from| day >= from)
                && to.as_deref().is_none_or(|to| day <= to)
        })
        .map(|(id, _)| id.as_str())
        .collect();
    ok(&json!(ids))
}

pub(super) async fn me() -> Response {
    ok(&json!({
        "nichandle": "xx1111-ovh",
        "email": "demo@example.com",
        "firstname": "Demo",
        "name": "User",
        "country": "FR",
        "currency": { "code": "EUR", "symbol": "EURO" },
        "language": "fr_FR",
        "legalform": "individual",
        "ovhCompany": "ovh",
        "ovhSubsidiary": "FR",
        "state": "complete",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_filters_take_the_day_of_a_date_or_date_time() {
        assert_eq!(date_part("2024-02-01"), Some("2024-02-01"));
        assert_eq!(date_part("2024-02-01T10:00:00+01:00"), Some("2024-02-01"));
        assert_eq!(date_part("2024-2-1"), None);
        assert_eq!(date_part("last week"), None);
        assert_eq!(date_part("2024-02-0é"), None);
    }
}
