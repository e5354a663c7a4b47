//! Running lowered statements on one SQLite connection (pooled or in a
//! transaction), synchronously: each function runs its statements to the end
//! on the calling thread and returns.

use keyway::{
    Decoder, DeleteStmt, Entity, Error, Key, Result, SelectStmt, Selection, TableDef, UpdateStmt,
    Value,
};
use keyway_sql::{BoundRef, Cached, Sqlite as Dialect};
use rusqlite::{CachedStatement, Connection};

use crate::conn::Conn;
use crate::{bind, errors, reader::SqliteReader};

/// The connection's prepared statement for `sql`. The text is logged at debug
/// level inside the statement span; bound values never are.
#[inline]
pub(crate) fn prepare<'c>(
    db: &'c Connection,
    table: &TableDef,
    sql: &str,
) -> Result<CachedStatement<'c>> {
    tracing::debug!(db.statement = %sql);
    db.prepare_cached(sql).map_err(|e| errors::map(e, table))
}

/// Binds the `n`-th parameter (1-based), a value of `column`.
#[inline]
pub(crate) fn bind_param(
    statement: &mut CachedStatement<'_>,
    table: &TableDef,
    n: usize,
    column: &str,
    value: &Value,
) -> Result<()> {
    // Integers, and floats SQLite keeps as they are, bound as `storing`
    // stores them, without the general path's other checks.
    let bound = match *value {
        Value::I64(v) => statement.raw_bind_parameter(n, v),
        Value::I32(v) => statement.raw_bind_parameter(n, i64::from(v)),
        Value::I16(v) => statement.raw_bind_parameter(n, i64::from(v)),
        Value::Bool(v) => statement.raw_bind_parameter(n, i64::from(v)),
        Value::F64(v) if !v.is_nan() && (v != 0.0 || v.is_sign_positive()) => {
            statement.raw_bind_parameter(n, v)
        }
        _ => statement.raw_bind_parameter(n, bind::value(table, column, value)?),
    };
    bound.map_err(|e| errors::map(e, table))
}

/// The connection's prepared statement for `sql`, every parameter bound.
fn bound<'c, 'v>(
    db: &'c Connection,
    table: &TableDef,
    sql: &str,
    params: impl IntoIterator<Item = (&'static str, &'v Value)>,
) -> Result<CachedStatement<'c>> {
    let mut statement = prepare(db, table, sql)?;
    for (i, (column, value)) in params.into_iter().enumerate() {
        bind_param(&mut statement, table, i + 1, column, value)?;
    }
    Ok(statement)
}

/// A read, update or delete: its text from the connection's shape cache.
fn shaped<'c>(
    db: &'c Connection,
    table: &TableDef,
    cached: Cached<'_, '_>,
) -> Result<CachedStatement<'c>> {
    // SQLite's dialect writes an `IN` list as a placeholder per value: an
    // array parameter is refused before anything is bound.
    if let Some(list) = cached
        .params
        .iter()
        .find(|p| matches!(p.value, BoundRef::List(_)))
    {
        return Err(Error::Unsupported {
            backend: "sqlite",
            detail: format!("an array parameter (the IN list of {})", list.column),
        });
    }
    let params = cached.params.iter().filter_map(|p| match p.value {
        BoundRef::One(value) => Some((p.column, value)),
        BoundRef::List(_) => None,
    });
    bound(db, table, cached.sql, params)
}

/// The rows of a read, decoded in order up to the first error, and that error.
pub(crate) type Read<T> = (Vec<T>, Option<Error>);

/// Runs a read and decodes its rows; on an error, returns the rows before it
/// and the error (what a stream yields).
pub(crate) fn read<D: Decoder>(conn: &mut Conn, stmt: &SelectStmt, decoder: &D) -> Read<D::Output> {
    let mut out = Vec::new();
    let error = read_into(conn, stmt, decoder, &mut out).err();
    (out, error)
}

