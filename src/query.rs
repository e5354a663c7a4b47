//! The type-state query builder.

use crate::Marker;
use crate::slot::SlotFree;
use crate::soft_delete::{Deleted, Visibility};
use std::marker::PhantomData;

use crate::{
    Access, AndAccess, Decoder, Entity, Expr, FilterFor, Includes, IntoInclude, JoinOrder,
    KeyOrder, Loads, NoIncludes, OrderBy, OrderKind, Projection, Result, Scan, SelectStmt,
    Selection, TableDef, Unindexed, ValueReader,
};

/// Anything `Db::all`, `first`, `count` and `stream` accept.
pub trait Query: Sized {
    /// The access path, checked against the backend's [`Supports`](crate::Supports).
    type Access: Access;
    /// What turns a row into a result.
    type Decoder: Decoder;
    /// The relations loaded beside the rows.
    type Loads: Loads<<Self::Decoder as Decoder>::Output>;
    /// The order of the rows and of every include, checked against the
    /// backend with [`OrderSupportedBy`](crate::OrderSupportedBy).
    type Order: OrderKind;
    /// The statement, its decoder and its includes.
    fn into_parts(self) -> (SelectStmt, Self::Decoder, Self::Loads);
}

/// A query over `E` whose access path is `A`; start with [`Select::new`] or
/// `E::query()` (from [`EntityExt`](crate::EntityExt)).
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); }
/// # use model::User;
/// use keyway::prelude::*;
/// let q = User::query()
///     .filter(User::NAME.ne("root"))
///     .order_by(User::NAME.asc())
///     .order_by(User::ID.desc())
///     .limit(10)
///     .offset(20);
/// # let _ = q;
/// ```
///
/// `L` is the list of included relations ([`NoIncludes`] until `.include(..)`),
/// `O` the order: [`KeyOrder`] until `.order_by(..)` names a column outside
/// the key, [`ColumnOrder`](crate::ColumnOrder) after that.
pub struct Select<E, A = Unindexed, L = NoIncludes, O = KeyOrder> {
    pub(crate) stmt: SelectStmt,
    includes: L,
    /// Which rows of an entity with a deleted-at or expiry column it sees.
    visibility: Visibility,
    _marker: Marker<(E, A, O)>,
}

impl<E, A, L, O> std::fmt::Debug for Select<E, A, L, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.stmt.fmt(f)
    }
}

impl<E, A, L: Clone, O> Clone for Select<E, A, L, O> {
    fn clone(&self) -> Self {
        Select {
            stmt: self.stmt.clone(),
            includes: self.includes.clone(),
            visibility: self.visibility,
            _marker: PhantomData,
        }
    }
}

impl<E: Entity> Select<E, Unindexed> {
    /// All rows of `E` (unindexed until a key or index filter is added).
    pub fn new() -> Self {
        Select {
            stmt: SelectStmt::new(TableDef::of::<E>()),
            includes: NoIncludes,
            visibility: Visibility::LIVE,
            _marker: PhantomData,
        }
    }
}

impl<E: Entity, A: Access> Select<E, A> {
    /// A query whose condition and access path are given (scoped relation queries).
    pub(crate) fn with_filter(filter: Expr) -> Self {
        let mut stmt = SelectStmt::new(TableDef::of::<E>());
        stmt.filter = Some(filter);
        Select {
            stmt,
            includes: NoIncludes,
            visibility: Visibility::LIVE,
            _marker: PhantomData,
        }
    }
}

impl<E: Entity> Default for Select<E, Unindexed> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Entity, A: Access, L, O: OrderKind> Select<E, A, L, O> {
    pub(crate) fn retag<B, P>(self) -> Select<E, B, L, P> {
        Select {
            stmt: self.stmt,
            includes: self.includes,
            visibility: self.visibility,
            _marker: PhantomData,
        }
    }

    /// Loads relation `include` (from `E`) for every row, in one query per
    /// relation and level: rows come back as [`Loaded`](crate::Loaded).
    pub fn include<I: IntoInclude<E>>(self, include: I) -> Select<E, A, Includes<I::Entry, L>, O>
    where
        L: SlotFree<I::Relation>,
    {
        Select {
            stmt: self.stmt,
            includes: Includes(include.into_include(), self.includes),
            visibility: self.visibility,
            _marker: PhantomData,
        }
    }

    /// Adds a condition (ANDed with earlier ones). The query becomes indexed when
    /// either the query or the filter is.
    pub fn filter<F: FilterFor<E>>(
        mut self,
        filter: F,
    ) -> Select<E, <A as AndAccess<F::Access>>::Output, L, O>
    where
        A: AndAccess<F::Access>,
    {
        self.stmt.filter = Expr::both(self.stmt.filter.take(), Some(filter.into_expr()));
        self.retag()
    }

    /// Opts into a full scan: the query runs on every backend, DynamoDB included,
    /// reading every item of the table.
    pub fn scan(mut self) -> Select<E, Scan, L, O> {
        self.stmt.scan = true;
        self.retag()
    }

    /// Adds a sort key (earlier calls are more significant). A column
    /// outside the key makes the query [`ColumnOrder`](crate::ColumnOrder):
    /// it runs on SQL backends, and does not compile against DynamoDB.
    pub fn order_by<P: OrderKind>(
        mut self,
        order: OrderBy<E, P>,
    ) -> Select<E, A, L, <O as JoinOrder<P>>::Output>
    where
        O: JoinOrder<P>,
    {
        self.stmt.order.push(order.parts());
        self.retag()
    }

