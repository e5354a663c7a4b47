//! The sqlx calls that generic code cannot name without higher-ranked bounds,
//! written once for every database that has them.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use sqlx::database::HasStatementCache;
use sqlx::{ColumnIndex, Database, IntoArguments, Row};

/// A sqlx database whose connections run queries with owned arguments.
///
/// Implemented for every such database (PostgreSQL and MySQL among them);
/// the bounds are checked once, where a driver names its database, so the
/// shared layer can fetch rows without repeating them.
pub trait SqlxDatabase: Database {
    /// Streams the rows of `sql` with `args` on `conn`.
    fn fetch<'c>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
        args: Self::Arguments<'static>,
    ) -> BoxStream<'c, Result<Self::Row, sqlx::Error>>;

    /// Runs `sql` with `args` on `conn`. `persistent: false` keeps the
    /// statement out of the prepared-statement cache (DDL).
    fn execute<'c>(
        conn: &'c mut Self::Connection,
        sql: &'c str,
        args: Self::Arguments<'static>,
        persistent: bool,
    ) -> BoxFuture<'c, Result<Self::QueryResult, sqlx::Error>>;

    /// Column `i` of `row`.
    fn column(row: &Self::Row, i: usize) -> Result<Self::ValueRef<'_>, sqlx::Error>;
}

impl<DB> SqlxDatabase for DB
where
    DB: Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'static>: IntoArguments<'q, DB>,
    DB: HasStatementCache,
    usize: ColumnIndex<DB::Row>,
{
    fn fetch<'c>(
        conn: &'c mut DB::Connection,
        sql: &'c str,
        args: DB::Arguments<'static>,
    ) -> BoxStream<'c, Result<DB::Row, sqlx::Error>> {
        sqlx::query_with(sql, args).fetch(conn)
    }

    fn execute<'c>(
        conn: &'c mut DB::Connection,
        sql: &'c str,
        args: DB::Arguments<'static>,
        persistent: bool,
    ) -> BoxFuture<'c, Result<DB::QueryResult, sqlx::Error>> {
        Box::pin(
            sqlx::query_with(sql, args)
                .persistent(persistent)
                .execute(conn),
        )
    }

    fn column(row: &DB::Row, i: usize) -> Result<DB::ValueRef<'_>, sqlx::Error> {
        row.try_get_raw(i)
    }
}
