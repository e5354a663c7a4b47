//! Messages to and from the server over one socket, buffered both ways.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, BytesMut};
use postgres_protocol::message::backend::Message;
use tokio::io::AsyncWrite;

use crate::errors::PgError;
use crate::socket::Socket;

/// How much the read buffer asks the socket for at least: a thousand short
/// rows arrive in a few reads.
const READ_CHUNK: usize = 16 * 1024;

/// One connection's socket and buffers. Requests are written to
/// [`out`](Self::out) whole and sent by [`poll_flush`](Self::poll_flush);
/// what is sent stays sent, what is read stays read, so any future over
/// the wire can be dropped between polls without losing a byte.
#[derive(Debug)]
pub(crate) struct Wire {
    socket: Socket,
    read: BytesMut,
    write: BytesMut,
    /// A failure of the socket or the protocol: nothing is sent or read
    /// any more.
    broken: bool,
}

impl Wire {
    pub(crate) fn new(socket: Socket) -> Wire {
        Wire {
            socket,
            read: BytesMut::with_capacity(READ_CHUNK),
            write: BytesMut::with_capacity(1024),
            broken: false,
        }
    }

    /// Where requests are written, to be sent by the next flush.
    #[inline]
    pub(crate) fn out(&mut self) -> &mut BytesMut {
        &mut self.write
    }

    /// Whether the connection failed and is not usable.
    pub(crate) fn is_broken(&self) -> bool {
        self.broken
    }

    /// Marks the connection unusable after `err` (a failure of the socket,
    /// or a message the protocol does not allow) and returns it.
    pub(crate) fn broken_by(&mut self, err: PgError) -> PgError {
        self.broken = true;
        err
    }

    /// Sends everything written so far.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), PgError>> {
        if self.broken {
            return Poll::Ready(Err(PgError::closed()));
        }
        while !self.write.is_empty() {
            match ready!(Pin::new(&mut self.socket).poll_write(cx, &self.write)) {
                Ok(0) => return Poll::Ready(Err(self.broken_by(PgError::closed()))),
                Ok(n) => self.write.advance(n),
                Err(e) => return Poll::Ready(Err(self.broken_by(e.into()))),
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Sends everything written so far.
    pub(crate) async fn flush(&mut self) -> Result<(), PgError> {
        poll_fn(|cx| self.poll_flush(cx)).await
    }

    /// The next message from the server, read from the socket when the
    /// buffer holds none whole.
    #[inline]
    pub(crate) fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Message, PgError>> {
        if self.broken {
            return Poll::Ready(Err(PgError::closed()));
        }
        loop {
            match Message::parse(&mut self.read) {
                Ok(Some(message)) => return Poll::Ready(Ok(message)),
                Ok(None) => {}
                Err(e) => {
                    let err = PgError::protocol(format!("a malformed message: {e}"));
                    return Poll::Ready(Err(self.broken_by(err)));
                }
            }
            if self.read.capacity() - self.read.len() < READ_CHUNK / 4 {
                self.read.reserve(READ_CHUNK);
            }
            match ready!(tokio_util::io::poll_read_buf(
                Pin::new(&mut self.socket),
                cx,
                &mut self.read
            )) {
                Ok(0) => return Poll::Ready(Err(self.broken_by(PgError::closed()))),
                Ok(_) => {}
                Err(e) => return Poll::Ready(Err(self.broken_by(e.into()))),
            }
        }
    }

    /// The next message from the server.
    pub(crate) async fn message(&mut self) -> Result<Message, PgError> {
        poll_fn(|cx| self.poll_message(cx)).await
    }
}
