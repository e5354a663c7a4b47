//! Turso backend for keyway, on the `turso` crate: Turso Database, the
//! in-process, SQLite-compatible engine written in Rust.
//!
//! ```
//! use keyway_turso::Turso;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = Turso::connect("turso::memory:").await?; // a private in-memory database
//! # let _ = db;
//! # Ok(()) }
//! ```
//!
//! URLs: `turso::memory:` (a new in-memory database, shared by the pool's
//! connections and gone with the pool), `turso://path.db` or
//! `turso:path.db` (a file, created if missing), `?mode=ro` (read-only),
//! `?concurrent_writers=true` (see [`TursoSettings::concurrent_writers`]).
//!
//! The same model code and queries as on SQLite: tables are `STRICT`, and
//! values are stored as keyway's SQLite backend stores them (integers and
//! `bool` as `INTEGER`, 64-bit signed; floats as `REAL`, NaN and -0.0
//! refused; instants as microseconds, decimals as the integer of their
//! digits, UUIDs as 16-byte blobs, documents and lists as JSON text).
//! Names are quoted in backticks: Turso reads a double-quoted name that
//! resolves to no column as a string, so that a column the table lacks is
//! an error only when backticked. Every connection has foreign keys on.
//!
//! Statements are asynchronous all the way down (no blocking thread), and
//! rows stream one at a time with bounded memory. Transactions are plain
//! (`BEGIN`: writers take turns on the write lock, waiting up to the busy
//! timeout) unless [`TursoSettings::concurrent_writers`] turns on Turso's
//! MVCC.
//!
//! A database keyway does not open itself (one synced with Turso Cloud,
//! through the `turso` crate's `sync` feature) is reached through
//! [`TursoSettings::open_with`].
//!
//! Turso's engine checks whether `tracing` is on at TRACE level for its
//! own events, and when it is, traces every instruction of every statement:
//! a subscriber that records everything should filter `turso_core` out
//! (for example `turso_core=info` in an `EnvFilter`).
//!
//! Its type mapping, URLs and limits are in keyway's guide,
//! [`keyway::guide::backends`].
#![forbid(unsafe_code)]

mod conn;
mod driver;
mod errors;
mod lookup;
mod target;
mod values;

pub use conn::TursoConn;
pub use driver::{TursoConnect, TursoDriver, TursoSettings};
pub use turso;

/// The Turso backend: a pool of connections to one database. Use it as
/// `Db<Turso>`.
pub type Turso = keyway_sql::SqlBackend<TursoDriver>;

/// An open Turso transaction, used through `Db<Transaction<Turso>>`.
pub type TursoTx = keyway_sql::SqlTx<TursoDriver>;

/// How to open Turso: the URL, pool size, timeouts and [`TursoSettings`].
pub type TursoOptions = keyway_sql::SqlOptions<TursoDriver>;
