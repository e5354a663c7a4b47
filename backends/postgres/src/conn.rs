//! One PostgreSQL connection: tokio-postgres's client, the statements
//! prepared on it, its transaction depth, and what a dropped statement left
//! to cancel.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::TryStreamExt;
use keyway::{Entity, TableDef};
use keyway_sql::{InsertPlan, Postgres, StatementCache};
use tokio_postgres::error::SqlState;
use tokio_postgres::{
    CancelToken, Client, Config, NoTls, RowStream, SimpleQueryMessage, Statement,
};

use crate::bind::PgArgs;
use crate::connect::{PgConnect, Statements as Mode};
use crate::errors::{self, PgError};
use crate::login_check::CheckedTls;
use crate::socket;
use crate::statements::Statements;

/// An open PostgreSQL connection of keyway's pool. [`query`](Self::query),
/// [`execute`](Self::execute) and [`batch_execute`](Self::batch_execute)
/// run raw SQL with keyway's values; [`client`](Self::client) lends
/// tokio-postgres's own client (its types, COPY, everything it offers).
///
/// A statement whose future is dropped before its answer arrived is
/// cancelled on the server before the connection is used again.
pub struct PgConn {
    /// Boxed, as the other large parts: a connection moves between the pool
    /// and its users, and sits inline in a transaction.
    client: Box<Client>,
    /// What a cancel request needs (boxed: seldom used, and a connection
    /// moves between the pool and its users).
    cancel: Box<Cancel>,
    host: String,
    mode: Mode,
    statement_timeout: Option<Duration>,
    /// Boxed: a connection moves between the pool and its users.
    statements: Box<Statements>,
    /// The text of each lookup by key and each insert written on this
    /// connection, by entity (and number of rows).
    shapes: Box<StatementCache<Postgres>>,
    /// A statement was sent and its answer not read to its end (its future
    /// was dropped, or it timed out): it is cancelled before the next use.
    busy: Arc<AtomicBool>,
    /// Transactions and savepoints open.
    depth: usize,
    /// Rollbacks queued by `start_rollback`, sent before the next statement.
    queued: Vec<String>,
}

/// A connection's cancel key, and how to reach its server for a cancel
/// request.
struct Cancel {
    token: CancelToken,
    tls: CheckedTls,
    /// Set when the socket is keyway's own (a plaintext login `require_auth`
    /// checks): the request goes without TLS.
    own_socket: Option<Config>,
    /// The host's configuration, for the request's socket.
    config: Config,
}

impl PgConn {
    /// Connects as `connect` says.
    pub(crate) async fn open(connect: &PgConnect) -> Result<PgConn, PgError> {
        let (client, host, own_socket, cancel_config) = connect.open().await?;
        Ok(PgConn {
            cancel: Box::new(Cancel {
                token: client.cancel_token(),
                tls: connect.tls().clone(),
                own_socket,
                config: cancel_config,
            }),
            client: Box::new(client),
            host,
            mode: connect.statements,
            statement_timeout: connect.statement_timeout,
            statements: Box::default(),
            shapes: Box::default(),
            busy: Arc::new(AtomicBool::new(false)),
            depth: 0,
            queued: Vec::new(),
        })
    }

    /// tokio-postgres's client of this connection, for what keyway does not
    /// wrap: its `ToSql`/`FromSql` types, `copy_in` / `copy_out`, typed
    /// queries. A transaction opened or ended through it is not known to
    /// keyway's pool.
    ///
    /// ```no_run
    /// # async fn demo(db: keyway::Db<keyway_postgres::Postgres>) -> Result<(), Box<dyn std::error::Error>> {
    /// let conn = db.executor().acquire().await?;
    /// let row = conn.client().query_one("SELECT now()::text", &[]).await?;
    /// let now: String = row.get(0);
    /// conn.release();
    /// # let _ = now; Ok(()) }
    /// ```
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The host this connection reached (`host:port`, or the socket's
    /// directory), of those the URL names.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the connection is closed (the server or the network ended it).
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    pub(crate) fn busy(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.busy)
    }

    pub(crate) fn statement_timeout(&self) -> Option<Duration> {
        self.statement_timeout
    }

