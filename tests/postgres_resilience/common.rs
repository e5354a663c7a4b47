//! What every test of this binary shares: a schema of its own whose pool
//! carries the schema's name as `application_name` (so that
//! `pg_stat_activity` tells its backends apart), an admin pool on the same
//! server, raw SQL helpers and a bounded wait.

use std::future::Future;
use std::ops::Deref;
use std::time::{Duration, Instant};

use keyway::{Db, Value};
use keyway_postgres::{PgConn, PgRow, Postgres, PostgresDriver, PostgresOptions};

use crate::pg_scratch;
use crate::scratch::{Scratch, unique_name, url_from_env};

/// A connection lent by a keyway pool.
pub type Conn = keyway_sql::PooledConn<PostgresDriver>;

/// The main server.
pub fn main_url() -> String {
    url_from_env(
        "KEYWAY_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/test",
    )
}

/// The scratch TLS cluster (`postgres` logs in with trust over TLS).
pub fn tls_url() -> String {
    format!(
        "postgres://postgres@127.0.0.1:{}/test?sslmode=require",
        pg_scratch::tls_port()
    )
}

/// `url` with one more query option.
pub fn with_option(url: &str, option: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{option}")
}

/// A pool of two connections on `url` named `application_name`, outside
/// any test schema.
pub async fn admin(url: &str, application_name: &str) -> Db<Postgres> {
    PostgresOptions::new(with_option(
        url,
        &format!("application_name={application_name}"),
    ))
    .max_connections(2)
    .acquire_timeout(Duration::from_secs(10))
    .connect()
    .await
    .unwrap_or_else(|e| panic!("PostgreSQL at {url} cannot be reached: {e}"))
}

/// Runs `sql` with `params` on a connection of `db` and returns its rows.
pub async fn raw(db: &Db<Postgres>, sql: &str, params: &[Value]) -> Vec<PgRow> {
    let mut conn = db.executor().acquire().await.expect("acquire");
    let rows = conn
        .query(sql, params)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.release();
    rows
}

/// The first column of the first row of `sql`, as an `i64`.
pub async fn scalar(db: &Db<Postgres>, sql: &str, params: &[Value]) -> i64 {
    let rows = raw(db, sql, params).await;
    rows[0].get(0).expect("an i64")
}

/// The server process behind `conn`.
pub async fn backend_pid(conn: &mut PgConn) -> i32 {
    let rows = conn.query("SELECT pg_backend_pid()", &[]).await.unwrap();
    rows[0].get(0).unwrap()
}

/// Polls `check` every 50 ms until it holds, for at most `limit`; whether it
/// held.
pub async fn eventually<F: Future<Output = bool>>(
    limit: Duration,
    mut check: impl FnMut() -> F,
) -> bool {
    let start = Instant::now();
    let rounds = limit.as_millis() / 50 + 1;
    for _ in 0..rounds {
        if check().await {
            return true;
        }
        if start.elapsed() >= limit {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// A fresh schema, its pool, and an admin pool on the same server; the
/// schema (and every backend of its pool) is dropped with it.
pub struct Fixture {
    pub db: Scratch<Postgres>,
    /// The schema, and the `application_name` of its pool's connections.
    pub name: String,
    pub admin: Db<Postgres>,
}

impl Deref for Fixture {
    type Target = Db<Postgres>;
    fn deref(&self) -> &Db<Postgres> {
        &self.db
    }
}

impl Fixture {
    /// A schema on the server at `url`, its pool opened with the options
    /// `tune` makes of the defaults.
    pub async fn open(url: &str, tune: impl FnOnce(PostgresOptions) -> PostgresOptions) -> Fixture {
        Fixture::open_via(url, url, tune).await
    }

    /// A schema on the server at `url`, its pool reaching it at `reach` (the
    /// same server, through a proxy).
    pub async fn open_via(
        url: &str,
        reach: &str,
        tune: impl FnOnce(PostgresOptions) -> PostgresOptions,
    ) -> Fixture {
        let name = unique_name();
        let admin = admin(url, &format!("{name}_admin")).await;
        raw(&admin, &format!("CREATE SCHEMA {name}"), &[]).await;
        // The schema in the URL: `tune` may give settings of its own.
        let reach = with_option(
            reach,
            &format!("application_name={name}&search_path={name}"),
        );
        let db = tune(PostgresOptions::new(reach))
            .connect()
            .await
            .expect("connect to the test schema");
        Fixture {
            db: Scratch::new(db, Box::pin(cleanup(url.to_owned(), name.clone()))),
            name,
            admin,
        }
    }

    /// The pids of the backends of this schema's pool, in order.
    pub async fn backend_pids(&self) -> Vec<i32> {
        let rows = raw(
            &self.admin,
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid",
            &[Value::Text(self.name.clone())],
        )
        .await;
        rows.iter().map(|r| r.get(0).unwrap()).collect()
    }

    /// How many backends of this schema's pool run a statement now (the
    /// text `query` when given).
    pub async fn active(&self, query: Option<&str>) -> i64 {
        scalar(
            &self.admin,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 \
             AND state = 'active' AND ($2::text IS NULL OR query = $2)",
            &[
                Value::Text(self.name.clone()),
                query.map_or(Value::Null, |q| Value::Text(q.to_owned())),
            ],
        )
        .await
    }

    /// Waits (at most 10 s) until no backend of this schema's pool runs a
    /// statement (the text `query` when given); whether that happened.
    pub async fn settles(&self, query: Option<&str>) -> bool {
        eventually(Duration::from_secs(10), || async {
            self.active(query).await == 0
        })
        .await
    }

    /// An admin connection holding an `ACCESS EXCLUSIVE` lock on `table` of
    /// this schema in an open transaction: every statement on it waits.
    /// Give it to [`unlock`] to end the transaction.
    pub async fn lock_table(&self, table: &str) -> Conn {
        let mut conn = self.admin.executor().acquire().await.expect("acquire");
        conn.batch_execute(&format!(
            "BEGIN; LOCK TABLE {}.{table} IN ACCESS EXCLUSIVE MODE",
            self.name
        ))
        .await
        .expect("lock the table");
        conn
    }
}

/// Ends the transaction [`Fixture::lock_table`] opened.
pub async fn unlock(mut conn: Conn) {
    conn.batch_execute("ROLLBACK").await.expect("unlock");
    conn.release();
}

/// Ends the backends of the schema's pool and of its admin pool (a lock a
/// failed test left held), then drops the schema; within 30 s.
async fn cleanup(url: String, name: String) {
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        let admin = admin(&url, "keyway_resilience_cleanup").await;
        let mut conn = admin.executor().acquire().await.ok()?;
        let _ = conn
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name IN ($1, $1 || '_admin')",
                &[Value::Text(name.clone())],
            )
            .await;
        let _ = conn
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
            .await;
        conn.release();
        Some(())
    })
    .await;
}

/// Awaits `fut` for at most 30 s: a hang fails the test rather than holding it.
pub async fn bounded<T>(what: &str, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(30), fut).await {
        Ok(done) => done,
        Err(_) => panic!("{what} hung (30 s)"),
    }
}
