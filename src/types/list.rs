//! `Vec<T>` of scalars: a list column, with a `contains` filter.

use crate::filter::{Expr, Filter};
use crate::{Column, ColumnType, DecodeError, Entity, Field, IndexKind, NotNull, Unindexed, Value};

/// A scalar that a list column (`Vec<T>`) holds: `bool`, `i32`, `i64`,
/// `f64`, `String`, and with their features `uuid::Uuid` and
/// `jiff::Timestamp`. (`Vec<u8>` is bytes, not a list.)
pub trait ListElement: NotNull + Clone {}

impl ListElement for bool {}
impl ListElement for i32 {}
impl ListElement for i64 {}
impl ListElement for f64 {}
impl ListElement for String {}
#[cfg(feature = "uuid")]
impl ListElement for uuid::Uuid {}
#[cfg(feature = "jiff")]
impl ListElement for jiff::Timestamp {}

impl<T: ListElement> Field for Vec<T> {
    const TYPE: ColumnType = ColumnType::List(&T::TYPE);
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(Field::to_value).collect())
    }
    fn into_value(self) -> Value {
        Value::List(self.into_iter().map(Field::into_value).collect())
    }
    fn from_value(value: Value) -> Result<Self, DecodeError> {
        match value {
            Value::List(items) => items.into_iter().map(T::from_value).collect(),
            other => Err(DecodeError::mismatch(Self::TYPE, &other)),
        }
    }
}
impl<T: ListElement> NotNull for Vec<T> {}

/// A list column type: `Vec<T>` of a [`ListElement`].
#[diagnostic::on_unimplemented(
    message = "`contains` looks for an element of a list column, but this column holds `{Self}`",
    label = "not a list column",
    note = "declare the column as `Column<_, Vec<T>>` of a list element (`bool`, `i32`, `i64`, `f64`, `String`, `Uuid`, `jiff::Timestamp`)"
)]
pub trait List: Field {
    /// The type of the list's elements.
    type Element: ListElement;
}

impl<T: ListElement> List for Vec<T> {
    type Element = T;
}

/// A column type `contains` searches: a list column (`Vec<T>`) for an
/// element, a text column (`String`, `Option<String>`) for a substring.
#[diagnostic::on_unimplemented(
    message = "`contains` looks for an element of a list column or a substring of a text column, but this column holds `{Self}`",
    label = "not a list or text column",
    note = "declare the column as `Column<_, Vec<T>>` of a list element (`bool`, `i32`, `i64`, `f64`, `String`, `Uuid`, `jiff::Timestamp`), or as a `String` column"
)]
pub trait Contains: Field {
    /// What is looked for.
    type Needle;
    /// The condition that `column` holds `needle`.
    fn contains_expr(column: &'static str, needle: Self::Needle) -> Expr;
}

impl<T: ListElement> Contains for Vec<T> {
    type Needle = T;
    fn contains_expr(column: &'static str, needle: T) -> Expr {
        let value = needle.into_value();
        let refused = |why: String| Value::Unencodable(why);
        let scalar = crate::json_text::element_scalar(&value).unwrap_or_else(refused);
        let json = crate::json_text::element_json(&value).map_or_else(refused, Value::Json);
        Expr::Contains {
            column,
            value,
            scalar,
            json,
        }
    }
}

impl Contains for String {
    type Needle = String;
    fn contains_expr(column: &'static str, needle: String) -> Expr {
        crate::text_match::text_expr(column, crate::TextTest::Contains, needle, false)
    }
}

impl Contains for Option<String> {
    type Needle = String;
    fn contains_expr(column: &'static str, needle: String) -> Expr {
        crate::text_match::text_expr(column, crate::TextTest::Contains, needle, false)
    }
}

impl<E: Entity, L: Field, K: IndexKind> Column<E, L, K> {
    /// The list holds `value` (an [`Unindexed`] filter): `value = ANY(column)`
    /// on PostgreSQL, a search of the JSON array on SQLite and MySQL,
    /// `contains` on DynamoDB.
    ///
    /// ```
    /// use keyway::{Column, Filter, Unindexed};
    /// # use keyway::{ColumnDef, Entity, PrimaryKey, Result, RowReader, RowWriter};
    /// # pub struct Post { id: i64, tags: Vec<String> }
    /// # impl Entity for Post {
    /// #     type Key = i64;
    /// #     const TABLE: &'static str = "posts";
    /// #     const COLUMNS: &'static [ColumnDef] = &[Post::ID.def(), Post::TAGS.def()];
    /// #     fn key(&self) -> i64 { self.id }
    /// #     fn write(&self, row: &mut impl RowWriter<Self>) { row.put(Post::ID, &self.id); row.put(Post::TAGS, &self.tags); }
    /// #     fn read(row: &mut impl RowReader<Self>) -> Result<Self> { Ok(Post { id: row.get(Post::ID)?, tags: row.get(Post::TAGS)? }) }
    /// # }
    /// impl Post {
    ///     const ID: Column<Post, i64, PrimaryKey> = Column::new("id");
    ///     const TAGS: Column<Post, Vec<String>> = Column::new("tags");
    /// }
    /// let rust: Filter<Post, Unindexed> = Post::TAGS.contains("rust".to_owned());
    /// # let _ = rust;
    /// ```
    ///
    /// On a `String` column it is text matching: the value occurs in the
    /// text (case sensitive; `contains_ignore_case` ignores ASCII case).
    pub fn contains(self, value: impl Into<L::Needle>) -> Filter<E, Unindexed>
    where
        L: Contains,
    {
        Filter::new(L::contains_expr(self.name(), value.into()))
    }
}
