//! keyway's own pool of driver connections.
//!
//! sqlx's `Pool` gives a connection back through a spawned task that pings
//! it first: a second round trip to the server for every statement. Here a
//! statement that ran to its end gives its connection straight back to the
//! idle list; only a connection whose user stopped midway (a dropped future
//! or stream, a transaction dropped without commit) goes through that ping,
//! which also sends the queued `ROLLBACK` and drains what the server still
//! had to say.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use keyway::{Error, Result};
use tokio::sync::Semaphore;

use super::Driver;
use super::pooled::{Live, PooledConn};
use crate::Dialect;

/// The pool's limits, from [`SqlOptions`](super::SqlOptions).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_connections: u32,
    pub min_connections: u32,
    pub acquire_timeout: Duration,
    pub idle_timeout: Option<Duration>,
    pub max_lifetime: Option<Duration>,
    /// Ping a connection idle for at least this long before use; `None`: never.
    pub test_after_idle: Option<Duration>,
    /// The longest a ping may take before its connection is closed.
    pub ping_timeout: Duration,
}

/// Up to `max_connections` connections to one server, opened on demand.
pub(crate) struct Pool<D: Driver> {
    shared: Arc<Shared<D>>,
}

impl<D: Driver> Clone for Pool<D> {
    fn clone(&self) -> Self {
        Pool {
            shared: Arc::clone(&self.shared),
        }
    }
}

pub(crate) struct Shared<D: Driver> {
    connect: D::Connect,
    limits: Limits,
    /// One permit per connection that may be in use.
    permits: Arc<Semaphore>,
    /// Most recently used last.
    idle: Mutex<Vec<Idle<D>>>,
}

struct Idle<D: Driver> {
    live: Live<D>,
    since: Instant,
}

impl<D: Driver> Shared<D> {
    fn idle(&self) -> MutexGuard<'_, Vec<Idle<D>>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn expired(&self, live: &Live<D>) -> bool {
        self.limits
            .max_lifetime
            .is_some_and(|lifetime| live.created.elapsed() >= lifetime)
    }

    /// Pings `conn` within the ping timeout: whether it answered.
    pub(crate) async fn ping(&self, conn: &mut D::Conn) -> bool {
        if D::is_closed(conn) {
            return false;
        }
        let ping = D::ping(conn);
        matches!(
            tokio::time::timeout(self.limits.ping_timeout, ping).await,
            Ok(Ok(()))
        )
    }

    /// Takes back a connection whose last statement ran to its end.
    pub(crate) fn put_back(&self, live: Live<D>) {
        if self.permits.is_closed() || self.expired(&live) {
            return;
        }
        let mut idle = self.idle();
        idle.push(Idle {
            live,
            since: Instant::now(),
        });
        self.prune(&mut idle);
    }

    /// Whether an idle connection is past its lifetime or idle timeout.
    fn stale(&self, idle: &Idle<D>) -> bool {
        self.expired(&idle.live)
            || self
                .limits
                .idle_timeout
                .is_some_and(|timeout| idle.since.elapsed() >= timeout)
    }

    /// Closes the idle connections past their idle timeout or lifetime,
    /// keeping at least `min_connections` of them.
    fn prune(&self, idle: &mut Vec<Idle<D>>) {
        let keep = self.limits.min_connections as usize;
        while idle.len() > keep && idle.first().is_some_and(|i| self.stale(i)) {
            idle.remove(0);
        }
    }
}

impl<D: Driver> Pool<D> {
    /// Opens the pool and its first `max(1, min_connections)` connections
    /// within the acquire timeout, so that a wrong URL or an unreachable
    /// server fails here; one of them is handed to the caller.
    pub(crate) async fn open(
        connect: D::Connect,
        limits: Limits,
    ) -> Result<(Pool<D>, PooledConn<D>)> {
        let max = (limits.max_connections.max(1) as usize).min(Semaphore::MAX_PERMITS);
        let pool = Pool {
            shared: Arc::new(Shared {
                connect,
                limits,
                permits: Arc::new(Semaphore::new(max)),
                idle: Mutex::new(Vec::new()),
            }),
        };
        let opening = async {
            for _ in 0..(limits.min_connections as usize).min(max) {
                let live = pool.open_one().await?;
                pool.shared.put_back(live);
            }
            pool.take().await
        };
        let first = match tokio::time::timeout(limits.acquire_timeout, opening).await {
            Ok(first) => first?,
            // As when the server cannot be reached at all.
            Err(_) => return Err(Error::Connection(Box::new(Unavailable::NotOpened))),
        };
        pool.reap_in_background();
        Ok((pool, first))
    }

