//! The value types beyond the scalars: [`Numeric`](crate::Numeric) and
//! enums always; time, UUID, decimal and JSON behind the cargo features
//! `jiff`, `chrono`, `uuid`, `decimal` and `json`.

mod enums;
mod list;
mod numeric_field;

#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "decimal")]
mod decimal;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "json")]
mod json;
#[cfg(feature = "uuid")]
mod uuid;

pub use enums::{Enum, EnumRepr};
#[cfg(feature = "json")]
pub use json::Json;
pub use list::{Contains, List, ListElement};

use crate::{ColumnType, DecodeError};

/// A stored value outside the range of the field's type.
#[cold]
pub(crate) fn out_of_range(expected: ColumnType, value: impl ToString) -> DecodeError {
    DecodeError::OutOfRange {
        expected,
        value: value.to_string(),
    }
}

/// Microseconds as whole seconds and the nanoseconds past them (both
/// floored, so the nanoseconds are never negative).
#[cfg(any(feature = "jiff", feature = "chrono"))]
pub(crate) fn split_micros(micros: i64) -> (i64, i32) {
    (
        micros.div_euclid(1_000_000),
        (micros.rem_euclid(1_000_000) * 1_000) as i32,
    )
}

/// Whole seconds and nanoseconds as microseconds, the finer digits dropped
/// toward the past; `i64::MIN` / `MAX` saturate (beyond every backend, so
/// refused as out of range there).
#[cfg(any(feature = "jiff", feature = "chrono"))]
pub(crate) fn micros(seconds: i64, nanos: i32) -> i64 {
    let total = i128::from(seconds) * 1_000_000 + i128::from(nanos).div_euclid(1_000);
    i64::try_from(total).unwrap_or(if total < 0 { i64::MIN } else { i64::MAX })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the civil-days
/// algorithm of Howard Hinnant's `chrono`-compatible date library).
#[cfg(feature = "jiff")]
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of days since 1970-01-01.
#[cfg(feature = "jiff")]
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(all(test, feature = "jiff"))]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for days in [-4_000_000, -719_468, -1, 0, 59, 60, 2_932_896, 4_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
