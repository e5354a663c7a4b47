//! Binding keyway values as PostgreSQL parameters, in the binary format,
//! through tokio-postgres's `ToSql`.

use bytes::BytesMut;
use keyway::{ColumnType, Error, Result, TableDef, Value};
use keyway_sql::{Bound, Param};
use postgres_protocol::types::{self as wire, ArrayDimension};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use crate::numeric;
use crate::oid;
use crate::time;

/// The parameters of one statement, and the type each is sent as (the
/// statement is prepared with them).
#[derive(Debug, Default)]
pub struct PgArgs {
    pub(crate) values: Params,
    pub(crate) types: Vec<Type>,
}

/// A statement's parameter values.
#[derive(Debug)]
pub(crate) enum Params {
    /// Values, encoded when the request is written.
    Values(Vec<Bound>),
    /// Already encoded in the binary format, one span of `bytes` per
    /// parameter (`None`: NULL): an insert's entities and a lookup's key are
    /// written so (`crate::encoder`), never built as `Value`s.
    Encoded {
        bytes: BytesMut,
        spans: Vec<Option<(usize, usize)>>,
    },
}

impl Default for Params {
    fn default() -> Self {
        Params::Values(Vec::new())
    }
}

impl PgArgs {
    /// Each parameter as tokio-postgres takes it.
    pub(crate) fn params(&self) -> Vec<PgParam<'_>> {
        match &self.values {
            Params::Values(values) => values.iter().map(PgParam::Value).collect(),
            Params::Encoded { bytes, spans } => spans
                .iter()
                .map(|span| PgParam::Encoded(span.map(|(start, end)| &bytes[start..end])))
                .collect(),
        }
    }

    /// Each parameter with the type it is sent as, for an unnamed statement.
    pub(crate) fn typed(&self) -> Vec<(PgParam<'_>, Type)> {
        self.params()
            .into_iter()
            .zip(self.types.iter().cloned())
            .collect()
    }
}

