//! A connection taken from keyway's pool, and how it goes back.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Instant;

use keyway::{Error, Result};
use tokio::sync::OwnedSemaphorePermit;

use super::Driver;
use super::pool::Shared;

/// An open connection and when it was opened.
pub(crate) struct Live<D: Driver> {
    pub conn: D::Conn,
    pub created: Instant,
}

/// A connection taken from a keyway pool; derefs to the driver's
/// connection, for raw SQL beside keyway (with sqlx:
/// `sqlx::query(..).execute(&mut *conn)`).
///
/// Dropped, it goes back to the pool through a ping on a spawned task, as
/// with sqlx's own pool: that rolls back a transaction left open on it and
/// drains a statement stopped midway, and a connection that fails the ping
/// is closed. keyway's own statements give it back directly once they ran
/// to their end.
pub struct PooledConn<D: Driver> {
    /// `Some` until given back.
    live: Option<Live<D>>,
    shared: Arc<Shared<D>>,
    /// Held until the connection is back in the idle list or closed.
    permit: Option<OwnedSemaphorePermit>,
    /// Closed rather than given back: it holds what only its end releases
    /// (MySQL's migration lock).
    close_when_done: bool,
}

impl<D: Driver> PooledConn<D> {
    pub(crate) fn new(live: Live<D>, shared: Arc<Shared<D>>, permit: OwnedSemaphorePermit) -> Self {
        PooledConn {
            live: Some(live),
            shared,
            permit: Some(permit),
            close_when_done: false,
        }
    }

    /// Whether the connection is closed when given back or dropped rather
    /// than kept: for one holding a session lock, which a connection back
    /// in the pool would keep holding.
    pub(crate) fn close_when_done(&mut self, close: bool) {
        self.close_when_done = close;
    }

    /// Gives the connection back after a statement that ran to its end, and
    /// passes its result on. Only a success with no transaction left open
    /// goes straight back to the idle list. A connection error, or a
    /// connection the driver knows is closed, is closed; any other error
    /// (one the database reported and ended with the connection still
    /// usable, a statement timeout, a value that did not decode) sends it
    /// back as a dropped one goes: through the ping, which first cancels
    /// what is still running and sends a rollback queued by the failed
    /// statement, so that a retry loop never turns into a reconnect storm.
    pub(crate) fn give_back<T>(mut self, result: Result<T>) -> Result<T> {
        if self.close_when_done {
            self.live = None;
            return result;
        }
        match &result {
            Ok(_) => {
                if let Some(live) = self
                    .live
                    .take_if(|live| D::transaction_depth(&live.conn) == 0)
                {
                    self.shared.put_back(live);
                }
            }
            Err(Error::Connection(_)) => self.live = None,
            Err(_) => {
                if self
                    .live
                    .as_ref()
                    .is_some_and(|live| D::is_closed(&live.conn))
                {
                    self.live = None;
                }
            }
        }
        result
    }
}

impl<D: Driver> PooledConn<D> {
    /// Gives the connection back at once, without the ping a drop sends:
    /// for a caller whose statements all ran to their end. With a
    /// transaction still open on it, it goes back as a dropped one does.
    pub fn release(self) {
        let _ = self.give_back(Ok(()));
    }
}

impl<D: Driver> Drop for PooledConn<D> {
    fn drop(&mut self) {
        let Some(mut live) = self.live.take() else {
            return;
        };
        if self.close_when_done {
            // Closing ends what the connection held.
            drop(live);
            return;
        }
        // Queued, sent by the ping below: a transaction left open is
        // rolled back before anyone else can use the connection.
        while D::transaction_depth(&live.conn) > 0 {
            D::start_rollback(&mut live.conn);
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to finish the conversation on: close it.
            return;
        };
        let shared = Arc::clone(&self.shared);
        let permit = self.permit.take();
        runtime.spawn(async move {
            // Bounded: a peer that stopped answering costs the permit for at
            // most the ping timeout, then the connection is closed.
            if shared.ping(&mut live.conn).await {
                shared.put_back(live);
            }
            drop(permit);
        });
    }
}

impl<D: Driver> Deref for PooledConn<D> {
    type Target = D::Conn;

    fn deref(&self) -> &D::Conn {
        match &self.live {
            Some(live) => &live.conn,
            None => unreachable!("a pooled connection is only emptied when it is given back"),
        }
    }
}

impl<D: Driver> DerefMut for PooledConn<D> {
    fn deref_mut(&mut self) -> &mut D::Conn {
        match &mut self.live {
            Some(live) => &mut live.conn,
            None => unreachable!("a pooled connection is only emptied when it is given back"),
        }
    }
}

impl<D: Driver> fmt::Debug for PooledConn<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PooledConn")
            .field("open", &self.live.is_some())
            .finish_non_exhaustive()
    }
}
