//! The `Entity` trait: the one thing a user implements per model.

use crate::{ColumnDef, ForeignKeyDef, IndexDef, Key, Layout, Result, RowReader, RowWriter};

/// A model stored in one table, implemented by hand: no derive, no generated code.
///
/// The impl is the single source of truth for the schema (`COLUMNS`, `INDEXES`),
/// the key, and the mapping between the struct and a row.
///
/// ```
/// use keyway::{Column, ColumnDef, Entity, PrimaryKey, Result, RowReader, RowWriter, Unique};
///
/// pub struct User { pub id: i64, pub name: String, pub email: String }
///
/// impl User {
///     pub const ID: Column<User, i64, PrimaryKey> = Column::new("id").auto();
///     pub const NAME: Column<User, String> = Column::new("name");
///     pub const EMAIL: Column<User, String, Unique> = Column::new("email");
/// }
///
/// impl Entity for User {
///     type Key = i64;
///     const TABLE: &'static str = "users";
///     const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def(), User::EMAIL.def()];
///     fn key(&self) -> i64 { self.id }
///     fn write(&self, row: &mut impl RowWriter<Self>) {
///         row.put(User::ID, &self.id);
///         row.put(User::NAME, &self.name);
///         row.put(User::EMAIL, &self.email);
///     }
///     fn read(row: &mut impl RowReader<Self>) -> Result<Self> {
///         Ok(User { id: row.get(User::ID)?, name: row.get(User::NAME)?, email: row.get(User::EMAIL)? })
///     }
/// }
/// ```
pub trait Entity: Sized + Send + Sync + 'static {
    /// The primary key: a scalar, or `(partition, sort)`.
    type Key: Key;
    /// The table name.
    const TABLE: &'static str;
    /// The columns, each built from its handle with [`Column::def`](crate::Column::def):
    /// the one place that gives the table's column order. `write` and `read`
    /// follow it.
    const COLUMNS: &'static [ColumnDef];
    /// Indexes over several columns (single-column ones come from the column kinds).
    const INDEXES: &'static [IndexDef] = &[];
    /// Foreign keys to parent entities, emitted as real constraints on SQL.
    const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[];
    /// Where the entity's items live in a DynamoDB table shared with other
    /// entities ([`Layout`]); `None`, the default, gives it a table of its
    /// own. The SQL backends ignore it.
    const LAYOUT: Option<Layout> = None;

    /// The entity's key.
    fn key(&self) -> Self::Key;

    /// Puts every column's value through its handle, in `COLUMNS` order:
    /// `row.put(User::NAME, &self.name)`. A column of another type or another
    /// entity does not compile; a column out of order, missing or not in
    /// `COLUMNS` is [`Error::Invalid`](crate::Error::Invalid) before anything
    /// is sent (see [`RowWriter`]).
    fn write(&self, row: &mut impl RowWriter<Self>);

    /// Gets every column's value through its handle, in `COLUMNS` order:
    /// `name: row.get(User::NAME)?` (see [`RowReader`]).
    fn read(row: &mut impl RowReader<Self>) -> Result<Self>;
}
