//! A pool of SQLite connections: taken asynchronously, used synchronously.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use keyway::{Error, Result};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};

use crate::conn::Conn;
use crate::target::Target;

/// Up to `max` connections to one database, opened on demand and kept open.
/// A task waits for a free connection asynchronously, up to the acquire
/// timeout; once it holds one, its statements run on it synchronously.
#[derive(Clone)]
pub(crate) struct Pool {
    shared: Arc<Shared>,
}

struct Shared {
    target: Target,
    busy_timeout: Duration,
    acquire_timeout: Duration,
    /// One permit per connection that may be in use.
    permits: Arc<Semaphore>,
    /// Boxed: taking and giving back a connection moves a pointer, not the
    /// connection with its caches.
    #[expect(
        clippy::vec_box,
        reason = "a connection moves between the list and its user"
    )]
    idle: Mutex<Vec<Box<Conn>>>,
}

impl Shared {
    #[expect(clippy::vec_box, reason = "see `Shared::idle`")]
    fn idle(&self) -> MutexGuard<'_, Vec<Box<Conn>>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn closed() -> Error {
    Error::Connection("the SQLite connection pool is closed".into())
}

impl Pool {
    /// Opens the first connection now, so that a bad path fails here. An
    /// in-memory database has exactly one connection: it lives in it.
    pub(crate) fn open(
        target: Target,
        max_connections: u32,
        acquire_timeout: Duration,
        busy_timeout: Duration,
    ) -> Result<Pool> {
        let max = if target.memory {
            1
        } else {
            (max_connections.max(1) as usize).min(Semaphore::MAX_PERMITS)
        };
        let first = Conn::boxed(
            target
                .open(busy_timeout)
                .map_err(|e| Error::Connection(Box::new(e)))?,
        );
        Ok(Pool {
            shared: Arc::new(Shared {
                target,
                busy_timeout,
                acquire_timeout,
                permits: Arc::new(Semaphore::new(max)),
                idle: Mutex::new(vec![first]),
            }),
        })
    }

    /// Whether the database lives in memory (in the pool's one connection).
    pub(crate) fn is_memory(&self) -> bool {
        self.shared.target.memory
    }

    /// A free connection, waiting for one up to the acquire timeout.
    pub(crate) async fn acquire(&self) -> Result<PooledConn> {
        let permits = &self.shared.permits;
        let permit = match Arc::clone(permits).try_acquire_owned() {
            Ok(permit) => permit,
            Err(TryAcquireError::Closed) => return Err(closed()),
            Err(TryAcquireError::NoPermits) => {
                let wait = Arc::clone(permits).acquire_owned();
                match tokio::time::timeout(self.shared.acquire_timeout, wait).await {
                    Ok(Ok(permit)) => permit,
                    Ok(Err(_)) => return Err(closed()),
                    Err(_) => {
                        return Err(Error::Timeout(
                            "waiting for a pooled SQLite connection".into(),
                        ));
                    }
                }
            }
        };
        let idle = self.shared.idle().pop();
        if permits.is_closed() {
            return Err(closed());
        }
        let conn = match idle {
            Some(conn) => conn,
            None => Conn::boxed(
                self.shared
                    .target
                    .open(self.shared.busy_timeout)
                    .map_err(|e| Error::Connection(Box::new(e)))?,
            ),
        };
        Ok(PooledConn {
            conn: Some(conn),
            shared: Arc::clone(&self.shared),
            _permit: permit,
        })
    }

    /// Closes the pool: idle connections close now, busy ones when they are
    /// given back, and every later statement is `Error::Connection`.
    pub(crate) fn close(&self) {
        self.shared.permits.close();
        self.shared.idle().clear();
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("target", &self.shared.target)
            .field("available", &self.shared.permits.available_permits())
            .finish()
    }
}

/// A connection taken from the pool; given back when dropped, after rolling
/// back any transaction left open on it.
pub(crate) struct PooledConn {
    /// `Some` until dropped.
    conn: Option<Box<Conn>>,
    shared: Arc<Shared>,
    /// Released after the connection is back in the idle list.
    _permit: OwnedSemaphorePermit,
}

impl Deref for PooledConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
            .as_ref()
            .expect("a pooled connection is present until dropped")
    }
}

impl DerefMut for PooledConn {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .expect("a pooled connection is present until dropped")
    }
}

impl PooledConn {
    /// Closes a file database's connection instead of giving it back (one
    /// whose state cannot be restored); an in-memory one is the database,
    /// and is kept.
    pub(crate) fn discard(mut self) {
        if !self.shared.target.memory {
            self.conn.take();
        }
    }
}

impl Drop for PooledConn {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if !conn.is_autocommit() {
            // An abandoned migration's transaction had foreign keys off.
            let _ = conn.execute_batch("ROLLBACK; PRAGMA foreign_keys = ON");
        }
        if self.shared.permits.is_closed() {
            return;
        }
        // A file connection that cannot leave its transaction is closed (SQLite
        // then rolls back); an in-memory one is the database, so it is kept and
        // rolled back again when next given back.
        if conn.is_autocommit() || self.shared.target.memory {
            self.shared.idle().push(conn);
        }
    }
}
