//! Reading a live table's description from PostgreSQL's or MySQL's catalog.

use futures::TryStreamExt;
use keyway::{ColumnType, Result, TableDef, TableSchema, Value};

use super::Driver;
use crate::introspect::{Catalog, assemble, json_checked_column};
use crate::{Bound, Dialect, Param};

/// The rows of a catalog query about `table`, each of its `width` columns
/// as text.
async fn rows<D: Driver>(
    conn: &mut D::Conn,
    table: &TableDef,
    sql: &str,
    width: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let args = D::bind(
        table,
        vec![Param {
            value: Bound::One(Value::Text(table.name.to_owned())),
            column: "table_name",
        }],
    )?;
    tracing::debug!(db.statement = %sql);
    let mut stream = D::fetch(conn, sql, args);
    let mut out = Vec::new();
    while let Some(row) = stream
        .try_next()
        .await
        .map_err(|e| D::map_error(e, table))?
    {
        let mut cells = Vec::with_capacity(width);
        for i in 0..width {
            match D::read_value(&row, i, ColumnType::Text) {
                Ok(Value::Text(s)) => cells.push(Some(s)),
                Ok(Value::Bytes(b)) => cells.push(Some(String::from_utf8_lossy(&b).into_owned())),
                Ok(Value::Null) => cells.push(None),
                Ok(other) => cells.push(Some(format!("{other:?}"))),
                Err(source) => {
                    return Err(keyway::Error::Decode {
                        entity: table.entity,
                        column: format!("catalog column {i}"),
                        source,
                    });
                }
            }
        }
        out.push(cells);
    }
    Ok(out)
}

/// The live description of `table`, `None` when it does not exist.
pub(crate) async fn describe_table<D: Driver>(
    conn: &mut D::Conn,
    table: &TableDef,
) -> Result<Option<TableSchema>> {
    let Some(queries) = <D::Dialect as Dialect>::CATALOG else {
        return Err(keyway::Error::Unsupported {
            backend: <D::Dialect as Dialect>::NAME,
            detail: format!("describing the table `{}`", table.name),
        });
    };
    let mut catalog = Catalog::default();
    for row in rows::<D>(conn, table, queries.columns, 4).await? {
        catalog.push_column(&row);
    }
    if catalog.columns.is_empty() {
        return Ok(None);
    }
    for row in rows::<D>(conn, table, queries.indexes, 4).await? {
        catalog.push_index_column(&row);
    }
    let implied_indexes = <D::Dialect as Dialect>::ALTER == crate::AlterSyntax::MySql;
    for row in rows::<D>(conn, table, queries.foreign_keys, 5).await? {
        catalog.push_foreign_key(&row, implied_indexes);
    }
    let longtext = catalog.columns.iter().any(|c| c.ty == "longtext");
    if let (Some(json_checks), true) = (queries.json_checks, longtext) {
        // MariaDB's JSON is LONGTEXT with a check. MySQL 8 reports `json`
        // itself, and its view of checks has no `TABLE_NAME`: that one
        // error means there is nothing to find.
        let checks = match rows::<D>(conn, table, json_checks, 1).await {
            Ok(checks) => checks,
            Err(e) if e.to_string().contains("TABLE_NAME") => Vec::new(),
            Err(e) => return Err(e),
        };
        for clause in checks
            .iter()
            .filter_map(|row| row.first().cloned().flatten())
        {
            if let Some(name) = json_checked_column(&clause)
                && let Some(c) = catalog.columns.iter_mut().find(|c| c.name == name)
            {
                c.ty = "json".into();
            }
        }
    }
    Ok(assemble::<D::Dialect>(table.name, catalog))
}
