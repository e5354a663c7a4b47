//! Opening a pooled backend: URL, pool size and timeouts.

use std::time::Duration;

use keyway::{Db, Result};

use super::pool::{Limits, Pool};
use super::{Driver, SqlBackend};

/// How to open a pooled backend: the URL, the pool's size and timeouts, and
/// the driver's own settings. Backends name it (`PostgresOptions`,
/// `MySqlOptions`).
#[derive(Debug, Clone)]
pub struct SqlOptions<D: Driver> {
    url: String,
    max_connections: u32,
    min_connections: u32,
    acquire_timeout: Duration,
    idle_timeout: Option<Duration>,
    max_lifetime: Option<Duration>,
    test_before_acquire: bool,
    test_after_idle: Duration,
    ping_timeout: Duration,
    settings: D::Settings,
}

impl<D: Driver> SqlOptions<D> {
    /// Options for `url`, with a pool of at most 10 connections.
    pub fn new(url: impl Into<String>) -> Self {
        SqlOptions {
            url: url.into(),
            max_connections: 10,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(30),
            idle_timeout: Some(Duration::from_secs(600)),
            max_lifetime: Some(Duration::from_secs(1800)),
            test_before_acquire: true,
            test_after_idle: Duration::from_secs(1),
            ping_timeout: Duration::from_secs(5),
            settings: D::Settings::default(),
        }
    }

    /// The most connections the pool opens (default 10).
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n.max(1);
        self
    }

    /// The connections the pool keeps open even when idle (default 0).
    pub fn min_connections(mut self, n: u32) -> Self {
        self.min_connections = n;
        self
    }

    /// How long to wait for a connection, opening one included, before
    /// `Error::Timeout` (default 30 s).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// How long an idle connection is kept (default 10 min; `None`: forever).
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long a connection is used before it is replaced (default 30 min;
    /// `None`: forever).
    pub fn max_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.max_lifetime = lifetime;
        self
    }

    /// Whether a connection that sat idle in the pool is pinged before it is
    /// used (default true, once idle for [`test_after_idle`](Self::test_after_idle)).
    /// A connection that fails the ping is closed and another one taken, so
    /// a connection the server dropped while it was idle costs no error.
    /// Without the test, the first statement on such a connection fails with
    /// `Error::Connection` (the pool then replaces it).
    pub fn test_before_acquire(mut self, test: bool) -> Self {
        self.test_before_acquire = test;
        self
    }

    /// How long a connection must have been idle to be pinged before use
    /// (default 1 s; `Duration::ZERO` pings before every statement). A
    /// connection given back and taken again within it is used as it is:
    /// statements in quick succession pay no extra round trip, while one
    /// that sat idle long enough for a server or firewall to drop it is
    /// tested first.
    pub fn test_after_idle(mut self, idle: Duration) -> Self {
        self.test_after_idle = idle;
        self
    }

    /// The longest a ping may take (default 5 s): the test of an idle
    /// connection before use, and the check that gives back a connection
    /// whose statement was dropped, failed or timed out (it also cancels
    /// what still runs). A connection that does not answer in time is
    /// closed, so that a silently dead peer never holds a pool slot.
    pub fn ping_timeout(mut self, timeout: Duration) -> Self {
        self.ping_timeout = timeout;
        self
    }

    /// The driver's own settings.
    pub fn settings(mut self, settings: D::Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Opens the pool: `Error::Invalid` for a malformed URL, `Error::Connection`
    /// when the server cannot be reached.
    pub async fn connect(self) -> Result<Db<SqlBackend<D>>> {
        let connect = D::connect_options(&self.url, &self.settings)?;
        let limits = Limits {
            max_connections: self.max_connections,
            min_connections: self.min_connections.min(self.max_connections),
            acquire_timeout: self.acquire_timeout,
            idle_timeout: self.idle_timeout,
            max_lifetime: self.max_lifetime,
            test_after_idle: self.test_before_acquire.then_some(self.test_after_idle),
            ping_timeout: self.ping_timeout,
        };
        let (pool, mut first) = Pool::<D>::open(connect, limits).await?;
        let learnt = D::learn(&mut first, self.settings).await;
        let driver = first.give_back(learnt)?;
        Ok(Db::new(SqlBackend::new(pool, driver)))
    }
}
