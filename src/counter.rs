//! Columns a write adds to in the database (`increment`): counters and
//! versions, changed without a read.

use crate::{CmpOp, Field, NotNull, Value};

/// A column type an update can add to (`UpdateKey::increment`): `i32`,
/// `i64` or `f64`, never an `Option` (NULL plus one is NULL on SQL and an
/// error on DynamoDB).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column type an update can add to",
    label = "`increment` needs an `i32`, `i64` or `f64` column",
    note = "`increment` adds to a column of `i32`, `i64` or `f64` that is not an `Option`; set other columns with `.set(..)`"
)]
pub trait Counter: Field + NotNull {}

impl Counter for i32 {}
impl Counter for i64 {}
impl Counter for f64 {}

/// Two amounts added to one column, as one: their sum, or
/// [`Value::Unencodable`] when it passes the type's range.
pub(crate) fn sum(a: &Value, b: &Value) -> Value {
    counter_sum(a, b).unwrap_or_else(|| {
        Value::Unencodable("the amounts added pass the range of its type".into())
    })
}

/// `current + amount` for a column an update adds to, as the database
/// computes it, for a backend that applies the update itself (a DynamoDB
/// transaction's buffer); `None` when the sum passes the range of the
/// type, or the two are not numbers of one type.
///
/// ```
/// use keyway::{Value, counter_sum};
/// assert_eq!(counter_sum(&Value::I64(41), &Value::I64(1)), Some(Value::I64(42)));
/// assert_eq!(counter_sum(&Value::I32(i32::MAX), &Value::I32(1)), None);
/// ```
pub fn counter_sum(current: &Value, amount: &Value) -> Option<Value> {
    match (current, amount) {
        (Value::I32(a), Value::I32(b)) => a.checked_add(*b).map(Value::I32),
        (Value::I64(a), Value::I64(b)) => a.checked_add(*b).map(Value::I64),
        (Value::F64(a), Value::F64(b)) => Some(Value::F64(a + b)),
        _ => None,
    }
}

/// The condition on a column's current value under which adding `amount`
/// stays in the range of the column's integer type: `column <= MAX -
/// amount` for a positive amount, `column >= MIN - amount` for a negative
/// one; `None` when every value is safe (a float, zero). For a backend
/// whose database would store the sum out of range (DynamoDB's numbers
/// hold 38 digits) to check it with the write.
///
/// ```
/// use keyway::{CmpOp, Value, counter_headroom};
/// assert_eq!(counter_headroom(&Value::I32(5)), Some((CmpOp::Le, Value::I32(i32::MAX - 5))));
/// assert_eq!(counter_headroom(&Value::I64(-1)), Some((CmpOp::Ge, Value::I64(i64::MIN + 1))));
/// assert_eq!(counter_headroom(&Value::F64(1.5)), None);
/// ```
pub fn counter_headroom(amount: &Value) -> Option<(CmpOp, Value)> {
    match *amount {
        Value::I32(n) if n > 0 => Some((CmpOp::Le, Value::I32(i32::MAX - n))),
        Value::I32(n) if n < 0 => Some((CmpOp::Ge, Value::I32(i32::MIN - n))),
        Value::I64(n) if n > 0 => Some((CmpOp::Le, Value::I64(i64::MAX - n))),
        Value::I64(n) if n < 0 => Some((CmpOp::Ge, Value::I64(i64::MIN - n))),
        _ => None,
    }
}
