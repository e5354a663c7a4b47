//! Binding keyway values as sqlx PostgreSQL arguments.

use keyway::{ColumnType, Error, Result, TableDef, Value};
use keyway_sql::Param;
use sqlx::Arguments;
use sqlx::postgres::PgArguments;

use crate::numeric::PgU64;

/// Binds every parameter, refusing text PostgreSQL cannot hold.
///
/// PostgreSQL types every parameter, so a NULL is bound with the type of the
/// column it belongs to, and a `u32` as the `BIGINT` it is stored in.
pub(crate) fn arguments(table: &TableDef, params: Vec<Param>) -> Result<PgArguments> {
    let mut args = PgArguments::default();
    for Param { value, column } in params {
        let added = match value {
            Value::Null => add_null(&mut args, table.column(column).map(|c| c.ty)),
            Value::Bool(b) => args.add(b),
            Value::I16(v) => args.add(v),
            Value::I32(v) => args.add(v),
            Value::I64(v) => args.add(v),
            Value::U32(v) => args.add(i64::from(v)),
            Value::U64(v) => args.add(PgU64(v)),
            Value::F32(v) => args.add(v),
            Value::F64(v) => args.add(v),
            Value::Text(s) => {
                if s.contains('\0') {
                    return Err(Error::OutOfRange {
                        entity: table.entity,
                        column: column.to_owned(),
                        detail: "PostgreSQL text cannot hold the NUL character (\\0)".into(),
                    });
                }
                args.add(s)
            }
            Value::Bytes(b) => args.add(b),
            other => {
                return Err(Error::Unsupported {
                    backend: "postgresql",
                    detail: format!("binding a {} value", other.kind()),
                });
            }
        };
        added.map_err(Error::Backend)?;
    }
    Ok(args)
}

fn add_null(
    args: &mut PgArguments,
    ty: Option<ColumnType>,
) -> Result<(), sqlx::error::BoxDynError> {
    match ty {
        Some(ColumnType::Bool) => args.add(None::<bool>),
        Some(ColumnType::I16) => args.add(None::<i16>),
        Some(ColumnType::I32) => args.add(None::<i32>),
        Some(ColumnType::I64 | ColumnType::U32) => args.add(None::<i64>),
        Some(ColumnType::U64) => args.add(None::<PgU64>),
        Some(ColumnType::F32) => args.add(None::<f32>),
        Some(ColumnType::F64) => args.add(None::<f64>),
        Some(ColumnType::Bytes) => args.add(None::<Vec<u8>>),
        _ => args.add(None::<String>),
    }
}
