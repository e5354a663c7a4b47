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

/// Reads a non-NULL value for an integer field straight from the signed
/// integer types; any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_int(raw: MySqlValueRef<'_>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
    match raw.type_info().name() {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => {
            Ok(Some(decode(raw)?))
        }
        _ => read_value(raw, ty)?.into_int(ty),
    }
}

/// Reads a non-NULL value for a text field straight from the string types;
/// any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_text(raw: MySqlValueRef<'_>) -> Result<Option<String>, DecodeError> {
    match raw.type_info().name() {
        "CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "BINARY"
        | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" => Ok(Some(decode(raw)?)),
        _ => read_value(raw, ColumnType::Text)?.into_text(),
    }
}
