//! Binding keyway values as sqlx MySQL arguments.

use keyway::{Error, Result, TableDef, Value};
use keyway_sql::{Bound, Param};
use sqlx::Arguments;
use sqlx::mysql::MySqlArguments;

use crate::time;

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
        let refused = |detail: &str| Error::OutOfRange {
            entity: table.entity,
            column: column.to_owned(),
            detail: detail.to_owned(),
        };
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
            Value::Text(s) | Value::Json(s) => args.add(s),
            Value::Bytes(b) => args.add(b),
            Value::Uuid(b) => args.add(b.to_vec()),
            Value::Timestamp(us) | Value::DateTime(us) => {
                args.add(time::datetime(us).ok_or_else(|| refused(time::DATETIME_REFUSED))?)
            }
            Value::Date(days) => {
                args.add(time::date(days).ok_or_else(|| refused(time::DATETIME_REFUSED))?)
            }
            Value::Time(us) => {
                let us = Value::check_time(table.entity, column, us)?;
                args.add(time::time(us).ok_or_else(|| refused("not a time of day"))?)
            }
            Value::Decimal(n) => {
                let n = table.fit_decimal(column, n)?;
                // Sent as a DECIMAL, so that it compares as one; beyond
                // rust_decimal's 28 digits, as text (which MySQL converts
                // exactly when it stores it).
                match rust_decimal::Decimal::try_from_i128_with_scale(
                    n.mantissa(),
                    n.scale().into(),
                ) {
                    Ok(d) => args.add(d),
                    Err(_) => args.add(n.to_string()),
                }
            }
            // A list as a JSON array.
            Value::List(items) => match keyway_sql::list_to_json(&items) {
                Ok(text) => args.add(text),
                Err(why) => return Err(Value::unencodable(table.entity, column, &why)),
            },
            Value::Unencodable(why) => {
                return Err(Value::unencodable(table.entity, column, &why));
            }
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
