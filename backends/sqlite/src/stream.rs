//! A row stream that owns its SQL text, so `Db::stream` needs no collecting.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::BoxStream;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteArguments, SqliteRow};

pub(crate) struct Owner {
    pool: SqlitePool,
    sql: String,
}

type RowsOf<'a> = BoxStream<'a, Result<SqliteRow, sqlx::Error>>;

self_cell::self_cell!(
    /// The pool and SQL text, and the sqlx stream borrowing them.
    pub(crate) struct OwnedRows {
        owner: Owner,
        #[covariant]
        dependent: RowsOf,
    }
);

impl OwnedRows {
    pub(crate) fn start(pool: SqlitePool, sql: String, args: SqliteArguments<'static>) -> Self {
        OwnedRows::new(Owner { pool, sql }, |o| {
            sqlx::query_with(&o.sql, args).fetch(&o.pool)
        })
    }
}

impl Stream for OwnedRows {
    type Item = Result<SqliteRow, sqlx::Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .with_dependent_mut(|_, rows| rows.as_mut().poll_next(cx))
    }
}
