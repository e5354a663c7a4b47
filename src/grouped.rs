//! Aggregating queries: `query.group_by(..).having(..).select(..)`, and
//! `query.aggregate(..)` over every row the query matches.

use std::marker::PhantomData;

use crate::order::OrderKind;
use crate::{
    Access, Aggregates, Aggregation, Decoder, Entity, Expr, GroupBy, Grouped, Having, JoinOrder,
    KeyOrder, Marker, NoIncludes, OrderBy, Query, Result, Select, SelectStmt, Selection,
    ValueReader,
};

/// A query whose rows are grouped by some columns; built with
/// [`Select::group_by`], finished with [`select`](Self::select).
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
/// # use model::{Todo, User};
/// use keyway::prelude::*;
/// use keyway::{count, max, sum};
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// # let db = keyway_sqlite::Sqlite::memory().await?;
/// # db.create_schema::<(User, Todo)>().await?;
/// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
/// let bob = db.insert(&User::new("Bob", "bob@example.com")).await?;
/// db.insert_many(&[Todo::new(ann, "milk", 1), Todo::new(ann, "tax", 5), Todo::new(bob, "call", 2)]).await?;
/// let per_owner: Vec<(i64, i64, Option<i64>, Option<i16>)> = db
///     .all(
///         Todo::query()
///             .group_by(Todo::OWNER_ID)
///             .having(count().ge(1))
///             .select((Todo::OWNER_ID, count(), sum(Todo::PRIORITY), max(Todo::PRIORITY)))
///             .order_by(Todo::OWNER_ID.asc()),
///     )
///     .await?;
/// assert_eq!(per_owner, [(ann, 2, Some(6), Some(5)), (bob, 1, Some(2), Some(2))]);
/// # Ok(()) }
/// ```
pub struct GroupedQuery<E, A, O = KeyOrder> {
    stmt: SelectStmt,
    group_by: Vec<&'static str>,
    having: Option<Expr>,
    _marker: Marker<(E, A, O)>,
}

impl<E: Entity, A: Access, O: OrderKind> Select<E, A, NoIncludes, O> {
    /// Groups the rows by `columns` (one column or a tuple): then
    /// [`select`](GroupedQuery::select) the grouped columns and aggregates.
    /// Runs on the SQL backends; DynamoDB and the portable `AnyBackend`
    /// have no aggregates, and it does not compile against them.
    pub fn group_by<G: GroupBy<E>>(self, columns: G) -> GroupedQuery<E, A, O> {
        GroupedQuery {
            stmt: self.visible_stmt(),
            group_by: columns.columns(),
            having: None,
            _marker: PhantomData,
        }
    }

    /// Aggregates every row the query matches into one row:
    /// `query.aggregate((count(), sum(Todo::PRIORITY)))`.
    pub fn aggregate<P: Aggregates<E>>(self, items: P) -> Aggregated<E, A, P, O> {
        Aggregated::new(self.visible_stmt(), items.items(), Vec::new(), None)
    }
}

impl<E: Entity, A: Access, O: OrderKind> GroupedQuery<E, A, O> {
    /// Keeps only the groups for which `condition` holds (`HAVING`);
    /// several calls are joined with `and`.
    pub fn having(mut self, condition: Having<E>) -> Self {
        self.having = Expr::both(self.having.take(), Some(condition.into_expr()));
        self
    }

    /// Selects grouped columns and aggregates, one row per group. A column
    /// selected must be one of the grouped ones, or the read is
    /// [`Error::Invalid`](crate::Error::Invalid).
    pub fn select<P: Aggregates<E>>(self, items: P) -> Aggregated<E, A, P, O> {
        Aggregated::new(self.stmt, items.items(), self.group_by, self.having)
    }
}

/// An aggregating query; built with [`GroupedQuery::select`] or
/// [`Select::aggregate`].
pub struct Aggregated<E, A, P, O = KeyOrder> {
    stmt: SelectStmt,
    _marker: Marker<(E, A, P, O)>,
}

impl<E: Entity, A: Access, P: Aggregates<E>, O: OrderKind> Aggregated<E, A, P, O> {
    fn new(
        mut stmt: SelectStmt,
        items: Vec<crate::SelectItem>,
        group_by: Vec<&'static str>,
        having: Option<Expr>,
    ) -> Self {
        stmt.selection = Selection::Aggregate(Box::new(Aggregation {
            items,
            group_by,
            having,
        }));
        Aggregated {
            stmt,
            _marker: PhantomData,
        }
    }

    /// Orders the groups by a grouped column (earlier calls are more
    /// significant).
    pub fn order_by<Q: OrderKind>(
        mut self,
        order: OrderBy<E, Q>,
    ) -> Aggregated<E, A, P, <O as JoinOrder<Q>>::Output>
    where
        O: JoinOrder<Q>,
    {
        self.stmt.order.push(order.parts());
        Aggregated {
            stmt: self.stmt,
            _marker: PhantomData,
        }
    }

    /// Returns at most `n` groups.
    pub fn limit(mut self, n: u64) -> Self {
        self.stmt.limit = Some(n);
        self
    }

    /// Skips the first `n` groups.
    pub fn offset(mut self, n: u64) -> Self {
        self.stmt.offset = Some(n);
        self
    }

    /// The statement this query lowers to.
    pub fn statement(&self) -> &SelectStmt {
        &self.stmt
    }
}

impl<E: Entity, A: Access, P: crate::Projection<E>, O: OrderKind> crate::Projected<E, A, P, O> {
    /// Each distinct row once (`SELECT DISTINCT`, written as a `GROUP BY`
    /// of the selected columns). Like the aggregates, it runs on the SQL
    /// backends, and does not compile against DynamoDB or `AnyBackend`. An
    /// order must be by selected columns.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
    /// # use model::{Todo, User};
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<(User, Todo)>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// db.insert_many(&[Todo::new(ann, "a", 2), Todo::new(ann, "b", 2), Todo::new(ann, "c", 5)]).await?;
    /// let q = Todo::query().select(Todo::PRIORITY).distinct().order_by(Todo::PRIORITY.asc());
    /// assert_eq!(db.all(q).await?, [2, 5]);
    /// # Ok(()) }
    /// ```
    pub fn distinct(self) -> crate::Projected<E, Grouped<A>, P, O> {
        let (mut stmt, columns) = self.into_stmt();
        stmt.selection = Selection::Aggregate(Box::new(Aggregation {
            items: columns
                .iter()
                .map(|c| crate::SelectItem::Column(c))
                .collect(),
            group_by: columns,
            having: None,
        }));
        crate::Projected::from_stmt(stmt)
    }
}

/// Decodes the rows of an aggregating query.
pub struct AggregateDecoder<E, P>(Marker<(E, P)>);

impl<E: Entity, P: Aggregates<E>> Decoder for AggregateDecoder<E, P> {
    type Output = P::Output;
    fn decode(&self, row: &mut impl ValueReader) -> Result<P::Output> {
        P::read(row)
    }
}

impl<E: Entity, A: Access, P: Aggregates<E>, O: OrderKind> Query for Aggregated<E, A, P, O> {
    type Access = Grouped<A>;
    type Decoder = AggregateDecoder<E, P>;
    type Loads = NoIncludes;
    type Order = O;
    fn into_parts(self) -> (SelectStmt, AggregateDecoder<E, P>, NoIncludes) {
        (self.stmt, AggregateDecoder(PhantomData), NoIncludes)
    }
}
