//! MySQL and MariaDB as a sqlx driver of the shared execution layer.

use std::str::FromStr;

use keyway::{ColumnType, DecodeError, Error, InsertStmt, Result, TableDef, Value};
use keyway_sql::{InsertPlan, Lowered, Param, SqlxDriver};
use sqlx::error::DatabaseError;
use sqlx::mysql::{
    MySqlArguments, MySqlConnectOptions, MySqlConnection, MySqlQueryResult, MySqlValueRef,
};
use sqlx::{Executor, Row};

use crate::{MySqlKeys, bind, errors, keys, reader};

/// The MySQL / MariaDB driver behind [`MySql`](crate::MySql): binding,
/// reading, error numbers, and the [`MySqlKeys`] strategy detected when
/// connecting.
#[derive(Debug, Clone, Copy)]
pub struct MySqlDriver {
    keys: MySqlKeys,
}

impl MySqlDriver {
    /// How this connection pool learns generated keys.
    pub fn keys(&self) -> MySqlKeys {
        self.keys
    }
}

/// MySQL settings beyond the pool's.
///
/// ```
/// use keyway_mysql::{MySqlKeys, MySqlOptions, MySqlSettings};
/// let options = MySqlOptions::new("mysql://root@127.0.0.1:3306/test")
///     .settings(MySqlSettings::default().keys(MySqlKeys::OneByOne));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct MySqlSettings {
    keys: Option<MySqlKeys>,
}

impl MySqlSettings {
    /// Uses `keys` instead of the strategy detected from the server.
    pub fn keys(mut self, keys: MySqlKeys) -> Self {
        self.keys = Some(keys);
        self
    }
}

/// Asks the server what it is and how it assigns keys.
async fn detect(conn: &mut MySqlConnection) -> Result<MySqlKeys> {
    let connection = |e| Error::Connection(Box::new(e));
    let row = sqlx::query("SELECT VERSION(), CAST(@@auto_increment_increment AS SIGNED)")
        .fetch_one(&mut *conn)
        .await
        .map_err(connection)?;
    let version: String = row.try_get(0).map_err(connection)?;
    let increment: i64 = row.try_get(1).map_err(connection)?;
    // Absent when InnoDB is not loaded: then nothing is known to be consecutive.
    let lock_mode =
        sqlx::query_scalar::<_, i64>("SELECT CAST(@@innodb_autoinc_lock_mode AS SIGNED)")
            .fetch_one(&mut *conn)
            .await
            .ok();
    Ok(MySqlKeys::detect(
        &version,
        lock_mode,
        increment.unsigned_abs(),
    ))
}

impl SqlxDriver for MySqlDriver {
    type Database = sqlx::MySql;
    type Dialect = keyway_sql::MySql;
    type Settings = MySqlSettings;

    fn connect_options(url: &str, _: &MySqlSettings) -> Result<MySqlConnectOptions> {
        MySqlConnectOptions::from_str(url).map_err(|e| Error::Invalid {
            what: "MySQL URL",
            detail: e.to_string(),
        })
    }

    /// Strict mode on every table: a value that does not fit is an error,
    /// never silently truncated.
    async fn prepare_connection(conn: &mut MySqlConnection) -> Result<(), sqlx::Error> {
        conn.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES')")
            .await
            .map(drop)
    }

    async fn learn(conn: &mut MySqlConnection, settings: MySqlSettings) -> Result<Self> {
        let keys = match settings.keys {
            Some(keys) => keys,
            None => detect(conn).await?,
        };
        Ok(MySqlDriver { keys })
    }

    fn bind(table: &TableDef, params: Vec<Param>) -> Result<MySqlArguments> {
        bind::arguments(table, params)
    }

    fn read_value(raw: MySqlValueRef<'_>, expected: ColumnType) -> Result<Value, DecodeError> {
        reader::read_value(raw, expected)
    }

    fn read_int(raw: MySqlValueRef<'_>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        reader::read_int(raw, ty)
    }

    fn read_text(raw: MySqlValueRef<'_>) -> Result<Option<String>, DecodeError> {
        reader::read_text(raw)
    }

    fn database_error(err: Box<dyn DatabaseError>, table: &TableDef) -> Error {
        errors::database_error(err, table)
    }

    fn rows_affected(done: &MySqlQueryResult) -> u64 {
        done.rows_affected()
    }

    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered> {
        // Without an `auto` column there are no keys to learn: as few
        // statements as the parameter limit allows.
        let plan = if stmt.table.auto_column().is_some() {
            self.keys.plan()
        } else {
            InsertPlan::of::<keyway_sql::MySql>()
        };
        keyway_sql::insert_planned::<keyway_sql::MySql>(stmt, plan)
    }

    async fn run_insert(
        &self,
        conn: &mut MySqlConnection,
        table: &TableDef,
        batch: Lowered,
        keys: &mut Vec<Value>,
    ) -> Result<()> {
        keys::run_insert(self, conn, table, batch, keys).await
    }
}