/// One parameter, written by tokio-postgres into its `Bind` message.
#[derive(Debug)]
pub(crate) enum PgParam<'a> {
    Value(&'a Bound),
    Encoded(Option<&'a [u8]>),
}

impl ToSql for PgParam<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, EncodeError> {
        match self {
            PgParam::Value(bound) => encode_param(bound, ty, out),
            PgParam::Encoded(None) => Ok(IsNull::Yes),
            PgParam::Encoded(Some(bytes)) => {
                out.extend_from_slice(bytes);
                Ok(IsNull::No)
            }
        }
    }

    // The statement is prepared with the types keyway chose for its values.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// An encoding failure, as the driver's encoders report it.
pub(crate) type EncodeError = Box<dyn std::error::Error + Sync + Send>;

/// Binds every parameter, refusing text PostgreSQL cannot hold.
///
/// PostgreSQL types every parameter, so a NULL is bound with the type of the
/// column it belongs to, and a `u32` as the `BIGINT` it is stored in.
pub(crate) fn arguments(table: &TableDef, params: Vec<Param>) -> Result<PgArgs> {
    let mut values = Vec::with_capacity(params.len());
    let mut types = Vec::with_capacity(params.len());
    for Param { value, column } in params {
        let ty = match &value {
            Bound::One(value) => one_type(table, column, value)?,
            Bound::List(values) => in_list_type(table, column, values)?,
        };
        types.push(ty);
        values.push(value);
    }
    Ok(PgArgs {
        values: Params::Values(values),
        types,
    })
}

/// The type one value of `column` is sent as.
pub(crate) fn one_type(table: &TableDef, column: &'static str, value: &Value) -> Result<Type> {
    let refuse = |detail: &str| Error::OutOfRange {
        entity: table.entity,
        column: column.to_owned(),
        detail: detail.to_owned(),
    };
    match value {
        Value::Null => Ok(column_type(table.sql_column(column).map(|c| c.ty))),
        Value::Text(s) => text_type(table, column, s),
        Value::Decimal(n) => table.fit_decimal(column, *n).map(|_| Type::NUMERIC),
        Value::Time(us) => Value::check_time(table.entity, column, *us).map(|_| Type::TIME),
        Value::Timestamp(us) | Value::DateTime(us) if time::timestamp_to_pg(*us).is_none() => {
            Err(refuse(time::TIMESTAMP_RANGE))
        }
        Value::Date(days) if time::date_to_pg(*days).is_none() => Err(refuse(time::DATE_RANGE)),
        // jsonb refuses the escaped NUL that JSON text may hold.
        Value::Json(text) if escapes_nul(text) => Err(refuse(
            "PostgreSQL jsonb cannot hold the NUL character (\\u0000)",
        )),
        Value::Unencodable(why) => Err(Value::unencodable(table.entity, column, why)),
        Value::List(items) => list_type(table, column, items),
        other => value_type(other),
    }
}

/// Whether JSON text holds the escape `\u0000` (a backslash escaping
/// another, as in `\\u0000`, is text, not the escape).
fn escapes_nul(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("u0000").map(|i| i + from) {
        let slashes = bytes[..at]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if slashes % 2 == 1 {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The type a text value of `column` is sent as: refused if PostgreSQL
/// cannot hold it.
pub(crate) fn text_type(table: &TableDef, column: &'static str, text: &str) -> Result<Type> {
    if text.as_bytes().contains(&0) {
        return Err(Error::OutOfRange {
            entity: table.entity,
            column: column.to_owned(),
            detail: "PostgreSQL text cannot hold the NUL character (\\0)".into(),
        });
    }
    Ok(Type::TEXT)
}

/// The array type an `IN` list of `column` is sent as: of its values' type
/// (all of one type, as a column's values are), NULLs aside.
fn in_list_type(table: &TableDef, column: &'static str, values: &[Value]) -> Result<Type> {
    let mut element = None;
    for value in values {
        let ty = one_type(table, column, value)?;
        if matches!(value, Value::Null) {
            continue;
        }
        match &element {
            None => element = Some(ty),
            Some(seen) if *seen == ty => {}
            Some(_) => {
                return Err(Error::Unsupported {
                    backend: "postgresql",
                    detail: format!("an IN list of {column} mixing value types"),
                });
            }
        }
    }
    let element = element.unwrap_or_else(|| column_type(table.sql_column(column).map(|c| c.ty)));
    oid::array_of(&element).ok_or_else(|| Error::Unsupported {
        backend: "postgresql",
        detail: format!("an IN list of {column} values"),
    })
}

/// The array type a list column's value is sent as: of the column's
/// element type, each element checked as a value of its own.
fn list_type(table: &TableDef, column: &'static str, items: &[Value]) -> Result<Type> {
    let element = match table.sql_column(column).map(|c| c.ty) {
        Some(ColumnType::List(element)) => column_type(Some(*element)),
        // Raw SQL: the first element's type (an empty list as text).
        _ => items.first().map_or(Ok(Type::TEXT), value_type)?,
    };
    for item in items {
        one_type(table, column, item)?;
    }
    oid::array_of(&element).ok_or_else(|| Error::Unsupported {
        backend: "postgresql",
        detail: format!("a list of {element} in {column}"),
    })
}

/// No table: raw SQL's parameters.
const RAW: TableDef = TableDef {
    entity: "raw SQL",
    name: "",
    columns: &[],
    indexes: &[],
    foreign_keys: &[],
    layout: None,
};

/// Binds raw SQL's parameters, each as its value's own type (a NULL as a
/// type the server infers).
pub(crate) fn raw(values: &[Value]) -> Result<PgArgs> {
    let types = values
        .iter()
        .map(|v| match v {
            Value::Null => Ok(oid::unspecified()),
            Value::Text(s) if s.as_bytes().contains(&0) => Err(Error::OutOfRange {
                entity: "raw SQL",
                column: "a parameter".into(),
                detail: "PostgreSQL text cannot hold the NUL character (\\0)".into(),
            }),
            Value::List(items) => list_type(&RAW, "a parameter", items),
            other => value_type(other),
        })
        .collect::<Result<_>>()?;
    Ok(PgArgs {
        values: Params::Values(values.iter().cloned().map(Bound::One).collect()),
        types,
    })
}

/// The type a value is sent as.
fn value_type(value: &Value) -> Result<Type> {
    Ok(match value {
        Value::Null => Type::TEXT,
        Value::Bool(_) => Type::BOOL,
        Value::I16(_) => Type::INT2,
        Value::I32(_) => Type::INT4,
        Value::I64(_) | Value::U32(_) => Type::INT8,
        Value::U64(_) => Type::NUMERIC,
        Value::F32(_) => Type::FLOAT4,
        Value::F64(_) => Type::FLOAT8,
        Value::Text(_) => Type::TEXT,
        Value::Bytes(_) => Type::BYTEA,
        Value::Timestamp(_) => Type::TIMESTAMPTZ,
        Value::DateTime(_) => Type::TIMESTAMP,
        Value::Date(_) => Type::DATE,
        Value::Time(_) => Type::TIME,
        Value::Uuid(_) => Type::UUID,
        Value::Decimal(_) => Type::NUMERIC,
        Value::Json(_) => Type::JSONB,
        other => {
            return Err(Error::Unsupported {
                backend: "postgresql",
                detail: format!("binding a {} value", other.kind()),
            });
        }
    })
}

/// The type a NULL of a column is sent as.
fn column_type(ty: Option<ColumnType>) -> Type {
    match ty {
        Some(ColumnType::Bool) => Type::BOOL,
        Some(ColumnType::I8 | ColumnType::U8 | ColumnType::I16) => Type::INT2,
        Some(ColumnType::U16 | ColumnType::I32) => Type::INT4,
        Some(ColumnType::I64 | ColumnType::U32) => Type::INT8,
        Some(ColumnType::U64) => Type::NUMERIC,
        Some(ColumnType::F32) => Type::FLOAT4,
        Some(ColumnType::F64) => Type::FLOAT8,
        Some(ColumnType::Bytes) => Type::BYTEA,
        Some(ColumnType::Timestamp) => Type::TIMESTAMPTZ,
        Some(ColumnType::DateTime) => Type::TIMESTAMP,
        Some(ColumnType::Date) => Type::DATE,
        Some(ColumnType::Time) => Type::TIME,
        Some(ColumnType::Uuid) => Type::UUID,
        Some(ColumnType::Decimal) => Type::NUMERIC,
        Some(ColumnType::Json) => Type::JSONB,
        Some(ColumnType::List(element)) => {
            oid::array_of(&column_type(Some(*element))).unwrap_or(Type::TEXT_ARRAY)
        }
        _ => Type::TEXT,
    }
}

/// Writes one parameter in the binary format of its type `ty` (see
/// `arguments`).
fn encode_param(value: &Bound, ty: &Type, out: &mut BytesMut) -> Result<IsNull, EncodeError> {
    match value {
        Bound::One(value) => encode_typed(value, ty, out),
        Bound::List(values) => encode_array(values, ty, out),
    }
}

/// Writes `value` as type `ty`: a list as an array of it, any other value
/// as `encode` writes it.
pub(crate) fn encode_typed(
    value: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, EncodeError> {
    match value {
        Value::List(items) => encode_array(items, ty, out),
        other => encode(other, out),
    }
}

/// Writes `values` as a one-dimensional array of type `ty`.
fn encode_array(values: &[Value], ty: &Type, out: &mut BytesMut) -> Result<IsNull, EncodeError> {
    let element = oid::element_of(ty).ok_or("an array parameter of no known type")?;
    let len = i32::try_from(values.len())?;
    let dimension = ArrayDimension {
        len,
        lower_bound: 1,
    };
    wire::array_to_sql(
        Some(dimension),
        element.oid(),
        values,
        |value, out| match encode(value, out)? {
            IsNull::Yes => Ok(postgres_protocol::IsNull::Yes),
            IsNull::No => Ok(postgres_protocol::IsNull::No),
        },
        out,
    )?;
    Ok(IsNull::No)
}

/// Writes `value` in the binary format of the type `value_type` chose for
/// it.
pub(crate) fn encode(value: &Value, out: &mut BytesMut) -> Result<IsNull, EncodeError> {
    match value {
        Value::Null => return Ok(IsNull::Yes),
        Value::Bool(b) => wire::bool_to_sql(*b, out),
        Value::I16(v) => wire::int2_to_sql(*v, out),
        Value::I32(v) => wire::int4_to_sql(*v, out),
        Value::I64(v) => wire::int8_to_sql(*v, out),
        Value::U32(v) => wire::int8_to_sql(i64::from(*v), out),
        Value::U64(v) => numeric::encode_u64(*v, out),
        Value::Decimal(n) => numeric::encode(*n, out),
        Value::Timestamp(us) | Value::DateTime(us) => wire::timestamp_to_sql(
            time::timestamp_to_pg(*us).ok_or(time::TIMESTAMP_RANGE)?,
            out,
        ),
        Value::Date(days) => {
            wire::date_to_sql(time::date_to_pg(*days).ok_or(time::DATE_RANGE)?, out)
        }
        Value::Time(us) => wire::time_to_sql(*us, out),
        Value::Uuid(bytes) => wire::uuid_to_sql(*bytes, out),
        Value::Json(text) => {
            // jsonb's binary format: a version byte, then the text.
            out.extend_from_slice(&[1]);
            out.extend_from_slice(text.as_bytes());
        }
        Value::F32(v) => wire::float4_to_sql(*v, out),
        Value::F64(v) => wire::float8_to_sql(*v, out),
        Value::Text(s) => wire::text_to_sql(s, out),
        Value::Bytes(b) => wire::bytea_to_sql(b, out),
        other => return Err(format!("binding a {} value", other.kind()).into()),
    }
    Ok(IsNull::No)
}

#[cfg(test)]
mod tests {
    use super::escapes_nul;

    #[test]
    fn only_the_nul_escape_is_refused() {
        assert!(escapes_nul(r#"["\u0000"]"#));
        assert!(!escapes_nul(r#"["\\u0000"]"#));
        assert!(!escapes_nul(r#"["u0000"]"#));
        assert!(escapes_nul(r#"["\\\u0000"]"#));
    }
}
