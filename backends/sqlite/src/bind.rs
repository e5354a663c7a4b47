//! Turning keyway values into SQLite values, refusing those SQLite would change.

use keyway::{Error, Result, TableDef, Value};
use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};

fn out_of_range(table: &TableDef, column: &str, detail: String) -> Error {
    Error::OutOfRange {
        entity: table.entity,
        column: column.to_owned(),
        detail,
    }
}

fn float(table: &TableDef, column: &str, v: f64) -> Result<ToSqlOutput<'static>> {
    if v.is_nan() {
        Err(out_of_range(
            table,
            column,
            "NaN cannot be stored: SQLite would turn it into NULL".into(),
        ))
    } else if v == 0.0 && v.is_sign_negative() {
        // SQLite keeps a REAL with an integral value as an integer on disk,
        // which has no sign for zero.
        Err(out_of_range(
            table,
            column,
            "-0.0 cannot be stored: SQLite would read it back as 0.0".into(),
        ))
    } else {
        Ok(ToSqlOutput::Owned(SqlValue::Real(v)))
    }
}

/// A parameter as SQLite binds it, borrowing text and bytes.
pub(crate) fn value<'v>(
    table: &TableDef,
    column: &str,
    value: &'v Value,
) -> Result<ToSqlOutput<'v>> {
    let int = |v: i64| Ok(ToSqlOutput::Owned(SqlValue::Integer(v)));
    match value {
        Value::Null => Ok(ToSqlOutput::Owned(SqlValue::Null)),
        Value::Bool(b) => int(i64::from(*b)),
        Value::I16(v) => int(i64::from(*v)),
        Value::I32(v) => int(i64::from(*v)),
        Value::I64(v) => int(*v),
        Value::U32(v) => int(i64::from(*v)),
        Value::U64(v) => int(i64::try_from(*v).map_err(|_| {
            out_of_range(
                table,
                column,
                format!("{v} exceeds SQLite's 64-bit signed INTEGER"),
            )
        })?),
        Value::F32(v) => float(table, column, f64::from(*v)),
        Value::F64(v) => float(table, column, *v),
        Value::Text(s) | Value::Json(s) => Ok(ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes()))),
        Value::Bytes(b) => Ok(ToSqlOutput::Borrowed(ValueRef::Blob(b))),
        // Instants and civil times as microseconds, dates as days: integers,
        // whose order is time order.
        Value::Timestamp(v) | Value::DateTime(v) => int(*v),
        Value::Time(v) => int(Value::check_time(table.entity, column, *v)?),
        Value::Date(v) => int(i64::from(*v)),
        Value::Uuid(b) => Ok(ToSqlOutput::Borrowed(ValueRef::Blob(b))),
        // A decimal as its digits at the column's scale: exact, and ordered.
        Value::Decimal(n) => {
            let fitted = table.fit_decimal(column, *n)?;
            int(i64::try_from(fitted.mantissa()).map_err(|_| {
                out_of_range(
                    table,
                    column,
                    format!("{n} has more than the 18 digits SQLite holds in a decimal column"),
                )
            })?)
        }
        // A list as a JSON array.
        Value::List(items) => match keyway_sql::list_to_json(items) {
            Ok(text) => Ok(ToSqlOutput::Owned(SqlValue::Text(text))),
            Err(why) => Err(Value::unencodable(table.entity, column, &why)),
        },
        Value::Unencodable(why) => Err(Value::unencodable(table.entity, column, why)),
        other => Err(Error::Unsupported {
            backend: "sqlite",
            detail: format!("binding a {} value", other.kind()),
        }),
    }
}
