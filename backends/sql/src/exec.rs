//! The execution layer shared by the sqlx backends: a backend is a
//! [`SqlxDriver`] (binding, reading, error codes and the key strategy of one
//! database) plugged into [`SqlxBackend`] (the pool) and [`SqlxTx`] (a
//! transaction), which lower statements with this crate and run them.
//!
//! Only the driver knows its concrete sqlx database; everything here is
//! generic over it, so PostgreSQL and MySQL run the very same code path.
//!
//! SQLite is not here: `keyway-sqlite` runs on rusqlite, synchronously on
//! the calling task, which an embedded database answers faster than any
//! hand-off to a driver's worker thread.

mod backend;
mod driver;
mod errors;
mod glue;
mod options;
mod pool;
mod pooled;
mod reader;
mod run;
mod stream;
mod tx;

pub use backend::SqlxBackend;
pub use driver::{Args, Conn, QueryRow, RawValue, SqlxDriver};
pub use errors::{declared_index, map_error, quoted_after};
pub use glue::SqlxDatabase;
pub use options::SqlxOptions;
pub use pool::ConnectOptionsOf;
pub use pooled::PooledConn;
pub use reader::{SqlxReader, decode, read_column};
pub use run::{prepare, returning_keys};
pub use tx::SqlxTx;
