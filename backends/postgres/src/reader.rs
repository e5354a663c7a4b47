//! Reading PostgreSQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};

use crate::numeric;

/// One column's bytes in PostgreSQL's binary format, and its type's OID.
struct Raw<'r> {
    oid: u32,
    bytes: &'r [u8],
}

impl<'r> FromSql<'r> for Raw<'r> {
    fn from_sql(
        ty: &Type,
        bytes: &'r [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw {
            oid: ty.oid(),
            bytes,
        })
    }

    /// Every type: the reader matches on the OID.
    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Column `i` of `row`, `None` for NULL.
#[inline]
fn column(row: &Row, i: usize) -> Result<Option<Raw<'_>>, DecodeError> {
    row.try_get::<_, Option<Raw<'_>>>(i)
        .map_err(|_| DecodeError::MissingColumn(i))
}

/// Whether a type OID is one of the text types: text, varchar, bpchar, name.
#[inline]
fn is_text(oid: u32) -> bool {
    matches!(oid, 25 | 1043 | 1042 | 19)
}

/// Decodes `bytes` as `T` of PostgreSQL type `ty`, a malformed value
/// becoming `DecodeError::Invalid`.
#[inline]
fn decode<'r, T: FromSql<'r>>(ty: &Type, bytes: &'r [u8]) -> Result<T, DecodeError> {
    T::from_sql(ty, bytes).map_err(|e| DecodeError::Invalid(e.to_string()))
}

/// A text value: its bytes are UTF-8 in any text type (checked here
/// directly; `String`'s own `FromSql` first compares the type's name with
/// the extension types).
#[inline]
fn text(bytes: &[u8]) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(DecodeError::Invalid(e.to_string())),
    }
}

/// Reads column `i` by its PostgreSQL type (matched on the type's fixed OID,
/// no string compared): `Value::Null` for NULL; the field then checks that
/// the value fits (`Field::from_value`).
pub(crate) fn read_value(row: &Row, i: usize, expected: ColumnType) -> Result<Value, DecodeError> {
    match column(row, i)? {
        Some(raw) => value(raw, expected),
        None => Ok(Value::Null),
    }
}

fn value(Raw { oid, bytes }: Raw<'_>, expected: ColumnType) -> Result<Value, DecodeError> {
    Ok(match oid {
        16 => Value::Bool(decode(&Type::BOOL, bytes)?),
        21 => Value::I16(decode(&Type::INT2, bytes)?),
        23 => Value::I32(decode(&Type::INT4, bytes)?),
        20 => Value::I64(decode(&Type::INT8, bytes)?),
        700 => Value::F32(decode(&Type::FLOAT4, bytes)?),
        701 => Value::F64(decode(&Type::FLOAT8, bytes)?),
        1700 => Value::U64(numeric::decode(bytes).map_err(|e| DecodeError::Invalid(e.into()))?),
        oid if is_text(oid) => Value::Text(text(bytes)?),
        17 => Value::Bytes(decode(&Type::BYTEA, bytes)?),
        _ => {
            return Err(DecodeError::WrongType {
                expected,
                found: "a PostgreSQL type keyway does not map",
            });
        }
    })
}

/// Reads column `i` for an integer field straight from the integer types;
/// any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_int(row: &Row, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
    let Some(raw) = column(row, i)? else {
        return Ok(None);
    };
    match raw.oid {
        21 => Ok(Some(decode::<i16>(&Type::INT2, raw.bytes)?.into())),
        23 => Ok(Some(decode::<i32>(&Type::INT4, raw.bytes)?.into())),
        20 => Ok(Some(decode(&Type::INT8, raw.bytes)?)),
        _ => value(raw, ty)?.into_int(ty),
    }
}

/// Reads column `i` for a text field straight from the text types; any
/// other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_text(row: &Row, i: usize) -> Result<Option<String>, DecodeError> {
    let Some(raw) = column(row, i)? else {
        return Ok(None);
    };
    if is_text(raw.oid) {
        Ok(Some(text(raw.bytes)?))
    } else {
        value(raw, ColumnType::Text)?.into_text()
    }
}
