//! Raw SQL on a connection lent by the pool, with keyway's values.

use futures::TryStreamExt;
use keyway::Value;

use crate::bind;
use crate::conn::PgConn;
use crate::errors::PgError;
use crate::row::PgRow;
use crate::rows::Rows;

impl PgConn {
    /// Runs `sql` with `params` (`$1`, `$2`, …) and returns its rows. Each
    /// parameter is sent as its value's type (`Value::I64` as `BIGINT`,
    /// `Value::Text` as `TEXT`, …; a NULL as the type the server infers).
    /// The statement is not kept (an unnamed statement, one round trip).
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
    /// `COPY` is refused here (use [`client`](Self::client)'s `copy_in` and
    /// `copy_out`). A transaction opened or ended by raw SQL is not known to
    /// keyway's pool.
    pub async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<PgRow>, PgError> {
        refuse_copy(sql)?;
        let args = raw_args(params)?;
        Rows::new(self, sql, args, false).try_collect().await
    }

    /// Runs `sql` with `params` (as [`query`](Self::query) sends them) and
    /// returns how many rows it matched.
    pub async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, PgError> {
        refuse_copy(sql)?;
        let args = raw_args(params)?;
        self.run(sql, args, false).await
    }

    /// Runs `sql`, one or more statements separated by `;`, without
    /// parameters (PostgreSQL's simple query protocol).
    pub async fn batch_execute(&mut self, sql: &str) -> Result<(), PgError> {
        refuse_copy(sql)?;
        self.simple(sql).await.map(drop)
    }
}

/// Raw SQL's parameters; a value keyway cannot bind is refused before
/// anything is sent.
fn raw_args(params: &[Value]) -> Result<bind::PgArgs, PgError> {
    bind::raw(params).map_err(|e| PgError::request(e.to_string()))
}

/// `COPY` through these calls would leave the server waiting for data (or
/// sending it) that they do not handle: refused before anything is sent.
fn refuse_copy(sql: &str) -> Result<(), PgError> {
    let copies = sql.split(';').any(|statement| {
        let first = statement
            .trim_start()
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        first.eq_ignore_ascii_case("copy")
    });
    if copies {
        return Err(PgError::request(
            "COPY: use PgConn::client().copy_in(..) or copy_out(..), tokio-postgres's COPY",
        ));
    }
    Ok(())
}
