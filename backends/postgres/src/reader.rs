//! Reading PostgreSQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use sqlx::postgres::{PgRow, PgValueRef};
use sqlx::{Decode, Row, TypeInfo, ValueRef};

use crate::numeric::PgU64;

fn decode<'r, T: Decode<'r, sqlx::Postgres>>(raw: PgValueRef<'r>) -> Result<T, DecodeError> {
    T::decode(raw).map_err(|e| DecodeError::Invalid(e.to_string()))
}

/// Reads column `i` by its PostgreSQL type; the field then checks that the
/// value fits (`Field::from_value`).
pub(crate) fn read_value(
    row: &PgRow,
    i: usize,
    expected: ColumnType,
) -> Result<Value, DecodeError> {
    let raw = row
        .try_get_raw(i)
        .map_err(|_| DecodeError::MissingColumn(i))?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let ty = raw.type_info();
    Ok(match ty.name() {
        "BOOL" => Value::Bool(decode(raw)?),
        "INT2" => Value::I16(decode(raw)?),
        "INT4" => Value::I32(decode(raw)?),
        "INT8" => Value::I64(decode(raw)?),
        "FLOAT4" => Value::F32(decode(raw)?),
        "FLOAT8" => Value::F64(decode(raw)?),
        "NUMERIC" => Value::U64(decode::<PgU64>(raw)?.0),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => Value::Text(decode(raw)?),
        "BYTEA" => Value::Bytes(decode(raw)?),
        _ => {
            return Err(DecodeError::WrongType {
                expected,
                found: "a PostgreSQL type keyway does not map",
            });
        }
    })
}
