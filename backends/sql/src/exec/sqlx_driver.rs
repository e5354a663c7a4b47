//! What one sqlx database adds to the shared execution layer, and how every
//! such database is a [`Driver`].

use std::fmt::Debug;
use std::future::Future;

use futures::Stream;
use futures::future::BoxFuture;
use keyway::{ColumnType, DecodeError, Error, InsertStmt, Result, TableDef, Value};
use sqlx::error::DatabaseError;
use sqlx::{ConnectOptions, Connection, TransactionManager, ValueRef};

use super::{Driver, SqlxDatabase, map_error};
use crate::{Dialect, Lowered, Param};

/// The connect options of driver `D`'s connections.
pub type ConnectOptionsOf<D> = <Conn<D> as Connection>::Options;

/// A connection of driver `D`'s database.
pub type Conn<D> = <<D as SqlxDriver>::Database as sqlx::Database>::Connection;
/// A row of driver `D`'s database.
pub type QueryRow<D> = <<D as SqlxDriver>::Database as sqlx::Database>::Row;
/// One value of a row of driver `D`'s database.
pub type RawValue<'r, D> = <<D as SqlxDriver>::Database as sqlx::Database>::ValueRef<'r>;
/// The bound arguments of one statement of driver `D`'s database.
pub type Args<D> = <<D as SqlxDriver>::Database as sqlx::Database>::Arguments<'static>;

/// sqlx's transaction bookkeeping on a bare connection: it keeps the depth
/// that a nested `begin` turns into a savepoint.
type Manager<D> = <<D as SqlxDriver>::Database as sqlx::Database>::TransactionManager;

/// One sqlx database as a keyway backend: how values are bound and read, what
/// its error codes mean, and how generated keys come back. The value of a
/// driver is what it learnt about the server when connecting.
pub trait SqlxDriver: Debug + Clone + Send + Sync + Sized + 'static {
    /// The sqlx database.
    type Database: SqlxDatabase;
    /// The SQL dialect statements are lowered to.
    type Dialect: Dialect;
    /// Settings of this driver beyond the pool's (`()` when it has none).
    type Settings: Debug + Clone + Default + Send + Sync + 'static;

    /// The connect options for `url` with the driver's settings applied
    /// (`Error::Invalid` for a malformed URL).
    fn connect_options(url: &str, settings: &Self::Settings) -> Result<ConnectOptionsOf<Self>>;

    /// Readies a newly opened connection before its first statement (by
    /// default, nothing to do).
    fn prepare_connection(
        conn: &mut Conn<Self>,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let _ = conn;
        async { Ok(()) }
    }

    /// Learns what the driver needs to know about the server, on the pool's
    /// first connection.
    fn learn(
        conn: &mut Conn<Self>,
        settings: Self::Settings,
    ) -> impl Future<Output = Result<Self>> + Send;

    /// Binds every parameter of a statement on `table`, refusing with
    /// [`Error::OutOfRange`] a value the database would change.
    fn bind(table: &TableDef, params: Vec<Param>) -> Result<Args<Self>>;

    /// Turns one non-NULL value into a [`Value`] by its database type
    /// (decode it with [`decode`](crate::decode)); the caller expects
    /// `expected`, and `Field::from_value` checks the fit afterwards.
    fn read_value(raw: RawValue<'_, Self>, expected: ColumnType) -> Result<Value, DecodeError>;

    /// Reads one non-NULL value for an integer field of type `ty` (see
    /// `ValueReader::next_int`). The default goes through
    /// [`read_value`](Self::read_value); a driver that decodes integers
    /// directly overrides it, with the same errors.
    #[inline]
    fn read_int(raw: RawValue<'_, Self>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        Self::read_value(raw, ty)?.into_int(ty)
    }

    /// Reads one non-NULL value for a text field (see `ValueReader::next_text`).
    /// The default goes through [`read_value`](Self::read_value).
    #[inline]
    fn read_text(raw: RawValue<'_, Self>) -> Result<Option<String>, DecodeError> {
        Self::read_value(raw, ColumnType::Text)?.into_text()
    }

    /// Maps an error the database reported for a statement on `table`.
    fn database_error(err: Box<dyn DatabaseError>, table: &TableDef) -> Error;

    /// How many rows a statement matched (an `UPDATE` counts the rows it
    /// matched, not only those it changed).
    fn rows_affected(done: &<Self::Database as sqlx::Database>::QueryResult) -> u64;

    /// Lowers an insert into the statements [`run_insert`](Self::run_insert)
    /// runs, in order.
    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered>;

    /// As [`Driver::returns_written`].
    fn returns_written(&self, delete: bool) -> bool {
        let _ = delete;
        <Self::Dialect as crate::Dialect>::RETURNING
    }

    /// Runs one insert statement on `table` and appends the generated keys of
    /// its rows, in row order (nothing when the table has no `auto` column).
    fn run_insert<'c>(
        &'c self,
        conn: &'c mut Conn<Self>,
        table: &'c TableDef,
        batch: Lowered,
        keys: &'c mut Vec<Value>,
    ) -> impl Future<Output = Result<()>> + Send + 'c;
}

