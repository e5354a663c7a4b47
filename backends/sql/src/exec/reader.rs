//! Reading one result row through keyway's `RowReader`.

use keyway::{ColumnType, DecodeError, RowReader, SelectStmt, Value};

use super::Driver;

/// Reads one row of a select column by column; the driver turns each value
/// into a [`Value`] by its database type, so that a row written by another
/// program with unexpected types is a decode error naming the column.
pub struct SqlReader<'r, D: Driver> {
    row: &'r D::Row,
    stmt: &'r SelectStmt,
    at: usize,
}

impl<'r, D: Driver> SqlReader<'r, D> {
    /// A reader over `row`, a result row of `stmt`.
    pub fn new(row: &'r D::Row, stmt: &'r SelectStmt) -> Self {
        SqlReader { row, stmt, at: 0 }
    }

    /// The next column's index.
    #[inline]
    fn step(&mut self) -> usize {
        self.at += 1;
        self.at - 1
    }
}

impl<D: Driver> RowReader for SqlReader<'_, D> {
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let i = self.step();
        D::read_value(self.row, i, ty)
    }

    #[inline]
    fn next_int(&mut self, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        let i = self.step();
        D::read_int(self.row, i, ty)
    }

    #[inline]
    fn next_text(&mut self) -> Result<Option<String>, DecodeError> {
        let i = self.step();
        D::read_text(self.row, i)
    }

    fn position(&self) -> (&'static str, &str) {
        (
            self.stmt.table.entity,
            self.stmt.column_name(self.at.saturating_sub(1)),
        )
    }
}
