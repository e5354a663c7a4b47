//! PostgreSQL as a sqlx driver of the shared execution layer.

use std::str::FromStr;

use keyway::{ColumnType, DecodeError, Error, InsertStmt, Result, TableDef, Value};
use keyway_sql::{InsertPlan, Lowered, Param, SqlxDriver};
use sqlx::error::DatabaseError;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgConnection, PgQueryResult, PgValueRef};

use crate::{bind, errors, reader};

/// The PostgreSQL driver behind [`Postgres`](crate::Postgres): binding,
/// reading, error codes, and keys from `INSERT ... RETURNING`.
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

impl SqlxDriver for PostgresDriver {
    type Database = sqlx::Postgres;
    type Dialect = keyway_sql::Postgres;
    type Settings = PostgresSettings;

    fn connect_options(url: &str, settings: &PostgresSettings) -> Result<PgConnectOptions> {
        let options = PgConnectOptions::from_str(url).map_err(|e| Error::Invalid {
            what: "PostgreSQL URL",
            detail: e.to_string(),
        })?;
        Ok(match &settings.search_path {
            Some(path) => options.options([("search_path", path)]),
            None => options,
        })
    }

    async fn learn(_: &mut PgConnection, _: PostgresSettings) -> Result<Self> {
        Ok(PostgresDriver)
    }

    fn bind(table: &TableDef, params: Vec<Param>) -> Result<PgArguments> {
        bind::arguments(table, params)
    }

    fn read_value(raw: PgValueRef<'_>, expected: ColumnType) -> Result<Value, DecodeError> {
        reader::read_value(raw, expected)
    }

    fn read_int(raw: PgValueRef<'_>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        reader::read_int(raw, ty)
    }

    fn read_text(raw: PgValueRef<'_>) -> Result<Option<String>, DecodeError> {
        reader::read_text(raw)
    }

    fn database_error(err: Box<dyn DatabaseError>, table: &TableDef) -> Error {
        errors::database_error(err, table)
    }

    fn rows_affected(done: &PgQueryResult) -> u64 {
        done.rows_affected()
    }

    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered> {
        keyway_sql::insert_planned::<keyway_sql::Postgres>(stmt, InsertPlan::of::<Self::Dialect>())
    }

    async fn run_insert(
        &self,
        conn: &mut PgConnection,
        table: &TableDef,
        batch: Lowered,
        keys: &mut Vec<Value>,
    ) -> Result<()> {
        keyway_sql::returning_keys::<Self>(conn, table, batch, keys).await
    }
}