/// Every sqlx database runs the shared layer through sqlx's own connection,
/// statement cache and transaction bookkeeping.
impl<D: SqlxDriver> Driver for D {
    type Dialect = <D as SqlxDriver>::Dialect;
    type Settings = <D as SqlxDriver>::Settings;
    type Connect = ConnectOptionsOf<D>;
    type Conn = Conn<D>;
    type Args = Args<D>;
    type Row = QueryRow<D>;
    type Error = sqlx::Error;

    fn connect_options(url: &str, settings: &Self::Settings) -> Result<ConnectOptionsOf<D>> {
        <D as SqlxDriver>::connect_options(url, settings)
    }

    async fn open(connect: &ConnectOptionsOf<D>) -> Result<Conn<D>, sqlx::Error> {
        let mut conn = connect.connect().await?;
        D::prepare_connection(&mut conn).await?;
        Ok(conn)
    }

    fn learn(
        conn: &mut Conn<D>,
        settings: Self::Settings,
    ) -> impl Future<Output = Result<D>> + Send {
        <D as SqlxDriver>::learn(conn, settings)
    }

    fn ping(conn: &mut Conn<D>) -> BoxFuture<'_, Result<(), sqlx::Error>> {
        conn.ping()
    }

    async fn close(conn: Conn<D>) {
        let _ = conn.close().await;
    }

    fn begin(conn: &mut Conn<D>) -> BoxFuture<'_, Result<(), sqlx::Error>> {
        Manager::<D>::begin(conn, None)
    }

    fn commit(conn: &mut Conn<D>) -> BoxFuture<'_, Result<(), sqlx::Error>> {
        Manager::<D>::commit(conn)
    }

    fn rollback(conn: &mut Conn<D>) -> BoxFuture<'_, Result<(), sqlx::Error>> {
        Manager::<D>::rollback(conn)
    }

    fn start_rollback(conn: &mut Conn<D>) {
        Manager::<D>::start_rollback(conn);
    }

    fn transaction_depth(conn: &Conn<D>) -> usize {
        Manager::<D>::get_transaction_depth(conn)
    }

    fn bind(table: &TableDef, params: Vec<Param>) -> Result<Args<D>> {
        <D as SqlxDriver>::bind(table, params)
    }

    fn no_args() -> Args<D> {
        Args::<D>::default()
    }

    fn fetch<'c>(
        conn: &'c mut Conn<D>,
        sql: &'c str,
        args: Args<D>,
    ) -> impl Stream<Item = Result<QueryRow<D>, sqlx::Error>> + Send + Unpin + 'c {
        <D::Database as SqlxDatabase>::fetch(conn, sql, args)
    }

    fn execute<'c>(
        conn: &'c mut Conn<D>,
        sql: &'c str,
        args: Args<D>,
        persistent: bool,
    ) -> BoxFuture<'c, Result<u64, sqlx::Error>> {
        let run = <D::Database as SqlxDatabase>::execute(conn, sql, args, persistent);
        Box::pin(async move { run.await.map(|done| D::rows_affected(&done)) })
    }

    #[inline]
    fn read_value(row: &QueryRow<D>, i: usize, expected: ColumnType) -> Result<Value, DecodeError> {
        match column::<D>(row, i)? {
            Some(raw) => <D as SqlxDriver>::read_value(raw, expected),
            None => Ok(Value::Null),
        }
    }

    #[inline]
    fn read_int(row: &QueryRow<D>, i: usize, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        column::<D>(row, i)?.map_or(Ok(None), |raw| <D as SqlxDriver>::read_int(raw, ty))
    }

    #[inline]
    fn read_text(row: &QueryRow<D>, i: usize) -> Result<Option<String>, DecodeError> {
        column::<D>(row, i)?.map_or(Ok(None), <D as SqlxDriver>::read_text)
    }

    fn map_error(err: sqlx::Error, table: &TableDef) -> Error {
        map_error::<D>(err, table)
    }

    fn returns_written(&self, delete: bool) -> bool {
        SqlxDriver::returns_written(self, delete)
    }

    fn lower_insert(&self, stmt: InsertStmt) -> Vec<Lowered> {
        <D as SqlxDriver>::lower_insert(self, stmt)
    }

    fn run_insert<'c>(
        &'c self,
        conn: &'c mut Conn<D>,
        table: &'c TableDef,
        batch: Lowered,
        keys: &'c mut Vec<Value>,
    ) -> impl Future<Output = Result<()>> + Send + 'c {
        <D as SqlxDriver>::run_insert(self, conn, table, batch, keys)
    }
}

/// Column `i` of `row`, `None` for NULL.
#[inline]
fn column<D: SqlxDriver>(
    row: &QueryRow<D>,
    i: usize,
) -> Result<Option<RawValue<'_, D>>, DecodeError> {
    let raw =
        <D::Database as SqlxDatabase>::column(row, i).map_err(|_| DecodeError::MissingColumn(i))?;
    Ok((!raw.is_null()).then_some(raw))
}

/// Decodes a value as `T`, a driver error becoming `DecodeError::Invalid`.
pub fn decode<'r, V, T>(raw: V) -> Result<T, DecodeError>
where
    V: ValueRef<'r>,
    V::Database: sqlx::Database<ValueRef<'r> = V>,
    T: sqlx::Decode<'r, V::Database>,
{
    T::decode(raw).map_err(|e| DecodeError::Invalid(e.to_string()))
}
