//! Updates and deletes that return the rows they wrote: `RETURNING` where
//! the server has it, otherwise the rows locked, written and read again in
//! one transaction.

use futures::TryStreamExt;
use keyway::{
    CmpOp, Decoder, DeleteStmt, Expr, LockMode, Result, RowLock, SelectStmt, Selection, TableDef,
    UpdateStmt, Value,
};

use super::run::{Atomic, prepare};
use super::{Driver, SqlReader};
use crate::Lowered;

/// How many rows' keys one statement of the second read names.
const KEYS_PER_STATEMENT: usize = 500;

/// An update or a delete whose rows come back.
enum Write {
    Update(UpdateStmt),
    Delete(DeleteStmt),
}

/// Runs an update and returns its rows as written.
pub(crate) async fn update<D: Driver, Dec: Decoder>(
    driver: &D,
    conn: &mut D::Conn,
    stmt: UpdateStmt,
    decoder: Dec,
) -> Result<Vec<Dec::Output>> {
    written(driver, conn, Write::Update(stmt), decoder).await
}

/// Runs a delete and returns its rows as they were.
pub(crate) async fn delete<D: Driver, Dec: Decoder>(
    driver: &D,
    conn: &mut D::Conn,
    stmt: DeleteStmt,
    decoder: Dec,
) -> Result<Vec<Dec::Output>> {
    written(driver, conn, Write::Delete(stmt), decoder).await
}

/// Runs `write` with `RETURNING` where the server has it; otherwise locks
/// the rows it matches, then per chunk of their keys writes them and reads
/// them (an update) or reads them and deletes them, in one transaction.
async fn written<D: Driver, Dec: Decoder>(
    driver: &D,
    conn: &mut D::Conn,
    write: Write,
    decoder: Dec,
) -> Result<Vec<Dec::Output>> {
    let (table, matched, delete) = match &write {
        Write::Update(stmt) => (stmt.table, stmt.rows_written(), false),
        Write::Delete(stmt) => (stmt.table, stmt.rows_written(), true),
    };
    if driver.returns_written(delete) {
        let lowered = match write {
            Write::Update(stmt) => crate::update_returning::<D::Dialect>(stmt),
            Write::Delete(stmt) => crate::delete_returning::<D::Dialect>(stmt),
        };
        return rows::<D, Dec>(conn, &table, lowered, &decoder).await;
    }
    let mut open = Atomic::<D>::begin(conn, &table).await?;
    let keys = locked_keys::<D>(open.conn(), &table, matched).await?;
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let these = key_list(&table, chunk);
        match &write {
            Write::Update(stmt) => {
                // The rows are locked: those of the keys still match.
                let mut part = stmt.clone();
                part.filter = Expr::both(Some(these), stmt.filter.clone());
                super::run::update::<D>(open.conn(), part).await?;
                out.extend(read_keys::<D, Dec>(open.conn(), &table, chunk, &decoder).await?);
            }
            Write::Delete(_) => {
                out.extend(read_keys::<D, Dec>(open.conn(), &table, chunk, &decoder).await?);
                let part = DeleteStmt::new(table, Some(these));
                super::run::delete::<D>(open.conn(), part).await?;
            }
        }
    }
    open.commit(&table).await?;
    Ok(out)
}

/// Runs a statement returning whole rows of `table` and decodes them.
async fn rows<D: Driver, Dec: Decoder>(
    conn: &mut D::Conn,
    table: &TableDef,
    lowered: Lowered,
    decoder: &Dec,
) -> Result<Vec<Dec::Output>> {
    let (sql, args) = prepare::<D>(table, lowered)?;
    let rows: Vec<D::Row> = D::fetch(conn, &sql, args)
        .try_collect()
        .await
        .map_err(|e| D::map_error(e, table))?;
    rows.iter()
        .map(|row| decoder.decode(&mut SqlReader::<D>::of(row, table, &Selection::Entity)))
        .collect()
}

/// The keys of the rows matching `filter`, each row locked until the
/// transaction ends (`SELECT .. FOR UPDATE`).
async fn locked_keys<D: Driver>(
    conn: &mut D::Conn,
    table: &TableDef,
    filter: Option<Expr>,
) -> Result<Vec<Vec<Value>>> {
    let columns: Vec<_> = table.key_columns().collect();
    let mut stmt = SelectStmt::new(*table);
    stmt.selection = Selection::Columns(columns.iter().map(|c| c.name).collect());
    stmt.filter = filter;
    stmt.lock = Some(RowLock::waiting(LockMode::Update));
    let lowered = crate::select::<D::Dialect>(&stmt);
    let (sql, args) = prepare::<D>(table, lowered)?;
    let rows: Vec<D::Row> = D::fetch(conn, &sql, args)
        .try_collect()
        .await
        .map_err(|e| D::map_error(e, table))?;
    rows.iter()
        .map(|row| {
            let key = columns.iter().enumerate().map(|(i, c)| {
                D::read_value(row, i, c.ty).map_err(|source| keyway::Error::Decode {
                    entity: table.entity,
                    column: c.name.to_owned(),
                    source,
                })
            });
            key.collect()
        })
        .collect()
}

/// The whole rows of `keys`, decoded.
async fn read_keys<D: Driver, Dec: Decoder>(
    conn: &mut D::Conn,
    table: &TableDef,
    keys: &[Vec<Value>],
    decoder: &Dec,
) -> Result<Vec<Dec::Output>> {
    let mut stmt = SelectStmt::new(*table);
    stmt.filter = Some(key_list(table, keys));
    let lowered = crate::select::<D::Dialect>(&stmt);
    rows::<D, Dec>(conn, table, lowered, decoder).await
}

/// The condition matching the rows of `keys`: `key IN (..)`, or each
/// composite key's columns equal to its values.
fn key_list(table: &TableDef, keys: &[Vec<Value>]) -> Expr {
    let columns: Vec<_> = table.key_columns().map(|c| c.name).collect();
    if let [column] = columns.as_slice() {
        let values = keys.iter().filter_map(|k| k.first().cloned()).collect();
        return Expr::InList { column, values };
    }
    let each = keys.iter().map(|key| {
        let parts = columns.iter().zip(key).map(|(column, value)| Expr::Cmp {
            column,
            op: CmpOp::Eq,
            value: value.clone(),
        });
        Expr::And(parts.collect())
    });
    Expr::Or(each.collect())
}
