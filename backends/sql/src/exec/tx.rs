//! An open transaction of a sqlx backend.

use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::{self, BoxStream};
use keyway::{
    Access, Decoder, DeleteStmt, Error, Executor, InsertStmt, Result, SelectStmt, Supports,
    TableDef, UpdateStmt, Value,
};

use super::SqlxDriver;
use super::run;
use crate::Dialect;

/// An open transaction on one pooled connection; used through
/// `Db<Transaction<_>>`. Dropped without commit, it rolls back.
#[derive(Debug)]
pub struct SqlxTx<D: SqlxDriver> {
    tx: Mutex<sqlx::Transaction<'static, D::Database>>,
    driver: D,
}

fn ended(e: sqlx::Error) -> Error {
    Error::Connection(Box::new(e))
}

impl<D: SqlxDriver> SqlxTx<D> {
    pub(crate) fn new(tx: sqlx::Transaction<'static, D::Database>, driver: D) -> Self {
        SqlxTx {
            tx: Mutex::new(tx),
            driver,
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.into_inner().commit().await.map_err(ended)
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        self.tx.into_inner().rollback().await.map_err(ended)
    }
}

/// SQL runs every access path, inside a transaction too.
impl<A: Access, D: SqlxDriver> Supports<A> for SqlxTx<D> {}

impl<D: SqlxDriver> Executor for SqlxTx<D> {
    const SYSTEM: &'static str = D::Dialect::NAME;

    /// Inside a transaction the rows are read in full first: the connection is
    /// shared by every statement of the transaction.
    fn fetch<'a, Dec: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: Dec,
    ) -> BoxStream<'a, Result<Dec::Output>> {
        stream::once(self.fetch_all(stmt, decoder))
            .flat_map(|rows| match rows {
                Ok(rows) => stream::iter(rows.into_iter().map(Ok)).left_stream(),
                Err(e) => stream::iter([Err(e)]).right_stream(),
            })
            .boxed()
    }

    async fn fetch_all<Dec: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut tx = self.tx.lock().await;
        run::fetch_all::<D, Dec>(&mut tx, stmt, decoder).await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut tx = self.tx.lock().await;
        run::count::<D>(&mut tx, stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut tx = self.tx.lock().await;
        run::insert(&self.driver, &mut tx, stmt).await
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut tx = self.tx.lock().await;
        run::update::<D>(&mut tx, stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut tx = self.tx.lock().await;
        run::delete::<D>(&mut tx, stmt).await
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let mut tx = self.tx.lock().await;
        run::create_table::<D>(&mut tx, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let mut tx = self.tx.lock().await;
        run::drop_table::<D>(&mut tx, table).await
    }
}
