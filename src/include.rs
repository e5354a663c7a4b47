//! What a query includes: a type-level list of relations, each with the
//! relations included below it.

use crate::Marker;
use std::marker::PhantomData;

use crate::slot::SlotFree;
use crate::{Direction, Expr, FilterFor, JoinOrder, KeyOrder, OrderBy, OrderKind, Relation};

/// The empty include list: rows come back as plain entities.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIncludes;

/// A non-empty include list: `Head` (an [`Include`]) and the rest.
#[derive(Debug, Clone)]
pub struct Includes<Head, Tail>(pub(crate) Head, pub(crate) Tail);

/// One included relation `R`, the relations `N` included below it, and the
/// filter and order applied to its rows; `O` is that order's kind
/// ([`KeyOrder`] until `.order_by(..)` names a column outside the key).
///
/// Built from a relation: `User::TODOS.filter(..)`, `User::TODOS.include(Todo::TAGS)`.
#[derive(Debug, Clone)]
pub struct Include<R, N = NoIncludes, O = KeyOrder> {
    pub(crate) rel: R,
    pub(crate) nested: N,
    pub(crate) filter: Option<Expr>,
    pub(crate) order: Vec<(&'static str, Direction)>,
    pub(crate) _order: Marker<O>,
}

impl<R: Relation> Include<R, NoIncludes> {
    pub(crate) fn new(rel: R) -> Self {
        Include {
            rel,
            nested: NoIncludes,
            filter: None,
            order: Vec::new(),
            _order: PhantomData,
        }
    }
}

impl<R: Relation, N, O: OrderKind> Include<R, N, O> {
    /// Also loads `nested` for every row of this relation.
    pub fn include<I: IntoInclude<R::To>>(self, nested: I) -> Include<R, Includes<I::Entry, N>, O>
    where
        N: SlotFree<I::Relation>,
    {
        Include {
            rel: self.rel,
            nested: Includes(nested.into_include(), self.nested),
            filter: self.filter,
            order: self.order,
            _order: PhantomData,
        }
    }

    /// Loads only the related rows matching `filter`.
    pub fn filter<F: FilterFor<R::To>>(mut self, filter: F) -> Self {
        let expr = filter.into_expr();
        self.filter = Some(match self.filter.take() {
            Some(prev) => prev.and(expr),
            None => expr,
        });
        self
    }

    /// Orders the related rows of each parent (by primary key when not
    /// given). A column outside the key makes the include
    /// [`ColumnOrder`](crate::ColumnOrder), and the query that includes it too.
    pub fn order_by<P: OrderKind>(
        mut self,
        order: OrderBy<R::To, P>,
    ) -> Include<R, N, <O as JoinOrder<P>>::Output>
    where
        O: JoinOrder<P>,
    {
        self.order.push(order.parts());
        Include {
            rel: self.rel,
            nested: self.nested,
            filter: self.filter,
            order: self.order,
            _order: PhantomData,
        }
    }
}

/// Something `.include(..)` accepts on a query over `E`: a relation starting at
/// `E`, or an [`Include`] built from one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be included in a query over `{E}`",
    label = "this relation does not start at `{E}`",
    note = "include only relations whose `From` is `{E}`; to reach further, nest: `{E}::REL.include(Other::REL)`"
)]
pub trait IntoInclude<E> {
    /// The relation included.
    type Relation: Relation;
    /// The list entry.
    type Entry;
    /// Makes the entry.
    fn into_include(self) -> Self::Entry;
}

impl<R: Relation> IntoInclude<R::From> for R {
    type Relation = R;
    type Entry = Include<R, NoIncludes>;
    fn into_include(self) -> Include<R, NoIncludes> {
        Include::new(self)
    }
}

impl<R: Relation, N, O: OrderKind> IntoInclude<R::From> for Include<R, N, O> {
    type Relation = R;
    type Entry = Include<R, N, O>;
    fn into_include(self) -> Self {
        self
    }
}
