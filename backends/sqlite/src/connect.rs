//! Opening a SQLite database: the URL, the pool's size and timeouts.

use std::time::Duration;

use keyway::{Db, Result};

use crate::pool::Pool;
use crate::target::Target;

/// The SQLite backend: a pool of rusqlite connections. Use it as `Db<Sqlite>`.
///
/// Statements run on the calling task (see the [crate docs](crate)).
#[derive(Debug, Clone)]
pub struct Sqlite {
    pub(crate) pool: Pool,
}

/// How to open a SQLite database.
///
/// ```
/// use std::time::Duration;
/// use keyway_sqlite::SqliteOptions;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// let db = SqliteOptions::new("sqlite::memory:")
///     .max_connections(2)
///     .acquire_timeout(Duration::from_secs(1))
///     .busy_timeout(Duration::from_secs(2))
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
    busy_timeout: Duration,
}

impl SqliteOptions {
    /// Options for `url`: `sqlite::memory:`, `sqlite://path.db` (created if
    /// missing), `sqlite://path.db?mode=ro` (read-only), `?mode=rw` (must
    /// exist), or `sqlite:file:NAME?mode=memory` (an in-memory database shared
    /// by name within the process). `cache`, `immutable` and `vfs` are read as
    /// SQLite's URI parameters; anything else is `Error::Invalid`.
    pub fn new(url: impl Into<String>) -> Self {
        SqliteOptions {
            url: url.into(),
            max_connections: 4,
            acquire_timeout: Duration::from_secs(30),
            busy_timeout: Duration::from_secs(5),
        }
    }

    /// The most connections the pool opens (default 4). An in-memory
    /// database always has exactly one: the database lives in it.
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// How long to wait for a free connection before `Error::Timeout` (default 30 s).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// How long a statement waits for another connection's lock on a file
    /// database before `Error::Timeout` (default 5 s). The wait blocks the
    /// calling task's thread.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Opens the database; its first connection opens now.
    pub async fn connect(self) -> Result<Db<Sqlite>> {
        let target = Target::parse(&self.url)?;
        let pool = Pool::open(
            target,
            self.max_connections,
            self.acquire_timeout,
            self.busy_timeout,
        )?;
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

    /// Runs `f` on a pooled connection, for raw SQL beside keyway. `f` runs
    /// synchronously on the calling task; a transaction it leaves open is
    /// rolled back when the connection goes back to the pool.
    ///
    /// ```
    /// use keyway_sqlite::Sqlite;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = Sqlite::memory().await?;
    /// let version: String = db
    ///     .executor()
    ///     .with_connection(|conn| conn.query_row("SELECT sqlite_version()", [], |row| row.get(0)))
    ///     .await?
    ///     .expect("a version");
    /// assert!(version.starts_with('3'));
    /// # Ok(()) }
    /// ```
    pub async fn with_connection<T>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> T,
    ) -> Result<T> {
        let conn = self.pool.acquire().await?;
        Ok(f(&conn.db))
    }

    /// Closes the pool: every later statement is `Error::Connection`. An
    /// in-memory database is gone once its connection closes.
    pub fn close(&self) {
        self.pool.close();
    }
}
