//! Reading MySQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use keyway_sql::decode;
use sqlx::mysql::MySqlValueRef;
use sqlx::{TypeInfo, ValueRef};

/// Reads a non-NULL value by its MySQL type; the field then checks that the
/// value fits (`Field::from_value`). Text and binary strings are told apart
/// by the field: MySQL flags text in a `_bin` collation as binary.
pub(crate) fn read_value(
    raw: MySqlValueRef<'_>,
    expected: ColumnType,
) -> Result<Value, DecodeError> {
    // A MySQL type is a few bytes: copying it frees `raw` for decoding.
    let ty = raw.type_info().into_owned();
    Ok(match ty.name() {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => {
            Value::I64(decode(raw)?)
        }
        name if name.ends_with(" UNSIGNED") => Value::U64(decode(raw)?),
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
