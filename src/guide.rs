//! The guide: how to model, query and run keyway, chapter by chapter. The
//! chapters are the Markdown files in `docs/`, and each code block in them
//! is compiled and run as a doc test of this crate (on in-memory SQLite
//! unless it says otherwise), so what they show works.

#[doc = include_str!("../docs/modelling.md")]
pub mod modelling {}

#[doc = include_str!("../docs/types.md")]
pub mod types {}

#[doc = include_str!("../docs/queries.md")]
pub mod queries {}

#[doc = include_str!("../docs/relations.md")]
pub mod relations {}

#[doc = include_str!("../docs/writes.md")]
pub mod writes {}

#[doc = include_str!("../docs/schema.md")]
pub mod schema {}

#[doc = include_str!("../docs/backends.md")]
pub mod backends {}

#[doc = include_str!("../docs/dynamodb.md")]
pub mod dynamodb {}

#[doc = include_str!("../docs/errors.md")]
pub mod errors {}

#[doc = include_str!("../docs/type-errors.md")]
pub mod type_errors {}

#[doc = include_str!("../docs/performance.md")]
pub mod performance {}
