//! `jiff` time types: `Timestamp`, and civil `DateTime`, `Date`, `Time`.
//!
//! Each is stored to the microsecond: finer digits are dropped toward the
//! past when the value is written (as PostgreSQL and MySQL themselves keep
//! microseconds).

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use super::{civil_from_days, days_from_civil, micros, out_of_range, split_micros};
use crate::{ColumnType, DecodeError, Field, NotNull, Value};

fn timestamp_micros(ts: Timestamp) -> i64 {
    micros(ts.as_second(), ts.subsec_nanosecond())
}

fn timestamp_of(us: i64, ty: ColumnType) -> Result<Timestamp, DecodeError> {
    let (seconds, nanos) = split_micros(us);
    Timestamp::new(seconds, nanos).map_err(|_| out_of_range(ty, us))
}

impl Field for Timestamp {
    const TYPE: ColumnType = ColumnType::Timestamp;
    fn to_value(&self) -> Value {
        Value::Timestamp(timestamp_micros(*self))
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Timestamp(us) => timestamp_of(us, Self::TYPE),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for Timestamp {}

/// Days since 1970-01-01 of a civil date.
fn days_of(date: Date) -> i64 {
    days_from_civil(date.year().into(), date.month().into(), date.day().into())
}

/// The civil date of days since 1970-01-01, if jiff holds it.
fn date_of(days: i64, ty: ColumnType) -> Result<Date, DecodeError> {
    let (year, month, day) = civil_from_days(days);
    let year = i16::try_from(year).map_err(|_| out_of_range(ty, days))?;
    Date::new(year, month as i8, day as i8).map_err(|_| out_of_range(ty, days))
}

/// Microseconds since midnight of a civil time.
fn time_micros(time: Time) -> i64 {
    let seconds =
        i64::from(time.hour()) * 3_600 + i64::from(time.minute()) * 60 + i64::from(time.second());
    micros(seconds, time.subsec_nanosecond())
}

/// The civil time of microseconds since midnight.
fn time_of(us: i64, ty: ColumnType) -> Result<Time, DecodeError> {
    if !(0..crate::MICROS_PER_DAY).contains(&us) {
        return Err(out_of_range(ty, us));
    }
    let (seconds, nanos) = split_micros(us);
    Time::new(
        (seconds / 3_600) as i8,
        (seconds / 60 % 60) as i8,
        (seconds % 60) as i8,
        nanos,
    )
    .map_err(|_| out_of_range(ty, us))
}

impl Field for DateTime {
    const TYPE: ColumnType = ColumnType::DateTime;
    fn to_value(&self) -> Value {
        // Counted on a clock without zone, whose days all have 86 400 s.
        Value::DateTime(days_of(self.date()) * crate::MICROS_PER_DAY + time_micros(self.time()))
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::DateTime(us) => {
                let date = date_of(us.div_euclid(crate::MICROS_PER_DAY), Self::TYPE)?;
                let time = time_of(us.rem_euclid(crate::MICROS_PER_DAY), Self::TYPE)?;
                Ok(date.to_datetime(time))
            }
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for DateTime {}

impl Field for Date {
    const TYPE: ColumnType = ColumnType::Date;
    fn to_value(&self) -> Value {
        // jiff's years (-9999 to 9999) are within ±4 million days.
        Value::Date(days_of(*self) as i32)
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Date(days) => date_of(days.into(), Self::TYPE),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for Date {}

impl Field for Time {
    const TYPE: ColumnType = ColumnType::Time;
    fn to_value(&self) -> Value {
        Value::Time(time_micros(*self))
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Time(us) => time_of(us, Self::TYPE),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for Time {}

crate::key::key_part!(Timestamp, Date, DateTime);
