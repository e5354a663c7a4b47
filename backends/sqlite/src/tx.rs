//! An open SQLite transaction.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use futures::stream::BoxStream;
use keyway::{
    Decoder, DeleteStmt, Entity, Executor, InsertStmt, Result, SelectStmt, SupportsEveryPath,
    TableDef, UpdateStmt, UpsertStmt, Value,
};

use keyway::migrate::{Change, SchemaChanges};

use crate::backend::rows_of;
use crate::pool::PooledConn;
use crate::{errors, exec, insert};

/// An open transaction on one pooled connection; used through
/// `Db<Transaction<Sqlite>>`. Dropped without commit, it rolls back.
///
/// Its statements take turns on the connection; none waits across an `.await`.
pub struct SqliteTx {
    conn: Mutex<PooledConn>,
    /// A migration's transaction: foreign keys are checked at commit, and
    /// enforced again after it.
    schema_change: bool,
}

impl SqliteTx {
    pub(crate) fn begin(conn: PooledConn) -> Result<Self> {
        Self::begin_with(conn, "BEGIN")
    }

    /// A transaction that takes the write lock at once (waiting for it up
    /// to the busy timeout): what it reads stays as read until it writes.
    pub(crate) fn begin_writing(conn: PooledConn) -> Result<Self> {
        Self::begin_with(conn, "BEGIN IMMEDIATE")
    }

    fn begin_with(conn: PooledConn, begin: &str) -> Result<Self> {
        conn.execute_batch(begin).map_err(errors::other)?;
        Ok(SqliteTx {
            conn: Mutex::new(conn),
            schema_change: false,
        })
    }

    /// A migration's transaction. It takes the write lock at once, so that
    /// a second run waits for the first and then reads its records. Foreign
    /// keys are not enforced inside it: a table rebuilt is dropped and made
    /// again, which with enforcement would delete or refuse its children's
    /// rows; the commit checks every foreign key first and refuses to leave
    /// one broken.
    pub(crate) fn begin_schema_change(conn: PooledConn) -> Result<Self> {
        conn.execute_batch("PRAGMA foreign_keys = OFF")
            .map_err(errors::other)?;
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            // Busy past the timeout: the connection goes back as it came.
            if conn.execute_batch("PRAGMA foreign_keys = ON").is_err() {
                conn.discard();
            }
            return Err(errors::other(e));
        }
        Ok(SqliteTx {
            conn: Mutex::new(conn),
            schema_change: true,
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
        if !self.schema_change {
            return conn.execute_batch(sql).map_err(errors::other);
        }
        let broken = if sql == "COMMIT" {
            broken_foreign_keys(&conn)?
        } else {
            None
        };
        let end = if broken.is_some() { "ROLLBACK" } else { sql };
        let ended = conn.execute_batch(end).map_err(errors::other);
        if conn.execute_batch("PRAGMA foreign_keys = ON").is_err() {
            // The migration's outcome stands; the connection, which would
            // go on without enforcement, does not.
            tracing::warn!("a connection could not enforce foreign keys again; it is closed");
            conn.discard();
        }
        ended?;
        match broken {
            None => Ok(()),
            Some(detail) => Err(keyway::Error::Invalid {
                what: "migration",
                detail,
            }),
        }
    }

    /// The connection, for one statement. A panic in a user's decoder while
    /// it was held leaves the connection itself intact.
    fn conn(&self) -> MutexGuard<'_, PooledConn> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What `PRAGMA foreign_key_check` finds: the first row whose foreign key
/// names no parent, if any.
fn broken_foreign_keys(conn: &PooledConn) -> Result<Option<String>> {
    let mut check = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(errors::other)?;
    let mut rows = check.query([]).map_err(errors::other)?;
    let Some(row) = rows.next().map_err(errors::other)? else {
        return Ok(None);
    };
    let table: String = row.get(0).map_err(errors::other)?;
    let parent: String = row.get(2).map_err(errors::other)?;
    Ok(Some(format!(
        "the migration would leave rows of `{table}` whose foreign key names no row of \
         `{parent}`; it was rolled back"
    )))
}

impl fmt::Debug for SqliteTx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteTx").finish_non_exhaustive()
    }
}

/// SQL runs every access path, inside a transaction too.
impl SupportsEveryPath for SqliteTx {}

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

    /// An upsert that reports its inserts runs row by row
    /// ([`keyway::upsert_by_row`]) in the transaction.
    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        if stmt.report {
            return keyway::upsert_by_row(self, stmt).await;
        }
        insert::upsert(&self.conn(), stmt).map(|()| Vec::new())
    }

    async fn save_entity<E: Entity>(&self, entity: &E) -> Result<u64> {
        crate::save::save(&mut self.conn(), entity)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        exec::update(&mut self.conn(), stmt)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        exec::delete(&mut self.conn(), stmt)
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        exec::update_returning(&mut self.conn(), stmt, &decoder)
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        exec::delete_returning(&mut self.conn(), stmt, &decoder)
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

    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        keyway_sql::portable_type::<keyway_sql::Sqlite>(catalog)
    }

    fn schema_changes(&self) -> SchemaChanges {
        SchemaChanges::Transactional
    }

    fn render_change(&self, change: &Change<'_>) -> Result<Vec<String>> {
        keyway_sql::render_change::<keyway_sql::Sqlite>(change)
    }

    async fn apply_change(&self, change: &Change<'_>) -> Result<()> {
        exec::apply_change(&self.conn(), change)
    }
}
