//! How a live table differs from what the `Entity` impls declare: the
//! differences [`Db::verify_schema`](crate::Db::verify_schema) lists.

use std::fmt;

use crate::{ForeignKeySchema, IndexSchema, TableSchema};

/// One difference between the declared schema and the live database.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Drift {
    /// The table does not exist.
    MissingTable {
        /// The table.
        table: String,
    },
    /// A declared column is not in the table.
    MissingColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// The table has a column the impls do not declare.
    ExtraColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A column has another type.
    ColumnType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The declared type.
        declared: String,
        /// The live type.
        found: String,
    },
    /// A column admits NULL where it should not, or the other way round.
    Nullability {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Whether the impls declare it nullable.
        declared: bool,
    },
    /// A column has a default the impls do not declare.
    Default {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The live default.
        found: String,
    },
    /// The primary key has other columns.
    PrimaryKey {
        /// The table.
        table: String,
        /// The declared key columns.
        declared: Vec<String>,
        /// The live key columns.
        found: Vec<String>,
    },
    /// A declared index is not there.
    MissingIndex {
        /// The table.
        table: String,
        /// The index.
        index: IndexSchema,
    },
    /// The table has an index the impls do not declare.
    ExtraIndex {
        /// The table.
        table: String,
        /// The index.
        index: IndexSchema,
    },
    /// An index of the declared name has other columns or uniqueness.
    IndexDiffers {
        /// The table.
        table: String,
        /// The declared index.
        declared: IndexSchema,
        /// The live index.
        found: IndexSchema,
    },
    /// A declared foreign key is not there (or has another target or
    /// action).
    MissingForeignKey {
        /// The table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKeySchema,
    },
    /// The table has a foreign key the impls do not declare.
    ExtraForeignKey {
        /// The table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKeySchema,
    },
    /// The database deletes expired rows by another attribute, or by none
    /// where the impls declare an expiry column, or by one where they do
    /// not (DynamoDB's Time to Live).
    TimeToLive {
        /// The table.
        table: String,
        /// The attribute the impls have it delete by, if any.
        declared: Option<String>,
        /// The attribute it deletes by, if any.
        found: Option<String>,
    },
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::MissingTable { table } => write!(f, "table `{table}` does not exist"),
            Drift::MissingColumn { table, column } => {
                write!(f, "`{table}` has no column `{column}`")
            }
            Drift::ExtraColumn { table, column } => {
                write!(f, "`{table}` has column `{column}`, which is not declared")
            }
            Drift::ColumnType {
                table,
                column,
                declared,
                found,
            } => write!(f, "`{table}.{column}` is {found}, declared {declared}"),
            Drift::Nullability {
                table,
                column,
                declared,
            } => match declared {
                true => write!(f, "`{table}.{column}` is NOT NULL, declared nullable"),
                false => write!(f, "`{table}.{column}` admits NULL, declared NOT NULL"),
            },
            Drift::Default {
                table,
                column,
                found,
            } => write!(
                f,
                "`{table}.{column}` has the default {found}, declared none"
            ),
            Drift::PrimaryKey {
                table,
                declared,
                found,
            } => write!(
                f,
                "`{table}`'s primary key is ({}), declared ({})",
                found.join(", "),
                declared.join(", ")
            ),
            Drift::MissingIndex { table, index } => write!(f, "`{table}` has no {index}"),
            Drift::ExtraIndex { table, index } => {
                write!(f, "`{table}` has {index}, which is not declared")
            }
            Drift::IndexDiffers {
                table,
                declared,
                found,
            } => write!(f, "`{table}` has {found}, declared {declared}"),
            Drift::MissingForeignKey { table, foreign_key } => {
                write!(f, "`{table}` has no {foreign_key}")
            }
            Drift::ExtraForeignKey { table, foreign_key } => {
                write!(f, "`{table}` has {foreign_key}, which is not declared")
            }
            Drift::TimeToLive {
                table,
                declared,
                found,
            } => {
                let by = |a: &Option<String>| match a {
                    Some(a) => format!("deletes expired items by `{a}`"),
                    None => "does not delete expired items".to_owned(),
                };
                write!(f, "`{table}` {}, declared: {}", by(found), by(declared))
            }
        }
    }
}

/// The differences between `declared` (from the impls) and `live` (from
/// the database; `None` when the table does not exist), in a stable
/// order: columns, primary key, indexes, foreign keys, time to live.
///
/// ```
/// use keyway::{ColumnSchema, Drift, TableSchema, drift};
/// let column = |name: &str, ty: &str| ColumnSchema { name: name.into(), ty: ty.into(), nullable: false, default: None };
/// let declared = TableSchema { name: "users".into(), columns: vec![column("id", "bigint"), column("name", "text")], ..Default::default() };
/// let live = TableSchema { columns: vec![column("id", "bigint"), column("name", "varchar(80)")], ..declared.clone() };
/// let found = drift(&declared, Some(&live));
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].to_string(), "`users.name` is varchar(80), declared text");
/// ```
pub fn drift(declared: &TableSchema, live: Option<&TableSchema>) -> Vec<Drift> {
    let table = || declared.name.clone();
    let Some(live) = live else {
        return vec![Drift::MissingTable { table: table() }];
    };
    let mut out = Vec::new();
    for want in &declared.columns {
        let Some(have) = live.column(&want.name) else {
            out.push(Drift::MissingColumn {
                table: table(),
                column: want.name.clone(),
            });
            continue;
        };
        if have.ty != want.ty {
            out.push(Drift::ColumnType {
                table: table(),
                column: want.name.clone(),
                declared: want.ty.clone(),
                found: have.ty.clone(),
            });
        }
        if have.nullable != want.nullable {
            out.push(Drift::Nullability {
                table: table(),
                column: want.name.clone(),
                declared: want.nullable,
            });
        }
        if let (Some(found), None) = (&have.default, &want.default) {
            out.push(Drift::Default {
                table: table(),
                column: want.name.clone(),
                found: found.clone(),
            });
        }
    }
    for have in &live.columns {
        if declared.column(&have.name).is_none() {
            out.push(Drift::ExtraColumn {
                table: table(),
                column: have.name.clone(),
            });
        }
    }
    if declared.primary_key != live.primary_key {
        out.push(Drift::PrimaryKey {
            table: table(),
            declared: declared.primary_key.clone(),
            found: live.primary_key.clone(),
        });
    }
    for want in &declared.indexes {
        match live.index(&want.name) {
            None => out.push(Drift::MissingIndex {
                table: table(),
                index: want.clone(),
            }),
            Some(have) if have != want => out.push(Drift::IndexDiffers {
                table: table(),
                declared: want.clone(),
                found: have.clone(),
            }),
            Some(_) => {}
        }
    }
    for have in &live.indexes {
        if declared.index(&have.name).is_none() {
            out.push(Drift::ExtraIndex {
                table: table(),
                index: have.clone(),
            });
        }
    }
    for want in &declared.foreign_keys {
        if !live.foreign_keys.contains(want) {
            out.push(Drift::MissingForeignKey {
                table: table(),
                foreign_key: want.clone(),
            });
        }
    }
    for have in &live.foreign_keys {
        if !declared.foreign_keys.contains(have) {
            out.push(Drift::ExtraForeignKey {
                table: table(),
                foreign_key: have.clone(),
            });
        }
    }
    if declared.time_to_live != live.time_to_live {
        out.push(Drift::TimeToLive {
            table: table(),
            declared: declared.time_to_live.clone(),
            found: live.time_to_live.clone(),
        });
    }
    out
}
