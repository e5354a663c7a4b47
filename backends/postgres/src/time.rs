//! keyway's instants, civil times and dates on PostgreSQL's clock, which
//! counts from 2000-01-01, within the range PostgreSQL holds.

/// Microseconds from 1970-01-01 to 2000-01-01.
const EPOCH_2000_MICROS: i64 = 946_684_800_000_000;
/// Days from 1970-01-01 to 2000-01-01.
const EPOCH_2000_DAYS: i64 = 10_957;

/// PostgreSQL's first instant (4714-11-24 BC, 00:00 UTC) and the instant
/// after its last (294277-01-01), in its own microseconds.
const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;
/// PostgreSQL's first date (4714-11-24 BC) and the day after its last
/// (5874898-01-01), in its own days.
const MIN_DATE: i64 = -2_451_545;
const END_DATE: i64 = 2_147_483_494 - 2_451_545;

pub(crate) const TIMESTAMP_RANGE: &str =
    "PostgreSQL holds instants from 4714-11-24 BC to 294276-12-31 AD only";
pub(crate) const DATE_RANGE: &str =
    "PostgreSQL holds dates from 4714-11-24 BC to 5874897-12-31 AD only";

/// An instant (or civil time) on PostgreSQL's clock, if it holds it.
pub(crate) fn timestamp_to_pg(unix_micros: i64) -> Option<i64> {
    let pg = unix_micros.checked_sub(EPOCH_2000_MICROS)?;
    (MIN_TIMESTAMP..END_TIMESTAMP).contains(&pg).then_some(pg)
}

/// An instant PostgreSQL sent, on keyway's clock; `None` for its
/// `infinity` and `-infinity`, which keyway has no value for.
pub(crate) fn timestamp_from_pg(pg: i64) -> Option<i64> {
    if pg == i64::MAX || pg == i64::MIN {
        return None;
    }
    pg.checked_add(EPOCH_2000_MICROS)
}

/// A date on PostgreSQL's calendar count, if it holds it.
pub(crate) fn date_to_pg(unix_days: i32) -> Option<i32> {
    let pg = i64::from(unix_days) - EPOCH_2000_DAYS;
    if (MIN_DATE..END_DATE).contains(&pg) {
        i32::try_from(pg).ok()
    } else {
        None
    }
}

/// A date PostgreSQL sent, as days since 1970-01-01; `None` for its
/// `infinity` and `-infinity`.
pub(crate) fn date_from_pg(pg: i32) -> Option<i32> {
    if pg == i32::MAX || pg == i32::MIN {
        return None;
    }
    i32::try_from(i64::from(pg) + EPOCH_2000_DAYS).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unix_epoch_is_before_postgres_epoch() {
        assert_eq!(timestamp_to_pg(0), Some(-EPOCH_2000_MICROS));
        assert_eq!(timestamp_from_pg(-EPOCH_2000_MICROS), Some(0));
        assert_eq!(date_to_pg(0), Some(-10_957));
        assert_eq!(date_from_pg(0), Some(10_957));
        assert_eq!(timestamp_from_pg(i64::MAX), None);
        assert_eq!(date_from_pg(i32::MIN), None);
        assert_eq!(timestamp_to_pg(i64::MIN), None);
        assert_eq!(date_to_pg(i32::MAX), None);
    }
}
