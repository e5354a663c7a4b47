//! keyway-postgres against the scratch servers of `scripts/pg_scratch`:
//! every sslmode against servers with and without TLS, certificate checks,
//! channel binding, client certificates, password logins and `require_auth`,
//! the session role across several hosts, pgbouncer in transaction mode, and
//! the server's notices.

#[path = "postgres_production/hosts.rs"]
mod hosts;
#[path = "postgres_production/logins.rs"]
mod logins;
mod model;
#[path = "postgres_production/notices.rs"]
mod notices;
mod pg_scratch;
#[path = "postgres_production/pooler.rs"]
mod pooler;
#[path = "postgres_production/scram_proof.rs"]
mod scram_proof;
#[path = "postgres_production/sslmode.rs"]
mod sslmode;

use keyway::Error;
use keyway_postgres::Postgres;

/// Whether a connection opened from `url` is encrypted, as the server sees
/// it (`pg_stat_ssl`).
pub async fn encrypted(url: &str) -> Result<bool, Error> {
    let db = Postgres::connect(url).await?;
    let mut conn = db.executor().acquire().await?;
    let rows = conn
        .query(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .expect("read pg_stat_ssl");
    conn.release();
    Ok(rows[0].get::<bool>(0).expect("pg_stat_ssl.ssl"))
}

/// The first column of `sql`'s first row, as text, on a connection from `url`.
pub async fn scalar(url: &str, sql: &str) -> Result<String, Error> {
    let db = Postgres::connect(url).await?;
    let mut conn = db.executor().acquire().await?;
    let rows = conn.query(sql, &[]).await.expect(sql);
    conn.release();
    Ok(rows[0].get::<String>(0).expect("a text column"))
}
