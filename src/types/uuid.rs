//! `uuid::Uuid`.

use uuid::Uuid;

use crate::{ColumnType, DecodeError, Field, NotNull, Value};

impl Field for Uuid {
    const TYPE: ColumnType = ColumnType::Uuid;
    #[inline]
    fn to_value(&self) -> Value {
        Value::Uuid(*self.as_bytes())
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::Uuid(bytes) => Ok(Uuid::from_bytes(bytes)),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl NotNull for Uuid {}

crate::key::key_part!(Uuid);
