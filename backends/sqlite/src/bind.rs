//! Binding keyway values as sqlx SQLite arguments.

use keyway::{Error, Result, TableDef, Value};
use keyway_sql::Param;
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;

fn out_of_range(table: &TableDef, column: &str, detail: String) -> Error {
    Error::OutOfRange {
        entity: table.entity,
        column: column.to_owned(),
        detail,
    }
}

fn float(table: &TableDef, column: &str, v: f64) -> Result<f64> {
    if v.is_nan() {
        Err(out_of_range(
            table,
            column,
            "NaN cannot be stored: SQLite would turn it into NULL".into(),
        ))
    } else {
        Ok(v)
    }
}

/// Binds every parameter, refusing values SQLite would change.
pub(crate) fn arguments(table: &TableDef, params: Vec<Param>) -> Result<SqliteArguments<'static>> {
    let mut args = SqliteArguments::default();
    for Param { value, column } in params {
        let added = match value {
            Value::Null => args.add(None::<i64>),
            Value::Bool(b) => args.add(b),
            Value::I16(v) => args.add(i64::from(v)),
            Value::I32(v) => args.add(i64::from(v)),
            Value::I64(v) => args.add(v),
            Value::U32(v) => args.add(i64::from(v)),
            Value::U64(v) => {
                let v = i64::try_from(v).map_err(|_| {
                    out_of_range(
                        table,
                        column,
                        format!("{v} exceeds SQLite's 64-bit signed INTEGER"),
                    )
                })?;
                args.add(v)
            }
            Value::F32(v) => args.add(float(table, column, f64::from(v))?),
            Value::F64(v) => args.add(float(table, column, v)?),
            Value::Text(s) => args.add(s),
            Value::Bytes(b) => args.add(b),
            other => {
                return Err(Error::Unsupported {
                    backend: "sqlite",
                    detail: format!("binding a {} value", other.kind()),
                });
            }
        };
        added.map_err(Error::Backend)?;
    }
    Ok(args)
}
