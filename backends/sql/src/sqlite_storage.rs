//! What SQLite's storage classes hold for each keyway value, both ways: the
//! storage SQLite and Turso give a bound value, and the value a stored one
//! reads back as for a field of each type.

use std::borrow::Cow;

use keyway::{ColumnType, DecodeError, Error, Result, Selection, TableDef, Value};

/// A value as SQLite stores it (its storage class), borrowed from a row.
#[derive(Debug, Clone, Copy)]
pub enum Stored<'a> {
    /// NULL.
    Null,
    /// A 64-bit signed integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text, as bytes (checked when read).
    Text(&'a [u8]),
    /// Bytes.
    Blob(&'a [u8]),
}

/// A parameter as SQLite stores it, borrowing text and bytes where it can.
#[derive(Debug, Clone)]
pub enum Storing<'v> {
    /// NULL.
    Null,
    /// A 64-bit signed integer.
    Integer(i64),
    /// A double (never NaN or -0.0).
    Real(f64),
    /// Text.
    Text(Cow<'v, str>),
    /// Bytes.
    Blob(&'v [u8]),
}

fn out_of_range(table: &TableDef, column: &str, detail: String) -> Error {
    Error::OutOfRange {
        entity: table.entity,
        column: column.to_owned(),
        detail,
    }
}

fn float<'v>(table: &TableDef, column: &str, v: f64, engine: &str) -> Result<Storing<'v>> {
    if v.is_nan() {
        Err(out_of_range(
            table,
            column,
            format!("NaN cannot be stored: {engine} would turn it into NULL"),
        ))
    } else if v == 0.0 && v.is_sign_negative() {
        // SQLite keeps a REAL with an integral value as an integer on disk,
        // which has no sign for zero.
        Err(out_of_range(
            table,
            column,
            format!("-0.0 cannot be stored: {engine} would read it back as 0.0"),
        ))
    } else {
        Ok(Storing::Real(v))
    }
}

/// How `value`, bound for `column` of `table`, is stored; a value the
/// engine (`"SQLite"`, `"Turso"`) would change is `Error::OutOfRange`.
/// `backend` names the backend in `Error::Unsupported`.
pub fn storing<'v>(
    table: &TableDef,
    column: &str,
    value: &'v Value,
    engine: &'static str,
    backend: &'static str,
) -> Result<Storing<'v>> {
    let int = |v: i64| Ok(Storing::Integer(v));
    match value {
        Value::Null => Ok(Storing::Null),
        Value::Bool(b) => int(i64::from(*b)),
        Value::I16(v) => int(i64::from(*v)),
        Value::I32(v) => int(i64::from(*v)),
        Value::I64(v) => int(*v),
        Value::U32(v) => int(i64::from(*v)),
        Value::U64(v) => int(i64::try_from(*v).map_err(|_| {
            out_of_range(
                table,
                column,
                format!("{v} exceeds {engine}'s 64-bit signed INTEGER"),
            )
        })?),
        Value::F32(v) => float(table, column, f64::from(*v), engine),
        Value::F64(v) => float(table, column, *v, engine),
        Value::Text(s) | Value::Json(s) => Ok(Storing::Text(Cow::Borrowed(s))),
        Value::Bytes(b) => Ok(Storing::Blob(b)),
        // Instants and civil times as microseconds, dates as days: integers,
        // whose order is time order.
        Value::Timestamp(v) | Value::DateTime(v) => int(*v),
        Value::Time(v) => int(Value::check_time(table.entity, column, *v)?),
        Value::Date(v) => int(i64::from(*v)),
        Value::Uuid(b) => Ok(Storing::Blob(b)),
        // A decimal as its digits at the column's scale: exact, and ordered.
        Value::Decimal(n) => {
            let fitted = table.fit_decimal(column, *n)?;
            int(i64::try_from(fitted.mantissa()).map_err(|_| {
                out_of_range(
                    table,
                    column,
                    format!("{n} has more than the 18 digits {engine} holds in a decimal column"),
                )
            })?)
        }
        // A list as a JSON array.
        Value::List(items) => match crate::list_to_json(items) {
            Ok(text) => Ok(Storing::Text(Cow::Owned(text))),
            Err(why) => Err(Value::unencodable(table.entity, column, &why)),
        },
        Value::Unencodable(why) => Err(Value::unencodable(table.entity, column, why)),
        other => Err(Error::Unsupported {
            backend,
            detail: format!("binding a {} value", other.kind()),
        }),
    }
}

/// A stored value read for a field of type `ty`: the storage class must be
/// one that type is stored as. `scale` is a decimal column's (its digits
/// after the point, stored as an integer of them).
#[inline]
pub fn read_stored(raw: Stored<'_>, ty: ColumnType, scale: u8) -> Result<Value, DecodeError> {
    Ok(match (raw, ty) {
        (Stored::Null, _) => Value::Null,
        (Stored::Integer(v), ColumnType::Timestamp) => Value::Timestamp(v),
        (Stored::Integer(v), ColumnType::DateTime) => Value::DateTime(v),
        (Stored::Integer(v), ColumnType::Time) => Value::Time(v),
        (Stored::Integer(v), ColumnType::Date) => {
            Value::Date(i32::try_from(v).map_err(|_| int_out_of_range(ty, v))?)
        }
        (Stored::Integer(v), ColumnType::Decimal) => Value::Decimal(
            keyway::Numeric::new(i128::from(v), scale).ok_or_else(|| int_out_of_range(ty, v))?,
        ),
        (Stored::Integer(v), _) => Value::I64(v),
        (Stored::Text(text), ColumnType::Json) => Value::Json(utf8(text)?.to_owned()),
        (Stored::Text(text), ColumnType::List(element)) => {
            crate::list_from_json(utf8(text)?, *element)?
        }
        (Stored::Blob(bytes), ColumnType::Uuid) => Value::Uuid(bytes.try_into().map_err(|_| {
            DecodeError::Invalid(format!(
                "a UUID is 16 bytes, the column holds {}",
                bytes.len()
            ))
        })?),
        (Stored::Real(v), ColumnType::F32 | ColumnType::F64) => Value::F64(v),
        (Stored::Text(text), ColumnType::Text) => Value::Text(utf8(text)?.to_owned()),
        (Stored::Blob(bytes), ColumnType::Bytes) => Value::Bytes(bytes.to_vec()),
        (Stored::Real(_), _) => return Err(wrong(ty, "real")),
        (Stored::Text(_), _) => return Err(wrong(ty, "text")),
        (Stored::Blob(_), _) => return Err(wrong(ty, "bytes")),
    })
}

/// Text read from a row, checked to be UTF-8.
pub fn utf8(text: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(text).map_err(|e| DecodeError::Invalid(e.to_string()))
}

/// The declared scale of the `i`-th column a row of `table` holding
/// `selection` has: a decimal column's digits after the point, 0 for any
/// other column.
pub fn column_scale(table: &TableDef, selection: &Selection, i: usize) -> u8 {
    let column = match selection {
        // A whole entity: the column at the same place.
        Selection::Entity => table.flat().columns.get(i),
        _ => table.sql_column(selection.column_name(table, i)),
    };
    column.and_then(|c| c.decimal).map_or(0, |(_, scale)| scale)
}

#[cold]
fn int_out_of_range(expected: ColumnType, v: i64) -> DecodeError {
    DecodeError::OutOfRange {
        expected,
        value: v.to_string(),
    }
}

fn wrong(expected: ColumnType, found: &'static str) -> DecodeError {
    DecodeError::WrongType { expected, found }
}
