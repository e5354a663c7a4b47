//! One PostgreSQL connection: its wire, the statements prepared on it, the
//! requests awaiting their answer, and its transaction depth.

use std::fmt;
use std::future::poll_fn;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use fallible_iterator::FallibleIterator;
use postgres_protocol::message::backend::{Message, RowDescriptionBody};
use postgres_protocol::message::frontend::{self, BindError};
use tokio_postgres::Config;

use keyway::{Entity, TableDef};
use keyway_sql::{InsertPlan, Postgres, StatementCache};

use crate::bind::{self, Params, PgArgs};
use crate::encoder;
use crate::errors::PgError;
use crate::startup;
use crate::statements::Statements;
use crate::wire::Wire;

/// How long closing a connection waits for the server to take the goodbye.
const GOODBYE: Duration = Duration::from_secs(1);

/// An open PostgreSQL connection of keyway's pool, speaking the protocol on
/// the task that awaits a statement. [`query`](Self::query),
/// [`execute`](Self::execute) and [`batch_execute`](Self::batch_execute)
/// run raw SQL.
///
/// A statement whose future is dropped midway leaves its answer unread;
/// the connection's next statement reads it first, so each statement gets
/// its own answer.
pub struct PgConn {
    /// Boxed, as are the statements: a connection moves between the pool
    /// and its users, and sits inline in a transaction.
    pub(crate) wire: Box<Wire>,
    statements: Box<Statements>,
    /// The text of each lookup by key and each insert written on this
    /// connection, by entity (and number of rows).
    shapes: Box<StatementCache<Postgres>>,
    /// Requests written whose `ReadyForQuery` has not been read yet.
    pending: usize,
    /// Transactions and savepoints open.
    depth: usize,
    /// Rollbacks queued by `start_rollback`, sent before the next statement.
    queued: Vec<String>,
    /// The queued rollbacks were sent and their answer is not read yet.
    rolling_back: bool,
    /// What the server answered the queued rollbacks, if it refused them.
    rollback_error: Option<PgError>,
}

/// How a statement is sent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mode {
    /// Prepared once and kept by its SQL text.
    Kept,
    /// Prepared for this run only (the unnamed statement); `describe` asks
    /// for its result columns.
    Once { describe: bool },
}

impl PgConn {
    /// Connects and logs in as `config` says.
    pub(crate) async fn open(config: &Config) -> Result<PgConn, PgError> {
        Ok(PgConn {
            wire: Box::new(startup::open(config).await?),
            statements: Box::default(),
            shapes: Box::default(),
            pending: 0,
            depth: 0,
            queued: Vec::new(),
            rolling_back: false,
            rollback_error: None,
        })
    }

    /// The next message of the answers, with the connection's bookkeeping
    /// done: requests answered, statements prepared or refused; what the
    /// server sends unasked (notices, parameter changes) is skipped.
    #[inline]
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Result<Message, PgError>> {
        loop {
            // What was written goes out before an answer is awaited.
            if !self.wire.out().is_empty() {
                ready!(self.wire.poll_flush(cx))?;
            }
            let message = ready!(self.wire.poll_message(cx))?;
            match &message {
                Message::DataRow(_) => {}
                Message::ReadyForQuery(_) => match self.pending.checked_sub(1) {
                    Some(left) => self.pending = left,
                    None => {
                        let err = PgError::unexpected("an answer to no request");
                        return Poll::Ready(Err(self.wire.broken_by(err)));
                    }
                },
                Message::RowDescription(body) if self.statements.is_parsing() => {
                    match columns(body) {
                        Ok(columns) => self.statements.described(&columns),
                        Err(err) => return Poll::Ready(Err(self.wire.broken_by(err))),
                    }
                }
                Message::NoData if self.statements.is_parsing() => {
                    self.statements.described(&Arc::from(Vec::new()));
                }
                Message::ErrorResponse(_) => self.statements.refused(),
                Message::CopyInResponse(_) => {
                    // Raw SQL asked to send COPY data: refused, so that the
                    // server ends the statement with an error.
                    let refusal = "keyway-postgres does not send COPY data";
                    if let Err(e) = frontend::copy_fail(refusal, self.wire.out()) {
                        return Poll::Ready(Err(self.wire.broken_by(request(e))));
                    }
                    continue;
                }
                Message::NoticeResponse(_)
                | Message::ParameterStatus(_)
                | Message::NotificationResponse(_) => continue,
                _ => {}
            }
            return Poll::Ready(Ok(message));
        }
    }

    /// Gets the connection ready for a request: reads the answers of earlier
    /// requests (sending first what was written) (a statement dropped midway
    /// left them), then sends the rollbacks `start_rollback` queued and
    /// reads their answer. The queue is emptied as the rollbacks are
    /// written, so a dropped caller cannot lose them or send them twice.
    pub(crate) fn poll_settle(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), PgError>> {
        loop {
            // `poll_next` sends what was written before it reads.
            while self.pending > 0 {
                let message = ready!(self.poll_next(cx))?;
                if self.rolling_back
                    && let Message::ErrorResponse(body) = message
                    && self.rollback_error.is_none()
                {
                    self.rollback_error = Some(PgError::from_fields(body.fields()));
                }
            }
            self.rolling_back = false;
            if let Some(err) = self.rollback_error.take() {
                // The transaction may still be open on the server while
                // keyway counts it closed: the connection is not used again.
                return Poll::Ready(Err(self.wire.broken_by(err)));
            }
            if self.queued.is_empty() {
                return Poll::Ready(Ok(()));
            }
            let sql = self.queued.join("; ");
            self.queued.clear();
            if let Err(e) = frontend::query(&sql, self.wire.out()) {
                // The rollbacks cannot be sent: the connection must go.
                return Poll::Ready(Err(self.wire.broken_by(request(e))));
            }
            self.pending += 1;
            self.rolling_back = true;
        }
    }

