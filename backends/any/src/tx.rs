//! `AnyTx`: an open transaction of whichever backend was picked.

use futures::stream::BoxStream;
use keyway::{
    Backend, Decoder, DeleteStmt, Entity, Executor, Indexed, InsertStmt, Result, Scan, SelectStmt,
    Supports, TableDef, UpdateStmt, UpsertStmt, Value,
};
use keyway_dynamodb::DynamoDb;
use keyway_mysql::MySql;
use keyway_postgres::Postgres;
use keyway_sqlite::Sqlite;
#[cfg(feature = "turso")]
use keyway_turso::Turso;

use crate::dispatch::dispatch;

/// An open transaction of an [`AnyBackend`](crate::AnyBackend), used through
/// `Db<Transaction<AnyBackend>>`.
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyTx {
    /// A SQLite transaction.
    Sqlite(<Sqlite as Backend>::Tx),
    /// A Turso transaction.
    #[cfg(feature = "turso")]
    Turso(<Turso as Backend>::Tx),
    /// A PostgreSQL transaction.
    Postgres(<Postgres as Backend>::Tx),
    /// A MySQL / MariaDB transaction.
    MySql(<MySql as Backend>::Tx),
    /// A DynamoDB transaction (writes buffered into one TransactWriteItems).
    DynamoDb(<DynamoDb as Backend>::Tx),
}

impl Supports<Indexed> for AnyTx {}
impl Supports<Scan> for AnyTx {}

impl Executor for AnyTx {
    const SYSTEM: &'static str = "any";

    fn system(&self) -> &'static str {
        dispatch!(self, AnyTx, t => t.system())
    }

    fn orders_includes(&self) -> bool {
        dispatch!(self, AnyTx, t => t.orders_includes())
    }

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        dispatch!(self, AnyTx, t => t.fetch(stmt, decoder))
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        dispatch!(self, AnyTx, t => t.fetch_all(stmt, decoder).await)
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        dispatch!(self, AnyTx, t => t.fetch_by_key::<E>(key).await)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        dispatch!(self, AnyTx, t => t.count(stmt).await)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        dispatch!(self, AnyTx, t => t.insert(stmt).await)
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        dispatch!(self, AnyTx, t => t.insert_with_keys(stmt).await)
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        dispatch!(self, AnyTx, t => t.insert_entities(entities).await)
    }

    async fn save_entity<E: Entity>(&self, entity: &E) -> Result<u64> {
        dispatch!(self, AnyTx, t => t.save_entity(entity).await)
    }

    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        dispatch!(self, AnyTx, t => t.upsert(stmt).await)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        dispatch!(self, AnyTx, t => t.update(stmt).await)
    }

    async fn check(&self, stmt: UpdateStmt) -> Result<u64> {
        dispatch!(self, AnyTx, t => t.check(stmt).await)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        dispatch!(self, AnyTx, t => t.delete(stmt).await)
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        dispatch!(self, AnyTx, t => t.update_returning(stmt, decoder).await)
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        dispatch!(self, AnyTx, t => t.delete_returning(stmt, decoder).await)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        dispatch!(self, AnyTx, t => t.create_table(table).await)
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        dispatch!(self, AnyTx, t => t.drop_table(table).await)
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        dispatch!(self, AnyTx, t => t.declared_table(table))
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        dispatch!(self, AnyTx, t => t.describe_table(table).await)
    }
    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        dispatch!(self, AnyTx, t => t.portable_type(catalog))
    }

    fn schema_changes(&self) -> keyway::migrate::SchemaChanges {
        dispatch!(self, AnyTx, t => t.schema_changes())
    }

    fn render_change(&self, change: &keyway::migrate::Change<'_>) -> Result<Vec<String>> {
        dispatch!(self, AnyTx, t => t.render_change(change))
    }

    async fn apply_change(&self, change: &keyway::migrate::Change<'_>) -> Result<()> {
        dispatch!(self, AnyTx, t => t.apply_change(change).await)
    }

    async fn lock_migrations(&self) -> Result<()> {
        dispatch!(self, AnyTx, t => t.lock_migrations().await)
    }

    async fn unlock_migrations(&self) -> Result<()> {
        dispatch!(self, AnyTx, t => t.unlock_migrations().await)
    }
}