    async fn open_one(&self) -> Result<Live<D>> {
        let conn = D::open(&self.shared.connect)
            .await
            .map_err(|e| Error::Connection(Box::new(e)))?;
        Ok(Live {
            conn,
            created: Instant::now(),
        })
    }

    /// A free connection, waiting for one up to the acquire timeout
    /// (`Error::Timeout`; `Error::Connection` when none can be opened or the
    /// pool is closed). An idle connection past its lifetime or
    /// idle timeout is closed, one idle for at least `test_after_idle` is
    /// pinged first (and replaced when that fails), and a new one is opened
    /// when none is idle.
    pub(crate) async fn acquire(&self) -> Result<PooledConn<D>> {
        let timeout = self.shared.limits.acquire_timeout;
        match tokio::time::timeout(timeout, self.take()).await {
            Ok(taken) => taken,
            Err(_) => Err(timed_out::<D>()),
        }
    }

    async fn take(&self) -> Result<PooledConn<D>> {
        let permit = Arc::clone(&self.shared.permits)
            .acquire_owned()
            .await
            .map_err(|_| Error::Connection(Box::new(Unavailable::Closed)))?;
        loop {
            let found = self.shared.idle().pop();
            let Some(idle) = found else {
                let live = self.open_one().await?;
                return Ok(PooledConn::new(live, Arc::clone(&self.shared), permit));
            };
            if self.shared.stale(&idle) {
                continue;
            }
            let Idle { mut live, since } = idle;
            let test = self
                .shared
                .limits
                .test_after_idle
                .is_some_and(|after| since.elapsed() >= after);
            // A failed ping means the server or the network let it go.
            if (test || D::is_closed(&live.conn)) && !self.shared.ping(&mut live.conn).await {
                continue;
            }
            return Ok(PooledConn::new(live, Arc::clone(&self.shared), permit));
        }
    }

    /// Closes idle connections past their time every so often, for as long
    /// as the pool exists (when a tokio runtime runs it).
    fn reap_in_background(&self) {
        let limits = self.shared.limits;
        let Some(period) = [limits.idle_timeout, limits.max_lifetime]
            .into_iter()
            .flatten()
            .min()
        else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let shared: Weak<Shared<D>> = Arc::downgrade(&self.shared);
        let period = (period / 2).max(Duration::from_millis(100));
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(period).await;
                let Some(shared) = shared.upgrade() else {
                    return;
                };
                let mut idle = shared.idle();
                shared.prune(&mut idle);
            }
        });
    }

    /// Connections idle in the pool now.
    pub(crate) fn idle_count(&self) -> usize {
        self.shared.idle().len()
    }

    /// Closes the pool: idle connections are closed now (politely), busy ones
    /// when they are given back, and every later statement is
    /// `Error::Connection`.
    pub(crate) async fn close(&self) {
        self.shared.permits.close();
        let idle = std::mem::take(&mut *self.shared.idle());
        for Idle { live, .. } in idle {
            D::close(live.conn).await;
        }
    }
}

impl<D: Driver> fmt::Debug for Pool<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("limits", &self.shared.limits)
            .field("idle", &self.shared.idle().len())
            .field("available", &self.shared.permits.available_permits())
            .finish()
    }
}

/// No connection came free within the acquire timeout.
fn timed_out<D: Driver>() -> Error {
    Error::Timeout(format!(
        "waiting for a pooled {} connection",
        D::Dialect::NAME
    ))
}

/// Why the pool has no connection to give, under `Error::Connection`.
#[derive(Debug)]
enum Unavailable {
    /// The pool is closed.
    Closed,
    /// Opening the pool's first connection outlasted the acquire timeout.
    NotOpened,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unavailable::Closed => "the connection pool is closed",
            Unavailable::NotOpened => "no connection opened within the acquire timeout",
        })
    }
}

impl std::error::Error for Unavailable {}
