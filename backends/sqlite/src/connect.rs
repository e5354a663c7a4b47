//! The pooled SQLite backend and how to open it.

use std::str::FromStr;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use keyway::{
    Access, Backend, Db, Decoder, DeleteStmt, Error, Executor, InsertStmt, Result, SelectStmt,
    Supports, TableDef, UpdateStmt, Value,
};
use sqlx::SqlitePool;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::reader::SqliteReader;
use crate::stream::OwnedRows;
use crate::{SqliteTx, errors, exec};

/// The SQLite backend: a pool of sqlx connections. Use it as `Db<Sqlite>`.
#[derive(Debug, Clone)]
pub struct Sqlite {
    pool: SqlitePool,
}

/// SQL runs every access path, scans included.
impl<A: Access> Supports<A> for Sqlite {}

/// How to open a SQLite database.
///
/// ```
/// use std::time::Duration;
/// use keyway_sqlite::SqliteOptions;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// let db = SqliteOptions::new("sqlite::memory:")
///     .max_connections(2)
///     .acquire_timeout(Duration::from_secs(1))
///     .connect()
///     .await?;
/// # let _ = db;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    url: String,
    max_connections: u32,
    acquire_timeout: Duration,
}

impl SqliteOptions {
    /// Options for `url`: `sqlite::memory:`, `sqlite://path.db` (created if
    /// missing), or `sqlite://path.db?mode=ro`.
    pub fn new(url: impl Into<String>) -> Self {
        SqliteOptions {
            url: url.into(),
            max_connections: 4,
            acquire_timeout: Duration::from_secs(30),
        }
    }

    /// The most connections the pool opens (default 4).
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// How long to wait for a free connection before `Error::Timeout` (default 30 s).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// Opens the database.
    pub async fn connect(self) -> Result<Db<Sqlite>> {
        let invalid = |e: sqlx::Error| Error::Invalid {
            what: "SQLite URL",
            detail: e.to_string(),
        };
        let options = SqliteConnectOptions::from_str(&self.url)
            .map_err(invalid)?
            .create_if_missing(true);
        let memory = self.url.contains(":memory:") || self.url.contains("mode=memory");
        // No ping before each statement: for SQLite it is one more hand-off to
        // the connection's worker thread, and an embedded database cannot drop
        // a connection the way a server can (about 30 % of a lookup).
        let mut pool = SqlitePoolOptions::new()
            .max_connections(self.max_connections)
            .acquire_timeout(self.acquire_timeout)
            .test_before_acquire(false);
        if memory {
            // An in-memory database lives only while a connection is open.
            pool = pool
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        }
        let pool = pool
            .connect_with(options)
            .await
            .map_err(|e| Error::Connection(Box::new(e)))?;
        Ok(Db::new(Sqlite { pool }))
    }
}

impl Sqlite {
    /// Opens `url` with default options (see [`SqliteOptions::new`]).
    pub async fn connect(url: &str) -> Result<Db<Sqlite>> {
        SqliteOptions::new(url).connect().await
    }

    /// A new private in-memory database.
    pub async fn memory() -> Result<Db<Sqlite>> {
        Self::connect("sqlite::memory:").await
    }

    /// The sqlx pool, for raw SQL beside keyway.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    async fn conn(&self, table: &TableDef) -> Result<PoolConnection<sqlx::Sqlite>> {
        self.pool.acquire().await.map_err(|e| errors::map(e, table))
    }
}

impl Executor for Sqlite {
    const SYSTEM: &'static str = "sqlite";

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        let lowered = keyway_sql::select::<keyway_sql::Sqlite>(&stmt);
        let (sql, args) = match exec::prepare(&stmt.table, lowered) {
            Ok(prepared) => prepared,
            Err(e) => return futures::stream::once(async { Err(e) }).boxed(),
        };
        let table = stmt.table;
        OwnedRows::start(self.pool.clone(), sql, args)
            .map_err(move |e| errors::map(e, &table))
            .and_then(move |row| {
                futures::future::ready(decoder.decode(&mut SqliteReader::new(&row, &stmt)))
            })
            .boxed()
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        let mut conn = self.conn(&stmt.table).await?;
        exec::fetch_all(&mut conn, stmt, decoder).await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let mut conn = self.conn(&stmt.table).await?;
        exec::count(&mut conn, stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let mut conn = self.conn(&stmt.table).await?;
        exec::insert(&mut conn, stmt).await
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let mut conn = self.conn(&stmt.table).await?;
        exec::update(&mut conn, stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let mut conn = self.conn(&stmt.table).await?;
        exec::delete(&mut conn, stmt).await
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.conn(&table).await?;
        exec::create_table(&mut conn, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        let mut conn = self.conn(&table).await?;
        exec::drop_table(&mut conn, table).await
    }
}

impl Backend for Sqlite {
    type Tx = SqliteTx;

    async fn begin(&self) -> Result<SqliteTx> {
        let tx = self
            .pool
            .begin()
            .await
            .map_err(|e| Error::Connection(Box::new(e)))?;
        Ok(SqliteTx::new(tx))
    }

    async fn commit(tx: SqliteTx) -> Result<()> {
        tx.commit().await
    }

    async fn rollback(tx: SqliteTx) -> Result<()> {
        tx.rollback().await
    }
}
