//! What a database driver gives the shared execution layer.

use std::fmt::Debug;
use std::future::Future;

use futures::Stream;
use futures::future::BoxFuture;
use keyway::{
    ColumnType, DecodeError, Decoder, Entity, EntityDecoder, Error, InsertStmt, Result, SelectStmt,
    TableDef, Value,
};

use crate::{Dialect, Lowered, Param};

/// One database driver as a keyway backend: how connections open, run
/// statements and transactions, how values are bound and read, and what its
/// errors mean. [`SqlBackend`](super::SqlBackend) (the pool) and
/// [`SqlTx`](super::SqlTx) (a transaction) run every statement through it,
/// so each database shares the pool, transactions and statement lowering.
///
/// Every [`SqlxDriver`](super::SqlxDriver) is a `Driver` (the sqlx
/// databases); another driver implements it directly. The value of a driver
/// is what it learnt about the server when connecting.
pub trait Driver: Debug + Clone + Send + Sync + Sized + 'static {
    /// The SQL dialect statements are lowered to.
    type Dialect: Dialect;
    /// Settings of this driver beyond the pool's (`()` when it has none).
    type Settings: Debug + Clone + Default + Send + Sync + 'static;
    /// Where and how to connect, parsed from the URL.
    type Connect: Debug + Clone + Send + Sync + 'static;
    /// One open connection.
    type Conn: Send + 'static;
    /// The bound parameters of one statement.
    type Args: Send + 'static;
    /// One result row.
    type Row: Send + 'static;
    /// What the driver reports when a statement or connection fails.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The connect options for `url` with the driver's settings applied
    /// (`Error::Invalid` for a malformed URL).
    fn connect_options(url: &str, settings: &Self::Settings) -> Result<Self::Connect>;

    /// Opens a connection, ready for its first statement.
    fn open(
        connect: &Self::Connect,
    ) -> impl Future<Output = Result<Self::Conn, Self::Error>> + Send;

    /// Learns what the driver needs to know about the server, on the pool's
    /// first connection.
    fn learn(
        conn: &mut Self::Conn,
        settings: Self::Settings,
    ) -> impl Future<Output = Result<Self>> + Send;

    /// Checks that the connection still answers; first sends what
    /// [`start_rollback`](Self::start_rollback) queued and reads what a
    /// statement stopped midway left unread.
    fn ping(conn: &mut Self::Conn) -> BoxFuture<'_, Result<(), Self::Error>>;

    /// Closes the connection politely.
    fn close(conn: Self::Conn) -> impl Future<Output = ()> + Send;

    /// Whether the connection is known to be closed (the server or the
    /// network ended it), so that the pool drops it without a ping. The
    /// default knows nothing: the ping finds out.
    fn is_closed(conn: &Self::Conn) -> bool {
        let _ = conn;
        false
    }

    /// Opens a transaction, or a savepoint inside an open one.
    fn begin(conn: &mut Self::Conn) -> BoxFuture<'_, Result<(), Self::Error>>;

    /// Opens the transaction a migration runs in. The default is
    /// [`begin`](Self::begin); an embedded engine that rebuilds tables takes
    /// its write lock at once with foreign keys off.
    fn begin_schema_change(conn: &mut Self::Conn) -> BoxFuture<'_, Result<(), Self::Error>> {
        Self::begin(conn)
    }

    /// Ends a migration's transaction: commits it (`commit`) or rolls it
    /// back. The default is [`commit`](Self::commit) or
    /// [`rollback`](Self::rollback); a driver whose migration ran with
    /// foreign keys off checks them before committing and turns them on.
    fn end_schema_change(conn: &mut Self::Conn, commit: bool) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            if commit {
                Self::commit(conn)
                    .await
                    .map_err(|e| Self::map_error(e, &super::tx::TRANSACTION))
            } else {
                Self::rollback(conn)
                    .await
                    .map_err(|e| Error::Connection(Box::new(e)))
            }
        })
    }

    /// Commits the innermost transaction or savepoint.
    fn commit(conn: &mut Self::Conn) -> BoxFuture<'_, Result<(), Self::Error>>;

    /// Rolls the innermost transaction or savepoint back.
    fn rollback(conn: &mut Self::Conn) -> BoxFuture<'_, Result<(), Self::Error>>;

    /// Queues the rollback of the innermost transaction or savepoint, sent
    /// before the connection's next statement (or by [`ping`](Self::ping)):
    /// for a transaction abandoned where nothing can be awaited.
    fn start_rollback(conn: &mut Self::Conn);

    /// How many transactions and savepoints are open on the connection.
    fn transaction_depth(conn: &Self::Conn) -> usize;

    /// Binds every parameter of a statement on `table`, refusing with
    /// [`Error::OutOfRange`] a value the database would change.
    fn bind(table: &TableDef, params: Vec<Param>) -> Result<Self::Args>;

    /// No parameters (for DDL).
    fn no_args() -> Self::Args;

    /// Streams the rows of `sql` with `args`. (A concrete stream, not a
    /// boxed one: each row of a large read is one direct call.)
    fn fetch<'c>(
        conn: &'c mut Self::Conn,
        sql: &'c str,
        args: Self::Args,
    ) -> impl Stream<Item = Result<Self::Row, Self::Error>> + Send + Unpin + 'c;

    /// Runs `sql` (lowered from `stmt`) with `args` and decodes each row
    /// with `decoder`. By default through [`fetch`](Self::fetch); a driver
    /// whose rows come one `async` call at a time may loop over them
    /// directly, without a stream's state per row.
    fn collect<'c, Dec: Decoder>(
        conn: &'c mut Self::Conn,
        sql: &'c str,
        args: Self::Args,
        stmt: &'c SelectStmt,
        decoder: &'c Dec,
    ) -> impl Future<Output = Result<Vec<Dec::Output>>> + Send + 'c {
        use futures::TryStreamExt;
        async move {
            let mut rows = Self::fetch(conn, sql, args);
            let mut out = Vec::new();
            while let Some(row) = rows
                .try_next()
                .await
                .map_err(|e| Self::map_error(e, &stmt.table))?
            {
                out.push(decoder.decode(&mut crate::SqlReader::<Self>::new(&row, stmt))?);
            }
            Ok(out)
        }
    }

    /// Runs `sql` with `args` and counts the rows it matched (an `UPDATE`
    /// counts the rows it matched, not only those it changed).
    /// `persistent: false` keeps the statement out of any statement cache
    /// (DDL).
    fn execute<'c>(
        conn: &'c mut Self::Conn,
        sql: &'c str,
        args: Self::Args,
        persistent: bool,
    ) -> BoxFuture<'c, Result<u64, Self::Error>>;

    /// Reads column `i` of `row` by its database type: [`Value::Null`] for
    /// NULL. The caller expects `expected`, and `Field::from_value` checks
    /// the fit afterwards.
    fn read_value(row: &Self::Row, i: usize, expected: ColumnType) -> Result<Value, DecodeError>;

    /// Reads decimal column `i`, declared with `scale` digits after the
    /// point. The default goes through [`read_value`](Self::read_value)
    /// (the database keeps the scale); an engine that stores a decimal as
    /// the integer of its digits needs it.
    #[inline]
    fn read_decimal(row: &Self::Row, i: usize, scale: u8) -> Result<Value, DecodeError> {
        let _ = scale;
        Self::read_value(row, i, ColumnType::Decimal)
    }

    /// Reads column `i` for an integer field of type `ty` (see
    /// `ValueReader::next_int`). The default goes through
    /// [`read_value`](Self::read_value).
    #[inline]
    fn read_int(row: &Self::Row, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        Self::read_value(row, i, ty)?.into_int(ty)
    }

    /// Reads column `i` for a text field (see `ValueReader::next_text`). The
    /// default goes through [`read_value`](Self::read_value).
    #[inline]
    fn read_text(row: &Self::Row, i: usize) -> Result<Option<String>, DecodeError> {
        Self::read_value(row, i, ColumnType::Text)?.into_text()
    }

    /// Reads column `i` for a JSON document field, handing its text to
    /// `parse` (see `ValueReader::next_json`). The default goes through
    /// [`read_value`](Self::read_value).
    #[inline]
    fn read_json<T>(
        row: &Self::Row,
        i: usize,
        parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        match Self::read_value(row, i, ColumnType::Json)? {
            Value::Null => Ok(None),
            Value::Json(text) => parse(&text).map(Some),
            other => Err(DecodeError::mismatch(ColumnType::Json, &other)),
        }
    }

    /// Whether an update (`delete: false`) or a delete returns the rows it
    /// wrote with `RETURNING`; otherwise keyway locks them, writes them and
    /// reads them again in one transaction. The default is the dialect's
    /// [`RETURNING`](Dialect::RETURNING).
    fn returns_written(&self, delete: bool) -> bool {
        let _ = delete;
        <Self::Dialect as Dialect>::RETURNING
    }

    /// Maps an error raised while running a statement on `table`.
    fn map_error(err: Self::Error, table: &TableDef) -> Error;

    /// Lowers an insert into the statements [`run_insert`](Self::run_insert)
    /// runs, in order.
    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered>;

    /// The row of `E` with `key`, as
    /// [`Executor::fetch_by_key`](keyway::Executor::fetch_by_key) reads it.
    /// The default reads [`SelectStmt::by_key`]; a driver may keep the
    /// lookup's text per entity and bind the key's values directly.
    fn fetch_by_key<'c, E: Entity>(
        &'c self,
        conn: &'c mut Self::Conn,
        key: &'c E::Key,
    ) -> impl Future<Output = Result<Option<E>>> + Send + 'c {
        let stmt = SelectStmt::by_key::<E>(key);
        async move {
            let rows = super::run::fetch_all::<Self, _>(conn, stmt, EntityDecoder::<E>::new());
            Ok(rows.await?.into_iter().next())
        }
    }

    /// Inserts `entities` and returns the generated keys in row order, as
    /// [`Executor::insert`](keyway::Executor::insert) does. The default
    /// encodes them with [`InsertStmt::of`] and runs the statements of
    /// [`lower_insert`](Self::lower_insert); a driver may encode each entity
    /// straight into its statement instead.
    fn insert_entities<'c, E: Entity>(
        &'c self,
        conn: &'c mut Self::Conn,
        entities: &'c [E],
    ) -> impl Future<Output = Result<Vec<Value>>> + Send + 'c {
        async move { super::run::insert(self, conn, InsertStmt::of(entities)?).await }
    }

    /// Runs one insert statement on `table` and appends the generated keys of
    /// its rows, in row order (nothing when the table has no `auto` column).
    fn run_insert<'c>(
        &'c self,
        conn: &'c mut Self::Conn,
        table: &'c TableDef,
        batch: Lowered,
        keys: &'c mut Vec<Value>,
    ) -> impl Future<Output = Result<()>> + Send + 'c;
}
