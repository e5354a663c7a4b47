//! Turning keyway values into SQLite values, refusing those SQLite would change.

use keyway::{Error, Result, TableDef, Value};
use keyway_sql::Param;
use rusqlite::types::Value as SqlValue;

fn out_of_range(table: &TableDef, column: &str, detail: String) -> Error {
    Error::OutOfRange {
        entity: table.entity,
        column: column.to_owned(),
        detail,
    }
}

fn float(table: &TableDef, column: &str, v: f64) -> Result<SqlValue> {
    if v.is_nan() {
        Err(out_of_range(
            table,
            column,
            "NaN cannot be stored: SQLite would turn it into NULL".into(),
        ))
    } else {
        Ok(SqlValue::Real(v))
    }
}

/// The statement's parameters as SQLite values, in placeholder order.
pub(crate) fn values(table: &TableDef, params: Vec<Param>) -> Result<Vec<SqlValue>> {
    params
        .into_iter()
        .map(|Param { value, column }| {
            Ok(match value {
                Value::Null => SqlValue::Null,
                Value::Bool(b) => SqlValue::Integer(i64::from(b)),
                Value::I16(v) => SqlValue::Integer(i64::from(v)),
                Value::I32(v) => SqlValue::Integer(i64::from(v)),
                Value::I64(v) => SqlValue::Integer(v),
                Value::U32(v) => SqlValue::Integer(i64::from(v)),
                Value::U64(v) => SqlValue::Integer(i64::try_from(v).map_err(|_| {
                    out_of_range(
                        table,
                        column,
                        format!("{v} exceeds SQLite's 64-bit signed INTEGER"),
                    )
                })?),
                Value::F32(v) => float(table, column, f64::from(v))?,
                Value::F64(v) => float(table, column, v)?,
                Value::Text(s) => SqlValue::Text(s),
                Value::Bytes(b) => SqlValue::Blob(b),
                other => {
                    return Err(Error::Unsupported {
                        backend: "sqlite",
                        detail: format!("binding a {} value", other.kind()),
                    });
                }
            })
        })
        .collect()
}
