//! Turso's values and keyway's, both ways, as SQLite stores them
//! (keyway-sql's `storing` and `read_stored`).

use keyway::{ColumnType, DecodeError, Error, Result, TableDef, Value};
use keyway_sql::{Bound, Param, Stored, Storing};
use turso::Row;

/// Every parameter of a statement on `table`, refusing a value the engine
/// would change.
pub(crate) fn arguments(table: &TableDef, params: Vec<Param>) -> Result<Vec<turso::Value>> {
    params
        .into_iter()
        .map(|p| match p.value {
            Bound::One(value) => bind(table, p.column, &value),
            // The dialect writes an `IN` list as a placeholder per value.
            Bound::List(_) => Err(Error::Unsupported {
                backend: "turso",
                detail: format!("an array parameter (the IN list of {})", p.column),
            }),
        })
        .collect()
}

pub(crate) fn bind(table: &TableDef, column: &str, value: &Value) -> Result<turso::Value> {
    Ok(
        match keyway_sql::storing(table, column, value, "Turso", "turso")? {
            Storing::Null => turso::Value::Null,
            Storing::Integer(v) => turso::Value::Integer(v),
            Storing::Real(v) => turso::Value::Real(v),
            Storing::Text(text) => turso::Value::Text(text.into_owned()),
            Storing::Blob(bytes) => turso::Value::Blob(bytes.to_vec()),
        },
    )
}

/// Column `i` of `row`, as turso holds it.
#[inline]
fn column(row: &Row, i: usize) -> Result<turso::Value, DecodeError> {
    row.get_value(i).map_err(|_| DecodeError::MissingColumn(i))
}

fn stored(value: &turso::Value) -> Stored<'_> {
    match value {
        turso::Value::Null => Stored::Null,
        turso::Value::Integer(v) => Stored::Integer(*v),
        turso::Value::Real(v) => Stored::Real(*v),
        turso::Value::Text(text) => Stored::Text(text.as_bytes()),
        turso::Value::Blob(bytes) => Stored::Blob(bytes),
    }
}

/// Column `i` for a field of type `ty`; `scale` is a decimal column's.
/// Text the field takes as it is moves, without a copy.
#[inline]
pub(crate) fn read(row: &Row, i: usize, ty: ColumnType, scale: u8) -> Result<Value, DecodeError> {
    match (column(row, i)?, ty) {
        (turso::Value::Text(text), ColumnType::Text) => Ok(Value::Text(text)),
        (turso::Value::Text(text), ColumnType::Json) => Ok(Value::Json(text)),
        (turso::Value::Blob(bytes), ColumnType::Bytes) => Ok(Value::Bytes(bytes)),
        (raw, ty) => keyway_sql::read_stored(stored(&raw), ty, scale),
    }
}

#[inline]
pub(crate) fn read_int(row: &Row, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
    match column(row, i)? {
        turso::Value::Null => Ok(None),
        turso::Value::Integer(v) => Ok(Some(v)),
        raw => keyway_sql::read_stored(stored(&raw), ty, 0)?.into_int(ty),
    }
}

#[inline]
pub(crate) fn read_text(row: &Row, i: usize) -> Result<Option<String>, DecodeError> {
    match column(row, i)? {
        turso::Value::Null => Ok(None),
        turso::Value::Text(text) => Ok(Some(text)),
        raw => keyway_sql::read_stored(stored(&raw), ColumnType::Text, 0)?.into_text(),
    }
}

#[inline]
pub(crate) fn read_json<T>(
    row: &Row,
    i: usize,
    parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    match column(row, i)? {
        turso::Value::Null => Ok(None),
        turso::Value::Text(text) => parse(&text).map(Some),
        raw => Err(DecodeError::mismatch(
            ColumnType::Json,
            &keyway_sql::read_stored(stored(&raw), ColumnType::Json, 0)?,
        )),
    }
}
