//! Reading PostgreSQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use keyway_sql::decode;
use sqlx::postgres::PgValueRef;

use crate::numeric::PgU64;

/// Reads a non-NULL value by its PostgreSQL type; the field then checks that
/// the value fits (`Field::from_value`).
pub(crate) fn read_value(
    raw: PgValueRef<'_>,
    type_name: &str,
    expected: ColumnType,
) -> Result<Value, DecodeError> {
    Ok(match type_name {
        "BOOL" => Value::Bool(decode(raw)?),
        "INT2" => Value::I16(decode(raw)?),
        "INT4" => Value::I32(decode(raw)?),
        "INT8" => Value::I64(decode(raw)?),
        "FLOAT4" => Value::F32(decode(raw)?),
        "FLOAT8" => Value::F64(decode(raw)?),
        "NUMERIC" => Value::U64(decode::<_, PgU64>(raw)?.0),
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