    /// Sends the rollbacks `start_rollback` queued, and cancels what a
    /// dropped statement left running.
    async fn settle(&mut self) -> Result<(), PgError> {
        if self.busy.load(Ordering::Acquire) {
            self.cancel_running().await?;
        }
        if !self.queued.is_empty() {
            let sql = self.queued.join("; ");
            self.queued.clear();
            // The queue is emptied before sending: if this fails, the
            // connection is closed (the error is a connection error or the
            // server refused the rollback, and keyway counts it ended).
            self.busy.store(true, Ordering::Release);
            let client = &self.client;
            let done = with_limit(self.statement_timeout, async move {
                Ok(client.batch_execute(&sql).await?)
            })
            .await;
            self.busy.store(false, Ordering::Release);
            if let Err(e) = done {
                return Err(PgError::connect(format!("the queued rollback failed: {e}")));
            }
        }
        Ok(())
    }

    /// Asks the server to cancel the statement still running, then waits
    /// for the connection to answer again.
    async fn cancel_running(&mut self) -> Result<(), PgError> {
        // tokio-postgres's cancel_query returns as soon as the request is
        // written; the server acts on it a moment later (another process
        // signals the backend), maybe while the connection's next statement
        // runs, which it would cancel instead. The server closes the
        // request's connection once it has signalled: wait for that.
        let Cancel {
            token,
            tls,
            own_socket,
            config,
        } = &*self.cancel;
        let config = own_socket.as_ref().unwrap_or(config);
        let socket = socket::open(config)
            .await
            .map_err(|e| PgError::connect(format!("cannot send the cancel request: {e}")))?;
        let socket = socket::UntilClosed::new(socket);
        if own_socket.is_some() {
            token.cancel_query_raw(socket, NoTls).await?;
        } else {
            let host = match config.get_hosts().first() {
                Some(tokio_postgres::config::Host::Tcp(name)) => name.clone(),
                _ => String::new(),
            };
            let tls = tokio_postgres::tls::MakeTlsConnect::<socket::UntilClosed>::make_tls_connect(
                &mut tls.rustls.clone(),
                &host,
            )
            .map_err(|e| PgError::connect(format!("cannot send the cancel request: {e}")))?;
            token.cancel_query_raw(socket, tls).await?;
        }
        // The cancelled statement's answer (an error) is read by the driver;
        // the empty query's answer comes after it.
        self.client.simple_query("").await?;
        self.busy.store(false, Ordering::Release);
        Ok(())
    }

    /// Checks that the connection answers, after sending what was queued.
    pub(crate) async fn ping(&mut self) -> Result<(), PgError> {
        self.settle().await?;
        self.client.simple_query("").await?;
        Ok(())
    }

    /// The statement for `sql` with `args`' types: kept, or prepared now.
    async fn prepared(&mut self, sql: &str, args: &PgArgs) -> Result<Statement, PgError> {
        if let Some(kept) = self.statements.get(sql, &args.types) {
            return Ok(kept);
        }
        let statement = self.client.prepare_typed(sql, &args.types).await?;
        self.statements.keep(sql, statement.clone());
        Ok(statement)
    }

    /// Sends `sql` with `args` and returns the stream of its rows: a kept
    /// statement, prepared again once if the server says its plan went stale
    /// (the table changed), or an unnamed one behind a pooler or when not
    /// `persistent` (raw SQL). Marks the connection busy until the stream
    /// has been read to its end.
    pub(crate) async fn start(
        &mut self,
        sql: &str,
        args: &PgArgs,
        persistent: bool,
    ) -> Result<RowStream, PgError> {
        if args.types.len() > usize::from(u16::MAX) {
            return Err(PgError::request(format!(
                "{} parameters: a statement carries at most 65,535",
                args.types.len()
            )));
        }
        self.settle().await?;
        self.busy.store(true, Ordering::Release);
        let mode = if persistent { self.mode } else { Mode::Unnamed };
        let started = match mode {
            Mode::Unnamed => Ok(self.client.query_typed_raw(sql, args.typed()).await?),
            Mode::Kept => {
                let first = self.start_kept(sql, args).await;
                match first {
                    Err(e) if errors::is_stale_plan(&e) => {
                        self.statements.forget(sql);
                        if self.depth > 0 {
                            // The error aborted the transaction: nothing
                            // more runs in it. Run again, the transaction
                            // prepares the statement anew.
                            Err(e)
                        } else {
                            self.start_kept(sql, args).await
                        }
                    }
                    other => other,
                }
            }
        };
        if started.as_ref().is_err_and(|e| e.db().is_some()) {
            // The server answered: nothing is left running.
            self.busy.store(false, Ordering::Release);
        }
        started
    }

