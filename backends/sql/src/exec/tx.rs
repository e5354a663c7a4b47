//! An open transaction of a pooled backend.

use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::{self, BoxStream};
use keyway::{
    Decoder, DeleteStmt, Entity, Error, Executor, InsertStmt, Result, SelectStmt,
    SupportsEveryPath, TableDef, UpdateStmt, UpsertStmt, Value,
};

use keyway::migrate::{Change, SchemaChanges};

use super::{Driver, PooledConn, run};
use crate::Dialect;

/// An open transaction on one pooled connection; used through
/// `Db<Transaction<_>>`. Dropped without commit, it rolls back (the
/// connection's way back to the pool sends the `ROLLBACK`).
#[derive(Debug)]
pub struct SqlTx<D: Driver> {
    conn: Mutex<PooledConn<D>>,
    driver: D,
    /// A migration's transaction, ended by the driver's
    /// [`end_schema_change`](Driver::end_schema_change).
    schema_change: bool,
}

fn ended<D: Driver>(e: D::Error) -> Error {
    Error::Connection(Box::new(e))
}

/// What a transaction's own statements are reported on.
pub(crate) const TRANSACTION: TableDef = TableDef {
    entity: "transaction",
    name: "",
    columns: &[],
    indexes: &[],
    foreign_keys: &[],
    layout: None,
};

impl<D: Driver> SqlTx<D> {
    pub(crate) async fn begin(mut conn: PooledConn<D>, driver: D) -> Result<Self> {
        if let Err(e) = D::begin(&mut conn).await {
            return conn.give_back(Err(ended::<D>(e)));
        }
        Ok(SqlTx {
            conn: Mutex::new(conn),
            driver,
            schema_change: false,
        })
    }

    /// The transaction a migration runs in (see
    /// [`Driver::begin_schema_change`]).
    pub(crate) async fn begin_schema_change(mut conn: PooledConn<D>, driver: D) -> Result<Self> {
        if let Err(e) = D::begin_schema_change(&mut conn).await {
            let e = D::map_error(e, &TRANSACTION);
            return conn.give_back(Err(e));
        }
        Ok(SqlTx {
            conn: Mutex::new(conn),
            driver,
            schema_change: true,
        })
    }

    pub(crate) async fn commit(self) -> Result<()> {
        let mut conn = self.conn.into_inner();
        if self.schema_change {
            let result = D::end_schema_change(&mut conn, true).await;
            return conn.give_back(result);
        }
        // The server may refuse a commit and keep the connection (a
        // serialization failure under SERIALIZABLE, a deferred constraint):
        // mapped as a statement's error, a lost connection stays one.
        let result = D::commit(&mut conn)
            .await
            .map_err(|e| D::map_error(e, &TRANSACTION));
        conn.give_back(result)
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        let mut conn = self.conn.into_inner();
        if self.schema_change {
            let result = D::end_schema_change(&mut conn, false).await;
            return conn.give_back(result);
        }
        let result = D::rollback(&mut conn).await.map_err(ended::<D>);
        conn.give_back(result)
    }
}

/// SQL runs every access path, inside a transaction too.
impl<D: Driver> SupportsEveryPath for SqlTx<D> {}

impl<D: Driver> Executor for SqlTx<D> {
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
        let mut conn = self.conn.lock().await;
        run::fetch_all::<D, Dec>(&mut conn, stmt, decoder).await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut conn = self.conn.lock().await;
        run::count::<D>(&mut conn, stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut conn = self.conn.lock().await;
        run::insert(&self.driver, &mut conn, stmt).await
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        let mut conn = self.conn.lock().await;
        self.driver.fetch_by_key::<E>(&mut conn, key).await
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        let mut conn = self.conn.lock().await;
        self.driver.insert_entities(&mut conn, entities).await
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        let mut conn = self.conn.lock().await;
        run::insert_with_keys(&self.driver, &mut conn, stmt).await
    }

    /// An upsert that reports its inserts where the statement cannot say
    /// them runs row by row ([`keyway::upsert_by_row`]) in the transaction.
    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        if stmt.report && <D::Dialect as Dialect>::UPSERT_INSERTED.is_none() {
            return keyway::upsert_by_row(self, stmt).await;
        }
        let mut conn = self.conn.lock().await;
        run::upsert::<D>(&mut conn, stmt).await
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut conn = self.conn.lock().await;
        run::update::<D>(&mut conn, stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut conn = self.conn.lock().await;
        run::delete::<D>(&mut conn, stmt).await
    }

    async fn update_returning<Dec: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut conn = self.conn.lock().await;
        super::returning::update(&self.driver, &mut conn, stmt, decoder).await
    }

    async fn delete_returning<Dec: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: Dec,
    ) -> Result<Vec<Dec::Output>> {
        let mut conn = self.conn.lock().await;
        super::returning::delete(&self.driver, &mut conn, stmt, decoder).await
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.conn.lock().await;
        run::create_table::<D>(&mut conn, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.conn.lock().await;
        run::drop_table::<D>(&mut conn, table).await
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        Ok(crate::declared_table::<D::Dialect>(table))
    }

    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        crate::portable_type::<D::Dialect>(catalog)
    }

    fn schema_changes(&self) -> SchemaChanges {
        super::backend::schema_changes::<D::Dialect>()
    }

    fn render_change(&self, change: &Change<'_>) -> Result<Vec<String>> {
        crate::render_change::<D::Dialect>(change)
    }

    async fn apply_change(&self, change: &Change<'_>) -> Result<()> {
        super::migrate::apply::<D>(&mut *self.conn.lock().await, change).await
    }

    /// A lock the connection holds past the transaction (MySQL's) closes
    /// the connection at the end unless given back first, so that a run
    /// cancelled part way does not leave it held in the pool.
    async fn lock_migrations(&self) -> Result<()> {
        let mut conn = self.conn.lock().await;
        // Set before asking: a run cancelled while it waits may be granted
        // the lock as the connection goes.
        let held_past_the_transaction = <D::Dialect as Dialect>::MIGRATION_UNLOCK.is_some();
        conn.close_when_done(held_past_the_transaction);
        let locked = super::migrate::lock::<D>(&mut conn).await;
        if locked.is_err() {
            conn.close_when_done(false);
        }
        locked
    }

    async fn unlock_migrations(&self) -> Result<()> {
        let mut conn = self.conn.lock().await;
        super::migrate::unlock::<D>(&mut conn).await?;
        conn.close_when_done(false);
        Ok(())
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        let mut conn = self.conn.lock().await;
        super::introspect::describe_table::<D>(&mut conn, &table).await
    }
}
