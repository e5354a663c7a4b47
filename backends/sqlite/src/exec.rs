//! Running lowered statements on one SQLite connection (pooled or in a
//! transaction), synchronously: each function runs its statements to the end
//! on the calling thread and returns.

use keyway::{
    Decoder, DeleteStmt, Error, InsertStmt, Result, SelectStmt, TableDef, UpdateStmt, Value,
};
use keyway_sql::{Lowered, Sqlite as Dialect};
use rusqlite::types::Value as SqlValue;
use rusqlite::{CachedStatement, Connection};

use crate::{bind, errors, reader::SqliteReader};

/// A lowered statement with its parameters checked and converted. The
/// statement text is logged at debug level inside the statement span; bound
/// values never are.
struct Prepared {
    sql: String,
    params: Vec<SqlValue>,
}

impl Prepared {
    fn new(table: &TableDef, lowered: Lowered) -> Result<Prepared> {
        tracing::debug!(db.statement = %lowered.sql);
        let params = bind::values(table, lowered.params)?;
        Ok(Prepared {
            sql: lowered.sql,
            params,
        })
    }

    /// The connection's cached statement for this text, every parameter bound.
    fn bound<'c>(&self, conn: &'c Connection, table: &TableDef) -> Result<CachedStatement<'c>> {
        let mut statement = conn
            .prepare_cached(&self.sql)
            .map_err(|e| errors::map(e, table))?;
        for (i, value) in self.params.iter().enumerate() {
            statement
                .raw_bind_parameter(i + 1, value)
                .map_err(|e| errors::map(e, table))?;
        }
        Ok(statement)
    }
}

/// The rows of a read, decoded in order up to the first error, and that error.
pub(crate) type Read<T> = (Vec<T>, Option<Error>);

/// Runs a read and decodes its rows; on an error, returns the rows before it
/// and the error (what a stream yields).
pub(crate) fn read<D: Decoder>(
    conn: &Connection,
    stmt: &SelectStmt,
    decoder: &D,
) -> Read<D::Output> {
    let mut out = Vec::new();
    let error = read_into(conn, stmt, decoder, &mut out).err();
    (out, error)
}

fn read_into<D: Decoder>(
    conn: &Connection,
    stmt: &SelectStmt,
    decoder: &D,
    out: &mut Vec<D::Output>,
) -> Result<()> {
    read_each(conn, stmt, decoder, |row| {
        out.push(row);
        true
    })
}

/// Runs a read and hands each decoded row to `each` until it returns false
/// (the consumer is gone) or the rows end; the first error ends the read.
pub(crate) fn read_each<D: Decoder>(
    conn: &Connection,
    stmt: &SelectStmt,
    decoder: &D,
    mut each: impl FnMut(D::Output) -> bool,
) -> Result<()> {
    let prepared = Prepared::new(&stmt.table, keyway_sql::select::<Dialect>(stmt))?;
    let mut statement = prepared.bound(conn, &stmt.table)?;
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next().map_err(|e| errors::map(e, &stmt.table))? {
        if !each(decoder.decode(&mut SqliteReader::new(row, stmt))?) {
            break;
        }
    }
    Ok(())
}

pub(crate) fn fetch_all<D: Decoder>(
    conn: &Connection,
    stmt: SelectStmt,
    decoder: D,
) -> Result<Vec<D::Output>> {
    let mut out = Vec::new();
    read_into(conn, &stmt, &decoder, &mut out)?;
    Ok(out)
}

pub(crate) fn count(conn: &Connection, stmt: SelectStmt) -> Result<u64> {
    let table = &stmt.table;
    let map = |e| errors::map(e, table);
    let prepared = Prepared::new(table, keyway_sql::select::<Dialect>(&stmt))?;
    let mut statement = prepared.bound(conn, table)?;
    let mut rows = statement.raw_query();
    let n: i64 = match rows.next().map_err(map)? {
        Some(row) => row.get(0).map_err(map)?,
        None => 0,
    };
    Ok(n.unsigned_abs())
}

