//! Reading one row by its key: the lookup's text kept per entity on the
//! connection, the key's values bound straight from the key.

use futures::TryStreamExt;
use keyway::{Entity, Key, Result, Selection, TableDef};
use keyway_sql::SqlReader;

use crate::conn::TursoConn;
use crate::driver::TursoDriver;
use crate::{errors, values};

pub(crate) async fn fetch_by_key<E: Entity>(
    conn: &mut TursoConn,
    key: &E::Key,
) -> Result<Option<E>> {
    let table = TableDef::of::<E>();
    let sql = conn.shapes.by_key::<E>(key).to_owned();
    // As `SelectStmt::by_key` pairs them: the key columns, partition first.
    let (mut columns, mut args, mut bound) = (table.key_columns(), Vec::new(), Ok(()));
    key.for_each_value(|value| {
        if let (Some(column), Ok(())) = (columns.next(), &bound) {
            match values::bind(&table, column.name, &value) {
                Ok(arg) => args.push(arg),
                Err(e) => bound = Err(e),
            }
        }
    });
    bound?;
    tracing::debug!(db.statement = %sql);
    let mut rows = conn.fetch(&sql, args);
    let Some(row) = rows.try_next().await.map_err(|e| errors::map(e, &table))? else {
        return Ok(None);
    };
    let mut reader = SqlReader::<TursoDriver>::of(&row, &table, &Selection::Entity);
    keyway::read_row::<E, _>(&mut reader).map(Some)
}