    async fn settle(&mut self) -> Result<(), PgError> {
        poll_fn(|cx| self.poll_settle(cx)).await
    }

    /// Writes the request that runs `sql` with `args` (nothing is written
    /// when it cannot be). The result columns' types when they are known
    /// already (a kept statement); otherwise the answer describes them.
    pub(crate) fn request(
        &mut self,
        sql: &str,
        args: &PgArgs,
        mode: Mode,
    ) -> Result<Option<Arc<[u32]>>, PgError> {
        let mark = self.wire.out().len();
        let written = self.write_request(sql, args, mode);
        match written {
            Ok(columns) => {
                self.pending += 1;
                Ok(columns)
            }
            Err(err) => {
                self.wire.out().truncate(mark);
                Err(err)
            }
        }
    }

    fn write_request(
        &mut self,
        sql: &str,
        args: &PgArgs,
        mode: Mode,
    ) -> Result<Option<Arc<[u32]>>, PgError> {
        let PgConn {
            wire, statements, ..
        } = self;
        let out = wire.out();
        match mode {
            Mode::Kept => {
                if let Some(kept) = statements.get(sql, &args.types) {
                    bind_execute(&kept.name, args, out)?;
                    return Ok(Some(kept.columns.clone()));
                }
                let name = statements.name();
                let closed = match statements.to_close(sql) {
                    Some((key, old)) => {
                        frontend::close(b'S', old, out).map_err(request)?;
                        Some(key.to_owned())
                    }
                    None => None,
                };
                frontend::parse(&name, sql, args.types.iter().copied(), out).map_err(request)?;
                frontend::describe(b'S', &name, out).map_err(request)?;
                bind_execute(&name, args, out)?;
                statements.parsing(sql, name, args.types.clone(), closed);
            }
            Mode::Once { describe } => {
                frontend::parse("", sql, args.types.iter().copied(), out).map_err(request)?;
                if describe {
                    frontend::describe(b'S', "", out).map_err(request)?;
                }
                bind_execute("", args, out)?;
            }
        }
        Ok(None)
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
        self.settle().await?;
        let mode = match persistent {
            true => Mode::Kept,
            false => Mode::Once { describe: false },
        };
        self.request(sql, &args, mode)?;
        self.answer().await
    }

    /// Runs `sql` (one or more statements, no parameters) and counts the rows
    /// the last one matched.
    pub(crate) async fn simple(&mut self, sql: &str) -> Result<u64, PgError> {
        self.settle().await?;
        frontend::query(sql, self.wire.out()).map_err(request)?;
        self.pending += 1;
        self.answer().await
    }

    /// Sends what was written and reads the answer up to its
    /// `ReadyForQuery`: the rows the last statement matched, or the error.
    async fn answer(&mut self) -> Result<u64, PgError> {
        let mut count = 0;
        let mut error = None;
        loop {
            match poll_fn(|cx| self.poll_next(cx)).await? {
                Message::CommandComplete(body) => count = matched(body.tag()?),
                Message::ErrorResponse(body) => {
                    error.get_or_insert_with(|| PgError::from_fields(body.fields()));
                }
                Message::ReadyForQuery(_) => return error.map_or(Ok(count), Err),
                _ => {}
            }
        }
    }

    /// Ends the session politely: the server is told goodbye.
    pub(crate) async fn close(mut self) {
        frontend::terminate(self.wire.out());
        let _ = tokio::time::timeout(GOODBYE, self.wire.flush()).await;
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

/// Writes the binding of `args` to statement `name` (every value and
/// column in the binary format), its execution, and the `Sync` that ends
/// the request.
fn bind_execute(name: &str, args: &PgArgs, out: &mut bytes::BytesMut) -> Result<(), PgError> {
    match &args.values {
        Params::Values(values) => {
            let values = values.iter().zip(&args.types);
            frontend::bind("", name, Some(1), values, bind::encode_param, Some(1), out).map_err(
                |e| match e {
                    BindError::Conversion(e) => PgError::request(e.to_string()),
                    BindError::Serialization(e) => request(e),
                },
            )?;
        }
        Params::Encoded(params) => encoder::bind(name, args.types.len(), params, out)?,
    }
    frontend::execute("", 0, out).map_err(request)?;
    frontend::sync(out);
    Ok(())
}

/// A request that cannot be written: too many parameters, or a NUL in the
/// SQL text.
fn request(err: std::io::Error) -> PgError {
    PgError::request(err.to_string())
}

/// The type OIDs of a result's columns.
pub(crate) fn columns(body: &RowDescriptionBody) -> Result<Arc<[u32]>, PgError> {
    let oids: Vec<u32> = body.fields().map(|f| Ok(f.type_oid())).collect()?;
    Ok(Arc::from(oids))
}

/// The rows a command tag says the statement matched (`UPDATE 3`,
/// `INSERT 0 5`); 0 for a tag without a count (`BEGIN`).
fn matched(tag: &str) -> u64 {
    tag.rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConn")
            .field("open", &!self.wire.is_broken())
            .field("statements", &self.statements.len())
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}
