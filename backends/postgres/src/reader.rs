//! Reading PostgreSQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use keyway_sql::decode;
use sqlx::ValueRef;
use sqlx::postgres::PgValueRef;

use crate::numeric::PgU64;

/// The value's type OID (fixed for the built-in types).
#[inline]
fn oid(raw: &PgValueRef<'_>) -> Option<u32> {
    raw.type_info().oid().map(|oid| oid.0)
}

/// Whether a type OID is one of the text types: text, varchar, bpchar, name.
#[inline]
fn is_text(oid: Option<u32>) -> bool {
    matches!(oid, Some(25 | 1043 | 1042 | 19))
}

/// Reads a non-NULL value by its PostgreSQL type (matched on the type's
/// fixed OID, no string compared); the field then checks that the value fits
/// (`Field::from_value`).
pub(crate) fn read_value(raw: PgValueRef<'_>, expected: ColumnType) -> Result<Value, DecodeError> {
    Ok(match oid(&raw) {
        Some(16) => Value::Bool(decode(raw)?),
        Some(21) => Value::I16(decode(raw)?),
        Some(23) => Value::I32(decode(raw)?),
        Some(20) => Value::I64(decode(raw)?),
        Some(700) => Value::F32(decode(raw)?),
        Some(701) => Value::F64(decode(raw)?),
        Some(1700) => Value::U64(decode::<_, PgU64>(raw)?.0),
        oid if is_text(oid) => Value::Text(decode(raw)?),
        Some(17) => Value::Bytes(decode(raw)?),
        _ => {
            return Err(DecodeError::WrongType {
                expected,
                found: "a PostgreSQL type keyway does not map",
            });
        }
    })
}

/// Reads a non-NULL value for an integer field straight from the integer
/// types; any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_int(raw: PgValueRef<'_>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
    match oid(&raw) {
        Some(21) => Ok(Some(decode::<_, i16>(raw)?.into())),
        Some(23) => Ok(Some(decode::<_, i32>(raw)?.into())),
        Some(20) => Ok(Some(decode(raw)?)),
        _ => read_value(raw, ty)?.into_int(ty),
    }
}

/// Reads a non-NULL value for a text field straight from the text types;
/// any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_text(raw: PgValueRef<'_>) -> Result<Option<String>, DecodeError> {
    match oid(&raw) {
        oid if is_text(oid) => Ok(Some(decode(raw)?)),
        _ => read_value(raw, ColumnType::Text)?.into_text(),
    }
}
