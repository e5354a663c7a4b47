//! Inserts of entities, each written straight into the statement's
//! parameters: text and bytes are lent by the entity and encoded in place,
//! never copied into a `Value` first, and the statement's text comes from
//! the connection's cache (one per table and number of rows).

use keyway::{Entity, Result, TableDef, Value};
use keyway_sql::{
    Atomic, InsertPlan, Postgres, bound_returning_keys, rows_per_insert, write_params,
};

use crate::bind::PgArgs;
use crate::conn::PgConn;
use crate::driver::PostgresDriver;
use crate::encoder::Encoder;

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
    let mut encoder = Encoder::new(table, entities.len() * table.columns.len());
    write_params(table, entities, &mut encoder)?;
    Ok(encoder.finish())
}
