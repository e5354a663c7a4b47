//! Running tokio-postgres' connection protocol on the caller's task.
//!
//! tokio-postgres splits a connection into a `Client`, which queues
//! requests, and a `Connection` future, which writes them to the socket and
//! hands the responses back. The usual way spawns the `Connection` on a task
//! of its own, so that every statement crosses tasks twice (and on a
//! multi-threaded runtime, often threads). Here whoever awaits a statement
//! also polls the connection, as sqlx runs its protocol: a lookup costs no
//! task switch.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::Stream;
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::{Connection, Socket};

/// The protocol half of one connection; `None` once it ended (the server or
/// the network went away), after which every request fails as closed.
pub(crate) type Protocol = Option<Box<Connection<Socket, NoTlsStream>>>;

/// A statement (`inner`: a future or a stream) awaited together with the
/// connection's protocol.
pub(crate) struct Driven<'c, F> {
    pub(crate) protocol: &'c mut Protocol,
    pub(crate) inner: F,
}

/// Moves the protocol on: `true` when it ended just now, which wakes every
/// request still waiting on it with a closed error.
fn turn(protocol: &mut Protocol, cx: &mut Context<'_>) -> bool {
    let Some(connection) = protocol.as_mut() else {
        return false;
    };
    match Pin::new(&mut **connection).poll(cx) {
        Poll::Pending => false,
        Poll::Ready(_) => {
            // Dropped: the requests' channels close, so nothing waits forever.
            *protocol = None;
            true
        }
    }
}

/// Polls `step` (the statement) and the protocol in turn until `step` is
/// done or both wait for something that wakes this task.
fn drive<T>(
    protocol: &mut Protocol,
    cx: &mut Context<'_>,
    mut step: impl FnMut(&mut Context<'_>) -> Poll<T>,
) -> Poll<T> {
    loop {
        if let Poll::Ready(out) = step(cx) {
            return Poll::Ready(out);
        }
        if !turn(protocol, cx) {
            // The protocol may have just handed over the answer.
            return step(cx);
        }
    }
}

impl<F: Future + Unpin> Future for Driven<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Driven { protocol, inner } = self.get_mut();
        drive(protocol, cx, |cx| Pin::new(&mut *inner).poll(cx))
    }
}

impl<S: Stream + Unpin> Stream for Driven<'_, S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let Driven { protocol, inner } = self.get_mut();
        drive(protocol, cx, |cx| Pin::new(&mut *inner).poll_next(cx))
    }
}
