//! What a query includes: a type-level list of relations, each with the
//! relations included below it.

use crate::{Direction, Expr, FilterFor, OrderBy, Relation};

/// The empty include list: rows come back as plain entities.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIncludes;

/// A non-empty include list: `Head` (an [`Include`]) and the rest.
#[derive(Debug, Clone)]
pub struct Includes<Head, Tail>(pub(crate) Head, pub(crate) Tail);

/// One included relation `R`, the relations `N` included below it, and the
/// filter and order applied to its rows.
///
/// Built from a relation: `User::TODOS.filter(..)`, `User::TODOS.include(Todo::TAGS)`.
#[derive(Debug, Clone)]
pub struct Include<R, N = NoIncludes> {
    pub(crate) rel: R,
    pub(crate) nested: N,
    pub(crate) filter: Option<Expr>,
    pub(crate) order: Vec<(&'static str, Direction)>,
}

impl<R: Relation> Include<R, NoIncludes> {
    pub(crate) fn new(rel: R) -> Self {
        Include {
            rel,
            nested: NoIncludes,
            filter: None,
            order: Vec::new(),
        }
    }
}

impl<R: Relation, N> Include<R, N> {
    /// Also loads `nested` for every row of this relation.
    pub fn include<I: IntoInclude<R::To>>(self, nested: I) -> Include<R, Includes<I::Entry, N>> {
        Include {
            rel: self.rel,
            nested: Includes(nested.into_include(), self.nested),
            filter: self.filter,
            order: self.order,
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

    /// Orders the related rows of each parent (by primary key when not given).
    pub fn order_by(mut self, order: OrderBy<R::To>) -> Self {
        self.order.push(order.parts());
        self
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
    /// The list entry.
    type Entry;
    /// Makes the entry.
    fn into_include(self) -> Self::Entry;
}

impl<R: Relation> IntoInclude<R::From> for R {
    type Entry = Include<R, NoIncludes>;
    fn into_include(self) -> Include<R, NoIncludes> {
        Include::new(self)
    }
}

impl<R: Relation, N> IntoInclude<R::From> for Include<R, N> {
    type Entry = Include<R, N>;
    fn into_include(self) -> Self {
        self
    }
}
