//! PostgreSQL backend for keyway. It speaks PostgreSQL's protocol itself
//! (messages by `postgres-protocol`, on its own socket, rows read straight
//! from the socket's buffer) and shares the execution layer of the MySQL
//! backend (`keyway_sql::SqlBackend`: keyway's pool and transactions).
//!
//! ```no_run
//! use std::time::Duration;
//! use keyway_postgres::{Postgres, PostgresOptions};
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = Postgres::connect("postgres://postgres@127.0.0.1:5432/test").await?;
//! let tuned = PostgresOptions::new("postgres://postgres@127.0.0.1:5432/test")
//!     .max_connections(20)
//!     .acquire_timeout(Duration::from_secs(5))
//!     .connect()
//!     .await?;
//! # let _ = (db, tuned);
//! # Ok(()) }
//! ```
//!
//! Type mapping: `bool` is `BOOLEAN`, `i16` / `i32` / `i64` are `SMALLINT` /
//! `INTEGER` / `BIGINT`, `u32` is `BIGINT`, `u64` is `NUMERIC(20)` (every
//! `u64` round-trips exactly), `f32` / `f64` are `REAL` / `DOUBLE PRECISION`
//! (NaN and the infinities round-trip), `String` is `TEXT`, `Vec<u8>` is
//! `BYTEA`. PostgreSQL text cannot hold the NUL character: such a string is
//! refused with `Error::OutOfRange` before it is sent. Generated keys come
//! back from `INSERT ... RETURNING`.
#![forbid(unsafe_code)]

mod bind;
mod conn;
mod driver;
mod encoder;
mod errors;
mod insert;
mod lookup;
mod numeric;
mod oid;
mod raw;
mod reader;
mod row;
mod rows;
mod socket;
mod startup;
mod statements;
mod wire;

pub use bind::PgArgs;
pub use conn::PgConn;
pub use driver::{PostgresDriver, PostgresSettings};
pub use errors::{DbError, PgError};
pub use row::PgRow;

/// The PostgreSQL backend: a pool of connections. Use it as `Db<Postgres>`;
/// `acquire()` lends a [`PgConn`] for raw SQL ([`PgConn::query`],
/// [`PgConn::execute`], [`PgConn::batch_execute`]).
pub type Postgres = keyway_sql::SqlBackend<PostgresDriver>;

/// An open PostgreSQL transaction, used through `Db<Transaction<Postgres>>`.
pub type PostgresTx = keyway_sql::SqlTx<PostgresDriver>;

/// How to open PostgreSQL: the URL (`postgres://user:password@host:port/db`),
/// pool size, timeouts and [`PostgresSettings`].
pub type PostgresOptions = keyway_sql::SqlOptions<PostgresDriver>;
