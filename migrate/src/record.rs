//! The record of applied migrations: the `keyway_migrations` table (a
//! table on DynamoDB too), one row per migration, written by hand as any
//! keyway entity is.

use keyway::prelude::*;

/// One applied (or, on a backend that applies step by step, partly
/// applied) migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    /// Its number (`0003`).
    pub version: String,
    /// Its name.
    pub name: String,
    /// The checksum of its steps when it was applied.
    pub checksum: String,
    /// How many steps it has.
    pub steps: i64,
    /// How many of them are applied: all of them once it is done.
    pub steps_done: i64,
    /// When it was applied, in microseconds since the Unix epoch.
    pub applied_at: i64,
}

impl AppliedMigration {
    /// The migration's number.
    pub const VERSION: Column<AppliedMigration, String, PrimaryKey> = Column::new("version");
    /// Its name.
    pub const NAME: Column<AppliedMigration, String> = Column::new("name");
    /// Its checksum.
    pub const CHECKSUM: Column<AppliedMigration, String> = Column::new("checksum");
    /// How many steps it has.
    pub const STEPS: Column<AppliedMigration, i64> = Column::new("steps");
    /// How many are applied.
    pub const STEPS_DONE: Column<AppliedMigration, i64> = Column::new("steps_done");
    /// When.
    pub const APPLIED_AT: Column<AppliedMigration, i64> = Column::new("applied_at");

    /// Whether every step is applied.
    pub fn is_complete(&self) -> bool {
        self.steps_done >= self.steps
    }
}

impl Entity for AppliedMigration {
    type Key = String;
    const TABLE: &'static str = "keyway_migrations";
    const COLUMNS: &'static [ColumnDef] = &[
        AppliedMigration::VERSION.def(),
        AppliedMigration::NAME.def(),
        AppliedMigration::CHECKSUM.def(),
        AppliedMigration::STEPS.def(),
        AppliedMigration::STEPS_DONE.def(),
        AppliedMigration::APPLIED_AT.def(),
    ];

    fn key(&self) -> String {
        self.version.clone()
    }

    fn write(&self, row: &mut impl RowWriter<Self>) {
        row.put(AppliedMigration::VERSION, &self.version);
        row.put(AppliedMigration::NAME, &self.name);
        row.put(AppliedMigration::CHECKSUM, &self.checksum);
        row.put(AppliedMigration::STEPS, &self.steps);
        row.put(AppliedMigration::STEPS_DONE, &self.steps_done);
        row.put(AppliedMigration::APPLIED_AT, &self.applied_at);
    }

    fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
        Ok(AppliedMigration {
            version: row.get(AppliedMigration::VERSION)?,
            name: row.get(AppliedMigration::NAME)?,
            checksum: row.get(AppliedMigration::CHECKSUM)?,
            steps: row.get(AppliedMigration::STEPS)?,
            steps_done: row.get(AppliedMigration::STEPS_DONE)?,
            applied_at: row.get(AppliedMigration::APPLIED_AT)?,
        })
    }
}

/// Now, in microseconds since the Unix epoch.
pub(crate) fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}
