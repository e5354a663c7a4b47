//! Turso as a driver of keyway-sql's shared execution layer.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::{FutureExt, Stream};
use keyway::{
    ColumnType, DecodeError, Decoder, Entity, Error, InsertStmt, Result, SelectStmt, TableDef,
    Value,
};
use keyway_sql::{Driver, InsertPlan, Lowered, Param, SqlReader};
use tokio::sync::OnceCell;
use turso::{Connection, Row};

use crate::conn::TursoConn;
use crate::target::Target;
use crate::{errors, values};

/// The Turso driver behind [`Turso`](crate::Turso): connections, binding,
/// reading, errors, and keys from `INSERT ... RETURNING`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TursoDriver;

/// Turso settings beyond the pool's.
///
/// ```
/// use std::time::Duration;
/// use keyway_turso::{TursoOptions, TursoSettings};
/// let options = TursoOptions::new("turso://app.db").settings(
///     TursoSettings::default()
///         .concurrent_writers(true)
///         .busy_timeout(Duration::from_secs(2)),
/// );
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct TursoSettings {
    pub(crate) concurrent_writers: bool,
    pub(crate) busy_timeout: Duration,
    pub(crate) open_with: Option<OpenWith>,
}

/// A function that opens a connection of the pool's (see
/// [`TursoSettings::open_with`]).
type OpenWith = Arc<dyn Fn() -> BoxFuture<'static, Result<Connection, turso::Error>> + Send + Sync>;

impl fmt::Debug for TursoSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TursoSettings")
            .field("concurrent_writers", &self.concurrent_writers)
            .field("busy_timeout", &self.busy_timeout)
            .field("open_with", &self.open_with.as_ref().map(|_| "a function"))
            .finish()
    }
}

impl Default for TursoSettings {
    fn default() -> Self {
        TursoSettings {
            concurrent_writers: false,
            busy_timeout: Duration::from_secs(5),
            open_with: None,
        }
    }
}

impl TursoSettings {
    /// Concurrent writers through Turso's MVCC (URL option
    /// `concurrent_writers=true`; default off). The database is switched to
    /// MVCC (`PRAGMA journal_mode = 'mvcc'`, kept in the file) and every
    /// transaction begins with `BEGIN CONCURRENT`: transactions write at
    /// the same time, and one that writes a row a concurrent one wrote
    /// first fails with `Error::TransactionConflict`
    /// ([`is_retryable`](keyway::Error::is_retryable)), rolled back by the
    /// engine: run it again. Turso marks MVCC experimental; without it,
    /// writers take turns on the database's write lock.
    pub fn concurrent_writers(mut self, on: bool) -> Self {
        self.concurrent_writers = on;
        self
    }

    /// How long a statement waits for another connection's write lock
    /// before `Error::Timeout` (default 5 s). The wait is asynchronous.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Opens each of the pool's connections with `open` instead of the
    /// database the URL names (whose options still apply: foreign keys on,
    /// the busy timeout, concurrent writers). For a database keyway does
    /// not open itself, such as one synced with Turso Cloud through the
    /// `turso` crate's `sync` feature, which the application enables in
    /// its own `Cargo.toml`:
    ///
    /// ```ignore
    /// let synced = turso::sync::Builder::new_remote("replica.db")
    ///     .with_remote_url("libsql://app-org.turso.io")
    ///     .with_auth_token(token)
    ///     .build()
    ///     .await?;
    /// let db = TursoOptions::new("turso://replica.db")
    ///     .settings(TursoSettings::default().open_with({
    ///         let synced = synced.clone();
    ///         move || {
    ///             let synced = synced.clone();
    ///             Box::pin(async move { synced.connect().await })
    ///         }
    ///     }))
    ///     .connect()
    ///     .await?;
    /// // keyway reads and writes the local replica; the application
    /// // calls synced.push() and synced.pull() when it chooses.
    /// ```
    pub fn open_with(
        mut self,
        open: impl Fn() -> BoxFuture<'static, Result<Connection, turso::Error>> + Send + Sync + 'static,
    ) -> Self {
        self.open_with = Some(Arc::new(open));
        self
    }
}

