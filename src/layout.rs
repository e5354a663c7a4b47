//! A single-table layout: where a key-value store (DynamoDB) keeps an
//! entity's items when several entities share one table. SQL backends
//! ignore it; only keyway-dynamodb reads it.

use crate::{ColumnType, Error, Result, TableDef};

/// The attribute holding an item's partition key in a shared table.
pub const LAYOUT_PK: &str = "PK";
/// The attribute holding an item's sort key in a shared table.
pub const LAYOUT_SK: &str = "SK";
/// The attribute naming an item's entity type in a shared table.
pub const LAYOUT_TYPE: &str = "_et";

/// Where an entity's items live in a table it shares with other entities
/// (DynamoDB's single-table design), declared by hand beside the entity as
/// [`Entity::LAYOUT`](crate::Entity::LAYOUT).
///
/// Every item of the shared table has a string partition key `PK` and sort
/// key `SK`, made from the entity's columns by the key templates, and an
/// attribute `_et` naming its entity type. A template is text with columns
/// in braces: `USER#{id}`. The templates of `PK` and `SK` name only key
/// columns, and together every one of them, so that a key finds its item
/// with one GetItem. Overloaded global secondary indexes
/// ([`LayoutIndex`]) are keyed the same way on `{name}PK` and `{name}SK`,
/// from any columns; an item whose template column is NULL is left out of
/// that index.
///
/// Entities whose partition templates render the same value share an item
/// collection: `User` at `USER#{id}` and `Todo` at `USER#{owner_id}` put a
/// user and their todos in one partition, so including a user's todos is
/// one Query. The SQL backends ignore the layout: the same impls and
/// queries run there unchanged.
///
/// ```
/// use keyway::{Layout, LayoutIndex};
/// // A user's partition holds the user; the todos join it through GSI1.
/// const USERS: Layout = Layout::new("app", "User")
///     .key("USER#{id}", "USER#{id}")
///     .indexes(&[LayoutIndex::new("GSI1", "USER#{id}", "USER#{id}")]);
/// const TODOS: Layout = Layout::new("app", "Todo")
///     .key("TODO#{id}", "TODO#{id}")
///     .indexes(&[LayoutIndex::new("GSI1", "USER#{owner_id}", "TODO#{id}")]);
/// assert_eq!(TODOS.index("GSI1").map(|i| i.partition), Some("USER#{owner_id}"));
/// assert_eq!(USERS.table, TODOS.table);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layout {
    /// The shared table's name.
    pub table: &'static str,
    /// The value of the `_et` attribute of this entity's items.
    pub entity_type: &'static str,
    /// The template of the partition key `PK`.
    pub partition: &'static str,
    /// The template of the sort key `SK`.
    pub sort: &'static str,
    /// The overloaded global secondary indexes this entity's items enter.
    pub indexes: &'static [LayoutIndex],
}

/// An overloaded global secondary index of a shared table: partition key
/// `{name}PK`, sort key `{name}SK`, each from a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayoutIndex {
    /// The index's name (`GSI1`); its keys are `GSI1PK` and `GSI1SK`.
    pub name: &'static str,
    /// The template of its partition key.
    pub partition: &'static str,
    /// The template of its sort key.
    pub sort: &'static str,
}

impl LayoutIndex {
    /// An index `name` keyed by the two templates.
    pub const fn new(name: &'static str, partition: &'static str, sort: &'static str) -> Self {
        LayoutIndex {
            name,
            partition,
            sort,
        }
    }
}

