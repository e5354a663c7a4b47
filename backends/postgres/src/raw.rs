//! Raw SQL on a connection lent by the pool.

use futures::TryStreamExt;
use keyway::Value;

use crate::bind;
use crate::conn::{Mode, PgConn};
use crate::errors::PgError;
use crate::row::PgRow;

impl PgConn {
    /// Runs `sql` with `params` (`$1`, `$2`, …) and returns its rows. Each
    /// parameter is sent as its value's type (`Value::I64` as `BIGINT`,
    /// `Value::Text` as `TEXT`, …; a NULL as the type the server infers).
    ///
    /// ```no_run
    /// # async fn demo(db: keyway::Db<keyway_postgres::Postgres>) -> Result<(), Box<dyn std::error::Error>> {
    /// use keyway::Value;
    /// let mut conn = db.executor().acquire().await?;
    /// let rows = conn
    ///     .query("SELECT name FROM users WHERE id = $1", &[Value::I64(7)])
    ///     .await?;
    /// let name: Option<String> = rows.first().map(|r| r.get(0)).transpose()?;
    /// conn.release();
    /// # let _ = name; Ok(()) }
    /// ```
    ///
    /// A transaction opened or ended by raw SQL is not known to keyway's
    /// pool.
    pub async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<PgRow>, PgError> {
        let args = raw_args(params)?;
        crate::rows::Rows::new(self, sql, args, Mode::Once { describe: true })
            .try_collect()
            .await
    }

    /// Runs `sql` with `params` (as [`query`](Self::query) sends them) and
    /// returns how many rows it matched.
    pub async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, PgError> {
        let args = raw_args(params)?;
        self.run(sql, args, false).await
    }

    /// Runs `sql`, one or more statements separated by `;`, without
    /// parameters (PostgreSQL's simple query protocol).
    pub async fn batch_execute(&mut self, sql: &str) -> Result<(), PgError> {
        self.simple(sql).await.map(drop)
    }
}

/// Raw SQL's parameters; a value keyway cannot bind is refused before
/// anything is sent.
fn raw_args(params: &[Value]) -> Result<crate::bind::PgArgs, PgError> {
    bind::raw(params).map_err(|e| PgError::request(e.to_string()))
}
