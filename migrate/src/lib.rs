//! Versioned migrations for keyway, generated from the `Entity` impls.
//!
//! The impls are the schema. [`Migrator::generate`] compares them with
//! the schema the existing migration files leave and writes the next file:
//! portable steps (add a column, create an index, run a Rust step, ...)
//! that every backend renders in its own DDL when it applies them, and the
//! snapshot `schema.json` of the schema they leave. [`Migrator::up`] and
//! [`Migrator::down`] apply and undo them, recorded in `keyway_migrations`;
//! [`Migrator::verify`] checks a database at start-up; [`cli::run`] is a
//! command line a program wires up in a few lines.

mod backfill;
pub mod cli;
mod file;
mod migrator;
mod record;
mod run;

pub use backfill::RustStep;
pub use file::{Migration, SNAPSHOT, checksum};
pub use migrator::Migrator;
pub use record::AppliedMigration;
pub use run::{Planned, State, Status};

fn invalid(detail: String) -> keyway::Error {
    keyway::Error::Invalid {
        what: "migration",
        detail,
    }
}
