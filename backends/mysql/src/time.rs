//! keyway's instants, civil times, dates and times of day as MySQL's
//! `DATETIME(6)`, `DATE` and `TIME(6)`, through chrono's types (which sqlx
//! encodes). Instants are stored as their UTC date and time.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// The days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAY_FROM_CE: i32 = 719_163;
/// MySQL's first `DATETIME` (1000-01-01) and the instant after its last
/// (10000-01-01), in microseconds since 1970-01-01.
const DATETIME_RANGE: std::ops::Range<i64> = -30_610_224_000_000_000..253_402_300_800_000_000;
/// MySQL's first and last `DATE`, in days since 1970-01-01.
const DATE_RANGE: std::ops::RangeInclusive<i32> = -354_285..=2_932_896;

pub(crate) const DATETIME_REFUSED: &str =
    "MySQL holds dates and times from 1000-01-01 to 9999-12-31 only";

/// A date and time for a `DATETIME(6)` column, if MySQL holds it.
pub(crate) fn datetime(micros: i64) -> Option<NaiveDateTime> {
    if !DATETIME_RANGE.contains(&micros) {
        return None;
    }
    DateTime::from_timestamp_micros(micros).map(|dt| dt.naive_utc())
}

/// A date for a `DATE` column, if MySQL holds it.
pub(crate) fn date(days: i32) -> Option<NaiveDate> {
    if !DATE_RANGE.contains(&days) {
        return None;
    }
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAY_FROM_CE)
}

/// A time of day (already checked to be within the day).
pub(crate) fn time(micros: i64) -> Option<NaiveTime> {
    let seconds = u32::try_from(micros / 1_000_000).ok()?;
    let nanos = u32::try_from(micros % 1_000_000 * 1_000).ok()?;
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, nanos)
}

/// A `DATETIME` read back, in microseconds since 1970-01-01.
pub(crate) fn micros_of(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_micros()
}

/// A `DATE` read back, in days since 1970-01-01.
pub(crate) fn days_of(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce() - UNIX_EPOCH_DAY_FROM_CE
}

/// A `TIME` read back, in microseconds since midnight.
pub(crate) fn time_micros(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight()) * 1_000_000 + i64::from(time.nanosecond() / 1_000)
}
