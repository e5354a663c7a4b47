//! Running lowered statements on one connection (pooled or in a transaction).

use futures::TryStreamExt;
use keyway::{
    Decoder, DeleteStmt, InsertStmt, Result, SelectStmt, TableDef, UpdateStmt, UpsertStmt, Value,
};

use super::Driver;
use crate::Lowered;

/// Binds a lowered statement on `table`. The statement text is logged at debug
/// level inside the statement span; bound values never are.
pub fn prepare<D: Driver>(table: &TableDef, lowered: Lowered) -> Result<(String, D::Args)> {
    tracing::debug!(db.statement = %lowered.sql);
    let args = D::bind(table, lowered.params)?;
    Ok((lowered.sql, args))
}

pub(crate) async fn fetch_all<D: Driver, Dec: Decoder>(
    conn: &mut D::Conn,
    stmt: SelectStmt,
    decoder: Dec,
) -> Result<Vec<Dec::Output>> {
    let (sql, args) = prepare::<D>(&stmt.table, crate::select::<D::Dialect>(&stmt))?;
    D::collect(conn, &sql, args, &stmt, &decoder).await
}

pub(crate) async fn count<D: Driver>(conn: &mut D::Conn, stmt: SelectStmt) -> Result<u64> {
    let rows = fetch_all::<D, _>(conn, stmt, CountDecoder).await?;
    Ok(rows.into_iter().next().unwrap_or(0))
}

/// Reads `COUNT(*)`.
struct CountDecoder;

impl Decoder for CountDecoder {
    type Output = u64;
    fn decode(&self, row: &mut impl keyway::ValueReader) -> Result<u64> {
        row.get()
    }
}

/// Runs the insert's statements (one per batch) atomically and returns the
/// generated keys in row order.
pub(crate) async fn insert<D: Driver>(
    driver: &D,
    conn: &mut D::Conn,
    stmt: InsertStmt,
) -> Result<Vec<Value>> {
    let table = stmt.table;
    let mut batches = driver.lower_insert(stmt);
    let mut keys = Vec::new();
    if batches.len() == 1 {
        let batch = batches.remove(0);
        driver.run_insert(conn, &table, batch, &mut keys).await?;
        return Ok(keys);
    }
    // Several statements: all or nothing (a savepoint when already in a transaction).
    let mut open = Atomic::<D>::begin(conn, &table).await?;
    for batch in batches {
        driver
            .run_insert(open.conn(), &table, batch, &mut keys)
            .await?;
    }
    open.commit(&table).await?;
    Ok(keys)
}

/// Inserts rows with the keys they hold ([`Executor::insert_with_keys`](keyway::Executor::insert_with_keys)):
/// the insert and, where the dialect's sequence does not follow given keys,
/// the statement that moves it, all or nothing.
pub(crate) async fn insert_with_keys<D: Driver>(
    driver: &D,
    conn: &mut D::Conn,
    stmt: InsertStmt,
) -> Result<()> {
    let table = stmt.table;
    let advance = match keyway::largest_given_key(&stmt)? {
        Some((column, _)) => crate::advance_auto_key::<D::Dialect>(&table, column),
        None => None,
    };
    let stmt = InsertStmt {
        table: table.with_given_keys(),
        rows: stmt.rows,
    };
    let Some(sql) = advance else {
        return insert(driver, conn, stmt).await.map(drop);
    };
    let mut open = Atomic::<D>::begin(conn, &table).await?;
    insert(driver, open.conn(), stmt).await?;
    tracing::debug!(db.statement = %sql);
    D::execute(open.conn(), &sql, D::no_args(), false)
        .await
        .map_err(|e| D::map_error(e, &table))?;
    open.commit(&table).await
}

/// A transaction (or a savepoint inside the connection's open one) around
/// statements that must all apply or none: an insert of several batches.
/// Unless it is committed, its rollback is queued when it is dropped, on an
/// error or a cancelled future alike, and sent before the connection's next
/// statement.
pub struct Atomic<'c, D: Driver> {
    conn: &'c mut D::Conn,
    ended: bool,
}

impl<'c, D: Driver> Atomic<'c, D> {
    /// Opens the transaction or savepoint; errors are mapped as on `table`.
    pub async fn begin(conn: &'c mut D::Conn, table: &TableDef) -> Result<Self> {
        D::begin(conn).await.map_err(|e| D::map_error(e, table))?;
        Ok(Atomic { conn, ended: false })
    }

    /// The connection, to run the statements on.
    pub fn conn(&mut self) -> &mut D::Conn {
        self.conn
    }

    /// Commits what the statements did.
    pub async fn commit(mut self, table: &TableDef) -> Result<()> {
        D::commit(self.conn)
            .await
            .map_err(|e| D::map_error(e, table))?;
        self.ended = true;
        Ok(())
    }
}

impl<D: Driver> Drop for Atomic<'_, D> {
    fn drop(&mut self) {
        if !self.ended {
            D::start_rollback(self.conn);
        }
    }
}