/// Where the pool's connections go: one database, opened with the first
/// connection and shared by every other (an in-memory one lives as long as
/// the pool).
#[derive(Clone)]
pub struct TursoConnect {
    target: Target,
    settings: TursoSettings,
    database: Arc<OnceCell<turso::Database>>,
    /// Set once the database is in MVCC mode (concurrent writers).
    mvcc: Arc<OnceCell<()>>,
}

impl fmt::Debug for TursoConnect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TursoConnect")
            .field("target", &self.target)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl TursoConnect {
    async fn database(&self) -> Result<&turso::Database, turso::Error> {
        self.database
            .get_or_try_init(|| async {
                turso::Builder::new_local(&self.target.path)
                    .read_only(self.target.read_only)
                    .build()
                    .await
            })
            .await
    }

    /// A new connection: the settings' function's, or one to the database
    /// the URL names; the database switched to MVCC first for concurrent
    /// writers.
    async fn connection(&self) -> Result<Connection, turso::Error> {
        let conn = match &self.settings.open_with {
            Some(open) => open().await?,
            None => self.database().await?.connect()?,
        };
        if self.settings.concurrent_writers {
            self.mvcc
                .get_or_try_init(|| async {
                    let mut rows = conn.query("PRAGMA journal_mode = 'mvcc'", ()).await?;
                    while rows.next().await?.is_some() {}
                    Ok::<_, turso::Error>(())
                })
                .await?;
        }
        Ok(conn)
    }
}

impl Driver for TursoDriver {
    type Dialect = keyway_sql::Turso;
    type Settings = TursoSettings;
    type Connect = TursoConnect;
    type Conn = TursoConn;
    type Args = Vec<turso::Value>;
    type Row = Row;
    type Error = turso::Error;

    fn connect_options(url: &str, settings: &TursoSettings) -> Result<TursoConnect> {
        let target = Target::parse(url)?;
        let mut settings = settings.clone();
        if let Some(on) = target.concurrent_writers {
            settings.concurrent_writers = on;
        }
        Ok(TursoConnect {
            target,
            settings,
            database: Arc::new(OnceCell::new()),
            mvcc: Arc::new(OnceCell::new()),
        })
    }

    /// A connection with foreign keys on and the busy timeout set.
    async fn open(connect: &TursoConnect) -> Result<TursoConn, turso::Error> {
        let conn = connect.connection().await?;
        conn.busy_timeout(connect.settings.busy_timeout)?;
        conn.execute("PRAGMA foreign_keys = ON", ()).await?;
        Ok(TursoConn::new(conn, connect.settings.concurrent_writers))
    }

    async fn learn(_: &mut TursoConn, _: TursoSettings) -> Result<Self> {
        Ok(TursoDriver)
    }

