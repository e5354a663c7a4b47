//! `chrono` time types: `DateTime<Utc>`, `NaiveDateTime`, `NaiveDate`,
//! `NaiveTime`.
//!
//! Each is stored to the microsecond: finer digits are dropped toward the
//! past when the value is written. A leap second (chrono's 60th second) is
//! refused when written: no backend stores one.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

use super::{micros, out_of_range, split_micros};
use crate::{ColumnType, DecodeError, Field, NotNull, Value};

/// The days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAY_FROM_CE: i32 = 719_163;

const LEAP_SECOND: &str = "a leap second (chrono's 60th second) cannot be stored";

fn utc_micros(dt: &DateTime<Utc>) -> Value {
    if dt.nanosecond() >= 1_000_000_000 {
        return Value::Unencodable(LEAP_SECOND.into());
    }
    Value::Timestamp(micros(dt.timestamp(), dt.nanosecond() as i32))
}

fn utc_of(us: i64, ty: ColumnType) -> Result<DateTime<Utc>, DecodeError> {
    let (seconds, nanos) = split_micros(us);
    DateTime::from_timestamp(seconds, nanos as u32).ok_or_else(|| out_of_range(ty, us))
}

impl Field for DateTime<Utc> {
    const TYPE: ColumnType = ColumnType::Timestamp;
    fn to_value(&self) -> Value {
        utc_micros(self)
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Timestamp(us) => utc_of(us, Self::TYPE),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for DateTime<Utc> {}

impl Field for NaiveDateTime {
    const TYPE: ColumnType = ColumnType::DateTime;
    fn to_value(&self) -> Value {
        match utc_micros(&self.and_utc()) {
            Value::Timestamp(us) => Value::DateTime(us),
            refused => refused,
        }
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::DateTime(us) => utc_of(us, Self::TYPE).map(|dt| dt.naive_utc()),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for NaiveDateTime {}

impl Field for NaiveDate {
    const TYPE: ColumnType = ColumnType::Date;
    fn to_value(&self) -> Value {
        use chrono::Datelike;
        Value::Date(self.num_days_from_ce() - UNIX_EPOCH_DAY_FROM_CE)
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Date(days) => days
                .checked_add(UNIX_EPOCH_DAY_FROM_CE)
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or_else(|| out_of_range(Self::TYPE, days)),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for NaiveDate {}

impl Field for NaiveTime {
    const TYPE: ColumnType = ColumnType::Time;
    fn to_value(&self) -> Value {
        if self.nanosecond() >= 1_000_000_000 {
            return Value::Unencodable(LEAP_SECOND.into());
        }
        Value::Time(micros(
            i64::from(self.num_seconds_from_midnight()),
            self.nanosecond() as i32,
        ))
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Time(us) if (0..crate::MICROS_PER_DAY).contains(&us) => {
                let (seconds, nanos) = split_micros(us);
                NaiveTime::from_num_seconds_from_midnight_opt(seconds as u32, nanos as u32)
                    .ok_or_else(|| out_of_range(Self::TYPE, us))
            }
            Value::Time(us) => Err(out_of_range(Self::TYPE, us)),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for NaiveTime {}

crate::key::key_part!(DateTime<Utc>, NaiveDate, NaiveDateTime);
