//! One PostgreSQL connection: the tokio-postgres client and protocol, the
//! statements prepared on it, and its transaction depth.

use std::collections::HashMap;
use std::fmt;
use std::pin::pin;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Config, NoTls, RowStream, SimpleQueryMessage, Statement};

use crate::bind::PgArgs;
use crate::drive::{Driven, Protocol};
use crate::errors::PgError;

/// The prepared statements kept per connection (as many as sqlx keeps); past
/// it, one of them is closed to make room.
const STATEMENTS: usize = 100;

/// How long closing a connection waits for the server to take the goodbye.
const GOODBYE: Duration = Duration::from_secs(1);

/// An open PostgreSQL connection of keyway's pool. Its protocol runs on the
/// task that awaits a statement (see [`with_client`](Self::with_client) for
/// raw SQL).
pub struct PgConn {
    pub(crate) session: Session,
    pub(crate) protocol: Protocol,
}

/// What statements use of a connection: the client and its state.
pub(crate) struct Session {
    /// Boxed: a client is a few hundred bytes, and a connection moves
    /// between the pool and its users.
    client: Box<Client>,
    /// By SQL text; a statement is closed on the server when dropped.
    statements: HashMap<String, Statement>,
    /// Transactions and savepoints open.
    depth: usize,
    /// Rollbacks queued by `start_rollback`, sent before the next statement.
    queued: Vec<String>,
}

impl PgConn {
    /// Connects as `config` says.
    pub(crate) async fn open(config: &Config) -> Result<PgConn, PgError> {
        let (client, connection) = config.connect(NoTls).await?;
        Ok(PgConn {
            session: Session {
                client: Box::new(client),
                statements: HashMap::new(),
                depth: 0,
                queued: Vec::new(),
            },
            protocol: Some(Box::new(connection)),
        })
    }

    /// Runs raw SQL beside keyway: `f` gets the tokio-postgres client, and
    /// the connection's protocol runs while its future is awaited.
    ///
    /// ```no_run
    /// # async fn demo(db: keyway::Db<keyway_postgres::Postgres>) -> keyway::Result<()> {
    /// let mut conn = db.executor().acquire().await?;
    /// let row = conn
    ///     .with_client(async |client| client.query_one("SELECT count(*) FROM users", &[]).await)
    ///     .await;
    /// let n: i64 = row.expect("count").get(0);
    /// conn.release();
    /// # let _ = n; Ok(()) }
    /// ```
    ///
    /// A transaction opened or ended through the client is not known to
    /// keyway's pool.
    pub async fn with_client<T>(&mut self, f: impl AsyncFnOnce(&Client) -> T) -> T {
        let work = pin!(f(&self.session.client));
        Driven {
            protocol: &mut self.protocol,
            inner: work,
        }
        .await
    }

    /// `work` on the session, awaited together with the protocol.
    pub(crate) fn run<'c, T: 'c>(
        &'c mut self,
        work: impl FnOnce(&'c mut Session) -> BoxFuture<'c, T>,
    ) -> BoxFuture<'c, T> {
        let PgConn { session, protocol } = self;
        Driven {
            protocol,
            inner: work(session),
        }
        .boxed()
    }

    /// Ends the session politely: the server is told goodbye.
    pub(crate) async fn close(self) {
        drop(self.session);
        if let Some(protocol) = self.protocol {
            // With its client gone, the protocol sends `Terminate` and ends.
            let _ = tokio::time::timeout(GOODBYE, protocol).await;
        }
    }
}

impl Session {
    /// `sql` prepared with parameters of `types`, from the cache when it was
    /// prepared so before.
    async fn statement(&mut self, sql: &str, types: &[Type]) -> Result<Statement, PgError> {
        self.settle().await?;
        if let Some(found) = self.statements.get(sql)
            && found.params() == types
        {
            return Ok(found.clone());
        }
        let prepared = self.client.prepare_typed(sql, types).await?;
        if self.statements.len() >= STATEMENTS && !self.statements.contains_key(sql) {
            let evicted = self.statements.keys().next().cloned();
            if let Some(key) = evicted {
                self.statements.remove(&key);
            }
        }
        self.statements.insert(sql.to_owned(), prepared.clone());
        Ok(prepared)
    }

