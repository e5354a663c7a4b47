//! Schema changes as data: the schema the impls declare as a
//! [`SchemaSpec`], the [`Step`]s from one spec to another ([`plan`]), and
//! the [`Change`] a backend applies or prints. The `keyway-migrate` crate
//! builds versioned migration files, their records and a command line on
//! these.
//!
//! ```
//! use keyway::migrate::{Renames, SchemaSpec, Step, plan};
//! # mod model { include!("../../examples/todo/model/user.rs"); }
//! # use model::User;
//! let empty = SchemaSpec::default();
//! let v1 = SchemaSpec::of::<User>()?;
//! let steps = plan(&empty, &v1, &Renames::new())?;
//! assert!(matches!(&steps[0], Step::CreateTable { table } if table.name == "users"));
//! assert!(plan(&v1, &v1, &Renames::new())?.is_empty());
//! # Ok::<(), keyway::Error>(())
//! ```

mod diff;
mod fold;
mod live;
mod spec;
mod step;
mod table_def;

pub use diff::{Renames, plan};
pub use live::live_table;
pub use spec::{ColumnSpec, LayoutSpec, SchemaSpec, TableSpec, TypeSpec, on_delete_of};
pub use step::{Destructive, Step};
pub use table_def::static_name;

/// One step in its place: the schema before it and after it, which a
/// backend reads to render the step (MySQL's type of an indexed text
/// column, SQLite's table rebuilt in full).
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The step.
    pub step: &'a Step,
    /// The schema before it.
    pub before: &'a SchemaSpec,
    /// The schema after it.
    pub after: &'a SchemaSpec,
}

impl Change<'_> {
    /// The changed table before the step (`None` when it creates it).
    pub fn table_before(&self) -> Option<&TableSpec> {
        let name = match self.step {
            Step::RenameTable { from, .. } => from.as_str(),
            step => step.table(),
        };
        self.before.table(name)
    }

    /// The changed table after the step (`None` when it drops it).
    pub fn table_after(&self) -> Option<&TableSpec> {
        self.after.table(self.step.table())
    }

    /// The changed table before the step, for a step that needs it:
    /// [`Error::Invalid`](crate::Error::Invalid) when the schema has none.
    pub fn before_table(&self) -> crate::Result<&TableSpec> {
        self.table_before().ok_or_else(|| self.missing("before"))
    }

    /// The changed table after the step, for a step that needs it.
    pub fn after_table(&self) -> crate::Result<&TableSpec> {
        self.table_after().ok_or_else(|| self.missing("after"))
    }

    fn missing(&self, when: &str) -> crate::Error {
        crate::Error::Invalid {
            what: "migration",
            detail: format!(
                "the step \"{}\" names table `{}`, which the schema {when} it does not have",
                self.step,
                self.step.table()
            ),
        }
    }
}

/// How a backend applies a migration's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaChanges {
    /// It does not apply them.
    Unsupported,
    /// In one transaction with the migration's record, so that a failure
    /// leaves nothing of the migration (PostgreSQL, SQLite).
    Transactional,
    /// One by one, each final when made (MySQL, whose DDL commits; DynamoDB):
    /// a failure undoes the steps already made.
    OneByOne,
}
