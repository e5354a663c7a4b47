//! The execution layer shared by the sqlx backends: a backend is a
//! [`SqlxDriver`] (binding, reading, error codes and the key strategy of one
//! database) plugged into [`SqlxBackend`] (the pool) and [`SqlxTx`] (a
//! transaction), which lower statements with this crate and run them.
//!
//! Only the driver knows its concrete sqlx database; everything here is
//! generic over it, so PostgreSQL and MySQL run the very same code path.
//!
//! SQLite keeps its own executor in `keyway-sqlite` for now: its arguments
//! borrow for the statement's lifetime (so `sqlx::Sqlite` is no
//! [`SqlxDatabase`]), its in-memory pool must keep a connection open, and its
//! `fetch_all` holds rows until the statement ends to avoid contention on
//! SQLite's allocator (see `BENCHMARKS.md`). Moving it here means a driver
//! hook for each of those.

mod backend;
mod driver;
mod errors;
mod glue;
mod options;
mod reader;
mod run;
mod stream;
mod tx;

pub use backend::SqlxBackend;
pub use driver::{Args, Conn, QueryRow, RawValue, SqlxDriver};
pub use errors::{declared_index, map_error, quoted_after};
pub use glue::SqlxDatabase;
pub use options::SqlxOptions;
pub use reader::{SqlxReader, decode, read_column};
pub use run::{prepare, returning_keys};
pub use tx::SqlxTx;
