//! One change to a schema. Every step carries what undoing it needs (a
//! dropped table's or column's definition, a column's type before and
//! after), so a migration's way down is its steps undone in reverse order.

use std::fmt;

use crate::{ColumnType, ForeignKeySchema, IndexSchema};

use super::{ColumnSpec, TableSpec};

/// One change to a schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Step {
    /// Create a table, with its indexes and foreign keys.
    CreateTable {
        /// The table.
        table: TableSpec,
    },
    /// Drop a table and its rows.
    DropTable {
        /// The table as it was (to create it again on the way down).
        table: TableSpec,
    },
    /// Rename a table.
    RenameTable {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Add a column.
    AddColumn {
        /// The table.
        table: String,
        /// The column.
        column: ColumnSpec,
    },
    /// Drop a column and its values.
    DropColumn {
        /// The table.
        table: String,
        /// The column as it was.
        column: ColumnSpec,
    },
    /// Rename a column.
    RenameColumn {
        /// The table.
        table: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Change a column's type or nullability (not its name).
    AlterColumn {
        /// The table.
        table: String,
        /// The column before.
        from: ColumnSpec,
        /// The column after.
        to: ColumnSpec,
    },
    /// Create an index (a unique one is a unique constraint).
    AddIndex {
        /// The table.
        table: String,
        /// The index.
        index: IndexSchema,
    },
    /// Drop an index.
    DropIndex {
        /// The table.
        table: String,
        /// The index as it was.
        index: IndexSchema,
    },
    /// Add a foreign key.
    AddForeignKey {
        /// The table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKeySchema,
    },
    /// Drop a foreign key.
    DropForeignKey {
        /// The table.
        table: String,
        /// The foreign key as it was.
        foreign_key: ForeignKeySchema,
    },
    /// Change the column that says when a table's rows expire
    /// ([`Column::expires_at`](crate::Column::expires_at)): DynamoDB's
    /// Time to Live turned on (its TTL attribute filled from the column)
    /// or off; nothing to do on SQL, where the column is an ordinary one.
    SetExpiry {
        /// The table.
        table: String,
        /// The expiry column before, if any.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        from: Option<String>,
        /// The expiry column after, if any.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        to: Option<String>,
    },
    /// Run a step of Rust code with the database (a backfill), registered
    /// under `up` by the program that applies the migration; `down`, if
    /// given, runs when the migration is rolled back.
    Rust {
        /// The name of the step run on the way up.
        up: String,
        /// The name of the step run on the way down, if any.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        down: Option<String>,
    },
}

/// Why a step may lose data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Destructive {
    /// It drops a table and its rows.
    DropsTable,
    /// It drops a column and its values.
    DropsColumn,
    /// It narrows a column's type: a value may not fit.
    NarrowsType,
    /// It makes a column NOT NULL: a row may hold NULL, or (a new column)
    /// no value at all. Destructive only when the table has such rows,
    /// which applying checks.
    MakesNotNull,
}

impl Step {
    /// The step that undoes this one.
    pub fn inverse(&self) -> Step {
        match self.clone() {
            Step::CreateTable { table } => Step::DropTable { table },
            Step::DropTable { table } => Step::CreateTable { table },
            Step::RenameTable { from, to } => Step::RenameTable { from: to, to: from },
            Step::AddColumn { table, column } => Step::DropColumn { table, column },
            Step::DropColumn { table, column } => Step::AddColumn { table, column },
            Step::RenameColumn { table, from, to } => Step::RenameColumn {
                table,
                from: to,
                to: from,
            },
            Step::AlterColumn { table, from, to } => Step::AlterColumn {
                table,
                from: to,
                to: from,
            },
            Step::AddIndex { table, index } => Step::DropIndex { table, index },
            Step::DropIndex { table, index } => Step::AddIndex { table, index },
            Step::AddForeignKey { table, foreign_key } => {
                Step::DropForeignKey { table, foreign_key }
            }
            Step::DropForeignKey { table, foreign_key } => {
                Step::AddForeignKey { table, foreign_key }
            }
            Step::SetExpiry { table, from, to } => Step::SetExpiry {
                table,
                from: to,
                to: from,
            },
            Step::Rust { up, down } => match down {
                Some(down) if up.is_empty() => Step::Rust {
                    up: down,
                    down: None,
                },
                Some(down) => Step::Rust {
                    up: down,
                    down: Some(up),
                },
                None => Step::Rust {
                    up: String::new(),
                    down: Some(up),
                },
            },
        }
    }

