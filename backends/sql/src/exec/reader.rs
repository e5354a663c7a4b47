//! Reading one sqlx row through keyway's `RowReader`.

use keyway::{ColumnType, DecodeError, RowReader, SelectStmt, Value};
use sqlx::ValueRef;

use super::{QueryRow, RawValue, SqlxDatabase, SqlxDriver};

/// Reads column `i` of `row`: NULL, or what the driver makes of the value.
pub fn read_column<D: SqlxDriver>(
    row: &QueryRow<D>,
    i: usize,
    expected: ColumnType,
) -> Result<Value, DecodeError> {
    match non_null::<D>(row, i)? {
        Some(raw) => D::read_value(raw, expected),
        None => Ok(Value::Null),
    }
}

/// Column `i` of `row`, `None` for NULL.
#[inline]
fn non_null<D: SqlxDriver>(
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

/// Reads one row of a select column by column; the driver turns each value
/// into a [`Value`] by its database type, so that a row written by another
/// program with unexpected types is a decode error naming the column.
pub struct SqlxReader<'r, D: SqlxDriver> {
    row: &'r QueryRow<D>,
    stmt: &'r SelectStmt,
    at: usize,
}

impl<'r, D: SqlxDriver> SqlxReader<'r, D> {
    /// A reader over `row`, a result row of `stmt`.
    pub fn new(row: &'r QueryRow<D>, stmt: &'r SelectStmt) -> Self {
        SqlxReader { row, stmt, at: 0 }
    }
}

impl<'r, D: SqlxDriver> SqlxReader<'r, D> {
    /// The next column's index.
    #[inline]
    fn step(&mut self) -> usize {
        self.at += 1;
        self.at - 1
    }

    /// Reads the next column with `read`, `None` for NULL.
    #[inline]
    fn next_with<T>(
        &mut self,
        read: impl FnOnce(RawValue<'r, D>) -> Result<Option<T>, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        let i = self.step();
        non_null::<D>(self.row, i)?.map_or(Ok(None), read)
    }
}

impl<D: SqlxDriver> RowReader for SqlxReader<'_, D> {
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let i = self.step();
        read_column::<D>(self.row, i, ty)
    }

    #[inline]
    fn next_int(&mut self, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        self.next_with(|raw| D::read_int(raw, ty))
    }

    #[inline]
    fn next_text(&mut self) -> Result<Option<String>, DecodeError> {
        self.next_with(D::read_text)
    }

    fn position(&self) -> (&'static str, &str) {
        (
            self.stmt.table.entity,
            self.stmt.column_name(self.at.saturating_sub(1)),
        )
    }
}
