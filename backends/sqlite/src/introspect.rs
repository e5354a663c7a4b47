//! Reading a live table's description from SQLite's `pragma_*` tables.

use keyway::{ForeignKeySchema, Result, TableDef, TableSchema};
use keyway_sql::{Catalog, CatalogColumn, CatalogIndexColumn, Sqlite as Dialect, assemble};
use rusqlite::Connection;

use crate::errors;

/// The live description of `table`, `None` when it does not exist.
pub(crate) fn describe_table(conn: &Connection, table: &TableDef) -> Result<Option<TableSchema>> {
    let map = |e| errors::map(e, table);
    let mut catalog = Catalog::default();
    let mut columns = conn
        .prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)")
        .map_err(map)?;
    let rows = columns
        .query_map([table.name], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .map_err(map)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(map)?;
    let single_key = rows.iter().filter(|r| r.4 > 0).count() == 1;
    let mut key: Vec<(i64, String)> = Vec::new();
    for (name, ty, not_null, default, pk) in rows {
        // An `INTEGER PRIMARY KEY` is the rowid: never NULL, whatever the
        // declaration says.
        let rowid = single_key && pk > 0 && ty.eq_ignore_ascii_case("integer");
        if pk > 0 {
            key.push((pk, name.clone()));
        }
        catalog.columns.push(CatalogColumn {
            name,
            ty,
            nullable: not_null == 0 && !rowid,
            default,
        });
    }
    if catalog.columns.is_empty() {
        return Ok(None);
    }
    key.sort();
    for (_, column) in key {
        catalog.index_columns.push(CatalogIndexColumn {
            index: "PRIMARY".into(),
            unique: true,
            primary: true,
            column,
        });
    }
    let indexes: Vec<(String, bool)> = conn
        .prepare(
            "SELECT name, \"unique\" FROM pragma_index_list(?1) WHERE origin <> 'pk' ORDER BY name",
        )
        .map_err(map)?
        .query_map([table.name], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? != 0))
        })
        .map_err(map)?
        .collect::<rusqlite::Result<_>>()
        .map_err(map)?;
    // An expression's column has no name: it is listed as one.
    let mut index_info = conn
        .prepare("SELECT coalesce(name, '(expression)') FROM pragma_index_info(?1) ORDER BY seqno")
        .map_err(map)?;
    for (index, unique) in indexes {
        let columns: Vec<String> = index_info
            .query_map([&index], |r| r.get::<_, String>(0))
            .map_err(map)?
            .collect::<rusqlite::Result<_>>()
            .map_err(map)?;
        for column in columns {
            catalog.index_columns.push(CatalogIndexColumn {
                index: index.clone(),
                unique,
                primary: false,
                column,
            });
        }
    }
    catalog.foreign_keys = conn
        .prepare(
            "SELECT \"from\", \"table\", coalesce(\"to\", '(primary key)'), lower(on_delete) \
             FROM pragma_foreign_key_list(?1) ORDER BY \"from\"",
        )
        .map_err(map)?
        .query_map([table.name], |r| {
            Ok(ForeignKeySchema {
                column: r.get(0)?,
                parent_table: r.get(1)?,
                parent_column: r.get(2)?,
                on_delete: r.get(3)?,
            })
        })
        .map_err(map)?
        .collect::<rusqlite::Result<_>>()
        .map_err(map)?;
    Ok(assemble::<Dialect>(table.name, catalog))
}
