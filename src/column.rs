//! Typed column handles, declared by the user as consts beside the `Entity` impl.

use crate::Marker;
use std::marker::PhantomData;

use crate::filter::{CmpOp, Expr, Filter};
use crate::{
    Access, ColumnDef, ColumnOrder, ColumnRole, Entity, Field, Indexed, KeyOrder, Nullable,
    OrderBy, OrderKind, Unindexed, Value, ValueFor,
};

/// The index kind of a column, a type parameter of [`Column`]. It decides the
/// access path of the filters built from the column.
pub trait IndexKind: Send + Sync + 'static {
    /// The role recorded in the schema.
    const ROLE: ColumnRole;
    /// The access path of `eq` and `in_list` on this column.
    type Lookup: Access;
    /// The order of `asc` and `desc` on this column: [`KeyOrder`] for key
    /// columns, [`ColumnOrder`] for the others.
    type Order: OrderKind;
}

/// The primary key, or the partition part of a composite key.
#[derive(Debug, Clone, Copy)]
pub struct PrimaryKey;
/// The partition part of a composite key (the same kind as [`PrimaryKey`]).
pub type PartitionKey = PrimaryKey;
/// The sort part of a composite key. A condition on it alone is [`Unindexed`];
/// together with an `eq` on the partition key it is [`Indexed`].
#[derive(Debug, Clone, Copy)]
pub struct SortKey;
/// The sort part of a composite key that also has a non-unique index of its
/// own, so that `eq` / `in_list` on it alone are [`Indexed`]: the second key
/// column of a join entity, through which a many-to-many is included from
/// its second side (on DynamoDB a GSI whose partition key is this column).
#[derive(Debug, Clone, Copy)]
pub struct IndexedSortKey;
/// A column with its own unique index.
#[derive(Debug, Clone, Copy)]
pub struct Unique;
/// A column with its own non-unique secondary index.
#[derive(Debug, Clone, Copy)]
pub struct Secondary;
/// A column without an index.
#[derive(Debug, Clone, Copy)]
pub struct Plain;

impl IndexKind for PrimaryKey {
    const ROLE: ColumnRole = ColumnRole::PrimaryKey;
    type Lookup = Indexed;
    type Order = KeyOrder;
}
impl IndexKind for SortKey {
    const ROLE: ColumnRole = ColumnRole::SortKey;
    type Lookup = Unindexed;
    type Order = KeyOrder;
}
impl IndexKind for IndexedSortKey {
    const ROLE: ColumnRole = ColumnRole::IndexedSortKey;
    type Lookup = Indexed;
    type Order = KeyOrder;
}
impl IndexKind for Unique {
    const ROLE: ColumnRole = ColumnRole::Unique;
    type Lookup = Indexed;
    type Order = ColumnOrder;
}
impl IndexKind for Secondary {
    const ROLE: ColumnRole = ColumnRole::Indexed;
    type Lookup = Indexed;
    type Order = ColumnOrder;
}
impl IndexKind for Plain {
    const ROLE: ColumnRole = ColumnRole::Plain;
    type Lookup = Unindexed;
    type Order = ColumnOrder;
}

/// A typed handle on one column of entity `E`, holding values of type `T`, with
/// index kind `K`.
///
/// ```
/// use keyway::{Column, PrimaryKey, Unique};
/// pub struct User { pub id: i64, pub email: String, pub nick: Option<String> }
/// impl User {
///     pub const ID: Column<User, i64, PrimaryKey> = Column::new("id").auto();
///     pub const EMAIL: Column<User, String, Unique> = Column::new("email");
///     pub const NICK: Column<User, Option<String>> = Column::new("nick");
/// }
/// assert_eq!(User::EMAIL.name(), "email");
/// ```
pub struct Column<E, T, K = Plain> {
    name: &'static str,
    /// The name packed into a number when the handle's const is evaluated,
    /// for [`ColumnDef::same_column`](crate::ColumnDef::same_column).
    name_key: u128,
    auto: bool,
    decimal: Option<(u8, u8)>,
    generated: Option<crate::Generated>,
    version: bool,
    pub(crate) deleted_at: bool,
    pub(crate) expires_at: bool,
    _marker: Marker<(E, T, K)>,
}

