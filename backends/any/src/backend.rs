//! `AnyBackend`: one of the backends, picked from a URL.

use futures::stream::BoxStream;
use keyway::{
    Backend, Db, Decoder, DeleteStmt, Entity, Error, Executor, Indexed, InsertStmt, Result, Scan,
    SelectStmt, Supports, TableDef, UpdateStmt, UpsertStmt, Value,
};
use keyway_dynamodb::DynamoDb;
use keyway_mysql::MySql;
use keyway_postgres::Postgres;
use keyway_sqlite::Sqlite;
#[cfg(feature = "turso")]
use keyway_turso::Turso;

use crate::AnyTx;
use crate::dispatch::dispatch;

/// A backend chosen at run time. Use it as `Db<AnyBackend>`, opened by [`connect`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AnyBackend {
    /// SQLite (`sqlite::memory:`, `sqlite://file.db`).
    Sqlite(Sqlite),
    /// Turso (`turso::memory:`, `turso://file.db`), with the `turso` feature.
    #[cfg(feature = "turso")]
    Turso(Turso),
    /// PostgreSQL (`postgres://`, `postgresql://`).
    Postgres(Postgres),
    /// MySQL or MariaDB (`mysql://`, `mariadb://`).
    MySql(MySql),
    /// DynamoDB (`dynamodb://host:port?region=..`).
    DynamoDb(DynamoDb),
}

/// What every backend can run: keys, indexes and explicit scans.
impl Supports<Indexed> for AnyBackend {}
impl Supports<Scan> for AnyBackend {}

/// Opens the database `url` names: `sqlite:...`, `turso:...` (with the
/// `turso` feature), `postgres://...`,
/// `postgresql://...`, `mysql://...`, `mariadb://...` or `dynamodb://...`.
/// Each backend is opened with its defaults and the connection options its
/// URL carries (TLS modes, timeouts where the backend reads them from the
/// URL); pool sizes and other settings are set by opening that backend
/// directly (`SqliteOptions`, `TursoOptions`, `PostgresOptions`, `MySqlOptions`,
/// `DynamoDbOptions`).
pub async fn connect(url: &str) -> Result<Db<AnyBackend>> {
    let scheme = url.split(':').next().unwrap_or_default();
    let backend = match scheme {
        "sqlite" => AnyBackend::Sqlite(Sqlite::connect(url).await?.executor().clone()),
        #[cfg(feature = "turso")]
        "turso" => AnyBackend::Turso(Turso::connect(url).await?.executor().clone()),
        #[cfg(not(feature = "turso"))]
        "turso" => {
            return Err(Error::Unsupported {
                backend: "any",
                detail: "a turso: URL needs keyway-any's `turso` feature".into(),
            });
        }
        "postgres" | "postgresql" => {
            AnyBackend::Postgres(Postgres::connect(url).await?.executor().clone())
        }
        "mysql" | "mariadb" => {
            let url = url.replacen("mariadb:", "mysql:", 1);
            AnyBackend::MySql(MySql::connect(&url).await?.executor().clone())
        }
        "dynamodb" => AnyBackend::DynamoDb(DynamoDb::connect(url).await?.executor().clone()),
        other => {
            return Err(Error::Invalid {
                what: "database URL",
                detail: format!(
                    "unknown scheme {other:?}: expected sqlite, turso, postgres, postgresql, mysql, mariadb or dynamodb"
                ),
            });
        }
    };
    Ok(Db::new(backend))
}

impl Executor for AnyBackend {
    const SYSTEM: &'static str = "any";

