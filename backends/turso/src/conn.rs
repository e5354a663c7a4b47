//! One Turso connection and the transactions open on it.

use futures::Stream;
use futures::stream::{self, StreamExt};
use keyway_sql::StatementCache;
use turso::{Connection, Row, Rows, Value};

/// The connection, how many transactions and savepoints are open on it,
/// and what is still to send before its next statement.
pub struct TursoConn {
    pub(crate) conn: Connection,
    /// The SQL text of each lookup by key this connection has run.
    pub(crate) shapes: StatementCache<keyway_sql::Turso>,
    /// Transactions and savepoints open, as keyway opened them.
    depth: usize,
    /// Rollbacks queued by a transaction abandoned where nothing could be
    /// awaited, sent before the next statement.
    queued_rollbacks: usize,
    /// Foreign keys are off: a migration's transaction is open, or was, and
    /// they are turned on again once it has ended.
    foreign_keys_off: bool,
    /// Transactions begin with `BEGIN CONCURRENT` (MVCC).
    concurrent: bool,
}

/// What the engine says when a transaction it ended is committed.
fn rolled_back() -> turso::Error {
    turso::Error::BusySnapshot(
        "the engine rolled the transaction back after a conflict with a concurrent one".into(),
    )
}

impl TursoConn {
    pub(crate) fn new(conn: Connection, concurrent: bool) -> Self {
        TursoConn {
            conn,
            shapes: StatementCache::new(),
            depth: 0,
            queued_rollbacks: 0,
            foreign_keys_off: false,
            concurrent,
        }
    }

    /// The turso connection, for raw SQL beside keyway (through
    /// [`Turso::acquire`](crate::Turso)): a transaction it leaves open is
    /// rolled back when the connection goes back to the pool.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Transactions and savepoints open. A transaction the engine ended
    /// itself (MVCC rolls a transaction back on a write-write conflict) is
    /// no longer counted.
    pub(crate) fn depth(&self) -> usize {
        if self.depth > 0 && self.conn.is_autocommit().unwrap_or(false) {
            0
        } else {
            self.depth
        }
    }

    fn sync_depth(&mut self) {
        self.depth = self.depth();
    }

    async fn run(&mut self, sql: &str) -> Result<(), turso::Error> {
        tracing::debug!(db.statement = %sql);
        self.conn.execute(sql, ()).await.map(drop)
    }

    /// Sends the queued rollbacks, and turns foreign keys on again once no
    /// transaction is left.
    pub(crate) async fn flush(&mut self) -> Result<(), turso::Error> {
        while self.queued_rollbacks > 0 {
            self.queued_rollbacks -= 1;
            self.rollback().await?;
        }
        self.restore_foreign_keys().await
    }

    /// Turns foreign keys on again once a migration's transaction has ended.
    async fn restore_foreign_keys(&mut self) -> Result<(), turso::Error> {
        if self.foreign_keys_off && self.depth() == 0 {
            self.run("PRAGMA foreign_keys = ON").await?;
            self.foreign_keys_off = false;
        }
        Ok(())
    }

    /// Opens a transaction, or a savepoint inside one.
    pub(crate) async fn begin(&mut self) -> Result<(), turso::Error> {
        self.flush().await?;
        self.sync_depth();
        match self.depth {
            0 if self.concurrent => self.run("BEGIN CONCURRENT").await?,
            0 => self.run("BEGIN").await?,
            n => self.run(&format!("SAVEPOINT keyway_{n}")).await?,
        }
        self.depth += 1;
        Ok(())
    }

    /// A migration's transaction: foreign keys off (a rebuilt table must
    /// not cascade), and the write lock taken at once, so that a second
    /// run waits for the first and then reads its records.
    pub(crate) async fn begin_schema_change(&mut self) -> Result<(), turso::Error> {
        self.flush().await?;
        self.run("PRAGMA foreign_keys = OFF").await?;
        self.foreign_keys_off = true;
        if let Err(e) = self.run("BEGIN IMMEDIATE").await {
            self.flush().await?;
            return Err(e);
        }
        self.depth = 1;
        Ok(())
    }

