//! PostgreSQL backend for keyway, on [tokio-postgres](tokio_postgres) with
//! TLS through rustls. It shares the execution layer of the MySQL backend
//! (`keyway_sql::SqlBackend`: keyway's pool and transactions) and keeps
//! keyway's own statement texts per entity, prepared once per connection.
//!
//! ```no_run
//! use std::time::Duration;
//! use keyway_postgres::{Postgres, PostgresOptions};
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = Postgres::connect("postgres://postgres@127.0.0.1:5432/test").await?;
//! let tuned = PostgresOptions::new(
//!     "postgres://app:secret@db.example.com/app?sslmode=verify-full&sslrootcert=system",
//! )
//! .max_connections(20)
//! .acquire_timeout(Duration::from_secs(5))
//! .connect()
//! .await?;
//! # let _ = (db, tuned);
//! # Ok(()) }
//! ```
//!
//! ## The connection string
//!
//! A libpq URL (`postgres://user:password@host:port/db?option=value`) or
//! `key=value` string. Every option is either implemented or refused with
//! `Error::Invalid` naming it, never ignored:
//!
//! * TLS: `sslmode` (`disable`, `allow`, `prefer` — the default: TLS
//!   whenever the server offers it —, `require`, `verify-ca`,
//!   `verify-full`, as libpq means them), `sslrootcert` (a PEM file, or
//!   `system` for the platform's roots), `sslcert` and `sslkey` (a client
//!   certificate), `channel_binding` (`disable`, `prefer`, `require`:
//!   SCRAM-SHA-256-PLUS over TLS), `sslnegotiation`.
//! * Hosts: several `host`s (and `hostaddr`, `port`) are tried in turn;
//!   `target_session_attrs` (`any`, `read-write`, `read-only`, `primary`,
//!   `standby`, `prefer-standby`) skips those of the wrong role;
//!   `load_balance_hosts`; `connect_timeout`.
//! * Dead peers: TCP keepalive is on (`keepalives`, `keepalives_idle`
//!   default 60 s, `keepalives_interval` 10 s, `keepalives_retries` 3) and
//!   `tcp_user_timeout` defaults to 60 s.
//! * Session: `user`, `password`, `dbname`, `application_name`, `options`,
//!   `require_auth`, and keyway's `search_path`, `statement_timeout` and
//!   `pooler` (see [`PostgresSettings`]).
//!
//! Logins: trust, cleartext password, MD5 and SCRAM-SHA-256(-PLUS), by
//! tokio-postgres, which checks the server's SCRAM proof. `require_auth`
//! (`password`, `md5`, `scram-sha-256`, `none`, or each negated with `!`)
//! refuses any other method the server asks for before a password leaves
//! the client, over TLS and plain TCP alike (a plaintext login it checks
//! runs on a socket keyway opens itself); a server message over 64 KiB
//! before the login ends is refused there too. tokio-postgres reads
//! neither the `PG*` environment variables nor `.pgpass`: give everything
//! in the string.
//!
//! A server error that ends its statement (a constraint, a deadlock, a
//! syntax error) keeps the connection; only a lost connection closes it.
//! Deadlocks and serialization failures are
//! `Error::TransactionConflict`; statement and lock timeouts
//! `Error::Timeout`. The server's NOTICE and WARNING messages are logged
//! through `tracing` (target `keyway_postgres::notice`). LISTEN/NOTIFY is
//! not offered on pooled connections (a notification is dropped); COPY goes
//! through [`PgConn::client`].
//!
//! Type mapping: `bool` is `BOOLEAN`, `i16` / `i32` / `i64` are `SMALLINT` /
//! `INTEGER` / `BIGINT`, `i8` and `u8` are `SMALLINT`, `u16` is `INTEGER`,
//! `u32` is `BIGINT` (a stored value beyond the field's range reads as
//! `Error::Decode`), `u64` is `NUMERIC(20)` (every `u64` round-trips
//! exactly), `f32` / `f64` are `REAL` / `DOUBLE PRECISION` (NaN, the
//! infinities and -0.0 round-trip), `String` is `TEXT`, `Vec<u8>` is
//! `BYTEA`. PostgreSQL text cannot hold the NUL character: such a string is
//! refused with `Error::OutOfRange` before it is sent. Generated keys come
//! back from `INSERT ... RETURNING`.
//!
//! Its type mapping, connection strings, poolers and hosted databases are
//! in keyway's guide, [`keyway::guide::backends`].
#![forbid(unsafe_code)]

mod bind;
mod conn;
mod connect;
mod driver;
mod encoder;
mod errors;
mod insert;
mod login_check;
mod lookup;
mod numeric;
mod oid;
mod raw;
mod reader;
mod row;
mod rows;
mod socket;
mod statements;
mod time;
mod tls;
mod url;

pub use bind::PgArgs;
pub use conn::PgConn;
pub use connect::PgConnect;
pub use driver::{PostgresDriver, PostgresSettings};
pub use errors::PgError;
pub use row::PgRow;
/// The driver keyway-postgres runs on, for raw SQL through
/// [`PgConn::client`] with its own types.
pub use tokio_postgres;

/// The PostgreSQL backend: a pool of connections. Use it as `Db<Postgres>`;
/// `acquire()` lends a [`PgConn`] for raw SQL ([`PgConn::query`],
/// [`PgConn::execute`], [`PgConn::batch_execute`], [`PgConn::client`]).
pub type Postgres = keyway_sql::SqlBackend<PostgresDriver>;

/// An open PostgreSQL transaction, used through `Db<Transaction<Postgres>>`.
pub type PostgresTx = keyway_sql::SqlTx<PostgresDriver>;

/// How to open PostgreSQL: the URL (`postgres://user:password@host:port/db`),
/// pool size, timeouts and [`PostgresSettings`].
pub type PostgresOptions = keyway_sql::SqlOptions<PostgresDriver>;