    /// An embedded engine has no peer to lose: the ping sends what was
    /// queued.
    fn ping(conn: &mut TursoConn) -> BoxFuture<'_, Result<(), turso::Error>> {
        conn.flush().boxed()
    }

    async fn close(conn: TursoConn) {
        drop(conn);
    }

    fn begin(conn: &mut TursoConn) -> BoxFuture<'_, Result<(), turso::Error>> {
        conn.begin().boxed()
    }

    fn begin_schema_change(conn: &mut TursoConn) -> BoxFuture<'_, Result<(), turso::Error>> {
        conn.begin_schema_change().boxed()
    }

    /// Before the commit, `PRAGMA foreign_key_check`: a migration that
    /// would leave a row whose foreign key names no parent is rolled back.
    fn end_schema_change(conn: &mut TursoConn, commit: bool) -> BoxFuture<'_, Result<()>> {
        async move {
            let broken = match commit {
                true => conn.broken_foreign_key().await.map_err(errors::other)?,
                false => None,
            };
            if let Some((table, parent)) = broken {
                conn.rollback().await.map_err(errors::other)?;
                return Err(Error::Invalid {
                    what: "migration",
                    detail: format!(
                        "the migration would leave rows of `{table}` whose foreign key names \
                         no row of `{parent}`; it was rolled back"
                    ),
                });
            }
            match commit {
                true => conn.commit().await.map_err(errors::other),
                false => conn.rollback().await.map_err(errors::other),
            }
        }
        .boxed()
    }

    fn commit(conn: &mut TursoConn) -> BoxFuture<'_, Result<(), turso::Error>> {
        conn.commit().boxed()
    }

    fn rollback(conn: &mut TursoConn) -> BoxFuture<'_, Result<(), turso::Error>> {
        conn.rollback().boxed()
    }

    fn start_rollback(conn: &mut TursoConn) {
        conn.start_rollback();
    }

    fn transaction_depth(conn: &TursoConn) -> usize {
        conn.open_depth()
    }

    fn bind(table: &TableDef, params: Vec<Param>) -> Result<Vec<turso::Value>> {
        values::arguments(table, params)
    }

    fn no_args() -> Vec<turso::Value> {
        Vec::new()
    }

    fn fetch<'c>(
        conn: &'c mut TursoConn,
        sql: &'c str,
        args: Vec<turso::Value>,
    ) -> impl Stream<Item = Result<Row, turso::Error>> + Send + Unpin + 'c {
        conn.fetch(sql, args)
    }

    async fn collect<Dec: Decoder>(
        conn: &mut TursoConn,
        sql: &str,
        args: Vec<turso::Value>,
        stmt: &SelectStmt,
        decoder: &Dec,
    ) -> Result<Vec<Dec::Output>> {
        let each = |row: &Row| decoder.decode(&mut SqlReader::<Self>::new(row, stmt));
        conn.collect(sql, args, each)
            .await
            .map_err(|e| Self::map_error(e, &stmt.table))?
    }

    fn execute<'c>(
        conn: &'c mut TursoConn,
        sql: &'c str,
        args: Vec<turso::Value>,
        persistent: bool,
    ) -> BoxFuture<'c, Result<u64, turso::Error>> {
        conn.execute(sql, args, persistent).boxed()
    }

    #[inline]
    fn read_value(row: &Row, i: usize, expected: ColumnType) -> Result<Value, DecodeError> {
        values::read(row, i, expected, 0)
    }

    #[inline]
    fn read_decimal(row: &Row, i: usize, scale: u8) -> Result<Value, DecodeError> {
        values::read(row, i, ColumnType::Decimal, scale)
    }

    #[inline]
    fn read_int(row: &Row, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        values::read_int(row, i, ty)
    }

    #[inline]
    fn read_text(row: &Row, i: usize) -> Result<Option<String>, DecodeError> {
        values::read_text(row, i)
    }

    #[inline]
    fn read_json<T>(
        row: &Row,
        i: usize,
        parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        values::read_json(row, i, parse)
    }

    fn map_error(err: turso::Error, table: &TableDef) -> Error {
        errors::map(err, table)
    }

    fn fetch_by_key<'c, E: Entity>(
        &'c self,
        conn: &'c mut TursoConn,
        key: &'c E::Key,
    ) -> impl Future<Output = Result<Option<E>>> + Send + 'c {
        crate::lookup::fetch_by_key::<E>(conn, key)
    }

    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered> {
        keyway_sql::insert_planned::<keyway_sql::Turso>(stmt, InsertPlan::of::<Self::Dialect>())
    }

    fn run_insert<'c>(
        &'c self,
        conn: &'c mut TursoConn,
        table: &'c TableDef,
        batch: Lowered,
        keys: &'c mut Vec<Value>,
    ) -> impl Future<Output = Result<()>> + Send + 'c {
        keyway_sql::returning_keys::<Self>(conn, table, batch, keys)
    }
}