impl<E, T, K> Clone for Column<E, T, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E, T, K> Copy for Column<E, T, K> {}

impl<E, T, K> std::fmt::Debug for Column<E, T, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Column({})", self.name)
    }
}

impl<E, T: Field, K: IndexKind> Column<E, T, K> {
    /// A handle on the column named `name`.
    pub const fn new(name: &'static str) -> Self {
        Column {
            name,
            name_key: crate::schema::name_key(name, T::TYPE, T::NULLABLE),
            auto: false,
            decimal: None,
            generated: None,
            version: false,
            deleted_at: false,
            expires_at: false,
            _marker: PhantomData,
        }
    }

    /// The handle of a field of an embedded struct, as a column of the
    /// embedding entity named `name` (`{column}_{field}`).
    pub(crate) fn leaf(name: &'static str, field: ColumnDef) -> Self {
        Column {
            name,
            name_key: crate::schema::name_key(name, T::TYPE, T::NULLABLE),
            auto: false,
            decimal: field.decimal,
            generated: None,
            version: false,
            deleted_at: false,
            expires_at: false,
            _marker: PhantomData,
        }
    }

    /// Declares a decimal column `DECIMAL(precision, scale)`: `precision`
    /// digits in all (1 to 38), `scale` of them after the decimal point. A
    /// value with more digits after the point, or more in all, is
    /// [`Error::OutOfRange`](crate::Error::OutOfRange) when written, never
    /// rounded. Every decimal column declares it.
    ///
    /// ```
    /// use keyway::{Column, Numeric};
    /// struct Item;
    /// const PRICE: Column<Item, Numeric> = Column::new("price").decimal(12, 2);
    /// assert_eq!(PRICE.def().decimal, Some((12, 2)));
    /// ```
    pub const fn decimal(mut self, precision: u8, scale: u8) -> Self {
        self.decimal = Some((precision, scale));
        self
    }

    /// Marks the column as generated by the database on insert (an integer
    /// primary key). `Db::insert` returns the generated key.
    pub const fn auto(mut self) -> Self {
        self.auto = true;
        self
    }

    /// The column's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The schema entry for this column, for `Entity::COLUMNS`.
    pub const fn def(&self) -> ColumnDef {
        ColumnDef {
            name: self.name,
            ty: T::TYPE,
            nullable: T::NULLABLE,
            role: K::ROLE,
            auto: self.auto,
            decimal: self.decimal,
            generated: self.generated,
            version: self.version,
            deleted_at: self.deleted_at,
            expires_at: self.expires_at,
            name_key: self.name_key,
        }
    }
}

impl<E> Column<E, i64, Plain> {
    /// Makes the column the entity's version, for optimistic locking: an
    /// insert stores 1 (whatever the struct holds, as `create` returns
    /// it); [`Db::save`](crate::Db::save) writes only a row that still has
    /// the struct's version, and every update adds 1. A save of a struct
    /// read before someone else's write is
    /// [`Error::Conflict`](crate::Error::Conflict), on every backend.
    ///
    /// ```
    /// use keyway::Column;
    /// struct Doc;
    /// const VERSION: Column<Doc, i64> = Column::new("version").version();
    /// assert!(VERSION.def().version);
    /// ```
    pub const fn version(mut self) -> Self {
        self.version = true;
        self
    }
}

