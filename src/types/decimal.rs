//! `rust_decimal::Decimal`, in a column of declared precision and scale.

use rust_decimal::Decimal;

use super::numeric_field::decimal_of;
use super::out_of_range;
use crate::{ColumnType, DecodeError, Field, NotNull, Numeric, Value};

impl Field for Decimal {
    const TYPE: ColumnType = ColumnType::Decimal;
    fn to_value(&self) -> Value {
        // 96 bits and a scale of at most 28: always a `Numeric`.
        match Numeric::new(self.mantissa(), self.scale() as u8) {
            Some(n) => Value::Decimal(n),
            None => Value::Unencodable(format!("{self} has more than 38 digits")),
        }
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        let n = decimal_of(value)?;
        // rust_decimal holds a scale of at most 28: zeros beyond it go.
        let n = if n.scale() > 28 {
            n.rescale(28).unwrap_or(n)
        } else {
            n
        };
        Decimal::try_from_i128_with_scale(n.mantissa(), u32::from(n.scale()))
            .map_err(|_| out_of_range(Self::TYPE, n))
    }
}
impl NotNull for Decimal {}

crate::key::key_part!(Decimal);
