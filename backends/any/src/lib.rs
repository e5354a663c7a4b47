//! A keyway backend chosen at run time from a URL.
//!
//! `Db<AnyBackend>` runs on SQLite, Turso (with the `turso` feature),
//! PostgreSQL, MySQL/MariaDB or DynamoDB,
//! picked by the URL's scheme. Its capability is what every backend shares:
//! it [`Supports`](keyway::Supports) [`Indexed`](keyway::Indexed) queries and
//! explicit `.scan()`s only, so code that compiles against it runs on every
//! database. An unindexed filter is a compile error, exactly as on DynamoDB.
//!
//! ```
//! # mod model { include!("../../../examples/todo/model/user.rs"); }
//! # use model::User;
//! use keyway::prelude::*;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
//! let url = std::env::var("KEYWAY_DATABASE_URL").unwrap_or_else(|_| "sqlite::memory:".into());
//! let db = keyway_any::connect(&url).await?;
//! db.create_schema::<User>().await?;
//! let id = db.insert(&User::new("Ann", "ann@example.com")).await?;
//! let ann = db.first(User::query().filter(User::EMAIL.eq("ann@example.com"))).await?;
//! assert_eq!(ann.map(|u| u.id), Some(id));
//! # db.drop_schema::<User>().await?;
//! # Ok(()) }
//! ```
//!
//! What the portable handle accepts, and why, is in keyway's guide,
//! [`keyway::guide::queries`] and [`keyway::guide::backends`].
#![forbid(unsafe_code)]

mod backend;
mod dispatch;
mod tx;

pub use backend::{AnyBackend, connect};
pub use tx::AnyTx;
