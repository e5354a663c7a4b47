//! The execution layer shared by the server backends: a backend is a
//! [`Driver`] (connections, binding, reading, error codes and the key
//! strategy of one database) plugged into [`SqlBackend`] (keyway's pool) and
//! [`SqlTx`] (a transaction), which lower statements with this crate and run
//! them. Every [`SqlxDriver`] (PostgreSQL and MySQL on sqlx) is a driver.
//!
//! Only the driver knows its database; everything here is generic over it,
//! so every database runs the very same code path.
//!
//! SQLite is not here: `keyway-sqlite` runs on rusqlite, synchronously on
//! the calling task, which an embedded database answers faster than any
//! hand-off to a driver's worker thread.

mod backend;
mod driver;
mod errors;
#[cfg(feature = "sqlx")]
mod glue;
mod introspect;
mod migrate;
mod options;
mod pool;
mod pooled;
mod reader;
mod returning;
mod run;
#[cfg(feature = "sqlx")]
mod sqlx_driver;
mod stream;
mod tx;
mod upsert_report;

pub use backend::SqlBackend;
pub use driver::Driver;
#[cfg(feature = "sqlx")]
pub use errors::map_error;
pub use errors::{declared_index, quoted_after};
#[cfg(feature = "sqlx")]
pub use glue::SqlxDatabase;
pub use options::SqlOptions;
pub use pooled::PooledConn;
pub use reader::SqlReader;
pub use run::{Atomic, bound_returning_keys, prepare, returning_keys};
#[cfg(feature = "sqlx")]
pub use sqlx_driver::{Args, Conn, ConnectOptionsOf, QueryRow, RawValue, SqlxDriver, decode};
pub use tx::SqlTx;
