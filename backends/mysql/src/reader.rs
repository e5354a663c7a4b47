//! Reading MySQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use keyway_sql::decode;

use crate::time;
use sqlx::mysql::MySqlValueRef;
use sqlx::{TypeInfo, ValueRef};

/// What keyway reads a MySQL column type as.
enum Kind {
    Signed,
    Unsigned,
    Float,
    Double,
    /// Text and binary strings alike: MySQL flags text in a `_bin` collation
    /// as binary, so the field tells them apart.
    String,
    /// `DATETIME` and `TIMESTAMP`.
    DateTime,
    Date,
    Time,
    Decimal,
    Unmapped,
}

#[inline]
fn kind(raw: &MySqlValueRef<'_>) -> Kind {
    match raw.type_info().name() {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => Kind::Signed,
        name if name.ends_with(" UNSIGNED") => Kind::Unsigned,
        "FLOAT" => Kind::Float,
        "DOUBLE" => Kind::Double,
        "CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "BINARY"
        | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" | "JSON" => Kind::String,
        "DATETIME" | "TIMESTAMP" => Kind::DateTime,
        "DATE" => Kind::Date,
        "TIME" => Kind::Time,
        "DECIMAL" => Kind::Decimal,
        _ => Kind::Unmapped,
    }
}

/// Reads a non-NULL value by its MySQL type; the field then checks that the
/// value fits (`Field::from_value`). Text and binary strings are told apart
/// by the field.
pub(crate) fn read_value(
    raw: MySqlValueRef<'_>,
    expected: ColumnType,
) -> Result<Value, DecodeError> {
    Ok(match kind(&raw) {
        Kind::Signed => Value::I64(decode(raw)?),
        Kind::Unsigned => Value::U64(decode(raw)?),
        Kind::Float => Value::F32(decode(raw)?),
        Kind::Double => Value::F64(decode(raw)?),
        // Text and binary strings alike (see `Kind::String`): the field's
        // type says which.
        Kind::String => match expected {
            ColumnType::Bytes => Value::Bytes(decode(raw)?),
            ColumnType::Uuid => {
                let bytes: &[u8] = decode(raw)?;
                Value::Uuid(bytes.try_into().map_err(|_| {
                    DecodeError::Invalid(format!(
                        "a UUID is 16 bytes, the column holds {}",
                        bytes.len()
                    ))
                })?)
            }
            ColumnType::Json => Value::Json(decode(raw)?),
            // A list column: a JSON array of elements of the list's type.
            ColumnType::List(element) => keyway_sql::list_from_json(decode(raw)?, *element)?,
            _ => Value::Text(decode(raw)?),
        },
        Kind::DateTime => {
            let micros = time::micros_of(decode(raw)?);
            match expected {
                ColumnType::Timestamp => Value::Timestamp(micros),
                _ => Value::DateTime(micros),
            }
        }
        Kind::Date => Value::Date(time::days_of(decode(raw)?)),
        Kind::Time => Value::Time(time::time_micros(decode(raw)?)),
        Kind::Decimal => {
            let text: &str = decode(raw)?;
            Value::Decimal(
                keyway::Numeric::parse(text).ok_or_else(|| DecodeError::OutOfRange {
                    expected,
                    value: text.to_owned(),
                })?,
            )
        }
        Kind::Unmapped => {
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
    match kind(&raw) {
        Kind::Signed => Ok(Some(decode(raw)?)),
        _ => read_value(raw, ty)?.into_int(ty),
    }
}

/// Reads a non-NULL value for a text field straight from the string types;
/// any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_text(raw: MySqlValueRef<'_>) -> Result<Option<String>, DecodeError> {
    match kind(&raw) {
        Kind::String => Ok(Some(decode(raw)?)),
        _ => read_value(raw, ColumnType::Text)?.into_text(),
    }
}
