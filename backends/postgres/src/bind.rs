//! Binding keyway values as PostgreSQL parameters, in the binary format.

use bytes::BytesMut;
use keyway::{ColumnType, Error, Result, TableDef, Value};
use keyway_sql::Param;
use postgres_protocol::IsNull;
use postgres_protocol::types as wire;

use crate::numeric;
use crate::oid;

/// The parameters of one statement, and the type each is sent as (the
/// statement is prepared with them).
#[derive(Debug, Default)]
pub struct PgArgs {
    pub(crate) values: Vec<Value>,
    pub(crate) types: Vec<u32>,
}

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
            Value::Text(s) if s.contains('\0') => {
                return Err(Error::OutOfRange {
                    entity: table.entity,
                    column: column.to_owned(),
                    detail: "PostgreSQL text cannot hold the NUL character (\\0)".into(),
                });
            }
            other => value_type(other)?,
        };
        args.types.push(ty);
        args.values.push(value);
    }
    Ok(args)
}

/// Binds raw SQL's parameters, each as its value's own type (a NULL as a
/// type the server infers).
pub(crate) fn raw(values: &[Value]) -> Result<PgArgs> {
    let types = values
        .iter()
        .map(|v| match v {
            Value::Null => Ok(oid::UNSPECIFIED),
            other => value_type(other),
        })
        .collect::<Result<_>>()?;
    Ok(PgArgs {
        values: values.to_vec(),
        types,
    })
}

/// The type a value is sent as.
fn value_type(value: &Value) -> Result<u32> {
    Ok(match value {
        Value::Null => oid::TEXT,
        Value::Bool(_) => oid::BOOL,
        Value::I16(_) => oid::INT2,
        Value::I32(_) => oid::INT4,
        Value::I64(_) | Value::U32(_) => oid::INT8,
        Value::U64(_) => oid::NUMERIC,
        Value::F32(_) => oid::FLOAT4,
        Value::F64(_) => oid::FLOAT8,
        Value::Text(_) => oid::TEXT,
        Value::Bytes(_) => oid::BYTEA,
        other => {
            return Err(Error::Unsupported {
                backend: "postgresql",
                detail: format!("binding a {} value", other.kind()),
            });
        }
    })
}

/// The type a NULL of a column is sent as.
fn column_type(ty: Option<ColumnType>) -> u32 {
    match ty {
        Some(ColumnType::Bool) => oid::BOOL,
        Some(ColumnType::I16) => oid::INT2,
        Some(ColumnType::I32) => oid::INT4,
        Some(ColumnType::I64 | ColumnType::U32) => oid::INT8,
        Some(ColumnType::U64) => oid::NUMERIC,
        Some(ColumnType::F32) => oid::FLOAT4,
        Some(ColumnType::F64) => oid::FLOAT8,
        Some(ColumnType::Bytes) => oid::BYTEA,
        _ => oid::TEXT,
    }
}

/// Writes `value` in the binary format of the type `value_type` chose for
/// it.
pub(crate) fn encode(
    value: &Value,
    out: &mut BytesMut,
) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
    match value {
        Value::Null => return Ok(IsNull::Yes),
        Value::Bool(b) => wire::bool_to_sql(*b, out),
        Value::I16(v) => wire::int2_to_sql(*v, out),
        Value::I32(v) => wire::int4_to_sql(*v, out),
        Value::I64(v) => wire::int8_to_sql(*v, out),
        Value::U32(v) => wire::int8_to_sql(i64::from(*v), out),
        Value::U64(v) => numeric::encode(*v, out),
        Value::F32(v) => wire::float4_to_sql(*v, out),
        Value::F64(v) => wire::float8_to_sql(*v, out),
        Value::Text(s) => wire::text_to_sql(s, out),
        Value::Bytes(b) => wire::bytea_to_sql(b, out),
        other => return Err(format!("binding a {} value", other.kind()).into()),
    }
    Ok(IsNull::No)
}