    /// The table the step changes (empty for a Rust step).
    pub fn table(&self) -> &str {
        match self {
            Step::CreateTable { table } | Step::DropTable { table } => &table.name,
            Step::RenameTable { to, .. } => to,
            Step::AddColumn { table, .. }
            | Step::DropColumn { table, .. }
            | Step::RenameColumn { table, .. }
            | Step::AlterColumn { table, .. }
            | Step::AddIndex { table, .. }
            | Step::DropIndex { table, .. }
            | Step::AddForeignKey { table, .. }
            | Step::DropForeignKey { table, .. }
            | Step::SetExpiry { table, .. } => table,
            Step::Rust { .. } => "",
        }
    }

    /// Why the step may lose data, if it may. A NOT NULL column added or
    /// made so is [`Destructive::MakesNotNull`]: whether it loses anything
    /// depends on the rows, which applying checks.
    pub fn destructive(&self) -> Option<Destructive> {
        match self {
            Step::DropTable { .. } => Some(Destructive::DropsTable),
            Step::DropColumn { .. } => Some(Destructive::DropsColumn),
            Step::AddColumn { column, .. } if !column.nullable && !column.auto => {
                Some(Destructive::MakesNotNull)
            }
            Step::AlterColumn { from, to, .. } => {
                if !widens(from, to) {
                    Some(Destructive::NarrowsType)
                } else if from.nullable && !to.nullable {
                    Some(Destructive::MakesNotNull)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Whether this is a Rust step with nothing to run (the way down of one
    /// without a `down`).
    pub fn is_noop(&self) -> bool {
        matches!(self, Step::Rust { up, .. } if up.is_empty())
    }
}

/// Whether every value of column `from` fits in column `to` unchanged.
fn widens(from: &ColumnSpec, to: &ColumnSpec) -> bool {
    use ColumnType::*;
    let (a, b) = (from.ty.ty, to.ty.ty);
    let rank = |t: ColumnType| match t {
        I8 => Some((true, 1)),
        I16 => Some((true, 2)),
        I32 => Some((true, 4)),
        I64 => Some((true, 8)),
        U8 => Some((false, 1)),
        U16 => Some((false, 2)),
        U32 => Some((false, 4)),
        U64 => Some((false, 8)),
        _ => None,
    };
    let types = match (a, b) {
        _ if a == b && from.ty.decimal == to.ty.decimal => true,
        (Decimal, Decimal) => {
            // Undeclared is `(38, 0)`, as every backend declares it.
            let (p1, s1) = from.ty.decimal.unwrap_or((38, 0));
            let (p2, s2) = to.ty.decimal.unwrap_or((38, 0));
            // At least as many digits on each side of the point.
            s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1)
        }
        (F32, F64) => true,
        _ => match (rank(a), rank(b)) {
            (Some((sa, wa)), Some((sb, wb))) => (sa == sb && wb >= wa) || (!sa && sb && wb > wa),
            _ => false,
        },
    };
    types && from.auto == to.auto
}

impl fmt::Display for Step {
    /// The step in words: `add column todos.priority i16 NOT NULL`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateTable { table } => write!(f, "create table {}", table.name),
            Step::DropTable { table } => write!(f, "drop table {}", table.name),
            Step::RenameTable { from, to } => write!(f, "rename table {from} to {to}"),
            Step::AddColumn { table, column } => write!(f, "add column {table}.{}", Col(column)),
            Step::DropColumn { table, column } => {
                write!(f, "drop column {table}.{}", column.name)
            }
            Step::RenameColumn { table, from, to } => {
                write!(f, "rename column {table}.{from} to {to}")
            }
            Step::AlterColumn { table, from, to } => write!(
                f,
                "alter column {table}.{} from {} to {}",
                to.name,
                Type(from),
                Type(to)
            ),
            Step::AddIndex { table, index } => write!(f, "add {index} on {table}"),
            Step::DropIndex { table, index } => write!(f, "drop {index} on {table}"),
            Step::AddForeignKey { table, foreign_key } => {
                write!(f, "add {foreign_key} on {table}")
            }
            Step::DropForeignKey { table, foreign_key } => {
                write!(f, "drop {foreign_key} on {table}")
            }
            Step::SetExpiry { table, to, .. } => match to {
                Some(column) => write!(f, "expire rows of {table} by {column}"),
                None => write!(f, "stop expiring rows of {table}"),
            },
            Step::Rust { up, .. } if up.is_empty() => {
                f.write_str("(nothing: a Rust step without a way down)")
            }
            Step::Rust { up, .. } => write!(f, "run Rust step `{up}`"),
        }
    }
}

struct Col<'a>(&'a ColumnSpec);
struct Type<'a>(&'a ColumnSpec);