    fn system(&self) -> &'static str {
        dispatch!(self, AnyBackend, b => b.system())
    }

    fn orders_includes(&self) -> bool {
        dispatch!(self, AnyBackend, b => b.orders_includes())
    }

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        dispatch!(self, AnyBackend, b => b.fetch(stmt, decoder))
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        dispatch!(self, AnyBackend, b => b.fetch_all(stmt, decoder).await)
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        dispatch!(self, AnyBackend, b => b.fetch_by_key::<E>(key).await)
    }

    async fn fetch_collection<D: Decoder>(
        &self,
        stmt: SelectStmt,
        decoder: D,
        links: &[Option<keyway::CollectionLink>],
    ) -> Result<keyway::Collected<D>> {
        dispatch!(self, AnyBackend, b => b.fetch_collection(stmt, decoder, links).await)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        dispatch!(self, AnyBackend, b => b.count(stmt).await)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        dispatch!(self, AnyBackend, b => b.insert(stmt).await)
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        dispatch!(self, AnyBackend, b => b.insert_with_keys(stmt).await)
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        dispatch!(self, AnyBackend, b => b.insert_entities(entities).await)
    }

    async fn save_entity<E: Entity>(&self, entity: &E) -> Result<u64> {
        dispatch!(self, AnyBackend, b => b.save_entity(entity).await)
    }

    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        dispatch!(self, AnyBackend, b => b.upsert(stmt).await)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        dispatch!(self, AnyBackend, b => b.update(stmt).await)
    }

    async fn check(&self, stmt: UpdateStmt) -> Result<u64> {
        dispatch!(self, AnyBackend, b => b.check(stmt).await)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        dispatch!(self, AnyBackend, b => b.delete(stmt).await)
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        dispatch!(self, AnyBackend, b => b.update_returning(stmt, decoder).await)
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        dispatch!(self, AnyBackend, b => b.delete_returning(stmt, decoder).await)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        dispatch!(self, AnyBackend, b => b.create_table(table).await)
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        dispatch!(self, AnyBackend, b => b.drop_table(table).await)
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        dispatch!(self, AnyBackend, b => b.declared_table(table))
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        dispatch!(self, AnyBackend, b => b.describe_table(table).await)
    }
    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        dispatch!(self, AnyBackend, b => b.portable_type(catalog))
    }

    fn schema_changes(&self) -> keyway::migrate::SchemaChanges {
        dispatch!(self, AnyBackend, b => b.schema_changes())
    }

    fn render_change(&self, change: &keyway::migrate::Change<'_>) -> Result<Vec<String>> {
        dispatch!(self, AnyBackend, b => b.render_change(change))
    }

    async fn apply_change(&self, change: &keyway::migrate::Change<'_>) -> Result<()> {
        dispatch!(self, AnyBackend, b => b.apply_change(change).await)
    }

    async fn lock_migrations(&self) -> Result<()> {
        dispatch!(self, AnyBackend, b => b.lock_migrations().await)
    }

    async fn unlock_migrations(&self) -> Result<()> {
        dispatch!(self, AnyBackend, b => b.unlock_migrations().await)
    }
}

impl Backend for AnyBackend {
    type Tx = AnyTx;

    async fn fetch_together(&self, reads: Vec<keyway::KeyRead>) -> Result<Vec<Option<Vec<Value>>>> {
        dispatch!(self, AnyBackend, b => b.fetch_together(reads).await)
    }

    async fn begin(&self) -> Result<AnyTx> {
        Ok(match self {
            AnyBackend::Sqlite(b) => AnyTx::Sqlite(b.begin().await?),
            #[cfg(feature = "turso")]
            AnyBackend::Turso(b) => AnyTx::Turso(b.begin().await?),
            AnyBackend::Postgres(b) => AnyTx::Postgres(b.begin().await?),
            AnyBackend::MySql(b) => AnyTx::MySql(b.begin().await?),
            AnyBackend::DynamoDb(b) => AnyTx::DynamoDb(b.begin().await?),
        })
    }

    async fn begin_schema_change(&self) -> Result<AnyTx> {
        Ok(match self {
            AnyBackend::Sqlite(b) => AnyTx::Sqlite(b.begin_schema_change().await?),
            #[cfg(feature = "turso")]
            AnyBackend::Turso(b) => AnyTx::Turso(b.begin_schema_change().await?),
            AnyBackend::Postgres(b) => AnyTx::Postgres(b.begin_schema_change().await?),
            AnyBackend::MySql(b) => AnyTx::MySql(b.begin_schema_change().await?),
            AnyBackend::DynamoDb(b) => AnyTx::DynamoDb(b.begin_schema_change().await?),
        })
    }

    async fn commit(tx: AnyTx) -> Result<()> {
        match tx {
            AnyTx::Sqlite(t) => Sqlite::commit(t).await,
            #[cfg(feature = "turso")]
            AnyTx::Turso(t) => Turso::commit(t).await,
            AnyTx::Postgres(t) => Postgres::commit(t).await,
            AnyTx::MySql(t) => MySql::commit(t).await,
            AnyTx::DynamoDb(t) => DynamoDb::commit(t).await,
        }
    }

    async fn rollback(tx: AnyTx) -> Result<()> {
        match tx {
            AnyTx::Sqlite(t) => Sqlite::rollback(t).await,
            #[cfg(feature = "turso")]
            AnyTx::Turso(t) => Turso::rollback(t).await,
            AnyTx::Postgres(t) => Postgres::rollback(t).await,
            AnyTx::MySql(t) => MySql::rollback(t).await,
            AnyTx::DynamoDb(t) => DynamoDb::rollback(t).await,
        }
    }
}
