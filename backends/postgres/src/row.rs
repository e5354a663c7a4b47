//! One result row, as the driver read it.

use std::fmt;

use keyway::{DecodeError, Field};
use tokio_postgres::types::{FromSql, Type};

use crate::reader;

/// One result row: tokio-postgres's [`Row`](tokio_postgres::Row), read by
/// keyway column by column in the binary format.
pub struct PgRow(tokio_postgres::Row);

impl PgRow {
    pub(crate) fn new(row: tokio_postgres::Row) -> PgRow {
        PgRow(row)
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the row has no column.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Column `i` as `T` (`Option<T>` for a column that may be NULL), by
    /// keyway's mapping of PostgreSQL's types.
    ///
    /// ```no_run
    /// # async fn demo(conn: &mut keyway_postgres::PgConn) -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = conn.query("SELECT count(*) FROM users", &[]).await?;
    /// let n: i64 = rows[0].get(0)?;
    /// # let _ = n; Ok(()) }
    /// ```
    pub fn get<T: Field>(&self, i: usize) -> Result<T, DecodeError> {
        T::from_value(reader::read_value(self, i, T::TYPE)?)
    }

    /// The driver's row, to read a column through its own types
    /// (`row.driver_row().try_get::<_, T>(i)` for any `FromSql` type).
    pub fn driver_row(&self) -> &tokio_postgres::Row {
        &self.0
    }

    /// Column `i`: its type's OID and its bytes in the binary format, `None`
    /// for NULL.
    #[inline]
    pub(crate) fn column(&self, i: usize) -> Result<(u32, Option<&[u8]>), DecodeError> {
        let column = self
            .0
            .columns()
            .get(i)
            .ok_or(DecodeError::MissingColumn(i))?;
        let oid = column.type_().oid();
        match self.0.try_get::<_, RawValue<'_>>(i) {
            Ok(RawValue(bytes)) => Ok((oid, bytes)),
            Err(e) => Err(DecodeError::Invalid(e.to_string())),
        }
    }
}

/// A column's bytes as they arrived, of any type.
struct RawValue<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for RawValue<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawValue(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawValue(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

impl fmt::Debug for PgRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let types: Vec<&str> = self.0.columns().iter().map(|c| c.type_().name()).collect();
        f.debug_struct("PgRow").field("columns", &types).finish()
    }
}
