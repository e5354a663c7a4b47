//! Filters through relations: `User::TODOS.any(Todo::DONE.eq(false))`,
//! `.none(..)`, `.all(..)` on has-many and has-one, `Todo::OWNER.is(..)`
//! on belongs-to.

use crate::{
    Access, BelongsTo, Column, Expr, Filter, FilterFor, HasMany, HasOne, IndexKind, Indexed,
    Joined, Link, LinkSide, Linked, Quantifier, Relation, TableDef, Unindexed,
};

/// A link whose foreign key is on the related rows (has-many, has-one):
/// a row has any number of them, tested with `any`, `none` and `all`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` links each row to one parent, not to a set of rows",
    label = "`any`, `none` and `all` test the rows of a has-many or has-one relation",
    note = "test a belongs-to relation's parent with `.is(filter)` (and `.is(filter).not()` for the rows whose parent fails it)"
)]
pub trait ChildLink {}

impl<C> ChildLink for HasMany<C> {}
impl<C> ChildLink for HasOne<C> {}

/// A link whose foreign key is on the row tested (belongs-to): tested with
/// `is`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` links each row to the rows that point at it, not to one parent",
    label = "`is` tests the parent of a belongs-to relation",
    note = "test the related rows of a has-many or has-one relation with `.any(filter)`, `.none(filter)` or `.all(filter)`"
)]
pub trait ParentLink {
    /// The access path of a lookup by the foreign-key column: indexed when
    /// the column is.
    type Lookup: Access;
}

impl<F, V, K: IndexKind> ParentLink for BelongsTo<Column<F, V, K>> {
    type Lookup = K::Lookup;
}

/// The access path of a filter through a relation whose related rows are
/// tested by a filter of path `Self`: indexed when that filter is (the
/// related rows are found through its index), [`Joined`] otherwise.
pub trait AnyAccess: Access {
    /// The path through the relation.
    type Output: Access;
}

impl AnyAccess for Indexed {
    type Output = Indexed;
}
impl AnyAccess for Unindexed {
    type Output = Joined;
}
impl AnyAccess for Joined {
    type Output = Joined;
}

/// The access path of `R.any(filter)`.
pub type Through<A> = <A as AnyAccess>::Output;

/// The access path of `R.is(filter)` where the foreign-key column's lookup
/// is `L`: indexed when both the filter and the column are.
pub trait ParentAccess<L: Access>: Access {
    /// The path through the relation.
    type Output: Access;
}

impl ParentAccess<Indexed> for Indexed {
    type Output = Indexed;
}
impl ParentAccess<Unindexed> for Indexed {
    type Output = Joined;
}
impl<L: Access> ParentAccess<L> for Unindexed {
    type Output = Joined;
}
impl<L: Access> ParentAccess<L> for Joined {
    type Output = Joined;
}

/// The access path of `R.is(filter)`.
pub type IsAccess<R, A> =
    <A as ParentAccess<<<R as Relation>::Link as ParentLink>::Lookup>>::Output;

/// Filters on the rows a relation reaches; in the prelude.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
/// # use model::{Todo, User};
/// use keyway::prelude::*;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// # let db = keyway_sqlite::Sqlite::memory().await?;
/// # db.create_schema::<(User, Todo)>().await?;
/// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
/// db.insert(&User::new("Bob", "bob@example.com")).await?;
/// db.insert(&Todo::new(ann, "write the report", 2)).await?;
/// let busy = db.all(User::query().filter(User::TODOS.any(Todo::DONE.eq(false)))).await?;
/// assert_eq!(busy.len(), 1);
/// let idle = db.all(User::query().filter(User::TODOS.none(Todo::DONE.eq(false)))).await?;
/// assert_eq!(idle[0].name, "Bob");
/// let anns = db.all(Todo::query().filter(Todo::OWNER.is(User::NAME.eq("Ann")))).await?;
/// assert_eq!(anns.len(), 1);
/// # Ok(()) }
/// ```
pub trait RelationFilter: Relation {
    /// The rows with at least one related row matching `filter`. Indexed
    /// when `filter` is: DynamoDB then finds the related rows through their
    /// index and reads the rows by key; [`Joined`] otherwise.
    fn any<F: FilterFor<Self::To>>(self, filter: F) -> Filter<Self::From, Through<F::Access>>
    where
        Self::Link: ChildLink,
        F::Access: AnyAccess,
    {
        Filter::new(linked::<Self>(filter.into_expr(), Quantifier::Any))
    }

    /// The rows with no related row matching `filter` ([`Joined`]).
    fn none<F: FilterFor<Self::To>>(self, filter: F) -> Filter<Self::From, Joined>
    where
        Self::Link: ChildLink,
    {
        Filter::new(Expr::Not(Box::new(linked::<Self>(
            filter.into_expr(),
            Quantifier::Any,
        ))))
    }

    /// The rows every related row of which matches `filter`, rows with no
    /// related row included (never indexed). A related row for which the
    /// filter is unknown (a comparison with NULL) does not match it
    /// ([`Joined`]).
    fn all<F: FilterFor<Self::To>>(self, filter: F) -> Filter<Self::From, Joined>
    where
        Self::Link: ChildLink,
    {
        Filter::new(linked::<Self>(filter.into_expr(), Quantifier::All))
    }

    /// The rows whose parent matches `filter` (a row without a parent does
    /// not). Indexed when `filter` is and the foreign-key column is indexed;
    /// [`Joined`] otherwise.
    fn is<F: FilterFor<Self::To>>(self, filter: F) -> Filter<Self::From, IsAccess<Self, F::Access>>
    where
        Self::Link: ParentLink,
        F::Access: ParentAccess<<Self::Link as ParentLink>::Lookup>,
    {
        Filter::new(linked::<Self>(filter.into_expr(), Quantifier::Any))
    }
}

impl<R: Relation> RelationFilter for R {}

/// The test of `R`'s related rows: linked through the link's foreign key,
/// soft-deleted rows left out.
fn linked<R: Relation>(filter: Expr, quantifier: Quantifier) -> Expr {
    let table = TableDef::of::<R::To>();
    let key = |t: &TableDef| t.key_columns().next().map_or("?", |c| c.name);
    let (column, outer) = match <R::Link as Link<R::From, R::To>>::side(&R::LINK) {
        LinkSide::Target(fk) => (fk, key(&TableDef::of::<R::From>())),
        LinkSide::Source(fk) => (key(&table), fk),
    };
    Expr::Linked(Box::new(Linked {
        table,
        column,
        outer,
        rows: crate::soft_delete::live(&table),
        filter,
        quantifier,
    }))
}