    async fn start_kept(&mut self, sql: &str, args: &PgArgs) -> Result<RowStream, PgError> {
        let statement = self.prepared(sql, args).await?;
        Ok(self.client.query_raw(&statement, args.params()).await?)
    }

    /// Runs `sql` with `args` and counts the rows it matched; without
    /// parameters and not `persistent`, as a simple query (not prepared:
    /// DDL, several statements).
    pub(crate) async fn run(
        &mut self,
        sql: &str,
        args: PgArgs,
        persistent: bool,
    ) -> Result<u64, PgError> {
        if !persistent && args.types.is_empty() {
            return self.simple(sql).await;
        }
        let busy = self.busy();
        let limit = self.statement_timeout;
        let counted = async {
            let rows = self.start(sql, &args, persistent).await?;
            futures::pin_mut!(rows);
            while rows.try_next().await?.is_some() {}
            busy.store(false, Ordering::Release);
            Ok(rows.rows_affected().unwrap_or(0))
        };
        with_limit(limit, counted).await
    }

    /// Runs `sql` (one or more statements, no parameters) with the simple
    /// protocol and counts the rows the last one matched.
    pub(crate) async fn simple(&mut self, sql: &str) -> Result<u64, PgError> {
        let limit = self.statement_timeout;
        // The limit covers the cancel of a statement left running too: a
        // peer that went silent answers neither.
        with_limit(limit, async move {
            self.settle().await?;
            self.busy.store(true, Ordering::Release);
            let messages = self.client.simple_query(sql).await;
            if messages.as_ref().is_ok()
                || messages.as_ref().is_err_and(|e| e.as_db_error().is_some())
            {
                self.busy.store(false, Ordering::Release);
            }
            let mut count = 0;
            for message in messages? {
                if let SimpleQueryMessage::CommandComplete(n) = message {
                    count = n;
                }
            }
            Ok(count)
        })
        .await
    }

    /// The text of the read of `E` by key.
    pub(crate) fn by_key_text<E: Entity>(&mut self, key: &E::Key) -> String {
        self.shapes.by_key::<E>(key).to_owned()
    }

    /// The text of an insert of `rows` rows into `table`, as `plan` says.
    pub(crate) fn insert_text(
        &mut self,
        table: &TableDef,
        rows: usize,
        plan: InsertPlan,
    ) -> String {
        self.shapes.insert(table, rows, plan).to_owned()
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
            // PostgreSQL answers COMMIT in a transaction an earlier error
            // aborted by rolling it back, without an error: the SELECT fails
            // there instead (25P02), and COMMIT is not run.
            1 => "SELECT 1; COMMIT".to_owned(),
            d => format!("RELEASE SAVEPOINT keyway_savepoint_{}", d - 1),
        };
        match self.simple(&sql).await {
            Ok(_) => {
                self.depth -= 1;
                Ok(())
            }
            Err(e) => {
                // A COMMIT the server refused (40001 at commit, a deferred
                // constraint) ended the transaction all the same.
                let aborted = e.code() == Some(&SqlState::IN_FAILED_SQL_TRANSACTION);
                if self.depth == 1 && e.db().is_some() && !aborted {
                    self.depth -= 1;
                }
                Err(e)
            }
        }
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

/// Awaits `fut` for at most `limit`.
async fn with_limit<T>(
    limit: Option<Duration>,
    fut: impl Future<Output = Result<T, PgError>>,
) -> Result<T, PgError> {
    match limit {
        None => fut.await,
        Some(limit) => match tokio::time::timeout(limit, fut).await {
            Ok(done) => done,
            Err(_) => Err(PgError::statement_timeout(limit)),
        },
    }
}

impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConn")
            .field("host", &self.host)
            .field("open", &!self.client.is_closed())
            .field("statements", &self.statements.len())
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}
