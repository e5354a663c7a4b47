//! Order markers: whether a query's order is one every backend can serve,
//! computed in the type system as the access path is.

use crate::Marker;
use std::marker::PhantomData;

use crate::{Direction, Supports, Unindexed};

/// How a query (or an include) orders its rows: [`KeyOrder`] or [`ColumnOrder`].
///
/// An order is served by the backends it is [`OrderSupportedBy`]: SQL backends every one,
/// DynamoDB (and the portable handle) only [`KeyOrder`].
pub trait OrderKind: Send + Sync + 'static {
    /// The marker's name, for diagnostics.
    const NAME: &'static str;
}

/// Unordered, or ordered by key columns only (`PrimaryKey`, `SortKey`):
/// every backend serves it (DynamoDB by the sort key of the one Query, or in
/// memory over the rows the query read).
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyOrder;

/// Ordered by at least one column outside the key: SQL backends serve it,
/// DynamoDB cannot (no index hands the rows over in that order), so such a
/// query does not compile against it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColumnOrder;

impl OrderKind for KeyOrder {
    const NAME: &'static str = "KeyOrder";
}
impl OrderKind for ColumnOrder {
    const NAME: &'static str = "ColumnOrder";
}

/// The order of a query with two sort keys, or of a query and its includes:
/// [`KeyOrder`] only if both are.
pub trait JoinOrder<Rhs: OrderKind>: OrderKind {
    /// The combined order.
    type Output: OrderKind;
}

impl JoinOrder<KeyOrder> for KeyOrder {
    type Output = KeyOrder;
}
impl JoinOrder<ColumnOrder> for KeyOrder {
    type Output = ColumnOrder;
}
impl<O: OrderKind> JoinOrder<O> for ColumnOrder {
    type Output = ColumnOrder;
}

/// An order that backend `X` can serve.
///
/// Every backend serves [`KeyOrder`]; a backend that runs unindexed queries
/// (every SQL backend) also serves [`ColumnOrder`]. DynamoDB and the portable
/// handle do not, so ordering by a column outside the key is a compile error
/// against them.
#[diagnostic::on_unimplemented(
    message = "`{X}` cannot order rows by a column outside the key",
    label = "this query, or a relation it includes, is ordered by a column that is not part of the key",
    note = "order by the key's columns (`PrimaryKey`, `SortKey`): DynamoDB serves the sort key of the one Query in order, and any key column in memory over the rows the query read; to order by another column, sort the rows in Rust after `all` (`rows.sort_by(..)`)"
)]
pub trait OrderSupportedBy<X: ?Sized>: OrderKind {}

#[diagnostic::do_not_recommend]
impl<X: ?Sized> OrderSupportedBy<X> for KeyOrder {}

#[diagnostic::do_not_recommend]
impl<X: Supports<Unindexed> + ?Sized> OrderSupportedBy<X> for ColumnOrder {}

/// One sort key of a query, built with `Column::asc` / `Column::desc`; `O`
/// says whether it is a key column ([`KeyOrder`]) or not ([`ColumnOrder`]).
#[derive(Debug)]
pub struct OrderBy<E, O = KeyOrder> {
    column: &'static str,
    direction: Direction,
    _marker: Marker<(E, O)>,
}

impl<E, O> Clone for OrderBy<E, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E, O> Copy for OrderBy<E, O> {}

impl<E, O> OrderBy<E, O> {
    pub(crate) fn parts(self) -> (&'static str, Direction) {
        (self.column, self.direction)
    }

    pub(crate) fn new(column: &'static str, direction: Direction) -> Self {
        OrderBy {
            column,
            direction,
            _marker: PhantomData,
        }
    }

    /// The column ordered by.
    pub fn column(&self) -> &'static str {
        self.column
    }

    /// The direction.
    pub fn direction(&self) -> Direction {
        self.direction
    }
}