    /// Returns at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.stmt.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.stmt.offset = Some(n);
        self
    }

    /// Sees soft-deleted rows too (an entity with a deleted-at column,
    /// [`Column::deleted_at`](crate::Column::deleted_at)). The query's
    /// access path stays as it is.
    pub fn with_deleted(mut self) -> Self {
        self.visibility.deleted = Deleted::All;
        self
    }

    /// Sees soft-deleted rows only.
    pub fn only_deleted(mut self) -> Self {
        self.visibility.deleted = Deleted::Only;
        self
    }

    /// Sees expired rows too (an entity with an expiry column,
    /// [`Column::expires_at`](crate::Column::expires_at)): those DynamoDB
    /// or [`Db::purge_expired`](crate::Db::purge_expired) have not deleted
    /// yet. The query's access path stays as it is.
    pub fn with_expired(mut self) -> Self {
        self.visibility.expired = true;
        self
    }

    /// The statement this query lowers to (without the condition that
    /// leaves soft-deleted and expired rows out, added when it runs).
    pub fn statement(&self) -> &SelectStmt {
        &self.stmt
    }

    /// The statement as it runs: soft-deleted rows left out unless asked for.
    fn visible(mut self) -> (SelectStmt, L) {
        let filter = self.stmt.filter.take();
        self.stmt.filter = self.visibility.apply(&self.stmt.table, filter);
        (self.stmt, self.includes)
    }
}

impl<E: Entity, A: Access, O: OrderKind> Select<E, A, NoIncludes, O> {
    /// Returns only the given columns, as a value or a tuple.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<User>().await?;
    /// db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// let rows: Vec<(String, String)> = db.all(User::query().select((User::NAME, User::EMAIL))).await?;
    /// assert_eq!(rows, [("Ann".to_string(), "ann@example.com".to_string())]);
    /// # Ok(()) }
    /// ```
    pub fn select<P: Projection<E>>(self, projection: P) -> Projected<E, A, P, O> {
        let (mut stmt, _) = self.visible();
        stmt.selection = Selection::Columns(projection.columns());
        Projected {
            stmt,
            _marker: PhantomData,
        }
    }

    /// The statement with the condition of the rows the query sees.
    pub(crate) fn visible_stmt(self) -> SelectStmt {
        self.visible().0
    }

    /// The condition of the rows the query sees.
    pub(crate) fn filter_expr(self) -> Option<Expr> {
        self.visible().0.filter
    }
}

/// Decodes whole entities.
pub struct EntityDecoder<E>(Marker<E>);

impl<E: Entity> EntityDecoder<E> {
    /// The decoder for `E`.
    pub fn new() -> Self {
        EntityDecoder(PhantomData)
    }
}

impl<E: Entity> Clone for EntityDecoder<E> {
    fn clone(&self) -> Self {
        Self::new()
    }
}

impl<E: Entity> Default for EntityDecoder<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Entity> Decoder for EntityDecoder<E> {
    type Output = E;
    fn decode(&self, row: &mut impl ValueReader) -> Result<E> {
        crate::read_row(row)
    }
}

impl<E: Entity, A: Access, L: Loads<E>, O: JoinOrder<L::Order>> Query for Select<E, A, L, O> {
    type Access = A;
    type Decoder = EntityDecoder<E>;
    type Loads = L;
    type Order = <O as JoinOrder<L::Order>>::Output;
    fn into_parts(self) -> (SelectStmt, EntityDecoder<E>, L) {
        let (stmt, includes) = self.visible();
        (stmt, EntityDecoder(PhantomData), includes)
    }
}

/// A query returning only some columns; built with [`Select::select`].
pub struct Projected<E, A, P, O = KeyOrder> {
    stmt: SelectStmt,
    _marker: Marker<(E, A, P, O)>,
}

impl<E, A, P, O> Projected<E, A, P, O> {
    /// The statement and the columns it selects.
    pub(crate) fn into_stmt(self) -> (SelectStmt, Vec<&'static str>) {
        let columns = match &self.stmt.selection {
            Selection::Columns(c) => c.clone(),
            _ => Vec::new(),
        };
        (self.stmt, columns)
    }

    pub(crate) fn from_stmt(stmt: SelectStmt) -> Self {
        Projected {
            stmt,
            _marker: PhantomData,
        }
    }
}

impl<E: Entity, A: Access, P: Projection<E>, O: OrderKind> Projected<E, A, P, O> {
    /// Adds a sort key (a column outside the key makes the query
    /// [`ColumnOrder`](crate::ColumnOrder), as [`Select::order_by`] does).
    pub fn order_by<Q: OrderKind>(
        mut self,
        order: OrderBy<E, Q>,
    ) -> Projected<E, A, P, <O as JoinOrder<Q>>::Output>
    where
        O: JoinOrder<Q>,
    {
        self.stmt.order.push(order.parts());
        Projected {
            stmt: self.stmt,
            _marker: PhantomData,
        }
    }

    /// Returns at most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.stmt.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.stmt.offset = Some(n);
        self
    }
}

/// Decodes projected tuples.
pub struct ProjectionDecoder<E, P>(Marker<(E, P)>);

impl<E: Entity, P: Projection<E>> Decoder for ProjectionDecoder<E, P> {
    type Output = P::Output;
    fn decode(&self, row: &mut impl ValueReader) -> Result<P::Output> {
        P::read(row)
    }
}

impl<E: Entity, A: Access, P: Projection<E>, O: OrderKind> Query for Projected<E, A, P, O> {
    type Access = A;
    type Decoder = ProjectionDecoder<E, P>;
    type Loads = NoIncludes;
    type Order = O;
    fn into_parts(self) -> (SelectStmt, ProjectionDecoder<E, P>, NoIncludes) {
        (self.stmt, ProjectionDecoder(PhantomData), NoIncludes)
    }
}
