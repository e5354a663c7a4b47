//! The migrator: where the files are, the renames and Rust steps the
//! program declares, and what works without a database.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use keyway::migrate::{Renames, SchemaSpec, Step, plan};
use keyway::{Backend, Result, Schema};

use crate::backfill::{Registered, RustStep};
use crate::file::{self, Migration};
use crate::invalid;

/// Versioned migrations of one program's schema, kept as files in one
/// folder, applied to databases of backend `B`.
///
/// ```no_run
/// use keyway_migrate::Migrator;
/// # mod model { include!("../../examples/todo/model/user.rs"); }
/// # use model::User;
/// # async fn run(db: keyway::Db<keyway_sqlite::Sqlite>) -> keyway::Result<()> {
/// let migrator = Migrator::new("migrations");
/// migrator.generate::<User>("create_users")?; // writes migrations/0001_create_users.json
/// migrator.up(&db).await?;
/// # Ok(()) }
/// ```
pub struct Migrator<B: Backend> {
    pub(crate) dir: PathBuf,
    pub(crate) renames: Renames,
    pub(crate) rust: HashMap<String, Registered<B>>,
    pub(crate) allow_destructive: bool,
}

impl<B: Backend> std::fmt::Debug for Migrator<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrator")
            .field("dir", &self.dir)
            .field("renames", &self.renames)
            .field("rust_steps", &self.rust.keys().collect::<Vec<_>>())
            .field("allow_destructive", &self.allow_destructive)
            .finish()
    }
}

impl<B: Backend> Migrator<B> {
    /// The migrations kept in folder `dir` (created by the first
    /// [`generate`](Self::generate)).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Migrator {
            dir: dir.into(),
            renames: Renames::new(),
            rust: HashMap::new(),
            allow_destructive: false,
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Declares that table `from` is now called `to`: the next generated
    /// migration renames it rather than dropping one and creating the other.
    pub fn rename_table(mut self, from: &str, to: &str) -> Self {
        self.renames = self.renames.table(from, to);
        self
    }

    /// Declares that column `from` of `table` (its new name, if it was
    /// renamed too) is now called `to`.
    pub fn rename_column(mut self, table: &str, from: &str, to: &str) -> Self {
        self.renames = self.renames.column(table, from, to);
        self
    }

    /// Registers the Rust step that migration files name `name`.
    pub fn rust_step(mut self, name: &str, step: impl RustStep) -> Self {
        self.rust.insert(name.to_owned(), Registered::new(step));
        self
    }

    /// Lets `up` and `down` run steps that may lose data: dropping a table
    /// or a column, narrowing a column's type, making NOT NULL a column that
    /// has rows without a value. Refused otherwise, before anything runs.
    pub fn allow_destructive(mut self, allow: bool) -> Self {
        self.allow_destructive = allow;
        self
    }

    /// The migration files, in order, checked to apply one after another.
    pub fn migrations(&self) -> Result<Vec<Migration>> {
        Ok(self.history()?.0)
    }

    /// The migration files, in order, and the schema before each of them
    /// and after the last ([`file::schemas`]).
    pub(crate) fn history(&self) -> Result<(Vec<Migration>, Vec<SchemaSpec>)> {
        let migrations = file::read_dir(&self.dir)?;
        let schemas = file::schemas(&migrations)?;
        Ok((migrations, schemas))
    }

    /// The steps from the schema the migrations leave to the one `S`'s
    /// impls declare: what [`generate`](Self::generate) would write. Needs
    /// no database.
    pub fn changes<S: Schema>(&self) -> Result<Vec<Step>> {
        let migrations = file::read_dir(&self.dir)?;
        let from = file::fold(&migrations)?;
        plan(&from, &SchemaSpec::of::<S>()?, &self.renames)
    }

    /// Writes the next migration, named `name`, from the changes between
    /// the migrations and `S`'s impls, and the new snapshot
    /// (`schema.json`); `None` when there is no change.
    pub fn generate<S: Schema>(&self, name: &str) -> Result<Option<Migration>> {
        let migrations = file::read_dir(&self.dir)?;
        let from = file::fold(&migrations)?;
        let to = SchemaSpec::of::<S>()?;
        let steps = plan(&from, &to, &self.renames)?;
        if steps.is_empty() {
            return Ok(None);
        }
        let mut after = from;
        for step in &steps {
            after.apply(step)?;
        }
        file::write(&self.dir, &migrations, name, steps, &after).map(Some)
    }

    /// Checks, without a database, that the migrations apply one after
    /// another, that the snapshot is the schema they leave, and that it is
    /// the schema `S`'s impls declare: the check for CI.
    pub fn check<S: Schema>(&self) -> Result<()> {
        let migrations = file::read_dir(&self.dir)?;
        let folded = file::fold(&migrations)?.normalized();
        match file::read_snapshot(&self.dir)? {
            Some(snapshot) if snapshot.normalized() != folded => {
                return Err(invalid(format!(
                    "{} is not the schema the migrations leave: it was edited, or a migration \
                     was; generate again from a clean state",
                    self.dir.join(file::SNAPSHOT).display()
                )));
            }
            None if !migrations.is_empty() => {
                return Err(invalid(format!(
                    "{} is missing",
                    self.dir.join(file::SNAPSHOT).display()
                )));
            }
            _ => {}
        }
        let changes = plan(&folded, &SchemaSpec::of::<S>()?, &self.renames)?;
        if let Some(first) = changes.first() {
            return Err(invalid(format!(
                "the impls declare changes no migration makes ({} in all, the first \"{first}\"): \
                 generate a migration",
                changes.len()
            )));
        }
        Ok(())
    }
}
