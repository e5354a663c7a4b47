//! Inserts of entities, each written straight into the statement's
//! parameters: text and bytes are lent by the entity and encoded in place,
//! never copied into a `Value` first, and the statement's text comes from
//! the connection's cache (one per table and number of rows).

use bytes::{BufMut, BytesMut};
use keyway::{Entity, Error, Result, RowWriter, TableDef, Value};
use keyway_sql::{Atomic, InsertPlan, Postgres, bound_returning_keys, rows_per_insert};
use postgres_protocol::{IsNull, types as wire};

use crate::bind::{self, EncodeError, Params, PgArgs};
use crate::conn::PgConn;
use crate::driver::PostgresDriver;
use crate::oid;

/// Inserts `entities` in as few statements as the parameter limit allows,
/// all or none; returns the generated keys in row order.
pub(crate) async fn insert_entities<E: Entity>(
    conn: &mut PgConn,
    entities: &[E],
) -> Result<Vec<Value>> {
    let table = TableDef::of::<E>();
    let plan = InsertPlan::of::<Postgres>();
    let per_stmt = rows_per_insert::<Postgres>(&table, plan);
    let mut keys = Vec::with_capacity(entities.len());
    if entities.len() <= per_stmt {
        batch(conn, &table, plan, entities, &mut keys).await?;
        return Ok(keys);
    }
    // Several statements: all or nothing (a savepoint when already in a transaction).
    let mut open = Atomic::<PostgresDriver>::begin(conn, &table).await?;
    for chunk in entities.chunks(per_stmt) {
        batch(open.conn(), &table, plan, chunk, &mut keys).await?;
    }
    open.commit(&table).await?;
    Ok(keys)
}

/// One statement inserting `entities`; appends their generated keys.
async fn batch<E: Entity>(
    conn: &mut PgConn,
    table: &TableDef,
    plan: InsertPlan,
    entities: &[E],
    keys: &mut Vec<Value>,
) -> Result<()> {
    let args = arguments(table, entities)?;
    let sql = conn.insert_text(table, entities.len(), plan);
    bound_returning_keys::<PostgresDriver>(conn, table, &sql, args, keys).await
}

/// Every entity's values but the `auto` column's, in column order, encoded
/// as the `Bind` message carries them.
fn arguments<E: Entity>(table: &TableDef, entities: &[E]) -> Result<PgArgs> {
    let params = entities.len() * table.columns.len();
    let mut writer = ParamWriter {
        table,
        auto: table.auto_column().map(|(i, _)| i),
        column: 0,
        // A length and a short value for each parameter; longer values grow it.
        out: BytesMut::with_capacity(params * 24),
        types: Vec::with_capacity(params),
        error: None,
    };
    for entity in entities {
        writer.column = 0;
        entity.write(&mut writer);
        if let Some(error) = writer.error.take() {
            return Err(error);
        }
        table.check_row(writer.column)?;
    }
    Ok(PgArgs {
        values: Params::Encoded(writer.out),
        types: writer.types,
    })
}

/// Encodes the values an entity writes, one parameter each, skipping the
/// `auto` column; the first value it cannot send is kept as `error`.
struct ParamWriter<'t> {
    table: &'t TableDef,
    auto: Option<usize>,
    /// Columns written so far of the current entity.
    column: usize,
    out: BytesMut,
    types: Vec<u32>,
    error: Option<Error>,
}

impl ParamWriter<'_> {
    /// The name of the column being written, if it is a parameter: not the
    /// `auto` column, not past the last column, and nothing refused yet.
    fn next(&mut self) -> Option<&'static str> {
        let at = self.column;
        self.column += 1;
        if Some(at) == self.auto || self.error.is_some() {
            return None;
        }
        self.table.columns.get(at).map(|c| c.name)
    }

    /// Writes one parameter of `column` as type `ty`, its length first; or
    /// keeps the error that refused it.
    fn param(
        &mut self,
        column: &'static str,
        ty: Result<u32>,
        encode: impl FnOnce(&mut BytesMut) -> Result<IsNull, EncodeError>,
    ) {
        let base = self.out.len();
        self.out.put_i32(0);
        let written = ty.and_then(|ty| {
            let len = match encode(&mut self.out) {
                Ok(IsNull::Yes) => -1,
                Ok(IsNull::No) => {
                    i32::try_from(self.out.len() - base - 4).map_err(|_| Error::OutOfRange {
                        entity: self.table.entity,
                        column: column.to_owned(),
                        detail: "a value of 2 GiB or more cannot be sent to PostgreSQL".into(),
                    })?
                }
                Err(e) => {
                    return Err(Error::Unsupported {
                        backend: "postgresql",
                        detail: e.to_string(),
                    });
                }
            };
            self.out[base..base + 4].copy_from_slice(&len.to_be_bytes());
            self.types.push(ty);
            Ok(())
        });
        if let Err(error) = written {
            self.out.truncate(base);
            self.error = Some(error);
        }
    }
}

impl RowWriter for ParamWriter<'_> {
    fn put_value(&mut self, value: Value) {
        if let Some(column) = self.next() {
            let ty = bind::one_type(self.table, column, &value);
            self.param(column, ty, |out| bind::encode(&value, out));
        }
    }

    fn put_text(&mut self, text: &str) {
        if let Some(column) = self.next() {
            let ty = bind::text_type(self.table, column, text);
            self.param(column, ty, |out| {
                wire::text_to_sql(text, out);
                Ok(IsNull::No)
            });
        }
    }

    fn put_bytes(&mut self, bytes: &[u8]) {
        if let Some(column) = self.next() {
            self.param(column, Ok(oid::BYTEA), |out| {
                wire::bytea_to_sql(bytes, out);
                Ok(IsNull::No)
            });
        }
    }
}
