//! A table described in one backend's own terms: as the database holds it
//! (introspected from its catalog), or as the `Entity` impls declare it for
//! that backend. Both are the same description, so that comparing them
//! ([`drift`](crate::drift)) says how a live database differs from the code.

/// One table: its columns, primary key, indexes and foreign keys.
///
/// Types are spelled as the backend's catalog spells them, canonicalised
/// (`bigint`, `numeric(12,2)`, `timestamp with time zone` on PostgreSQL;
/// `varchar(255)`, `datetime(6)` on MySQL; `INTEGER`, `TEXT` on SQLite; the
/// key attribute types `S`, `N`, `B` on DynamoDB, whose other attributes
/// have no declared type and are not listed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableSchema {
    /// The table's name, as the database names it.
    pub name: String,
    /// The columns, in table order.
    pub columns: Vec<ColumnSchema>,
    /// The primary key's columns, in key order (partition, then sort).
    pub primary_key: Vec<String>,
    /// The indexes besides the primary key (on DynamoDB, the GSIs).
    pub indexes: Vec<IndexSchema>,
    /// The foreign keys.
    pub foreign_keys: Vec<ForeignKeySchema>,
    /// The attribute whose time deletes the table's items, when the
    /// database does that itself (DynamoDB's Time to Live, when on);
    /// `None` elsewhere.
    pub time_to_live: Option<String>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSchema {
    /// Its name.
    pub name: String,
    /// Its type, in the backend's canonical spelling.
    pub ty: String,
    /// Whether it admits NULL.
    pub nullable: bool,
    /// Its default expression, if it has one (an identity or
    /// auto-increment key has none).
    pub default: Option<String>,
}

/// One index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IndexSchema {
    /// Its name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<String>,
    /// Whether it refuses duplicates.
    pub unique: bool,
}

/// One foreign key (of one column).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ForeignKeySchema {
    /// The referencing column.
    pub column: String,
    /// The referenced table.
    pub parent_table: String,
    /// The referenced column.
    pub parent_column: String,
    /// What a delete of the parent does: `restrict`, `cascade`, `set null`
    /// (or, found in a database, `no action` / `set default`).
    pub on_delete: String,
}

impl TableSchema {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnSchema> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&IndexSchema> {
        self.indexes.iter().find(|i| i.name == name)
    }
}

impl std::fmt::Display for IndexSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unique = if self.unique { "unique " } else { "" };
        write!(
            f,
            "{unique}index `{}` ({})",
            self.name,
            self.columns.join(", ")
        )
    }
}

impl std::fmt::Display for ForeignKeySchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "foreign key `{}` -> `{}.{}` on delete {}",
            self.column, self.parent_table, self.parent_column, self.on_delete
        )
    }
}
