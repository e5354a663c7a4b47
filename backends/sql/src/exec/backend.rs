//! The pooled backend every driver shares.

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use keyway::{
    Backend, Db, Decoder, DeleteStmt, Entity, Executor, InsertStmt, Result, RowLocks, SelectStmt,
    SupportsEveryPath, TableDef, UpdateStmt, UpsertStmt, Value,
};

use keyway::migrate::{Change, SchemaChanges};

use super::pool::Pool;
use super::run::{self, prepare};
use super::stream::pool_rows;
use super::{Driver, PooledConn, SqlOptions, SqlReader, SqlTx};
use crate::Dialect;

/// A pool of connections run by driver `D`; used as `Db<Postgres>` /
/// `Db<MySql>` through the backends' aliases.
#[derive(Debug)]
pub struct SqlBackend<D: Driver> {
    pool: Pool<D>,
    driver: D,
}

impl<D: Driver> Clone for SqlBackend<D> {
    fn clone(&self) -> Self {
        SqlBackend {
            pool: self.pool.clone(),
            driver: self.driver.clone(),
        }
    }
}

/// SQL runs every access path, scans included.
impl<D: Driver> SupportsEveryPath for SqlBackend<D> {}

/// Its transactions lock rows where the dialect has row locks
/// (PostgreSQL, MySQL).
impl<D: Driver> RowLocks for SqlBackend<D> where D::Dialect: crate::RowLocking {}

impl<D: Driver> SqlBackend<D> {
    pub(crate) fn new(pool: Pool<D>, driver: D) -> Self {
        SqlBackend { pool, driver }
    }

    /// Opens `url` with default options (see [`SqlOptions::new`]).
    pub async fn connect(url: &str) -> Result<Db<Self>> {
        SqlOptions::<D>::new(url).connect().await
    }

    /// A connection of the pool, for raw SQL beside keyway: it derefs to the
    /// driver's connection (with sqlx: `sqlx::query(..).execute(&mut *conn)`)
    /// and goes back to the pool when dropped (see [`PooledConn`]).
    pub async fn acquire(&self) -> Result<PooledConn<D>> {
        self.pool.acquire().await
    }

    /// Closes the pool: idle connections now, busy ones as they are given
    /// back; every later statement is `Error::Connection`.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Connections idle in the pool now, ready for the next statement.
    pub fn idle_connections(&self) -> usize {
        self.pool.idle_count()
    }

    /// What the driver learnt about the server when connecting.
    pub fn driver(&self) -> &D {
        &self.driver
    }
}

impl<D: Driver> Executor for SqlBackend<D> {
    const SYSTEM: &'static str = D::Dialect::NAME;

