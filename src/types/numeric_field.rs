//! `Numeric` as a field of a decimal column.

use crate::{ColumnType, DecodeError, Field, NotNull, Numeric, Value};

impl Field for Numeric {
    const TYPE: ColumnType = ColumnType::Decimal;
    #[inline]
    fn to_value(&self) -> Value {
        Value::Decimal(*self)
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        decimal_of(value)
    }
}
impl NotNull for Numeric {}

/// The decimal a value holds: a decimal, or an integer (a `NUMERIC` column
/// another program declared without a scale).
pub(crate) fn decimal_of(value: Value) -> Result<Numeric, DecodeError> {
    let whole: i128 = match value {
        Value::Decimal(n) => return Ok(n),
        Value::I16(v) => v.into(),
        Value::I32(v) => v.into(),
        Value::I64(v) => v.into(),
        Value::U32(v) => v.into(),
        Value::U64(v) => v.into(),
        other => return Err(DecodeError::mismatch(ColumnType::Decimal, &other)),
    };
    Numeric::new(whole, 0).ok_or_else(|| super::out_of_range(ColumnType::Decimal, whole))
}