    /// The first row `PRAGMA foreign_key_check` finds, as `(table, parent)`.
    pub(crate) async fn broken_foreign_key(
        &mut self,
    ) -> Result<Option<(String, String)>, turso::Error> {
        let mut rows = self.conn.query("PRAGMA foreign_key_check", ()).await?;
        let Some(row) = rows.next().await? else {
            return Ok(None);
        };
        let text = |i| match row.get_value(i) {
            Ok(Value::Text(t)) => t,
            _ => "?".to_owned(),
        };
        Ok(Some((text(0), text(2))))
    }

    pub(crate) async fn commit(&mut self) -> Result<(), turso::Error> {
        self.flush().await?;
        self.sync_depth();
        let result = match self.depth {
            0 => return Err(rolled_back()),
            1 => self.run("COMMIT").await,
            n => self.run(&format!("RELEASE keyway_{}", n - 1)).await,
        };
        match &result {
            Ok(()) => self.depth -= 1,
            // A commit refused may leave the transaction open, or not.
            Err(_) => self.sync_depth(),
        }
        result?;
        self.flush().await
    }

    pub(crate) async fn rollback(&mut self) -> Result<(), turso::Error> {
        self.sync_depth();
        match self.depth {
            0 => {}
            1 => self.run("ROLLBACK").await?,
            n => {
                let name = format!("keyway_{}", n - 1);
                self.run(&format!("ROLLBACK TO {name}")).await?;
                self.run(&format!("RELEASE {name}")).await?;
            }
        }
        self.depth = self.depth.saturating_sub(1);
        self.restore_foreign_keys().await
    }

    /// Queues the rollback of the innermost transaction or savepoint.
    pub(crate) fn start_rollback(&mut self) {
        if self.queued_rollbacks < self.depth() {
            self.queued_rollbacks += 1;
        }
    }

    /// Transactions and savepoints not yet queued for rollback.
    pub(crate) fn open_depth(&self) -> usize {
        self.depth().saturating_sub(self.queued_rollbacks)
    }

    /// Runs a statement that returns no rows and counts the rows it changed
    /// (an `UPDATE` counts every row it matched). `persistent: false` keeps
    /// it out of the connection's statement cache (DDL).
    pub(crate) async fn execute(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        persistent: bool,
    ) -> Result<u64, turso::Error> {
        self.flush().await?;
        let mut statement = match persistent {
            true => self.conn.prepare_cached(sql).await?,
            false => self.conn.prepare(sql).await?,
        };
        let changed = statement.execute(args).await;
        self.sync_depth();
        changed
    }

    /// The rows of `sql` with `args`, each handed to `each` as it comes.
    pub(crate) async fn collect<T>(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        mut each: impl FnMut(&Row) -> keyway::Result<T>,
    ) -> Result<keyway::Result<Vec<T>>, turso::Error> {
        self.flush().await?;
        let mut statement = self.conn.prepare_cached(sql).await?;
        let mut rows = statement.query(args).await?;
        let mut out = Vec::new();
        loop {
            match rows.next().await {
                Ok(Some(row)) => match each(&row) {
                    Ok(t) => out.push(t),
                    Err(e) => return Ok(Err(e)),
                },
                Ok(None) => return Ok(Ok(out)),
                Err(e) => {
                    self.sync_depth();
                    return Err(e);
                }
            }
        }
    }

    /// The rows of `sql` with `args`, one at a time.
    pub(crate) fn fetch<'c>(
        &'c mut self,
        sql: &'c str,
        args: Vec<Value>,
    ) -> impl Stream<Item = Result<Row, turso::Error>> + Send + Unpin + 'c {
        enum State<'c> {
            Start(&'c mut TursoConn, &'c str, Vec<Value>),
            Reading(&'c mut TursoConn, Rows),
        }
        let start = State::Start(self, sql, args);
        stream::try_unfold(start, |state| async move {
            let (conn, mut rows) = match state {
                State::Start(conn, sql, args) => {
                    conn.flush().await?;
                    let mut statement = conn.conn.prepare_cached(sql).await?;
                    let rows = statement.query(args).await?;
                    (conn, rows)
                }
                State::Reading(conn, rows) => (conn, rows),
            };
            match rows.next().await {
                Ok(Some(row)) => Ok(Some((row, State::Reading(conn, rows)))),
                Ok(None) => Ok(None),
                Err(e) => {
                    conn.sync_depth();
                    Err(e)
                }
            }
        })
        .boxed()
    }
}
