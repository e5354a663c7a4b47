//! SQLite backend for keyway, on rusqlite: the embedded default.
//!
//! ```
//! use keyway_sqlite::Sqlite;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = Sqlite::memory().await?; // a private in-memory database
//! # let _ = db;
//! # Ok(()) }
//! ```
//!
//! **Statements run on the calling task.** A statement waits asynchronously
//! only for a free pooled connection; then it runs to the end synchronously,
//! with no worker thread and no `spawn_blocking`. An embedded database answers
//! in microseconds, so that is faster than any hand-off. The cost: a write
//! that finds another process (or another pooled connection) holding the lock
//! on a file database blocks the task's thread for up to the busy timeout
//! ([`SqliteOptions::busy_timeout`], 5 s by default), then fails with
//! `Error::Timeout`. On a file database, `Db::stream` runs its statement on
//! a blocking thread that holds a pooled connection and reads at most 256
//! decoded rows ahead of the consumer, so memory stays bounded; the connection
//! is freed when the rows end or the stream is dropped. On an in-memory
//! database (whose one connection the stream's include queries and the
//! consumer need) and inside a transaction, a stream reads its rows in full
//! when first polled.
//!
//! An in-memory database lives in one connection, so its pool has exactly
//! one: concurrent tasks take turns on it, and an open transaction holds it
//! until it ends. Every connection has `PRAGMA foreign_keys = ON`, keeps
//! up to 256 prepared statements, and has double-quoted string literals off
//! (a name that resolves to no column is an error, never read as a string).
//!
//! Type mapping (tables are `STRICT`): integers and `bool` are `INTEGER`
//! (64-bit signed: a `u64` above `i64::MAX` is refused with
//! `Error::OutOfRange`), floats are `REAL` (NaN and -0.0 are refused: SQLite
//! would store NULL, and read 0.0 back), `String` is `TEXT`, `Vec<u8>` is
//! `BLOB`. A missing table is `Error::MissingTable`.
//!
//! The driver is re-exported as [`rusqlite`], for raw SQL through
//! [`Sqlite::with_connection`].
//!
//! Its type mapping, pool and limits are in keyway's guide,
//! [`keyway::guide::backends`]; modelling and queries in
//! [`keyway::guide::modelling`] and [`keyway::guide::queries`].
#![forbid(unsafe_code)]

mod backend;
mod bind;
mod conn;
mod connect;
mod errors;
mod exec;
mod insert;
mod introspect;
mod pool;
mod reader;
mod save;
mod target;
mod tx;

pub use connect::{Sqlite, SqliteOptions};
pub use rusqlite;
pub use tx::SqliteTx;
