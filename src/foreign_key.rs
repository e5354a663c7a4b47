//! Foreign keys: declared on the child entity, emitted as real constraints.

use crate::{Column, Entity, Field, IndexKind, KeyPart, PrimaryKey};

/// What happens to child rows when their parent is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnDelete {
    /// Deleting a parent that still has children fails with
    /// [`Error::ForeignKeyViolation`](crate::Error::ForeignKeyViolation).
    Restrict,
    /// Deleting a parent deletes its children.
    Cascade,
    /// Deleting a parent sets the children's foreign key to NULL (the column
    /// must be an `Option`).
    SetNull,
}

impl OnDelete {
    /// The action as SQL catalogs and schema specs spell it, lower case:
    /// `restrict`, `cascade`, `set null`.
    pub const fn name(self) -> &'static str {
        match self {
            OnDelete::Cascade => "cascade",
            OnDelete::SetNull => "set null",
            OnDelete::Restrict => "restrict",
        }
    }
}

/// A column value type that can reference a key of type `K`: `K` itself, or
/// `Option<K>` for an optional reference.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` column cannot reference a key of type `{K}`",
    label = "the foreign key's type must be the referenced key's type",
    note = "declare the foreign key column as `{K}` or `Option<{K}>`"
)]
pub trait References<K>: Field {}

impl<K: KeyPart> References<K> for K {}
impl<K: KeyPart> References<K> for Option<K> {}

/// The index kind of a column a foreign key can reference: the parent's
/// primary key ([`PrimaryKey`]) only.
#[diagnostic::on_unimplemented(
    message = "a foreign key must reference its parent's primary key, not a `{Self}` column",
    label = "not the parent's primary key",
    note = "pass the parent's `PrimaryKey` handle (`User::ID`); to look rows up by another unique column, filter on it instead"
)]
pub trait ReferencedKey: IndexKind {}

impl ReferencedKey for PrimaryKey {}

/// A foreign key of a child table, for [`Entity::FOREIGN_KEYS`].
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); }
/// use keyway::{ForeignKeyDef, OnDelete};
/// use model::{Todo, User};
///
/// // In `impl Entity for Todo`:
/// // const FOREIGN_KEYS: &'static [ForeignKeyDef] = &[FK];
/// const FK: ForeignKeyDef = ForeignKeyDef::new(Todo::OWNER_ID, User::ID).on_delete(OnDelete::Cascade);
/// fn main() {
///     assert_eq!((FK.column, FK.parent_table, FK.parent_column), ("owner_id", "users", "id"));
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyDef {
    /// The child's column holding the reference.
    pub column: &'static str,
    /// Whether that column is nullable.
    pub nullable: bool,
    /// The referenced (parent) table.
    pub parent_table: &'static str,
    /// The referenced column: the parent's scalar primary key.
    pub parent_column: &'static str,
    /// The parent's single-table layout ([`Entity::LAYOUT`]), where
    /// DynamoDB finds the parent's item.
    pub parent_layout: Option<crate::Layout>,
    /// What deleting a parent does to its children.
    pub on_delete: OnDelete,
}

impl ForeignKeyDef {
    /// `child_column` references `parent_key`, a parent's primary key of the same
    /// type (or `Option` of it). Deleting a referenced parent is refused until
    /// you choose otherwise with [`on_delete`](Self::on_delete).
    pub const fn new<C, P, T, PK, K1, K2>(
        child_column: Column<C, T, K1>,
        parent_key: Column<P, PK, K2>,
    ) -> Self
    where
        C: Entity,
        P: Entity,
        PK: KeyPart,
        T: References<PK>,
        K1: IndexKind,
        K2: ReferencedKey,
    {
        ForeignKeyDef {
            column: child_column.name(),
            nullable: T::NULLABLE,
            parent_table: P::TABLE,
            parent_column: parent_key.name(),
            parent_layout: P::LAYOUT,
            on_delete: OnDelete::Restrict,
        }
    }

    /// Sets what deleting a parent does to its children.
    pub const fn on_delete(mut self, action: OnDelete) -> Self {
        self.on_delete = action;
        self
    }
}
