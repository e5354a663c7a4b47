//! Reading PostgreSQL values by their column type.

use keyway::{ColumnType, DecodeError, Value};
use postgres_protocol::types as wire;

use crate::numeric;
use crate::oid::{self, is_text};
use crate::row::PgRow;
use crate::time;

// The fixed OIDs of the types read.
const BOOL: u32 = 16;
const INT2: u32 = 21;
const INT4: u32 = 23;
const INT8: u32 = 20;
const FLOAT4: u32 = 700;
const FLOAT8: u32 = 701;
const NUMERIC: u32 = 1700;
const BYTEA: u32 = 17;
const TIMESTAMPTZ: u32 = 1184;
const TIMESTAMP: u32 = 1114;
const DATE: u32 = 1082;
const TIME: u32 = 1083;
const UUID: u32 = 2950;
const JSON: u32 = 114;
const JSONB: u32 = 3802;

/// A `json` value's text, or a `jsonb` value's after its version byte.
fn json_bytes(ty: u32, bytes: &[u8]) -> Result<&[u8], DecodeError> {
    match (ty, bytes.split_first()) {
        (JSONB, Some((1, json))) => Ok(json),
        (JSONB, _) => Err(invalid("a jsonb value of an unknown format version")),
        _ => Ok(bytes),
    }
}

/// A `timestamp` or `timestamptz` on keyway's clock.
fn instant(bytes: &[u8], expected: ColumnType) -> Result<i64, DecodeError> {
    let pg = wire::timestamp_from_sql(bytes).map_err(invalid)?;
    time::timestamp_from_pg(pg).ok_or_else(|| DecodeError::OutOfRange {
        expected,
        value: "an infinite timestamp".into(),
    })
}

/// A malformed value as a decode error.
#[inline]
fn invalid(e: impl ToString) -> DecodeError {
    DecodeError::Invalid(e.to_string())
}

/// A text value: its bytes are UTF-8 in any text type.
#[inline]
fn text(bytes: &[u8]) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => Err(invalid(e)),
    }
}

/// Reads column `i` by its PostgreSQL type (matched on the type's fixed OID):
/// `Value::Null` for NULL; the field then checks that the value fits
/// (`Field::from_value`).
pub(crate) fn read_value(
    row: &PgRow,
    i: usize,
    expected: ColumnType,
) -> Result<Value, DecodeError> {
    match row.column(i)? {
        (ty, Some(bytes)) => value(ty, bytes, expected),
        (_, None) => Ok(Value::Null),
    }
}

fn value(ty: u32, bytes: &[u8], expected: ColumnType) -> Result<Value, DecodeError> {
    Ok(match ty {
        BOOL => Value::Bool(wire::bool_from_sql(bytes).map_err(invalid)?),
        INT2 => Value::I16(wire::int2_from_sql(bytes).map_err(invalid)?),
        INT4 => Value::I32(wire::int4_from_sql(bytes).map_err(invalid)?),
        INT8 => Value::I64(wire::int8_from_sql(bytes).map_err(invalid)?),
        FLOAT4 => Value::F32(wire::float4_from_sql(bytes).map_err(invalid)?),
        FLOAT8 => Value::F64(wire::float8_from_sql(bytes).map_err(invalid)?),
        NUMERIC => Value::Decimal(numeric::decode(bytes).map_err(invalid)?),
        TIMESTAMPTZ => Value::Timestamp(instant(bytes, expected)?),
        TIMESTAMP => Value::DateTime(instant(bytes, expected)?),
        DATE => {
            let pg = wire::date_from_sql(bytes).map_err(invalid)?;
            Value::Date(
                time::date_from_pg(pg).ok_or_else(|| DecodeError::OutOfRange {
                    expected,
                    value: "an infinite date".into(),
                })?,
            )
        }
        TIME => Value::Time(wire::time_from_sql(bytes).map_err(invalid)?),
        UUID => Value::Uuid(wire::uuid_from_sql(bytes).map_err(invalid)?),
        JSONB | JSON => Value::Json(text(json_bytes(ty, bytes)?)?),
        ty if oid::is_array(ty) => array(bytes, expected)?,
        ty if is_text(ty) => Value::Text(text(bytes)?),
        BYTEA => Value::Bytes(bytes.to_vec()),
        _ => {
            return Err(DecodeError::WrongType {
                expected,
                found: "a PostgreSQL type keyway does not map",
            });
        }
    })
}

/// A one-dimensional array, each element read by its type as the list's
/// element type.
fn array(bytes: &[u8], expected: ColumnType) -> Result<Value, DecodeError> {
    use fallible_iterator::FallibleIterator;
    let ColumnType::List(element) = expected else {
        return Err(DecodeError::WrongType {
            expected,
            found: "a PostgreSQL array",
        });
    };
    let array = wire::array_from_sql(bytes).map_err(invalid)?;
    if array.dimensions().count().map_err(invalid)? > 1 {
        return Err(invalid("a list is a one-dimensional array"));
    }
    let oid = array.element_type();
    let mut values = array.values();
    let mut items = Vec::new();
    while let Some(item) = values.next().map_err(invalid)? {
        match item {
            Some(bytes) => items.push(value(oid, bytes, *element)?),
            None => return Err(invalid("a list holds no NULL")),
        }
    }
    Ok(Value::List(items))
}

/// Reads column `i` for an integer field straight from the integer types;
/// any other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_int(row: &PgRow, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
    let (found, bytes) = row.column(i)?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    match found {
        INT2 => Ok(Some(wire::int2_from_sql(bytes).map_err(invalid)?.into())),
        INT4 => Ok(Some(wire::int4_from_sql(bytes).map_err(invalid)?.into())),
        INT8 => Ok(Some(wire::int8_from_sql(bytes).map_err(invalid)?)),
        _ => value(found, bytes, ty)?.into_int(ty),
    }
}

/// Reads column `i` for a text field straight from the text types; any
/// other type as `read_value` reads it, with the same errors.
#[inline]
pub(crate) fn read_text(row: &PgRow, i: usize) -> Result<Option<String>, DecodeError> {
    let (found, bytes) = row.column(i)?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    if is_text(found) {
        Ok(Some(text(bytes)?))
    } else {
        value(found, bytes, ColumnType::Text)?.into_text()
    }
}

/// Reads column `i` for a JSON document field, lending its text to `parse`
/// (`jsonb` after its version byte); any other type as `read_value` reads
/// it, with the same errors.
#[inline]
pub(crate) fn read_json<T>(
    row: &PgRow,
    i: usize,
    parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    let (found, bytes) = row.column(i)?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    if !matches!(found, JSONB | JSON) {
        return match value(found, bytes, ColumnType::Json)? {
            Value::Json(text) => parse(&text).map(Some),
            other => Err(DecodeError::mismatch(ColumnType::Json, &other)),
        };
    }
    std::str::from_utf8(json_bytes(found, bytes)?)
        .map_err(invalid)
        .and_then(parse)
        .map(Some)
}
