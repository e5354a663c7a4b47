//! Access-path markers: how a query reaches its rows, computed in the type system.

/// The access path of a filter or query: [`Indexed`], [`Unindexed`],
/// [`Joined`] or [`Scan`].
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

/// Tests related rows the database must look through (a relation filter
/// other than `any` / `is` with an indexed filter): an `EXISTS` subquery on
/// SQL. Unlike [`Unindexed`], an indexed condition beside it does not make
/// the query indexed, since the related rows would still be searched; it
/// does not compile against DynamoDB unless the query is `.scan()`ned.
#[derive(Debug, Clone, Copy, Default)]
pub struct Joined;

impl Access for Indexed {
    const NAME: &'static str = "Indexed";
}
impl Access for Unindexed {
    const NAME: &'static str = "Unindexed";
}
impl Access for Scan {
    const NAME: &'static str = "Scan";
}
impl Access for Joined {
    const NAME: &'static str = "Joined";
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
impl AndAccess<Indexed> for Joined {
    type Output = Joined;
}
impl AndAccess<Unindexed> for Joined {
    type Output = Joined;
}
impl AndAccess<Joined> for Joined {
    type Output = Joined;
}
impl AndAccess<Joined> for Indexed {
    type Output = Joined;
}
impl AndAccess<Joined> for Unindexed {
    type Output = Joined;
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
impl<A: Access> OrAccess<A> for Joined {
    type Output = Joined;
}
impl OrAccess<Joined> for Indexed {
    type Output = Joined;
}
impl OrAccess<Joined> for Unindexed {
    type Output = Joined;
}

/// The access path of `filter.not()`: never indexed, and still
/// [`Joined`] if the filter was.
pub trait NotAccess: Access {
    /// The negated path.
    type Output: Access;
}

impl NotAccess for Indexed {
    type Output = Unindexed;
}
impl NotAccess for Unindexed {
    type Output = Unindexed;
}
impl NotAccess for Joined {
    type Output = Joined;
}

/// A backend that can run queries whose access path is `A`.
///
/// SQL backends support every path. DynamoDB supports [`Indexed`] and [`Scan`]
/// only, so an unindexed query against it is a compile error.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run a query whose access path is `{A}`",
    label = "this query's access path is `{A}`, which `{Self}` does not run",
    note = "filter on the key or an indexed column (`eq` / `in_list` on a `PrimaryKey`, `Unique` or `Secondary` column), or opt into a full scan with `.scan()`; a relation the query includes needs an index on its foreign-key column (`Secondary` or `Unique`); a filter through a relation runs on DynamoDB as `any(..)` or `is(..)` with an indexed filter (`Joined` otherwise); aggregates (`Grouped`) run on the SQL backends only: on DynamoDB read the rows and aggregate them in Rust"
)]
pub trait Supports<A: Access> {}

/// A query that locks the rows it reads until its transaction ends
/// ([`Select::for_update`](crate::Select::for_update),
/// [`for_share`](crate::Select::for_share)) and whose path is otherwise `A`.
/// It runs only where [`LocksRows`] holds: inside a transaction on
/// PostgreSQL or MySQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct Locked<A>(std::marker::PhantomData<A>);

impl<A: Access> Access for Locked<A> {
    const NAME: &'static str = "Locked";
}

/// The access paths that take no row lock: [`Indexed`], [`Unindexed`],
/// [`Joined`], [`Scan`]. A [`Locked`] query runs only where [`LocksRows`] holds; on
/// another executor the compiler reports this trait missing for it.
#[diagnostic::on_unimplemented(
    message = "this executor cannot lock the rows it reads (the query is `{Self}`)",
    label = "`for_update` / `for_share` need a transaction on PostgreSQL or MySQL",
    note = "lock rows inside `db.transaction(..)` or `db.begin()` on PostgreSQL or MySQL (on a pool the lock would end with the statement); SQLite and Turso lock the whole database for a write transaction, DynamoDB has no row locks (write with `.only_if(..)` or a version instead), and the portable `AnyBackend` cannot promise them"
)]
pub trait Unlocked: Access {}
impl Unlocked for Indexed {}
impl Unlocked for Unindexed {}
impl Unlocked for Scan {}
impl Unlocked for Joined {}

/// A backend that runs every access path that takes no row lock, scans
/// included (the SQL backends): it [`Supports`] each of them.
pub trait SupportsEveryPath {}

impl<X: SupportsEveryPath, A: Unlocked> Supports<A> for X {}

/// An executor whose reads can lock the rows they return: a transaction on
/// a backend with row locks ([`RowLocks`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot lock the rows it reads",
    label = "`for_update` / `for_share` need a transaction on PostgreSQL or MySQL",
    note = "lock rows inside `db.transaction(..)` or `db.begin()` on PostgreSQL or MySQL; SQLite and Turso lock the whole database for a write transaction, DynamoDB has no row locks (write with `.only_if(..)` or a version instead), and the portable `AnyBackend` cannot promise them"
)]
pub trait LocksRows {}

impl<X: LocksRows + Supports<A>, A: Unlocked> Supports<Locked<A>> for X {}

/// A query that aggregates its rows (`group_by`, `count()`, `sum(..)`,
/// ...) and whose path is otherwise `A`. It runs where the backend
/// [`SupportsEveryPath`] (the SQL backends), not on DynamoDB, which has no
/// aggregates, nor on the portable `AnyBackend`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Grouped<A>(std::marker::PhantomData<A>);

impl<A: Access> Access for Grouped<A> {
    const NAME: &'static str = "Grouped";
}

impl<X: SupportsEveryPath, A: Unlocked> Supports<Grouped<A>> for X {}

/// A backend whose transactions can lock rows (PostgreSQL, MySQL): its
/// [`Transaction`](crate::Transaction) is [`LocksRows`].
pub trait RowLocks {}
