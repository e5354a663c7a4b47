//! Inserts of entities, each written straight into the statement's
//! parameters: text and bytes are lent by the entity and encoded in place,
//! never copied into a `Value` first, and the statement's text comes from
//! the connection's cache (one per table and number of rows).

use bytes::{BufMut, BytesMut};
use keyway::{Entity, Error, Result, TableDef, Value};
use keyway_sql::{
    Atomic, InsertPlan, ParamSink, Postgres, bound_returning_keys, rows_per_insert, write_params,
};
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
    let mut encoder = Encoder {
        table,
        // A length and a short value for each parameter; longer values grow it.
        out: BytesMut::with_capacity(params * 24),
        types: Vec::with_capacity(params),
    };
    write_params(table, entities, &mut encoder)?;
    Ok(PgArgs {
        values: Params::Encoded(encoder.out),
        types: encoder.types,
    })
}

/// Encodes each parameter, its length first, and records its type.
struct Encoder<'t> {
    table: &'t TableDef,
    out: BytesMut,
    types: Vec<u32>,
}

impl Encoder<'_> {
    /// Writes one parameter of `column` as type `ty`: its length, then its
    /// bytes as `encode` writes them (`-1` and nothing for NULL).
    fn param(
        &mut self,
        column: &'static str,
        ty: u32,
        encode: impl FnOnce(&mut BytesMut) -> Result<IsNull, EncodeError>,
    ) -> Result<()> {
        let base = self.out.len();
        self.out.put_i32(0);
        let len = match encode(&mut self.out) {
            Ok(IsNull::Yes) => Ok(-1),
            Ok(IsNull::No) => {
                i32::try_from(self.out.len() - base - 4).map_err(|_| Error::OutOfRange {
                    entity: self.table.entity,
                    column: column.to_owned(),
                    detail: "a value of 2 GiB or more cannot be sent to PostgreSQL".into(),
                })
            }
            Err(e) => Err(Error::Unsupported {
                backend: "postgresql",
                detail: e.to_string(),
            }),
        };
        match len {
            Ok(len) => {
                self.out[base..base + 4].copy_from_slice(&len.to_be_bytes());
                self.types.push(ty);
                Ok(())
            }
            Err(error) => {
                self.out.truncate(base);
                Err(error)
            }
        }
    }
}

impl ParamSink for Encoder<'_> {
    fn value(&mut self, column: &'static str, value: Value) -> Result<()> {
        let ty = bind::one_type(self.table, column, &value)?;
        self.param(column, ty, |out| bind::encode(&value, out))
    }

    fn text(&mut self, column: &'static str, text: &str) -> Result<()> {
        let ty = bind::text_type(self.table, column, text)?;
        self.param(column, ty, |out| {
            wire::text_to_sql(text, out);
            Ok(IsNull::No)
        })
    }

    fn bytes(&mut self, column: &'static str, bytes: &[u8]) -> Result<()> {
        self.param(column, oid::BYTEA, |out| {
            wire::bytea_to_sql(bytes, out);
            Ok(IsNull::No)
        })
    }
}