    fn fetch<'a, Dec: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: Dec,
    ) -> BoxStream<'a, Result<Dec::Output>> {
        let lowered = crate::select::<D::Dialect>(&stmt);
        let (sql, args) = match prepare::<D>(&stmt.table, lowered) {
            Ok(prepared) => prepared,
            Err(e) => return futures::stream::once(async { Err(e) }).boxed(),
        };
        pool_rows::<D>(self.pool.clone(), stmt.table, sql, args)
            .and_then(move |row| {
                futures::future::ready(decoder.decode(&mut SqlReader::<D>::new(&row, &stmt)))
            })
            .boxed()
    }

    async fn fetch_all<Dec: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut conn = self.acquire().await?;
        let result = run::fetch_all::<D, Dec>(&mut conn, stmt, decoder).await;
        conn.give_back(result)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut conn = self.acquire().await?;
        let result = run::count::<D>(&mut conn, stmt).await;
        conn.give_back(result)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut conn = self.acquire().await?;
        let result = run::insert(&self.driver, &mut conn, stmt).await;
        conn.give_back(result)
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        let mut conn = self.acquire().await?;
        let result = self.driver.fetch_by_key::<E>(&mut conn, key).await;
        conn.give_back(result)
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        let mut conn = self.acquire().await?;
        let result = self.driver.insert_entities(&mut conn, entities).await;
        conn.give_back(result)
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        let mut conn = self.acquire().await?;
        let result = run::insert_with_keys(&self.driver, &mut conn, stmt).await;
        conn.give_back(result)
    }

    /// An upsert that reports its inserts where the statement cannot say
    /// them runs row by row ([`keyway::upsert_by_row`]) in a transaction.
    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        if stmt.report && <D::Dialect as Dialect>::UPSERT_INSERTED.is_none() {
            let tx = self.begin().await?;
            let inserted = keyway::upsert_by_row(&tx, stmt).await?;
            tx.commit().await?;
            return Ok(inserted);
        }
        let mut conn = self.acquire().await?;
        let result = run::upsert::<D>(&mut conn, stmt).await;
        conn.give_back(result)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut conn = self.acquire().await?;
        let result = run::update::<D>(&mut conn, stmt).await;
        conn.give_back(result)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut conn = self.acquire().await?;
        let result = run::delete::<D>(&mut conn, stmt).await;
        conn.give_back(result)
    }

    async fn update_returning<Dec: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut conn = self.acquire().await?;
        let result = super::returning::update(&self.driver, &mut conn, stmt, decoder).await;
        conn.give_back(result)
    }

    async fn delete_returning<Dec: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut conn = self.acquire().await?;
        let result = super::returning::delete(&self.driver, &mut conn, stmt, decoder).await;
        conn.give_back(result)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.acquire().await?;
        let result = run::create_table::<D>(&mut conn, table).await;
        conn.give_back(result)
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.acquire().await?;
        let result = run::drop_table::<D>(&mut conn, table).await;
        conn.give_back(result)
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        Ok(crate::declared_table::<D::Dialect>(table))
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        let mut conn = self.acquire().await?;
        let result = super::introspect::describe_table::<D>(&mut conn, &table).await;
        conn.give_back(result)
    }

    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        crate::portable_type::<D::Dialect>(catalog)
    }

    fn schema_changes(&self) -> SchemaChanges {
        schema_changes::<D::Dialect>()
    }

    fn render_change(&self, change: &Change<'_>) -> Result<Vec<String>> {
        crate::render_change::<D::Dialect>(change)
    }

    /// A table SQLite's way rebuilds is rebuilt in a migration's
    /// transaction of its own (see [`Driver::begin_schema_change`]).
    async fn apply_change(&self, change: &Change<'_>) -> Result<()> {
        if <D::Dialect as Dialect>::ALTER == crate::AlterSyntax::Sqlite {
            let tx = self.begin_schema_change().await?;
            tx.apply_change(change).await?;
            return tx.commit().await;
        }
        let mut conn = self.acquire().await?;
        let result = super::migrate::apply::<D>(&mut conn, change).await;
        conn.give_back(result)
    }

    /// A pool has no connection to hold a lock on: take it in a
    /// transaction.
    async fn lock_migrations(&self) -> Result<()> {
        Err(keyway::Error::Invalid {
            what: "migration",
            detail: "the migration lock is taken in a transaction, which holds its connection"
                .into(),
        })
    }
}

/// How dialect `D` applies a migration: PostgreSQL and SQLite in a
/// transaction; MySQL, whose DDL commits, one step at a time.
pub(crate) fn schema_changes<D: Dialect>() -> SchemaChanges {
    match D::ALTER {
        crate::AlterSyntax::MySql => SchemaChanges::OneByOne,
        _ => SchemaChanges::Transactional,
    }
}

impl<D: Driver> Backend for SqlBackend<D> {
    type Tx = SqlTx<D>;

    async fn begin(&self) -> Result<SqlTx<D>> {
        SqlTx::begin(self.acquire().await?, self.driver.clone()).await
    }

    async fn begin_schema_change(&self) -> Result<SqlTx<D>> {
        SqlTx::begin_schema_change(self.acquire().await?, self.driver.clone()).await
    }

    async fn commit(tx: SqlTx<D>) -> Result<()> {
        tx.commit().await
    }

    async fn rollback(tx: SqlTx<D>) -> Result<()> {
        tx.rollback().await
    }
}
