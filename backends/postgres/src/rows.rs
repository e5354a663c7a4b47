//! The rows of one statement, as a stream read straight off the wire.

use std::mem;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::Stream;
use postgres_protocol::message::backend::Message;

use crate::bind::PgArgs;
use crate::conn::{self, Mode, PgConn};
use crate::errors::PgError;
use crate::row::PgRow;

/// The rows of `sql`: the request is sent on the first poll, each row is
/// yielded as its message is parsed, and the stream ends after the answer's
/// `ReadyForQuery` (or with the statement's error), leaving the connection
/// ready. Dropped midway, it leaves the rest of the answer to the
/// connection's next statement to read.
pub(crate) struct Rows<'c> {
    conn: &'c mut PgConn,
    state: State<'c>,
    columns: Option<Arc<[u32]>>,
    error: Option<PgError>,
}

enum State<'c> {
    Start {
        sql: &'c str,
        args: PgArgs,
        mode: Mode,
    },
    Reading,
    Done,
}

impl<'c> Rows<'c> {
    pub(crate) fn new(conn: &'c mut PgConn, sql: &'c str, args: PgArgs, mode: Mode) -> Rows<'c> {
        Rows {
            conn,
            state: State::Start { sql, args, mode },
            columns: None,
            error: None,
        }
    }

    /// Sends the request once the connection is ready.
    fn poll_start(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), PgError>> {
        std::task::ready!(self.conn.poll_settle(cx))?;
        if let State::Start { sql, args, mode } = mem::replace(&mut self.state, State::Reading) {
            self.columns = self.conn.request(sql, &args, mode)?;
        }
        Poll::Ready(Ok(()))
    }

    /// The next row; `None` at the end of the answer.
    #[inline]
    fn poll_row(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<PgRow>, PgError>> {
        loop {
            match std::task::ready!(self.conn.poll_next(cx))? {
                Message::DataRow(body) => {
                    let Some(columns) = &self.columns else {
                        let err = PgError::unexpected("a row before its description");
                        return Poll::Ready(Err(self.conn.wire.broken_by(err)));
                    };
                    return Poll::Ready(Ok(Some(PgRow::new(body, columns.clone()))));
                }
                Message::RowDescription(body) => self.columns = Some(conn::columns(&body)?),
                Message::ErrorResponse(body) => {
                    self.error
                        .get_or_insert_with(|| PgError::from_fields(body.fields()));
                }
                Message::ReadyForQuery(_) => {
                    return Poll::Ready(match self.error.take() {
                        Some(err) => Err(err),
                        None => Ok(None),
                    });
                }
                _ => {}
            }
        }
    }
}

impl Stream for Rows<'_> {
    type Item = Result<PgRow, PgError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let polled = match this.state {
            State::Reading => this.poll_row(cx),
            State::Start { .. } => match this.poll_start(cx) {
                Poll::Ready(Ok(())) => this.poll_row(cx),
                Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
                Poll::Pending => return Poll::Pending,
            },
            State::Done => return Poll::Ready(None),
        };
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(Some(row))) => Poll::Ready(Some(Ok(row))),
            Poll::Ready(Ok(None)) => {
                this.state = State::Done;
                Poll::Ready(None)
            }
            Poll::Ready(Err(err)) => {
                this.state = State::Done;
                Poll::Ready(Some(Err(err)))
            }
        }
    }
}
