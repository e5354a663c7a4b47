//! Binding keyway values as PostgreSQL parameters.

use bytes::BytesMut;
use keyway::{ColumnType, Error, Result, TableDef, Value};
use keyway_sql::Param;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::numeric;

/// The parameters of one statement, and the type each is sent as (the
/// statement is prepared with them).
#[derive(Debug, Default)]
pub struct PgArgs {
    pub(crate) values: Vec<PgValue>,
    pub(crate) types: Vec<Type>,
}

/// One parameter, encoded in PostgreSQL's binary format.
#[derive(Debug)]
pub(crate) struct PgValue(Value);

/// Binds every parameter, refusing text PostgreSQL cannot hold.
///
/// PostgreSQL types every parameter, so a NULL is bound with the type of the
/// column it belongs to, and a `u32` as the `BIGINT` it is stored in.
pub(crate) fn arguments(table: &TableDef, params: Vec<Param>) -> Result<PgArgs> {
    let mut args = PgArgs {
        values: Vec::with_capacity(params.len()),
        types: Vec::with_capacity(params.len()),
    };
    for Param { value, column } in params {
        let ty = match &value {
            Value::Null => column_type(table.column(column).map(|c| c.ty)),
            Value::Bool(_) => Type::BOOL,
            Value::I16(_) => Type::INT2,
            Value::I32(_) => Type::INT4,
            Value::I64(_) | Value::U32(_) => Type::INT8,
            Value::U64(_) => Type::NUMERIC,
            Value::F32(_) => Type::FLOAT4,
            Value::F64(_) => Type::FLOAT8,
            Value::Text(s) => {
                if s.contains('\0') {
                    return Err(Error::OutOfRange {
                        entity: table.entity,
                        column: column.to_owned(),
                        detail: "PostgreSQL text cannot hold the NUL character (\\0)".into(),
                    });
                }
                Type::TEXT
            }
            Value::Bytes(_) => Type::BYTEA,
            other => {
                return Err(Error::Unsupported {
                    backend: "postgresql",
                    detail: format!("binding a {} value", other.kind()),
                });
            }
        };
        args.types.push(ty);
        args.values.push(PgValue(value));
    }
    Ok(args)
}

/// The type a NULL of a column is sent as.
fn column_type(ty: Option<ColumnType>) -> Type {
    match ty {
        Some(ColumnType::Bool) => Type::BOOL,
        Some(ColumnType::I16) => Type::INT2,
        Some(ColumnType::I32) => Type::INT4,
        Some(ColumnType::I64 | ColumnType::U32) => Type::INT8,
        Some(ColumnType::U64) => Type::NUMERIC,
        Some(ColumnType::F32) => Type::FLOAT4,
        Some(ColumnType::F64) => Type::FLOAT8,
        Some(ColumnType::Bytes) => Type::BYTEA,
        _ => Type::TEXT,
    }
}

impl ToSql for PgValue {
    /// Encodes the value as the type `arguments` chose for it.
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::I16(v) => v.to_sql(ty, out),
            Value::I32(v) => v.to_sql(ty, out),
            Value::I64(v) => v.to_sql(ty, out),
            Value::U32(v) => i64::from(*v).to_sql(ty, out),
            Value::U64(v) => {
                numeric::encode(*v, out);
                Ok(IsNull::No)
            }
            Value::F32(v) => v.to_sql(ty, out),
            Value::F64(v) => v.to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
            other => Err(format!("binding a {} value", other.kind()).into()),
        }
    }

    /// The statement is prepared with the type chosen for the value.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
