//! Turning keyway values into SQLite values, refusing those SQLite would
//! change (keyway-sql's `storing`).

use std::borrow::Cow;

use keyway::{Result, TableDef, Value};
use keyway_sql::Storing;
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

/// A parameter as SQLite binds it, borrowing text and bytes.
pub(crate) fn value<'v>(
    table: &TableDef,
    column: &str,
    value: &'v Value,
) -> Result<ToSqlOutput<'v>> {
    Ok(
        match keyway_sql::storing(table, column, value, "SQLite", "sqlite")? {
            Storing::Null => ToSqlOutput::Owned(SqlValue::Null),
            Storing::Integer(v) => ToSqlOutput::Owned(SqlValue::Integer(v)),
            Storing::Real(v) => ToSqlOutput::Owned(SqlValue::Real(v)),
            Storing::Text(Cow::Borrowed(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Storing::Text(Cow::Owned(s)) => ToSqlOutput::Owned(SqlValue::Text(s)),
            Storing::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        },
    )
}
