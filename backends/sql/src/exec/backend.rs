//! The pooled backend every sqlx driver shares.

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use keyway::{
    Access, Backend, Db, Decoder, DeleteStmt, Error, Executor, InsertStmt, Result, SelectStmt,
    Supports, TableDef, UpdateStmt, Value,
};
use sqlx::pool::PoolConnection;

use super::run::{self, prepare};
use super::stream::pool_rows;
use super::{SqlxDriver, SqlxOptions, SqlxReader, SqlxTx, map_error};
use crate::Dialect;

/// A pool of sqlx connections run by driver `D`; used as `Db<Postgres>` /
/// `Db<MySql>` through the backends' aliases.
#[derive(Debug)]
pub struct SqlxBackend<D: SqlxDriver> {
    pool: sqlx::Pool<D::Database>,
    driver: D,
}

impl<D: SqlxDriver> Clone for SqlxBackend<D> {
    fn clone(&self) -> Self {
        SqlxBackend {
            pool: self.pool.clone(),
            driver: self.driver.clone(),
        }
    }
}

/// SQL runs every access path, scans included.
impl<A: Access, D: SqlxDriver> Supports<A> for SqlxBackend<D> {}

impl<D: SqlxDriver> SqlxBackend<D> {
    /// A backend over an open pool, with what the driver learnt about the server.
    pub fn new(pool: sqlx::Pool<D::Database>, driver: D) -> Self {
        SqlxBackend { pool, driver }
    }

    /// Opens `url` with default options (see [`SqlxOptions::new`]).
    pub async fn connect(url: &str) -> Result<Db<Self>> {
        SqlxOptions::<D>::new(url).connect().await
    }

    /// The sqlx pool, for raw SQL beside keyway.
    pub fn pool(&self) -> &sqlx::Pool<D::Database> {
        &self.pool
    }

    /// What the driver learnt about the server when connecting.
    pub fn driver(&self) -> &D {
        &self.driver
    }

    async fn conn(&self, table: &TableDef) -> Result<PoolConnection<D::Database>> {
        self.pool
            .acquire()
            .await
            .map_err(|e| map_error::<D>(e, table))
    }
}

impl<D: SqlxDriver> Executor for SqlxBackend<D> {
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
        let table = stmt.table;
        pool_rows::<D>(self.pool.clone(), sql, args)
            .map_err(move |e| map_error::<D>(e, &table))
            .and_then(move |row| {
                futures::future::ready(decoder.decode(&mut SqlxReader::<D>::new(&row, &stmt)))
            })
            .boxed()
    }

    async fn fetch_all<Dec: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut conn = self.conn(&stmt.table).await?;
        run::fetch_all::<D, Dec>(&mut conn, stmt, decoder).await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut conn = self.conn(&stmt.table).await?;
        run::count::<D>(&mut conn, stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut conn = self.conn(&stmt.table).await?;
        run::insert(&self.driver, &mut conn, stmt).await
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut conn = self.conn(&stmt.table).await?;
        run::update::<D>(&mut conn, stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut conn = self.conn(&stmt.table).await?;
        run::delete::<D>(&mut conn, stmt).await
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.conn(&table).await?;
        run::create_table::<D>(&mut conn, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.conn(&table).await?;
        run::drop_table::<D>(&mut conn, table).await
    }
}

impl<D: SqlxDriver> Backend for SqlxBackend<D> {
    type Tx = SqlxTx<D>;

    async fn begin(&self) -> Result<SqlxTx<D>> {
        let tx = self
            .pool
            .begin()
            .await
            .map_err(|e| Error::Connection(Box::new(e)))?;
        Ok(SqlxTx::new(tx, self.driver.clone()))
    }

    async fn commit(tx: SqlxTx<D>) -> Result<()> {
        tx.commit().await
    }

    async fn rollback(tx: SqlxTx<D>) -> Result<()> {
        tx.rollback().await
    }
}
