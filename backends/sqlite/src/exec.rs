//! Running lowered statements on one SQLite connection (pooled or in a transaction).

use futures::TryStreamExt;
use keyway::{Decoder, DeleteStmt, InsertStmt, Result, SelectStmt, TableDef, UpdateStmt, Value};
use keyway_sql::{Lowered, Sqlite as Dialect};
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{Acquire, Row};

use crate::{bind, errors, reader::SqliteReader};

/// The statement text is logged at debug level inside the statement span; bound
/// values never are.
pub(crate) fn prepare(
    table: &TableDef,
    lowered: Lowered,
) -> Result<(String, SqliteArguments<'static>)> {
    tracing::debug!(db.statement = %lowered.sql);
    let args = bind::arguments(table, lowered.params)?;
    Ok((lowered.sql, args))
}

pub(crate) async fn fetch_all<D: Decoder>(
    conn: &mut SqliteConnection,
    stmt: SelectStmt,
    decoder: D,
) -> Result<Vec<D::Output>> {
    let (sql, args) = prepare(&stmt.table, keyway_sql::select::<Dialect>(&stmt))?;
    let mut rows = sqlx::query_with(&sql, args).fetch(&mut *conn);
    let mut out = Vec::new();
    // Rows are decoded as they arrive but dropped only once the statement is
    // done. Dropping a row frees its values through SQLite's allocator, whose
    // global mutex the connection's worker thread takes for every value it
    // copies out: freeing rows while the worker is still producing them makes
    // the two threads fight over that lock (1.6x slower over 1,000 rows on two
    // cores, see BENCHMARKS.md). `all()` returns every row anyway, so holding
    // them costs no more memory than sqlx's own `fetch_all`.
    let mut done = Vec::new();
    while let Some(row) = rows
        .try_next()
        .await
        .map_err(|e| errors::map(e, &stmt.table))?
    {
        out.push(decoder.decode(&mut SqliteReader::new(&row, &stmt))?);
        done.push(row);
    }
    drop(rows);
    drop(done);
    Ok(out)
}

pub(crate) async fn count(conn: &mut SqliteConnection, stmt: SelectStmt) -> Result<u64> {
    let (sql, args) = prepare(&stmt.table, keyway_sql::select::<Dialect>(&stmt))?;
    let row = sqlx::query_with(&sql, args)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| errors::map(e, &stmt.table))?;
    let n: i64 = row.try_get(0).map_err(|e| errors::map(e, &stmt.table))?;
    Ok(n.unsigned_abs())
}

/// Runs the insert's statements (one per batch) atomically and returns the
/// generated keys in row order.
pub(crate) async fn insert(conn: &mut SqliteConnection, stmt: InsertStmt) -> Result<Vec<Value>> {
    let table = stmt.table;
    let auto = table.auto_column().is_some();
    let batches = keyway_sql::insert::<Dialect>(stmt);
    let map = |e| errors::map(e, &table);
    let mut keys = Vec::new();
    if batches.len() == 1 {
        let batch = batches.into_iter().next().expect("one batch");
        run_insert(conn, &table, batch, auto, &mut keys).await?;
        return Ok(keys);
    }
    // Several batches: all or nothing (a savepoint when already in a transaction).
    let mut tx = conn.begin().await.map_err(map)?;
    for batch in batches {
        run_insert(&mut tx, &table, batch, auto, &mut keys).await?;
    }
    tx.commit().await.map_err(map)?;
    Ok(keys)
}

async fn run_insert(
    conn: &mut SqliteConnection,
    table: &TableDef,
    batch: Lowered,
    auto: bool,
    keys: &mut Vec<Value>,
) -> Result<()> {
    let (sql, args) = prepare(table, batch)?;
    let query = sqlx::query_with(&sql, args);
    if !auto {
        query
            .execute(&mut *conn)
            .await
            .map_err(|e| errors::map(e, table))?;
        return Ok(());
    }
    let rows = query
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| errors::map(e, table))?;
    // Keys are assigned in row order, so ascending order is row order whatever
    // order RETURNING reports them in.
    let mut generated = rows
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<Vec<_>, _>>();
    let generated = generated
        .as_mut()
        .map_err(|_| errors::map(sqlx::Error::RowNotFound, table))?;
    generated.sort_unstable();
    keys.extend(generated.iter().map(|&k| Value::I64(k)));
    Ok(())
}

pub(crate) async fn update(conn: &mut SqliteConnection, stmt: UpdateStmt) -> Result<u64> {
    let table = stmt.table;
    execute(conn, &table, keyway_sql::update::<Dialect>(stmt)).await
}

pub(crate) async fn delete(conn: &mut SqliteConnection, stmt: DeleteStmt) -> Result<u64> {
    let table = stmt.table;
    execute(conn, &table, keyway_sql::delete::<Dialect>(stmt)).await
}

async fn execute(conn: &mut SqliteConnection, table: &TableDef, lowered: Lowered) -> Result<u64> {
    let (sql, args) = prepare(table, lowered)?;
    let done = sqlx::query_with(&sql, args)
        .execute(&mut *conn)
        .await
        .map_err(|e| errors::map(e, table))?;
    Ok(done.rows_affected())
}

pub(crate) async fn create_table(conn: &mut SqliteConnection, table: TableDef) -> Result<()> {
    for sql in keyway_sql::create_table::<Dialect>(&table) {
        tracing::debug!(db.statement = %sql);
        sqlx::query(&sql)
            .persistent(false)
            .execute(&mut *conn)
            .await
            .map_err(|e| errors::map(e, &table))?;
    }
    Ok(())
}

pub(crate) async fn drop_table(conn: &mut SqliteConnection, table: TableDef) -> Result<()> {
    let sql = keyway_sql::drop_table::<Dialect>(&table);
    tracing::debug!(db.statement = %sql);
    sqlx::query(&sql)
        .persistent(false)
        .execute(&mut *conn)
        .await
        .map_err(|e| errors::map(e, &table))?;
    Ok(())
}
