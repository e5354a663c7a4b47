//! SQLite backend for keyway, on sqlx: the embedded default.
//!
//! ```
//! use keyway_sqlite::Sqlite;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = Sqlite::memory().await?; // a private in-memory database
//! # let _ = db;
//! # Ok(()) }
//! ```
//!
//! Type mapping (tables are `STRICT`): integers and `bool` are `INTEGER`
//! (64-bit signed: a `u64` above `i64::MAX` is refused with
//! `Error::OutOfRange`), floats are `REAL` (NaN is refused: SQLite would store
//! NULL), `String` is `TEXT`, `Vec<u8>` is `BLOB`.
#![forbid(unsafe_code)]

mod bind;
mod connect;
mod errors;
mod exec;
mod reader;
mod stream;
mod tx;

pub use connect::{Sqlite, SqliteOptions};
pub use tx::SqliteTx;