    /// Starts `sql` with `args`: its rows come as the stream is read.
    pub(crate) async fn query(&mut self, sql: &str, args: PgArgs) -> Result<RowStream, PgError> {
        let statement = self.statement(sql, &args.types).await?;
        Ok(self.client.query_raw(&statement, &args.values).await?)
    }

    /// Runs `sql` with `args` and counts the rows it matched; without
    /// parameters and not `persistent`, as a simple query (not prepared).
    pub(crate) async fn execute(
        &mut self,
        sql: &str,
        args: PgArgs,
        persistent: bool,
    ) -> Result<u64, PgError> {
        if !persistent && args.values.is_empty() {
            return self.simple(sql).await;
        }
        let statement = self.statement(sql, &args.types).await?;
        Ok(self.client.execute_raw(&statement, &args.values).await?)
    }

    /// Runs `sql` (one or more statements, no parameters) and counts the rows
    /// the last one matched.
    pub(crate) async fn simple(&mut self, sql: &str) -> Result<u64, PgError> {
        self.settle().await?;
        let messages = self.client.simple_query(sql).await?;
        Ok(messages
            .iter()
            .rev()
            .find_map(|m| match m {
                SimpleQueryMessage::CommandComplete(n) => Some(*n),
                _ => None,
            })
            .unwrap_or(0))
    }

    /// Sends the rollbacks `start_rollback` queued. They leave the queue as
    /// they are handed to the protocol, in the same poll: once this future
    /// was polled, a cancelled caller cannot lose them or send them twice.
    async fn settle(&mut self) -> Result<(), PgError> {
        if self.queued.is_empty() {
            return Ok(());
        }
        let sql = self.queued.join("; ");
        self.queued.clear();
        Ok(self.client.batch_execute(&sql).await?)
    }

    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// Opens a transaction, or a savepoint inside one.
    pub(crate) async fn begin(&mut self) -> Result<(), PgError> {
        let sql = match self.depth {
            0 => "BEGIN".to_owned(),
            d => format!("SAVEPOINT keyway_savepoint_{d}"),
        };
        self.simple(&sql).await?;
        self.depth += 1;
        Ok(())
    }

    /// Commits the innermost transaction or savepoint.
    pub(crate) async fn commit(&mut self) -> Result<(), PgError> {
        let sql = match self.depth {
            0 => return Ok(()),
            1 => "COMMIT".to_owned(),
            d => format!("RELEASE SAVEPOINT keyway_savepoint_{}", d - 1),
        };
        self.simple(&sql).await?;
        self.depth -= 1;
        Ok(())
    }

    /// Rolls the innermost transaction or savepoint back.
    pub(crate) async fn rollback(&mut self) -> Result<(), PgError> {
        let Some(sql) = self.rollback_sql() else {
            return Ok(());
        };
        self.simple(&sql).await?;
        self.depth -= 1;
        Ok(())
    }

    /// Queues the rollback of the innermost transaction or savepoint.
    pub(crate) fn start_rollback(&mut self) {
        if let Some(sql) = self.rollback_sql() {
            self.queued.push(sql);
            self.depth -= 1;
        }
    }

    fn rollback_sql(&self) -> Option<String> {
        match self.depth {
            0 => None,
            1 => Some("ROLLBACK".to_owned()),
            d => Some(format!("ROLLBACK TO SAVEPOINT keyway_savepoint_{}", d - 1)),
        }
    }
}

impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConn")
            .field("open", &self.protocol.is_some())
            .field("statements", &self.session.statements.len())
            .field("depth", &self.session.depth)
            .finish_non_exhaustive()
    }
}
