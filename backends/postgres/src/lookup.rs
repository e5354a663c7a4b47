//! A read by key: its text kept per entity on the connection, the key's
//! values encoded straight into the request, the row decoded as it arrives.

use futures::TryStreamExt;
use keyway::{Entity, Key, Result, Selection, TableDef};
use keyway_sql::{ParamSink, SqlReader};

use crate::conn::PgConn;
use crate::driver::PostgresDriver;
use crate::encoder::Encoder;
use crate::errors;
use crate::rows::Rows;

/// The row of `E` with `key`, if there is one.
pub(crate) async fn fetch_by_key<E: Entity>(conn: &mut PgConn, key: &E::Key) -> Result<Option<E>> {
    let table = TableDef::of::<E>();
    // As `SelectStmt::by_key` pairs them: the key columns, partition first.
    let mut encoder = Encoder::new(&table, <E::Key as Key>::ARITY);
    let (mut columns, mut encoded) = (table.key_columns(), Ok(()));
    key.for_each_value(|value| {
        if let (Some(column), Ok(())) = (columns.next(), &encoded) {
            encoded = encoder.value(column.name, value);
        }
    });
    encoded?;
    let args = encoder.finish();
    let sql = conn.by_key_text::<E>(key);
    let map = |e| errors::map_error(e, &table);
    let mut rows = Rows::new(conn, &sql, args, true);
    let Some(row) = rows.try_next().await.map_err(map)? else {
        return Ok(None);
    };
    let entity = keyway::read_row::<E, _>(&mut SqlReader::<PostgresDriver>::of(
        &row,
        &table,
        &Selection::Entity,
    ))?;
    // The rest of the answer, so that the connection is ready when it goes
    // back to the pool.
    while rows.try_next().await.map_err(map)?.is_some() {}
    Ok(Some(entity))
}