#[cfg(feature = "uuid")]
impl<E> Column<E, uuid::Uuid, PrimaryKey> {
    /// A UUID key keyway generates on insert, at random (version 4):
    /// whatever the entity holds there is replaced, and `insert` /
    /// `insert_many` return the keys, `create` the entities with them, as
    /// for an [`auto`](Self::auto) key. On every backend.
    ///
    /// ```
    /// use keyway::{Column, Generated, PrimaryKey};
    /// use uuid::Uuid;
    /// struct Device;
    /// const ID: Column<Device, Uuid, PrimaryKey> = Column::new("id").uuid_v4();
    /// assert_eq!(ID.def().generated, Some(Generated::UuidV4));
    /// ```
    pub const fn uuid_v4(mut self) -> Self {
        self.generated = Some(crate::Generated::UuidV4);
        self
    }

    /// A UUID key keyway generates on insert, time-ordered (version 7):
    /// keys made later sort later, which keeps indexes compact. See
    /// [`uuid_v4`](Self::uuid_v4).
    pub const fn uuid_v7(mut self) -> Self {
        self.generated = Some(crate::Generated::UuidV7);
        self
    }
}

impl<E, T: Field, K: IndexKind> Column<E, T, K> {
    /// `value` as this column binds it: a decimal at the column's scale, or
    /// [`Value::Unencodable`] (refused by every backend as out of range)
    /// when it does not fit there unchanged, so that a filter or an update
    /// gives the same answer on every backend.
    pub(crate) fn bind(&self, value: impl ValueFor<T>) -> Value {
        match (value.into_value(), self.decimal) {
            (Value::Decimal(n), Some((precision, scale))) => match n.fit(precision, scale) {
                Ok(fitted) => Value::Decimal(fitted),
                Err(why) => Value::Unencodable(why),
            },
            (value, _) => value,
        }
    }
}

impl<E: Entity, T: Field, K: IndexKind> Column<E, T, K> {
    fn cmp<A: Access>(self, op: CmpOp, value: impl ValueFor<T>) -> Filter<E, A> {
        Filter::new(Expr::Cmp {
            column: self.name,
            op,
            value: self.bind(value),
        })
    }

    /// `column = value`; indexed when the column is a key or has an index.
    pub fn eq(self, value: impl ValueFor<T>) -> Filter<E, K::Lookup> {
        self.cmp(CmpOp::Eq, value)
    }

    /// `column <> value`.
    pub fn ne(self, value: impl ValueFor<T>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Ne, value)
    }

    /// `column < value`.
    pub fn lt(self, value: impl ValueFor<T>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Lt, value)
    }

    /// `column <= value`.
    pub fn le(self, value: impl ValueFor<T>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Le, value)
    }

    /// `column > value`.
    pub fn gt(self, value: impl ValueFor<T>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Gt, value)
    }

    /// `column >= value`.
    pub fn ge(self, value: impl ValueFor<T>) -> Filter<E, Unindexed> {
        self.cmp(CmpOp::Ge, value)
    }

    /// `column IN (values...)`; an empty list matches nothing.
    pub fn in_list<V: ValueFor<T>>(
        self,
        values: impl IntoIterator<Item = V>,
    ) -> Filter<E, K::Lookup> {
        let values = values.into_iter().map(|v| self.bind(v)).collect();
        Filter::new(Expr::InList {
            column: self.name,
            values,
        })
    }

    /// Sort ascending by this column ([`KeyOrder`] on a key column,
    /// [`ColumnOrder`] otherwise).
    pub fn asc(self) -> OrderBy<E, K::Order> {
        OrderBy::new(self.name, crate::Direction::Asc)
    }

    /// Sort descending by this column.
    pub fn desc(self) -> OrderBy<E, K::Order> {
        OrderBy::new(self.name, crate::Direction::Desc)
    }

    /// `column IS NULL`; only on `Option<_>` columns.
    pub fn is_null(self) -> Filter<E, Unindexed>
    where
        T: Nullable,
    {
        Filter::new(Expr::IsNull {
            column: self.name,
            negated: false,
        })
    }

    /// `column IS NOT NULL`; only on `Option<_>` columns.
    pub fn is_not_null(self) -> Filter<E, Unindexed>
    where
        T: Nullable,
    {
        Filter::new(Expr::IsNull {
            column: self.name,
            negated: true,
        })
    }
}
