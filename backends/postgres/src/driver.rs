//! PostgreSQL on tokio-postgres, as a driver of the shared execution layer.

use std::future::Future;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::{FutureExt, Stream};
use keyway::{ColumnType, DecodeError, Entity, Error, InsertStmt, Result, TableDef, Value};
use keyway_sql::{Driver, InsertPlan, Lowered, Param};

use crate::bind::{self, PgArgs};
use crate::conn::PgConn;
use crate::connect::{PgConnect, Statements};
use crate::errors::PgError;
use crate::row::PgRow;
use crate::rows::Rows;
use crate::{errors, insert, lookup, reader};

/// The PostgreSQL driver behind [`Postgres`](crate::Postgres): connections,
/// binding, reading, error codes, and keys from `INSERT ... RETURNING`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDriver;

/// PostgreSQL settings beyond the pool's. Each has a URL option of the same
/// meaning, which wins when both are given.
///
/// ```
/// use std::time::Duration;
/// use keyway_postgres::{PostgresOptions, PostgresSettings};
/// let options = PostgresOptions::new("postgres://postgres@127.0.0.1:5432/test")
///     .settings(
///         PostgresSettings::default()
///             .search_path("app")
///             .statement_timeout(Duration::from_secs(5)),
///     );
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct PostgresSettings {
    pub(crate) search_path: Option<String>,
    pub(crate) statements: Statements,
    pub(crate) statement_timeout: Option<Duration>,
}

impl PostgresSettings {
    /// The schemas unqualified table names resolve to (PostgreSQL's
    /// `search_path`), set on every connection of the pool right after it
    /// logs in (URL option `search_path=app,public`). Behind a pooler in
    /// transaction mode a session setting does not follow the client:
    /// set it on the role instead (`ALTER ROLE app SET search_path = app`).
    pub fn search_path(mut self, schemas: impl Into<String>) -> Self {
        self.search_path = Some(schemas.into());
        self
    }

    /// For a pooler in transaction or statement mode (pgbouncer, Supavisor,
    /// RDS Proxy): no statement is ever prepared by name, each is sent as
    /// PostgreSQL's unnamed statement in the same round trip as its
    /// execution, so that two clients sharing a server connection can never
    /// run each other's statements (URL option `pooler=transaction`).
    /// Statements are parsed and planned on every run.
    pub fn pooler(mut self, transaction_pooler: bool) -> Self {
        self.statements = match transaction_pooler {
            true => Statements::Unnamed,
            false => Statements::Kept,
        };
        self
    }

    /// The longest keyway waits for the server's answer to a statement (URL
    /// option `statement_timeout=5s`; `500ms`, `2min`, or milliseconds).
    /// Past it the statement is cancelled on the server (a CancelRequest),
    /// the call fails with `Error::Timeout`, and the connection goes back
    /// to the pool once the server confirmed, or is closed when it does not
    /// answer within the pool's ping timeout. While rows stream, it bounds
    /// each wait for the next one. Default: none.
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = Some(timeout).filter(|t| !t.is_zero());
        self
    }
}

impl Driver for PostgresDriver {
    type Dialect = keyway_sql::Postgres;
    type Settings = PostgresSettings;
    type Connect = PgConnect;
    type Conn = PgConn;
    type Args = PgArgs;
    type Row = PgRow;
    type Error = PgError;

    fn connect_options(url: &str, settings: &PostgresSettings) -> Result<PgConnect> {
        PgConnect::new(url, settings)
    }

    async fn open(connect: &PgConnect) -> Result<PgConn, PgError> {
        PgConn::open(connect).await
    }

    async fn learn(_: &mut PgConn, _: PostgresSettings) -> Result<Self> {
        Ok(PostgresDriver)
    }

    fn ping(conn: &mut PgConn) -> BoxFuture<'_, Result<(), PgError>> {
        conn.ping().boxed()
    }

    async fn close(conn: PgConn) {
        // Dropping the client ends the session (the driver sends Terminate).
        drop(conn);
    }

    fn is_closed(conn: &PgConn) -> bool {
        conn.is_closed()
    }

    fn begin(conn: &mut PgConn) -> BoxFuture<'_, Result<(), PgError>> {
        conn.begin().boxed()
    }

    fn commit(conn: &mut PgConn) -> BoxFuture<'_, Result<(), PgError>> {
        conn.commit().boxed()
    }

    fn rollback(conn: &mut PgConn) -> BoxFuture<'_, Result<(), PgError>> {
        conn.rollback().boxed()
    }

    fn start_rollback(conn: &mut PgConn) {
        conn.start_rollback();
    }

    fn transaction_depth(conn: &PgConn) -> usize {
        conn.depth()
    }

    fn bind(table: &TableDef, params: Vec<Param>) -> Result<PgArgs> {
        bind::arguments(table, params)
    }

    fn no_args() -> PgArgs {
        PgArgs::default()
    }

    fn fetch<'c>(
        conn: &'c mut PgConn,
        sql: &'c str,
        args: PgArgs,
    ) -> impl Stream<Item = Result<PgRow, PgError>> + Send + Unpin + 'c {
        Rows::new(conn, sql, args, true)
    }

    fn execute<'c>(
        conn: &'c mut PgConn,
        sql: &'c str,
        args: PgArgs,
        persistent: bool,
    ) -> BoxFuture<'c, Result<u64, PgError>> {
        conn.run(sql, args, persistent).boxed()
    }

    #[inline]
    fn read_value(row: &PgRow, i: usize, expected: ColumnType) -> Result<Value, DecodeError> {
        reader::read_value(row, i, expected)
    }

    #[inline]
    fn read_int(row: &PgRow, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        reader::read_int(row, i, ty)
    }

    #[inline]
    fn read_text(row: &PgRow, i: usize) -> Result<Option<String>, DecodeError> {
        reader::read_text(row, i)
    }

    #[inline]
    fn read_json<T>(
        row: &PgRow,
        i: usize,
        parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        reader::read_json(row, i, parse)
    }

    fn map_error(err: PgError, table: &TableDef) -> Error {
        errors::map_error(err, table)
    }

    fn fetch_by_key<'c, E: Entity>(
        &'c self,
        conn: &'c mut PgConn,
        key: &'c E::Key,
    ) -> impl Future<Output = Result<Option<E>>> + Send + 'c {
        lookup::fetch_by_key::<E>(conn, key)
    }

    fn insert_entities<'c, E: Entity>(
        &'c self,
        conn: &'c mut PgConn,
        entities: &'c [E],
    ) -> impl Future<Output = Result<Vec<Value>>> + Send + 'c {
        insert::insert_entities(conn, entities)
    }

    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered> {
        keyway_sql::insert_planned::<keyway_sql::Postgres>(stmt, InsertPlan::of::<Self::Dialect>())
    }

    async fn run_insert(
        &self,
        conn: &mut PgConn,
        table: &TableDef,
        batch: Lowered,
        keys: &mut Vec<Value>,
    ) -> Result<()> {
        keyway_sql::returning_keys::<Self>(conn, table, batch, keys).await
    }
}
