//! Access-path markers: how a query reaches its rows, computed in the type system.

/// The access path of a filter or query: [`Indexed`], [`Unindexed`] or [`Scan`].
///
/// Backends declare which paths they can run with [`Supports`](crate::Supports).
pub trait Access: Send + Sync + 'static {
    /// The marker's name, for diagnostics.
    const NAME: &'static str;
}

/// Reached through a key or an index: every backend can run it without a scan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Indexed;

/// Needs a look at every row: fine on SQL, refused at compile time on DynamoDB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unindexed;

/// An explicit full scan, opted into with `.scan()`: every backend runs it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scan;

impl Access for Indexed {
    const NAME: &'static str = "Indexed";
}
impl Access for Unindexed {
    const NAME: &'static str = "Unindexed";
}
impl Access for Scan {
    const NAME: &'static str = "Scan";
}

/// The access path of `a.and(b)`: indexed if either side is.
pub trait AndAccess<Rhs: Access>: Access {
    /// The combined path.
    type Output: Access;
}

/// The access path of `a.or(b)`: indexed only if both sides are.
pub trait OrAccess<Rhs: Access>: Access {
    /// The combined path.
    type Output: Access;
}

impl AndAccess<Indexed> for Indexed {
    type Output = Indexed;
}
impl AndAccess<Unindexed> for Indexed {
    type Output = Indexed;
}
impl AndAccess<Indexed> for Unindexed {
    type Output = Indexed;
}
impl AndAccess<Unindexed> for Unindexed {
    type Output = Unindexed;
}
impl<A: Access> AndAccess<A> for Scan {
    type Output = Scan;
}

impl OrAccess<Indexed> for Indexed {
    type Output = Indexed;
}
impl OrAccess<Unindexed> for Indexed {
    type Output = Unindexed;
}
impl OrAccess<Indexed> for Unindexed {
    type Output = Unindexed;
}
impl OrAccess<Unindexed> for Unindexed {
    type Output = Unindexed;
}

/// A backend that can run queries whose access path is `A`.
///
/// SQL backends support every path. DynamoDB supports [`Indexed`] and [`Scan`]
/// only, so an unindexed query against it is a compile error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run a query whose access path is `{A}`",
    label = "this query would need a full scan on `{Self}`",
    note = "filter on the key or an indexed column (`eq` / `in_list` on a `PrimaryKey`, `Unique` or `Secondary` column), or opt into a full scan with `.scan()`; a relation the query includes needs an index on its foreign-key column (`Secondary` or `Unique`)"
)]
pub trait Supports<A: Access> {}
