//! Reading one sqlx row through keyway's `RowReader`.

use keyway::{ColumnType, DecodeError, RowReader, SelectStmt, Value};

use super::{QueryRow, SqlxDriver};

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

impl<D: SqlxDriver> RowReader for SqlxReader<'_, D> {
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let i = self.at;
        self.at += 1;
        D::read_value(self.row, i, ty)
    }

    fn position(&self) -> (&'static str, &str) {
        (
            self.stmt.table.entity,
            self.stmt.column_name(self.at.saturating_sub(1)),
        )
    }
}
