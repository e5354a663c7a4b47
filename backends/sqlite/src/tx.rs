//! An open SQLite transaction.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use futures::stream::BoxStream;
use keyway::{
    Access, Decoder, DeleteStmt, Entity, Executor, InsertStmt, Result, SelectStmt, Supports,
    TableDef, UpdateStmt, Value,
};

use crate::backend::rows_of;
use crate::pool::PooledConn;
use crate::{errors, exec, insert};

/// An open transaction on one pooled connection; used through
/// `Db<Transaction<Sqlite>>`. Dropped without commit, it rolls back.
///
/// Its statements take turns on the connection; none waits across an `.await`.
pub struct SqliteTx {
    conn: Mutex<PooledConn>,
}

impl SqliteTx {
    pub(crate) fn begin(conn: PooledConn) -> Result<Self> {
        conn.execute_batch("BEGIN").map_err(errors::other)?;
        Ok(SqliteTx {
            conn: Mutex::new(conn),
        })
    }

    /// On failure the transaction is rolled back as the connection goes back
    /// to the pool.
    pub(crate) fn commit(self) -> Result<()> {
        self.end("COMMIT")
    }

    pub(crate) fn rollback(self) -> Result<()> {
        self.end("ROLLBACK")
    }

    fn end(self, sql: &str) -> Result<()> {
        let conn = self
            .conn
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        conn.execute_batch(sql).map_err(errors::other)
    }

    /// The connection, for one statement. A panic in a user's decoder while
    /// it was held leaves the connection itself intact.
    fn conn(&self) -> MutexGuard<'_, PooledConn> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for SqliteTx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteTx").finish_non_exhaustive()
    }
}

/// SQL runs every access path, inside a transaction too.
impl<A: Access> Supports<A> for SqliteTx {}

impl Executor for SqliteTx {
    const SYSTEM: &'static str = "sqlite";

    fn orders_includes(&self) -> bool {
        true
    }

    /// The rows are read in full when the stream is first polled, then yielded.
    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        rows_of(async move { Ok(exec::read(&mut self.conn(), &stmt, &decoder)) })
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        exec::fetch_all(&mut self.conn(), &stmt, &decoder)
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        exec::fetch_by_key::<E>(&mut self.conn(), key)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        exec::count(&mut self.conn(), &stmt)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        insert::rows(&mut self.conn(), &stmt)
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        insert::rows(&mut self.conn(), &insert::with_given_keys(stmt)).map(drop)
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        insert::entities(&mut self.conn(), entities)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        exec::update(&mut self.conn(), stmt)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        exec::delete(&mut self.conn(), stmt)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        exec::create_table(&self.conn(), table)
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        exec::drop_table(&self.conn(), table)
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        Ok(keyway_sql::declared_table::<keyway_sql::Sqlite>(table))
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        crate::introspect::describe_table(&self.conn(), &table)
    }
}
