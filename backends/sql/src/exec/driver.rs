//! What one sqlx database adds to the shared execution layer.

use std::fmt::Debug;
use std::future::Future;

use keyway::{ColumnType, DecodeError, Error, InsertStmt, Result, TableDef, Value};
use sqlx::error::DatabaseError;

use super::SqlxDatabase;
use super::pool::ConnectOptionsOf;
use crate::{Dialect, Lowered, Param};

/// A connection of driver `D`'s database.
pub type Conn<D> = <<D as SqlxDriver>::Database as sqlx::Database>::Connection;
/// A row of driver `D`'s database.
pub type QueryRow<D> = <<D as SqlxDriver>::Database as sqlx::Database>::Row;
/// One value of a row of driver `D`'s database.
pub type RawValue<'r, D> = <<D as SqlxDriver>::Database as sqlx::Database>::ValueRef<'r>;
/// The bound arguments of one statement of driver `D`'s database.
pub type Args<D> = <<D as SqlxDriver>::Database as sqlx::Database>::Arguments<'static>;

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
    /// `RowReader::next_int`). The default goes through
    /// [`read_value`](Self::read_value); a driver that decodes integers
    /// directly overrides it, with the same errors.
    #[inline]
    fn read_int(raw: RawValue<'_, Self>, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        Self::read_value(raw, ty)?.into_int(ty)
    }

    /// Reads one non-NULL value for a text field (see `RowReader::next_text`).
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
