//! Reading MySQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use sqlx::mysql::{MySqlRow, MySqlValueRef};
use sqlx::{Decode, Row, TypeInfo, ValueRef};

fn decode<'r, T: Decode<'r, sqlx::MySql>>(raw: MySqlValueRef<'r>) -> Result<T, DecodeError> {
    T::decode(raw).map_err(|e| DecodeError::Invalid(e.to_string()))
}

/// Reads column `i` by its MySQL type; the field then checks that the value
/// fits (`Field::from_value`). Text and binary strings are told apart by the
/// field: MySQL flags text in a `_bin` collation as binary.
pub(crate) fn read_value(
    row: &MySqlRow,
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
    let name = ty.name();
    Ok(match name {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => {
            Value::I64(decode(raw)?)
        }
        _ if name.ends_with(" UNSIGNED") => Value::U64(decode(raw)?),
        "FLOAT" => Value::F32(decode(raw)?),
        "DOUBLE" => Value::F64(decode(raw)?),
        "CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "BINARY"
        | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" => {
            if expected == ColumnType::Bytes {
                Value::Bytes(decode(raw)?)
            } else {
                Value::Text(decode(raw)?)
            }
        }
        _ => {
            return Err(DecodeError::WrongType {
                expected,
                found: "a MySQL type keyway does not map",
            });
        }
    })
}
