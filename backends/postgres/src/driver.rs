//! PostgreSQL, spoken by keyway itself, as a driver of the shared execution
//! layer.

use std::future::Future;
use std::str::FromStr;

use futures::future::BoxFuture;
use futures::{FutureExt, Stream};
use keyway::{ColumnType, DecodeError, Entity, Error, InsertStmt, Result, TableDef, Value};
use keyway_sql::{Driver, InsertPlan, Lowered, Param};
use tokio_postgres::Config;
use tokio_postgres::config::SslMode;

use crate::bind::{self, PgArgs};
use crate::conn::{Mode, PgConn};
use crate::errors::PgError;
use crate::row::PgRow;
use crate::rows::Rows;
use crate::{errors, insert, lookup, reader};

/// The PostgreSQL driver behind [`Postgres`](crate::Postgres): connections,
/// binding, reading, error codes, and keys from `INSERT ... RETURNING`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostgresDriver;

/// PostgreSQL settings beyond the pool's.
///
/// ```
/// use keyway_postgres::{PostgresOptions, PostgresSettings};
/// let options = PostgresOptions::new("postgres://postgres@127.0.0.1:5432/test")
///     .settings(PostgresSettings::default().search_path("app"));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct PostgresSettings {
    search_path: Option<String>,
}

impl PostgresSettings {
    /// The schemas unqualified table names resolve to (PostgreSQL's
    /// `search_path`), for every connection of the pool.
    pub fn search_path(mut self, schemas: impl Into<String>) -> Self {
        self.search_path = Some(schemas.into());
        self
    }
}

/// `value` as one word of the startup `options` (backslash before a space or
/// a backslash).
fn option_word(value: &str) -> String {
    let mut word = String::with_capacity(value.len());
    for c in value.chars() {
        if c == ' ' || c == '\\' {
            word.push('\\');
        }
        word.push(c);
    }
    word
}

impl Driver for PostgresDriver {
    type Dialect = keyway_sql::Postgres;
    type Settings = PostgresSettings;
    type Connect = Config;
    type Conn = PgConn;
    type Args = PgArgs;
    type Row = PgRow;
    type Error = PgError;

    fn connect_options(url: &str, settings: &PostgresSettings) -> Result<Config> {
        let mut config = Config::from_str(url).map_err(|e| Error::Invalid {
            what: "PostgreSQL URL",
            detail: e.to_string(),
        })?;
        if config.get_ssl_mode() == SslMode::Require {
            return Err(Error::Unsupported {
                backend: "postgresql",
                detail: "TLS (sslmode=require): keyway-postgres connects without TLS; \
                         use sslmode=disable, or prefer (the default), which falls back to plain"
                    .into(),
            });
        }
        if let Some(path) = &settings.search_path {
            let option = format!("-c search_path={}", option_word(path));
            let options = match config.get_options() {
                Some(given) => format!("{given} {option}"),
                None => option,
            };
            config.options(&options);
        }
        if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
            return Err(Error::Invalid {
                what: "PostgreSQL URL",
                detail: "it names no host".into(),
            });
        }
        Ok(config)
    }

    async fn open(config: &Config) -> Result<PgConn, PgError> {
        PgConn::open(config).await
    }

    async fn learn(_: &mut PgConn, _: PostgresSettings) -> Result<Self> {
        Ok(PostgresDriver)
    }

    fn ping(conn: &mut PgConn) -> BoxFuture<'_, Result<(), PgError>> {
        async { conn.simple("").await.map(drop) }.boxed()
    }

    async fn close(conn: PgConn) {
        conn.close().await;
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
        Rows::new(conn, sql, args, Mode::Kept)
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