/// Runs the insert's statements (one per batch) atomically and returns the
/// generated keys in row order.
pub(crate) fn insert(conn: &Connection, stmt: InsertStmt) -> Result<Vec<Value>> {
    let table = stmt.table;
    let auto = table.auto_column().is_some();
    let batches = keyway_sql::insert::<Dialect>(stmt);
    let mut keys = Vec::new();
    if batches.len() <= 1 {
        for batch in batches {
            run_insert(conn, &table, batch, auto, &mut keys)?;
        }
        return Ok(keys);
    }
    // Several batches: all or nothing (a savepoint when already in a transaction).
    atomically(conn, &table, || {
        batches
            .into_iter()
            .try_for_each(|batch| run_insert(conn, &table, batch, auto, &mut keys))
    })?;
    Ok(keys)
}

fn run_insert(
    conn: &Connection,
    table: &TableDef,
    batch: Lowered,
    auto: bool,
    keys: &mut Vec<Value>,
) -> Result<()> {
    let map = |e| errors::map(e, table);
    let prepared = Prepared::new(table, batch)?;
    let mut statement = prepared.bound(conn, table)?;
    if !auto {
        statement.raw_execute().map_err(map)?;
        return Ok(());
    }
    let mut generated = Vec::new();
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next().map_err(map)? {
        generated.push(row.get::<_, i64>(0).map_err(map)?);
    }
    // Keys are assigned in row order, so ascending order is row order whatever
    // order RETURNING reports them in.
    generated.sort_unstable();
    keys.extend(generated.into_iter().map(Value::I64));
    Ok(())
}

/// Runs `work` in a transaction of its own, or in a savepoint inside the
/// connection's open transaction; rolls it back if `work` fails.
fn atomically(
    conn: &Connection,
    table: &TableDef,
    work: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let (begin, commit, rollback) = if conn.is_autocommit() {
        ("BEGIN", "COMMIT", "ROLLBACK")
    } else {
        (
            "SAVEPOINT keyway_insert",
            "RELEASE keyway_insert",
            "ROLLBACK TO keyway_insert; RELEASE keyway_insert",
        )
    };
    conn.execute_batch(begin)
        .map_err(|e| errors::map(e, table))?;
    let done = work().and_then(|()| {
        conn.execute_batch(commit)
            .map_err(|e| errors::map(e, table))
    });
    if done.is_err() {
        let _ = conn.execute_batch(rollback);
    }
    done
}

pub(crate) fn update(conn: &Connection, stmt: UpdateStmt) -> Result<u64> {
    let table = stmt.table;
    execute(conn, &table, keyway_sql::update::<Dialect>(stmt))
}

pub(crate) fn delete(conn: &Connection, stmt: DeleteStmt) -> Result<u64> {
    let table = stmt.table;
    execute(conn, &table, keyway_sql::delete::<Dialect>(stmt))
}

fn execute(conn: &Connection, table: &TableDef, lowered: Lowered) -> Result<u64> {
    let prepared = Prepared::new(table, lowered)?;
    let changed = prepared
        .bound(conn, table)?
        .raw_execute()
        .map_err(|e| errors::map(e, table))?;
    Ok(changed as u64)
}

/// Schema statements run once: they are not kept in the statement cache.
pub(crate) fn create_table(conn: &Connection, table: TableDef) -> Result<()> {
    for sql in keyway_sql::create_table::<Dialect>(&table) {
        tracing::debug!(db.statement = %sql);
        conn.execute_batch(&sql)
            .map_err(|e| errors::map(e, &table))?;
    }
    Ok(())
}

pub(crate) fn drop_table(conn: &Connection, table: TableDef) -> Result<()> {
    let sql = keyway_sql::drop_table::<Dialect>(&table);
    tracing::debug!(db.statement = %sql);
    conn.execute_batch(&sql).map_err(|e| errors::map(e, &table))
}
