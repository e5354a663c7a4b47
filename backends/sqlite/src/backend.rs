//! `Sqlite` as a keyway backend: each statement takes a pooled connection
//! (the only wait) and then runs to the end on the calling task.

use futures::stream::{self, BoxStream};
use futures::{StreamExt, TryStreamExt};
use keyway::{
    Backend, Decoder, DeleteStmt, Entity, Executor, InsertStmt, Result, SelectStmt,
    SupportsEveryPath, TableDef, UpdateStmt, UpsertStmt, Value,
};

use crate::exec::{self, Read};
use crate::{Sqlite, SqliteTx, insert};

/// SQL runs every access path, scans included.
impl SupportsEveryPath for Sqlite {}

/// How many decoded rows a pool-level stream reads ahead of its consumer.
pub(crate) const STREAM_AHEAD: usize = 256;

/// Yields the rows of a read once `read` has collected them, then its error.
pub(crate) fn rows_of<'a, T: Send + 'a>(
    read: impl Future<Output = Result<Read<T>>> + Send + 'a,
) -> BoxStream<'a, Result<T>> {
    stream::once(read)
        .flat_map(|read| {
            let (rows, error) = read.unwrap_or_else(|e| (Vec::new(), Some(e)));
            stream::iter(rows.into_iter().map(Ok).chain(error.map(Err)))
        })
        .boxed()
}

impl Executor for Sqlite {
    const SYSTEM: &'static str = "sqlite";

    /// SQLite reads an include's rows through the index on its lookup
    /// column, already in the order asked for: no sort either side.
    fn orders_includes(&self) -> bool {
        true
    }

    /// A SQLite statement cannot be held across an `.await`. On a file
    /// database, a stream's statement runs on a blocking thread that owns a
    /// pooled connection and hands decoded rows over, at most 256 rows
    /// (`STREAM_AHEAD`) ahead of the consumer: memory stays bounded however
    /// many rows match, and dropping the stream stops the read. An in-memory
    /// database (already all in memory) has one connection, which the
    /// stream's own include queries and the consumer's statements need: its
    /// rows are read in full when the stream is first polled, and the
    /// connection is free while they are yielded.
    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        if self.pool.is_memory() {
            return rows_of(async move {
                let mut conn = self.pool.acquire().await?;
                Ok(exec::read(&mut conn, &stmt, &decoder))
            });
        }
        let pool = self.pool.clone();
        stream::once(async move {
            let mut conn = pool.acquire().await?;
            let (tx, rx) = tokio::sync::mpsc::channel(STREAM_AHEAD);
            tokio::task::spawn_blocking(move || {
                let sent = exec::read_each(&mut conn, &stmt, &decoder, |row| {
                    tx.blocking_send(Ok(row)).is_ok()
                });
                if let Err(e) = sent {
                    let _ = tx.blocking_send(Err(e));
                }
            });
            Ok(stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|row| (row, rx))
            }))
        })
        .try_flatten()
        .boxed()
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        let mut conn = self.pool.acquire().await?;
        exec::fetch_all(&mut conn, &stmt, &decoder)
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        let mut conn = self.pool.acquire().await?;
        exec::fetch_by_key::<E>(&mut conn, key)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        exec::count(&mut conn, &stmt)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut conn = self.pool.acquire().await?;
        insert::rows(&mut conn, &stmt)
    }

    /// `AUTOINCREMENT` moves past given keys by itself.
    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        insert::rows(&mut conn, &insert::with_given_keys(stmt)).map(drop)
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        let mut conn = self.pool.acquire().await?;
        insert::entities(&mut conn, entities)
    }

    /// An upsert that reports its inserts runs row by row
    /// ([`keyway::upsert_by_row`]) in a transaction holding the write lock.
    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        if stmt.report {
            let tx = SqliteTx::begin_writing(self.pool.acquire().await?)?;
            let inserted = keyway::upsert_by_row(&tx, stmt).await?;
            Self::commit(tx).await?;
            return Ok(inserted);
        }
        let conn = self.pool.acquire().await?;
        insert::upsert(&conn, stmt).map(|()| Vec::new())
    }

    async fn save_entity<E: Entity>(&self, entity: &E) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        crate::save::save(&mut conn, entity)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        exec::update(&mut conn, stmt)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        exec::delete(&mut conn, stmt)
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let mut conn = self.pool.acquire().await?;
        exec::update_returning(&mut conn, stmt, &decoder)
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let mut conn = self.pool.acquire().await?;
        exec::delete_returning(&mut conn, stmt, &decoder)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let conn = self.pool.acquire().await?;
        exec::create_table(&conn, table)
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let conn = self.pool.acquire().await?;
        exec::drop_table(&conn, table)
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        Ok(keyway_sql::declared_table::<keyway_sql::Sqlite>(table))
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        let conn = self.pool.acquire().await?;
        crate::introspect::describe_table(&conn, &table)
    }

    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        keyway_sql::portable_type::<keyway_sql::Sqlite>(catalog)
    }

    fn schema_changes(&self) -> keyway::migrate::SchemaChanges {
        keyway::migrate::SchemaChanges::Transactional
    }

    fn render_change(&self, change: &keyway::migrate::Change<'_>) -> Result<Vec<String>> {
        keyway_sql::render_change::<keyway_sql::Sqlite>(change)
    }

    /// In a migration's transaction of its own: a rebuilt table must not
    /// cascade, and a step must not be left half made.
    async fn apply_change(&self, change: &keyway::migrate::Change<'_>) -> Result<()> {
        let tx = SqliteTx::begin_schema_change(self.pool.acquire().await?)?;
        tx.apply_change(change).await?;
        tx.commit()
    }
}

impl Backend for Sqlite {
    type Tx = SqliteTx;

    async fn begin(&self) -> Result<SqliteTx> {
        SqliteTx::begin(self.pool.acquire().await?)
    }

    async fn begin_schema_change(&self) -> Result<SqliteTx> {
        SqliteTx::begin_schema_change(self.pool.acquire().await?)
    }

    async fn commit(tx: SqliteTx) -> Result<()> {
        tx.commit()
    }

    async fn rollback(tx: SqliteTx) -> Result<()> {
        tx.rollback()
    }
}