impl fmt::Display for Col<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.name, Type(self.0))
    }
}

impl fmt::Display for Type<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let null = if self.0.nullable { "NULL" } else { "NOT NULL" };
        write!(f, "{} {null}", self.0.ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(ty: &str, nullable: bool) -> ColumnSpec {
        ColumnSpec {
            name: "c".into(),
            ty: ty.parse().unwrap(),
            nullable,
            auto: false,
            embedded_in: None,
        }
    }

    fn alter(a: ColumnSpec, b: ColumnSpec) -> Option<Destructive> {
        Step::AlterColumn {
            table: "t".into(),
            from: a,
            to: b,
        }
        .destructive()
    }

    #[test]
    fn widening_is_safe_and_narrowing_is_not() {
        assert_eq!(alter(col("i16", false), col("i64", false)), None);
        assert_eq!(alter(col("u16", false), col("i32", false)), None);
        assert_eq!(alter(col("i64", true), col("i64", true)), None);
        assert_eq!(alter(col("i64", false), col("i64", true)), None);
        assert_eq!(
            alter(col("decimal(10,2)", false), col("decimal(12,3)", false)),
            None
        );
        let narrow = Some(Destructive::NarrowsType);
        assert_eq!(alter(col("i64", false), col("i32", false)), narrow);
        assert_eq!(alter(col("u32", false), col("i32", false)), narrow);
        assert_eq!(alter(col("i32", false), col("u64", false)), narrow);
        assert_eq!(alter(col("text", false), col("i64", false)), narrow);
        assert_eq!(
            alter(col("decimal(12,2)", false), col("decimal(12,3)", false)),
            narrow
        );
        assert_eq!(
            alter(col("decimal(12,2)", false), col("decimal", false)),
            narrow
        );
        assert_eq!(
            alter(col("decimal(12,0)", false), col("decimal", false)),
            None
        );
        assert_eq!(
            alter(col("i64", true), col("i64", false)),
            Some(Destructive::MakesNotNull)
        );
    }

    #[test]
    fn a_step_undone_twice_is_itself() {
        let steps = [
            Step::AddColumn {
                table: "t".into(),
                column: col("i64", true),
            },
            Step::RenameColumn {
                table: "t".into(),
                from: "a".into(),
                to: "b".into(),
            },
            Step::AlterColumn {
                table: "t".into(),
                from: col("i32", true),
                to: col("i64", false),
            },
            Step::Rust {
                up: "fill".into(),
                down: Some("empty".into()),
            },
            Step::SetExpiry {
                table: "t".into(),
                from: None,
                to: Some("expires".into()),
            },
        ];
        for step in steps {
            assert_eq!(step.inverse().inverse(), step);
        }
        let one_way = Step::Rust {
            up: "fill".into(),
            down: None,
        };
        assert!(one_way.inverse().is_noop());
        assert_eq!(one_way.inverse().inverse(), one_way);
    }
}
