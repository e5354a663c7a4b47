//! Reading a live table's description from SQLite's `pragma_*` tables,
//! through the catalog queries keyway-sql keeps for SQLite and Turso.

use keyway::{Result, TableDef, TableSchema};
use keyway_sql::{Catalog, SQLITE_CATALOG, Sqlite as Dialect, assemble};
use rusqlite::Connection;

use crate::errors;

/// The rows of a catalog query about `table`, each of its `width` columns
/// as text.
fn rows(
    conn: &Connection,
    table: &TableDef,
    sql: &str,
    width: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let map = |e| errors::map(e, table);
    let mut statement = conn.prepare(sql).map_err(map)?;
    statement
        .query_map([table.name], |r| {
            (0..width).map(|i| r.get::<_, Option<String>>(i)).collect()
        })
        .map_err(map)?
        .collect::<rusqlite::Result<_>>()
        .map_err(map)
}

/// The live description of `table`, `None` when it does not exist.
pub(crate) fn describe_table(conn: &Connection, table: &TableDef) -> Result<Option<TableSchema>> {
    let mut catalog = Catalog::default();
    for row in rows(conn, table, SQLITE_CATALOG.columns, 4)? {
        catalog.push_column(&row);
    }
    if catalog.columns.is_empty() {
        return Ok(None);
    }
    for row in rows(conn, table, SQLITE_CATALOG.indexes, 4)? {
        catalog.push_index_column(&row);
    }
    for row in rows(conn, table, SQLITE_CATALOG.foreign_keys, 5)? {
        catalog.push_foreign_key(&row, false);
    }
    Ok(assemble::<Dialect>(table.name, catalog))
}
