//! Binding keyway values as sqlx MySQL arguments.

use keyway::{Error, Result, TableDef, Value};
use keyway_sql::{Bound, Param};
use sqlx::Arguments;
use sqlx::mysql::MySqlArguments;

/// Refuses the floats MySQL cannot store unchanged: NaN and the infinities
/// (refused by the server), and -0.0 (which MySQL and MariaDB read back as
/// 0.0).
fn storable(table: &TableDef, column: &str, v: f64) -> Result<()> {
    let detail = if !v.is_finite() {
        format!("MySQL cannot store {v} in a FLOAT or DOUBLE column")
    } else if v == 0.0 && v.is_sign_negative() {
        "-0.0 cannot be stored: MySQL and MariaDB read it back as 0.0".to_owned()
    } else {
        return Ok(());
    };
    Err(Error::OutOfRange {
        entity: table.entity,
        column: column.to_owned(),
        detail,
    })
}

/// Binds every parameter, refusing floats MySQL cannot store (NaN, infinity,
/// -0.0).
pub(crate) fn arguments(table: &TableDef, params: Vec<Param>) -> Result<MySqlArguments> {
    let mut args = MySqlArguments::default();
    for Param { value, column } in params {
        // The MySQL dialect writes an `IN` list as a placeholder per value.
        let Bound::One(value) = value else {
            return Err(Error::Unsupported {
                backend: "mysql",
                detail: format!("an array parameter (the IN list of {column})"),
            });
        };
        let added = match value {
            Value::Null => args.add(None::<i64>),
            Value::Bool(b) => args.add(b),
            Value::I16(v) => args.add(v),
            Value::I32(v) => args.add(v),
            Value::I64(v) => args.add(v),
            Value::U32(v) => args.add(v),
            Value::U64(v) => args.add(v),
            Value::F32(v) => {
                storable(table, column, f64::from(v))?;
                args.add(v)
            }
            Value::F64(v) => {
                storable(table, column, v)?;
                args.add(v)
            }
            Value::Text(s) => args.add(s),
            Value::Bytes(b) => args.add(b),
            other => {
                return Err(Error::Unsupported {
                    backend: "mysql",
                    detail: format!("binding a {} value", other.kind()),
                });
            }
        };
        added.map_err(Error::Backend)?;
    }
    Ok(args)
}