/// One part of a key template: text, or a column's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Text written as it is.
    Text(&'static str),
    /// The value of the column of this name.
    Column(&'static str),
}

impl Layout {
    /// The layout of an entity of type `entity_type` in table `table`; give
    /// its key templates with [`key`](Self::key).
    pub const fn new(table: &'static str, entity_type: &'static str) -> Self {
        Layout {
            table,
            entity_type,
            partition: "",
            sort: "",
            indexes: &[],
        }
    }

    /// The templates of the partition key and the sort key.
    pub const fn key(mut self, partition: &'static str, sort: &'static str) -> Self {
        self.partition = partition;
        self.sort = sort;
        self
    }

    /// The overloaded indexes the entity's items enter.
    pub const fn indexes(mut self, indexes: &'static [LayoutIndex]) -> Self {
        self.indexes = indexes;
        self
    }

    /// The index named `name`, if the layout has it.
    pub fn index(&self, name: &str) -> Option<&'static LayoutIndex> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// Checks the layout against its entity's table: [`Error::Invalid`]
    /// naming what to change for a template that names no column, a
    /// column that cannot be part of a key, two columns with no text
    /// between them, a key template naming a non-key column, key
    /// templates that leave a key column out, or a column named like one
    /// of the layout's attributes.
    ///
    /// ```
    /// use keyway::{Column, Entity, Layout, PrimaryKey, TableDef};
    /// # pub struct Note { id: i64, body: String }
    /// # impl Note {
    /// #     const ID: Column<Note, i64, PrimaryKey> = Column::new("id");
    /// #     const BODY: Column<Note, String> = Column::new("body");
    /// # }
    /// # impl Entity for Note {
    /// #     type Key = i64;
    /// #     const TABLE: &'static str = "notes";
    /// #     const COLUMNS: &'static [keyway::ColumnDef] = &[Note::ID.def(), Note::BODY.def()];
    /// #     fn key(&self) -> i64 { self.id }
    /// #     fn write(&self, row: &mut impl keyway::RowWriter<Self>) {
    /// #         row.put(Note::ID, &self.id);
    /// #         row.put(Note::BODY, &self.body);
    /// #     }
    /// #     fn read(row: &mut impl keyway::RowReader<Self>) -> keyway::Result<Self> {
    /// #         Ok(Note { id: row.get(Note::ID)?, body: row.get(Note::BODY)? })
    /// #     }
    /// # }
    /// let notes = TableDef::of::<Note>();
    /// assert!(Layout::new("app", "Note").key("NOTE#{id}", "NOTE").check(&notes).is_ok());
    /// let by_body = Layout::new("app", "Note").key("NOTE#{body}", "NOTE#{id}");
    /// assert!(by_body.check(&notes).is_err()); // `body` is not a key column
    /// ```
    pub fn check(&self, table: &TableDef) -> Result<()> {
        let bad = |detail: String| Error::Invalid {
            what: "layout",
            detail: format!("the layout of `{}`: {detail}", table.entity),
        };
        crate::check_identifier(self.table, "table")?;
        if self.entity_type.is_empty() {
            return Err(bad("the entity type is empty".into()));
        }
        let mut attributes = vec![LAYOUT_PK.to_owned(), LAYOUT_SK.to_owned()];
        attributes.push(LAYOUT_TYPE.to_owned());
        for (i, index) in self.indexes.iter().enumerate() {
            crate::check_identifier(index.name, "index")?;
            if self.indexes[..i].iter().any(|o| o.name == index.name) {
                return Err(bad(format!("index `{}` is declared twice", index.name)));
            }
            attributes.push(format!("{}PK", index.name));
            attributes.push(format!("{}SK", index.name));
        }
        if let Some(c) = table
            .columns
            .iter()
            .find(|c| attributes.iter().any(|a| a == c.name))
        {
            return Err(bad(format!(
                "column `{}` has the name of a layout attribute; rename the column",
                c.name
            )));
        }
        let templates = [("partition", self.partition), ("sort", self.sort)]
            .into_iter()
            .chain(
                self.indexes
                    .iter()
                    .flat_map(|i| [(i.name, i.partition), (i.name, i.sort)]),
            );
        for (what, template) in templates {
            for piece in pieces(template).map_err(|d| bad(format!("`{template}`: {d}")))? {
                let Piece::Column(name) = piece else { continue };
                let column = table.column(name).ok_or_else(|| {
                    bad(format!(
                        "`{template}` names `{name}`, which is not a column"
                    ))
                })?;
                if !renders(column.ty) {
                    return Err(bad(format!(
                        "`{template}` names `{name}`, a {} column: key templates take \
                         integers, text, UUIDs, dates and times",
                        column.ty
                    )));
                }
                if matches!(what, "partition" | "sort") && !column.is_key() {
                    return Err(bad(format!(
                        "the key template `{template}` names `{name}`, which is not a key \
                         column: put it in an index's template, or make it part of the key"
                    )));
                }
            }
        }
        let named = |c: &str| {
            [self.partition, self.sort].iter().any(|t| {
                pieces(t).is_ok_and(|p| p.iter().any(|p| matches!(p, Piece::Column(n) if *n == c)))
            })
        };
        if let Some(missing) = table.key_columns().find(|c| !named(c.name)) {
            return Err(bad(format!(
                "the key templates `{}` and `{}` leave out key column `{}`: name it in one \
                 of them, so that each key has an item of its own",
                self.partition, self.sort, missing.name
            )));
        }
        Ok(())
    }
}

/// Whether a column of type `ty` can be written into a key template.
fn renders(ty: ColumnType) -> bool {
    ty.is_integer()
        || matches!(
            ty,
            ColumnType::Text
                | ColumnType::Uuid
                | ColumnType::Timestamp
                | ColumnType::DateTime
                | ColumnType::Date
                | ColumnType::Time
        )
}

/// The pieces of a key template: text, and `{column}`s. Braces only
/// enclose a column name, and two columns need text between them (or a
/// value could be read as either).
///
/// ```
/// use keyway::{Piece, layout_pieces};
/// let pieces = layout_pieces("TODO#{created_at}#{id}").unwrap();
/// assert_eq!(pieces, [
///     Piece::Text("TODO#"), Piece::Column("created_at"), Piece::Text("#"), Piece::Column("id"),
/// ]);
/// assert!(layout_pieces("{a}{b}").is_err());
/// assert!(layout_pieces("USER#{id").is_err());
/// ```
pub fn pieces(template: &'static str) -> std::result::Result<Vec<Piece>, String> {
    if template.is_empty() {
        return Err("a key template is empty".into());
    }
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            Some(0) if rest.starts_with('{') => {
                let end = rest
                    .find('}')
                    .ok_or_else(|| "a `{` is not closed".to_owned())?;
                let name = &rest[1..end];
                if name.is_empty() || name.contains('{') {
                    return Err("braces enclose a column name".into());
                }
                if matches!(out.last(), Some(Piece::Column(_))) {
                    return Err("two columns need text between them".into());
                }
                out.push(Piece::Column(name));
                rest = &rest[end + 1..];
            }
            Some(0) => return Err("a `}` closes nothing".into()),
            Some(at) => {
                out.push(Piece::Text(&rest[..at]));
                rest = &rest[at..];
            }
            None => {
                out.push(Piece::Text(rest));
                rest = "";
            }
        }
    }
    Ok(out)
}
