//! Reading one result row through keyway's `ValueReader`.

use keyway::{ColumnType, DecodeError, SelectStmt, Selection, TableDef, Value, ValueReader};

use super::Driver;

/// Reads one row of a select column by column; the driver turns each value
/// into a [`Value`] by its database type, so that a row written by another
/// program with unexpected types is a decode error naming the column.
pub struct SqlReader<'r, D: Driver> {
    row: &'r D::Row,
    table: &'r TableDef,
    selection: &'r Selection,
    at: usize,
}

impl<'r, D: Driver> SqlReader<'r, D> {
    /// A reader over `row`, a result row of `stmt`.
    pub fn new(row: &'r D::Row, stmt: &'r SelectStmt) -> Self {
        Self::of(row, &stmt.table, &stmt.selection)
    }

    /// A reader over `row`, a row of `table` holding `selection`.
    pub fn of(row: &'r D::Row, table: &'r TableDef, selection: &'r Selection) -> Self {
        SqlReader {
            row,
            table,
            selection,
            at: 0,
        }
    }

    /// The next column's index.
    #[inline]
    fn step(&mut self) -> usize {
        self.at += 1;
        self.at - 1
    }
}

impl<D: Driver> ValueReader for SqlReader<'_, D> {
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        if let ColumnType::Struct(fields) = ty {
            // An embedded struct: a column per field.
            return keyway::read_flat_struct(fields, |field| {
                let i = self.step();
                match (field.ty, field.decimal) {
                    (ColumnType::Decimal, Some((_, scale))) => D::read_decimal(self.row, i, scale),
                    _ => D::read_value(self.row, i, field.ty),
                }
            });
        }
        let i = self.step();
        if let ColumnType::Decimal = ty {
            let scale = crate::column_scale(self.table, self.selection, i);
            return D::read_decimal(self.row, i, scale);
        }
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

    #[inline]
    fn next_json<T>(
        &mut self,
        parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        let i = self.step();
        D::read_json(self.row, i, parse)
    }

    fn position(&self) -> (&'static str, &str) {
        let at = self.at.saturating_sub(1);
        (
            self.table.entity,
            self.selection.column_name(self.table, at),
        )
    }
}
