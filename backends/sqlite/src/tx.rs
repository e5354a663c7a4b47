//! An open SQLite transaction.

use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::{self, BoxStream};
use keyway::{
    Access, Decoder, DeleteStmt, Error, Executor, InsertStmt, Result, SelectStmt, Supports,
    TableDef, UpdateStmt, Value,
};

use crate::exec;

/// An open transaction on one pooled connection; used through
/// `Db<Transaction<Sqlite>>`. Dropped without commit, it rolls back.
#[derive(Debug)]
pub struct SqliteTx {
    tx: Mutex<sqlx::Transaction<'static, sqlx::Sqlite>>,
}

fn ended(e: sqlx::Error) -> Error {
    Error::Connection(Box::new(e))
}

impl SqliteTx {
    pub(crate) fn new(tx: sqlx::Transaction<'static, sqlx::Sqlite>) -> Self {
        SqliteTx { tx: Mutex::new(tx) }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.into_inner().commit().await.map_err(ended)
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        self.tx.into_inner().rollback().await.map_err(ended)
    }
}

/// SQL runs every access path, inside a transaction too.
impl<A: Access> Supports<A> for SqliteTx {}

impl Executor for SqliteTx {
    const SYSTEM: &'static str = "sqlite";

    /// Inside a transaction the rows are read in full first: the connection is
    /// shared by every statement of the transaction.
    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        stream::once(self.fetch_all(stmt, decoder))
            .flat_map(|rows| match rows {
                Ok(rows) => stream::iter(rows.into_iter().map(Ok)).left_stream(),
                Err(e) => stream::iter([Err(e)]).right_stream(),
            })
            .boxed()
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        let mut tx = self.tx.lock().await;
        exec::fetch_all(&mut tx, stmt, decoder).await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut tx = self.tx.lock().await;
        exec::count(&mut tx, stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut tx = self.tx.lock().await;
        exec::insert(&mut tx, stmt).await
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut tx = self.tx.lock().await;
        exec::update(&mut tx, stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut tx = self.tx.lock().await;
        exec::delete(&mut tx, stmt).await
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let mut tx = self.tx.lock().await;
        exec::create_table(&mut tx, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let mut tx = self.tx.lock().await;
        exec::drop_table(&mut tx, table).await
    }
}
