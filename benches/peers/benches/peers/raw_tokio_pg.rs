//! A second PostgreSQL baseline: the same work as `raw_pg.rs`, written by
//! hand against tokio-postgres (the driver under Toasty), to show what the
//! driver beneath costs. One connection (its task spawned, as tokio-postgres
//! is meant to be used), as Diesel's one `PgConnection`; each statement
//! text is prepared once and kept, as sqlx's statement cache keeps it.
//!
//! With `sslmode=disable` the connection is plain TCP (`NoTls`); with any
//! other `sslmode` it goes through tokio-postgres-rustls, as
//! keyway-postgres's does, on a rustls configuration that accepts any
//! server certificate (see [`Unverified`]).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, NoTls, Row, Statement};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::data::OWNERS;
use crate::model::{Todo, User};

/// One connection and the statements prepared on it.
pub struct Raw {
    client: Client,
    prepared: Mutex<HashMap<String, Statement>>,
}

/// A connection to `url`; its connection task runs on the caller's runtime.
/// TLS unless `url` says `sslmode=disable` (tokio-postgres's `prefer` and
/// `require` then decide whether it may fall back to plain TCP).
pub async fn open(url: &str) -> Raw {
    let config: Config = url
        .parse()
        .unwrap_or_else(|e| panic!("tokio-postgres cannot read {url}: {e}"));
    let client = if config.get_ssl_mode() == SslMode::Disable {
        let (client, connection) = config
            .connect(NoTls)
            .await
            .unwrap_or_else(|e| failed(url, e));
        drive(connection);
        client
    } else {
        let (client, connection) = config
            .connect(tls())
            .await
            .unwrap_or_else(|e| failed(url, e));
        drive(connection);
        client
    };
    Raw {
        client,
        prepared: Mutex::new(HashMap::new()),
    }
}

fn failed<T>(url: &str, e: tokio_postgres::Error) -> T {
    panic!("open tokio-postgres on {url}: {e}")
}

/// Runs a connection's protocol on a task of its own.
fn drive(connection: impl Future<Output = Result<(), tokio_postgres::Error>> + Send + 'static) {
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            panic!("tokio-postgres connection failed: {e}");
        }
    });
}

/// rustls on the ring provider (keyway-postgres's), without a client
/// certificate, the server's certificate accepted unchecked ([`Unverified`]).
fn tls() -> MakeRustlsConnect {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Unverified(provider.signature_verification_algorithms);
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("rustls protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    MakeRustlsConnect::new(config)
}

/// Accepts any server certificate, and still checks the handshake's
/// signatures against it: what libpq, sqlx and keyway do for
/// `sslmode=require` without a root certificate. The bench's server uses
/// Debian's self-signed "snakeoil" certificate, issued to the machine's
/// host name, which no root store or `localhost` check would accept; the
/// connection is encrypted, the server not authenticated.
#[derive(Debug)]
struct Unverified(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

impl Raw {
    /// `sql` as a prepared statement, prepared on its first use.
    async fn statement(&self, sql: &str) -> Statement {
        if let Some(found) = self.prepared.lock().expect("cache").get(sql) {
            return found.clone();
        }
        let prepared = self.client.prepare(sql).await.expect("prepare");
        let mut cache = self.prepared.lock().expect("cache");
        cache.insert(sql.to_owned(), prepared.clone());
        prepared
    }

    async fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Vec<Row> {
        let statement = self.statement(sql).await;
        self.client.query(&statement, params).await.expect(sql)
    }
}

fn user(row: &Row) -> User {
    User {
        id: row.get(0),
        name: row.get(1),
        email: row.get(2),
    }
}

fn todo(row: &Row) -> Todo {
    Todo {
        id: row.get(0),
        owner_id: row.get(1),
        title: row.get(2),
        done: row.get(3),
        priority: row.get(4),
        note: row.get(5),
    }
}

pub async fn get(raw: &Raw, id: i64) -> User {
    let statement = raw
        .statement("SELECT id, name, email FROM users WHERE id = $1")
        .await;
    let row = raw.client.query_opt(&statement, &[&id]).await.expect("get");
    user(&row.expect("row exists"))
}

pub async fn all(raw: &Raw) -> Vec<User> {
    let rows = raw.query("SELECT id, name, email FROM users", &[]).await;
    rows.iter().map(user).collect()
}

/// One multi-row `INSERT ... RETURNING id`, built and bound in the timed
/// region, the keys sorted into row order (as keyway does).
pub async fn insert_many(raw: &Raw, users: &[User]) -> Vec<i64> {
    let mut sql = String::with_capacity(48 + users.len() * 16 + 16);
    sql.push_str("INSERT INTO users (name, email) VALUES ");
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(users.len() * 2);
    for (i, u) in users.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{sep}(${}, ${})", 2 * i + 1, 2 * i + 2);
        params.extend([&u.name as &(dyn ToSql + Sync), &u.email]);
    }
    sql.push_str(" RETURNING id");
    let rows = raw.query(&sql, &params).await;
    let mut ids = rows.iter().map(|r| r.get::<_, i64>(0)).collect::<Vec<_>>();
    ids.sort_unstable();
    ids
}

/// The users with `id <= OWNERS`, then their todos in one `IN (...)` query,
/// grouped per user in the users' order.
pub async fn eager(raw: &Raw) -> Vec<(User, Vec<Todo>)> {
    let users: Vec<User> = raw
        .query(
            "SELECT id, name, email FROM users WHERE id <= $1",
            &[&OWNERS],
        )
        .await
        .iter()
        .map(user)
        .collect();
    let mut sql = String::from(
        "SELECT id, owner_id, title, done, priority, note FROM todos WHERE owner_id IN (",
    );
    let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(users.len());
    for (i, u) in users.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{sep}${}", i + 1);
        params.push(&u.id);
    }
    sql.push_str(") ORDER BY owner_id, id");
    let mut by_owner: HashMap<i64, Vec<Todo>> = HashMap::with_capacity(users.len());
    for row in &raw.query(&sql, &params).await {
        let t = todo(row);
        by_owner.entry(t.owner_id).or_default().push(t);
    }
    users
        .into_iter()
        .map(|u| {
            let todos = by_owner.remove(&u.id).unwrap_or_default();
            (u, todos)
        })
        .collect()
}

/// Empties `users` (untimed, between insert batches).
pub async fn clear(raw: &Raw) {
    raw.client
        .batch_execute("DELETE FROM users")
        .await
        .expect("empty users");
}
