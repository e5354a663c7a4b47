//! MySQL 8 and MariaDB backend for keyway, on sqlx and the execution layer it
//! shares with the PostgreSQL backend (`keyway_sql::SqlBackend`).
//!
//! ```no_run
//! use std::time::Duration;
//! use keyway_mysql::{MySql, MySqlOptions};
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let db = MySql::connect("mysql://root@127.0.0.1:3306/test").await?;
//! let tuned = MySqlOptions::new("mysql://root@127.0.0.1:3306/test")
//!     .max_connections(20)
//!     .acquire_timeout(Duration::from_secs(5))
//!     .connect()
//!     .await?;
//! # let _ = (db, tuned);
//! # Ok(()) }
//! ```
//!
//! Type mapping (InnoDB, `utf8mb4_bin`): `bool` is `BOOLEAN`, `i8` / `i16` /
//! `i32` / `i64` are `TINYINT` / `SMALLINT` / `INT` / `BIGINT`, `u8` / `u16` /
//! `u32` / `u64` are `TINYINT UNSIGNED` / `SMALLINT UNSIGNED` / `INT UNSIGNED` /
//! `BIGINT UNSIGNED`, `f32` / `f64` are `FLOAT` / `DOUBLE` (NaN, the
//! infinities and -0.0 are refused with `Error::OutOfRange`: MySQL cannot
//! store the first two, and reads -0.0 back as 0.0),
//! `String` is `LONGTEXT`, or `VARCHAR(255)` when a key or index covers it,
//! `Vec<u8>` is `LONGBLOB` or `VARBINARY(255)`. Every connection runs in strict
//! mode, so a value too long for its column is `Error::OutOfRange`, never
//! truncated. `UPDATE` counts the rows it matched (`CLIENT_FOUND_ROWS`), not
//! only those it changed.
//!
//! Generated keys: see [`MySqlKeys`]. MariaDB 10.5+ returns them with
//! `INSERT ... RETURNING`; on MySQL a batch is one multi-row statement when
//! `innodb_autoinc_lock_mode` is 0 or 1 (its keys are consecutive from
//! `LAST_INSERT_ID()`), and one row per statement inside a transaction when it
//! is 2.
//!
//! Its type mapping, `ssl-mode` settings and hosted databases are in
//! keyway's guide, [`keyway::guide::backends`].
#![forbid(unsafe_code)]

mod bind;
mod driver;
mod errors;
mod keys;
mod reader;
mod time;

pub use driver::{MySqlDriver, MySqlSettings};
pub use keys::MySqlKeys;

/// The MySQL / MariaDB backend: a pool of sqlx connections. Use it as `Db<MySql>`.
pub type MySql = keyway_sql::SqlBackend<MySqlDriver>;

/// An open MySQL transaction, used through `Db<Transaction<MySql>>`.
pub type MySqlTx = keyway_sql::SqlTx<MySqlDriver>;

/// How to open MySQL: the URL (`mysql://user:password@host:port/db`), pool
/// size, timeouts and [`MySqlSettings`].
pub type MySqlOptions = keyway_sql::SqlOptions<MySqlDriver>;
