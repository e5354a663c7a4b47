//! The rows of one statement, as a stream: the statement is sent on the
//! first poll, each wait for the server is bounded by the statement timeout,
//! and the connection is marked free once the answer was read to its end.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;
use futures::future::BoxFuture;
use tokio::time::Sleep;
use tokio_postgres::RowStream;

use crate::bind::PgArgs;
use crate::conn::PgConn;
use crate::errors::PgError;
use crate::row::PgRow;

/// The rows of one statement.
pub(crate) struct Rows<'c> {
    state: State<'c>,
    busy: Arc<AtomicBool>,
    limit: Option<Duration>,
    /// The deadline of the current wait for the server.
    waiting: Option<Pin<Box<Sleep>>>,
}

enum State<'c> {
    Starting(BoxFuture<'c, Result<RowStream, PgError>>),
    Reading(Pin<Box<RowStream>>),
    Done,
}

impl<'c> Rows<'c> {
    /// The rows of `sql` with `args`, through a kept statement when
    /// `persistent` (see `PgConn::start`).
    pub(crate) fn new(
        conn: &'c mut PgConn,
        sql: &'c str,
        args: PgArgs,
        persistent: bool,
    ) -> Rows<'c> {
        let busy = conn.busy();
        let limit = conn.statement_timeout();
        let start = Box::pin(async move { conn.start(sql, &args, persistent).await });
        Rows {
            state: State::Starting(start),
            busy,
            limit,
            waiting: None,
        }
    }

    /// Whether the wait for the server outlasted the statement timeout.
    fn timed_out(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(limit) = self.limit else {
            return false;
        };
        let deadline = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        deadline.as_mut().poll(cx).is_ready()
    }
}

impl Stream for Rows<'_> {
    type Item = Result<PgRow, PgError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            let polled = match &mut this.state {
                State::Starting(start) => match start.as_mut().poll(cx) {
                    Poll::Ready(Ok(rows)) => {
                        this.state = State::Reading(Box::pin(rows));
                        continue;
                    }
                    Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                    Poll::Pending => Poll::Pending,
                },
                State::Reading(rows) => match rows.as_mut().poll_next(cx) {
                    Poll::Ready(Some(Ok(row))) => {
                        this.waiting = None;
                        return Poll::Ready(Some(Ok(PgRow::new(row))));
                    }
                    Poll::Ready(Some(Err(e))) => {
                        if e.as_db_error().is_some() {
                            // The server ended the statement with an error.
                            this.busy.store(false, Ordering::Release);
                        }
                        Poll::Ready(Some(Err(e.into())))
                    }
                    Poll::Ready(None) => {
                        this.busy.store(false, Ordering::Release);
                        Poll::Ready(None)
                    }
                    Poll::Pending => Poll::Pending,
                },
                State::Done => return Poll::Ready(None),
            };
            return match polled {
                Poll::Pending if this.timed_out(cx) => {
                    // Left busy: the statement is cancelled before the
                    // connection is used again.
                    this.state = State::Done;
                    let limit = this.limit.unwrap_or_default();
                    Poll::Ready(Some(Err(PgError::statement_timeout(limit))))
                }
                Poll::Ready(Some(Err(e))) => {
                    this.state = State::Done;
                    Poll::Ready(Some(Err(e)))
                }
                Poll::Ready(None) => {
                    this.state = State::Done;
                    Poll::Ready(None)
                }
                other => other,
            };
        }
    }
}