fn read_into<D: Decoder>(
    conn: &mut Conn,
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
/// Once the statement's limit is reached no further row is asked for.
pub(crate) fn read_each<D: Decoder>(
    conn: &mut Conn,
    stmt: &SelectStmt,
    decoder: &D,
    mut each: impl FnMut(D::Output) -> bool,
) -> Result<()> {
    let table = &stmt.table;
    let mut statement = shaped(&conn.db, table, conn.shapes.select(stmt))?;
    let mut rows = statement.raw_query();
    let mut left = stmt.limit.unwrap_or(u64::MAX);
    while left > 0 {
        let Some(row) = rows.next().map_err(|e| errors::map(e, table))? else {
            break;
        };
        left -= 1;
        let mut reader = SqliteReader::new(row, table, &stmt.selection);
        if !each(decoder.decode(&mut reader)?) {
            break;
        }
    }
    Ok(())
}

pub(crate) fn fetch_all<D: Decoder>(
    conn: &mut Conn,
    stmt: &SelectStmt,
    decoder: &D,
) -> Result<Vec<D::Output>> {
    let mut out = Vec::new();
    read_into(conn, stmt, decoder, &mut out)?;
    Ok(out)
}

/// The row of `E` with `key`: the lookup's text is kept per entity, the key's
/// values are bound straight from the key.
pub(crate) fn fetch_by_key<E: Entity>(conn: &mut Conn, key: &E::Key) -> Result<Option<E>> {
    let table = TableDef::of::<E>();
    let sql = conn.shapes.by_key::<E>(key);
    let mut statement = prepare(&conn.db, &table, sql)?;
    // As `SelectStmt::by_key` pairs them: the key columns, partition first.
    let (mut columns, mut bound) = (table.key_columns(), Ok(0));
    key.for_each_value(|value| {
        if let (Some(column), Ok(n)) = (columns.next(), &bound) {
            let n = n + 1;
            bound = bind_param(&mut statement, &table, n, column.name, &value).map(|()| n);
        }
    });
    bound?;
    let mut rows = statement.raw_query();
    let Some(row) = rows.next().map_err(|e| errors::map(e, &table))? else {
        return Ok(None);
    };
    keyway::read_row::<E, _>(&mut SqliteReader::new(row, &table, &Selection::Entity)).map(Some)
}

pub(crate) fn count(conn: &mut Conn, stmt: &SelectStmt) -> Result<u64> {
    let table = &stmt.table;
    let map = |e| errors::map(e, table);
    let mut statement = shaped(&conn.db, table, conn.shapes.select(stmt))?;
    let mut rows = statement.raw_query();
    let n: i64 = match rows.next().map_err(map)? {
        Some(row) => row.get(0).map_err(map)?,
        None => 0,
    };
    Ok(n.unsigned_abs())
}

pub(crate) fn update(conn: &mut Conn, stmt: UpdateStmt) -> Result<u64> {
    let cached = conn.shapes.update(&stmt);
    execute(&conn.db, &stmt.table, cached)
}

pub(crate) fn delete(conn: &mut Conn, stmt: DeleteStmt) -> Result<u64> {
    let cached = conn.shapes.delete(&stmt);
    execute(&conn.db, &stmt.table, cached)
}

/// Runs an update and returns its rows as written (`UPDATE .. RETURNING`).
pub(crate) fn update_returning<D: Decoder>(
    conn: &mut Conn,
    stmt: UpdateStmt,
    decoder: &D,
) -> Result<Vec<D::Output>> {
    let table = stmt.table;
    written(
        &conn.db,
        &table,
        keyway_sql::update_returning::<Dialect>(stmt),
        decoder,
    )
}

/// Runs a delete and returns its rows as they were (`DELETE .. RETURNING`).
pub(crate) fn delete_returning<D: Decoder>(
    conn: &mut Conn,
    stmt: DeleteStmt,
    decoder: &D,
) -> Result<Vec<D::Output>> {
    let table = stmt.table;
    written(
        &conn.db,
        &table,
        keyway_sql::delete_returning::<Dialect>(stmt),
        decoder,
    )
}

/// Runs a write ending in `RETURNING` every column and decodes its rows.
/// The statement is stepped to its end even when a row does not decode:
/// the write is then whole, and the first decode error is reported.
fn written<D: Decoder>(
    db: &Connection,
    table: &TableDef,
    lowered: keyway_sql::Lowered,
    decoder: &D,
) -> Result<Vec<D::Output>> {
    let params = lowered.params.iter().filter_map(|p| match &p.value {
        keyway_sql::Bound::One(value) => Some((p.column, value)),
        // The SQLite dialect writes a placeholder per value of a list.
        keyway_sql::Bound::List(_) => None,
    });
    let mut statement = bound(db, table, &lowered.sql, params)?;
    let mut rows = statement.raw_query();
    let (mut out, mut failed) = (Vec::new(), None);
    while let Some(row) = rows.next().map_err(|e| errors::map(e, table))? {
        let mut reader = SqliteReader::new(row, table, &Selection::Entity);
        match decoder.decode(&mut reader) {
            Ok(decoded) if failed.is_none() => out.push(decoded),
            Ok(_) => {}
            Err(e) => failed = failed.or(Some(e)),
        }
    }
    failed.map_or(Ok(out), Err)
}

fn execute(db: &Connection, table: &TableDef, cached: Cached<'_, '_>) -> Result<u64> {
    let changed = shaped(db, table, cached)?
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

/// Runs the statements of a migration step.
pub(crate) fn apply_change(conn: &Connection, change: &keyway::migrate::Change<'_>) -> Result<()> {
    let table = keyway_sql::migration_table(change.step.table());
    for sql in keyway_sql::render_change::<Dialect>(change)? {
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