/// Runs an insert whose statement ends in `RETURNING` the `auto` column (or
/// has no `auto` column) and appends the keys in row order.
pub async fn returning_keys<D: Driver>(
    conn: &mut D::Conn,
    table: &TableDef,
    batch: Lowered,
    keys: &mut Vec<Value>,
) -> Result<()> {
    let (sql, args) = prepare::<D>(table, batch)?;
    bound_returning_keys::<D>(conn, table, &sql, args, keys).await
}

/// [`returning_keys`] of a statement already bound: `sql` with `args`.
pub async fn bound_returning_keys<D: Driver>(
    conn: &mut D::Conn,
    table: &TableDef,
    sql: &str,
    args: D::Args,
    keys: &mut Vec<Value>,
) -> Result<()> {
    let Some((_, auto)) = table.auto_column() else {
        D::execute(conn, sql, args, true)
            .await
            .map_err(|e| D::map_error(e, table))?;
        return Ok(());
    };
    let rows: Vec<_> = D::fetch(conn, sql, args)
        .try_collect()
        .await
        .map_err(|e| D::map_error(e, table))?;
    let mut generated = Vec::with_capacity(rows.len());
    for row in &rows {
        let key = D::read_value(row, 0, auto.ty).map_err(|source| keyway::Error::Decode {
            entity: table.entity,
            column: auto.name.to_owned(),
            source,
        })?;
        generated.push(key);
    }
    // Keys are assigned in row order, so ascending order is row order whatever
    // order RETURNING reports them in.
    generated.sort_by_key(|k| match *k {
        Value::U64(v) => i128::from(v),
        ref other => i128::from(other.as_i64().unwrap_or(i64::MIN)),
    });
    keys.extend(generated);
    Ok(())
}

/// Runs an upsert's statements (one per batch) atomically. With
/// [`report`](UpsertStmt::report), on a dialect whose statement tells
/// ([`Dialect::UPSERT_INSERTED`](crate::Dialect::UPSERT_INSERTED)),
/// returns whether each row was inserted; otherwise nothing.
pub(crate) async fn upsert<D: Driver>(conn: &mut D::Conn, stmt: UpsertStmt) -> Result<Vec<bool>> {
    let table = stmt.table;
    let reported = stmt.report && <D::Dialect as crate::Dialect>::UPSERT_INSERTED.is_some();
    let targets = reported.then(|| super::upsert_report::targets(&stmt));
    let mut batches = crate::upsert::<D::Dialect>(stmt);
    let Some(targets) = targets else {
        if batches.len() == 1 {
            return execute::<D>(conn, &table, batches.remove(0))
                .await
                .map(|_| Vec::new());
        }
        let mut open = Atomic::<D>::begin(conn, &table).await?;
        for batch in batches {
            execute::<D>(open.conn(), &table, batch).await?;
        }
        open.commit(&table).await?;
        return Ok(Vec::new());
    };
    let mut open = Atomic::<D>::begin(conn, &table).await?;
    let mut inserted = Vec::new();
    for batch in batches {
        let (sql, args) = prepare::<D>(&table, batch)?;
        let rows: Vec<D::Row> = D::fetch(open.conn(), &sql, args)
            .try_collect()
            .await
            .map_err(|e| D::map_error(e, &table))?;
        for row in &rows {
            inserted.push(super::upsert_report::read::<D>(&table, &targets, row)?);
        }
    }
    open.commit(&table).await?;
    Ok(targets.inserted(inserted))
}

pub(crate) async fn update<D: Driver>(conn: &mut D::Conn, stmt: UpdateStmt) -> Result<u64> {
    let table = stmt.table;
    execute::<D>(conn, &table, crate::update::<D::Dialect>(stmt)).await
}

pub(crate) async fn delete<D: Driver>(conn: &mut D::Conn, stmt: DeleteStmt) -> Result<u64> {
    let table = stmt.table;
    execute::<D>(conn, &table, crate::delete::<D::Dialect>(stmt)).await
}

async fn execute<D: Driver>(conn: &mut D::Conn, table: &TableDef, lowered: Lowered) -> Result<u64> {
    let (sql, args) = prepare::<D>(table, lowered)?;
    D::execute(conn, &sql, args, true)
        .await
        .map_err(|e| D::map_error(e, table))
}

pub(crate) async fn ddl<D: Driver>(conn: &mut D::Conn, table: &TableDef, sql: &str) -> Result<()> {
    tracing::debug!(db.statement = %sql);
    D::execute(conn, sql, D::no_args(), false)
        .await
        .map_err(|e| D::map_error(e, table))?;
    Ok(())
}

pub(crate) async fn create_table<D: Driver>(conn: &mut D::Conn, table: TableDef) -> Result<()> {
    for sql in crate::create_table::<D::Dialect>(&table) {
        ddl::<D>(conn, &table, &sql).await?;
    }
    Ok(())
}

pub(crate) async fn drop_table<D: Driver>(conn: &mut D::Conn, table: TableDef) -> Result<()> {
    ddl::<D>(conn, &table, &crate::drop_table::<D::Dialect>(&table)).await
}
