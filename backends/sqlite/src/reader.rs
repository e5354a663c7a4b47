//! Reading rusqlite rows through keyway's `RowReader`.

use keyway::{ColumnType, DecodeError, RowReader, Selection, TableDef, Value};
use rusqlite::Row;
use rusqlite::types::ValueRef;

/// Reads one row column by column, by the value's own storage class, so that a
/// row written by another program with unexpected types is a decode error.
pub(crate) struct SqliteReader<'r, 's> {
    row: &'r Row<'s>,
    /// The table and the selected columns, for error messages.
    table: &'r TableDef,
    selection: &'r Selection,
    at: usize,
}

impl<'r, 's> SqliteReader<'r, 's> {
    pub(crate) fn new(row: &'r Row<'s>, table: &'r TableDef, selection: &'r Selection) -> Self {
        SqliteReader {
            row,
            table,
            selection,
            at: 0,
        }
    }
}

impl RowReader for SqliteReader<'_, '_> {
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let i = self.at;
        self.at += 1;
        let raw = self
            .row
            .get_ref(i)
            .map_err(|_| DecodeError::MissingColumn(i))?;
        Ok(match (raw, ty) {
            (ValueRef::Null, _) => Value::Null,
            (ValueRef::Integer(v), _) => Value::I64(v),
            (ValueRef::Real(v), ColumnType::F32 | ColumnType::F64) => Value::F64(v),
            (ValueRef::Text(text), ColumnType::Text) => Value::Text(
                std::str::from_utf8(text)
                    .map_err(|e| DecodeError::Invalid(e.to_string()))?
                    .to_owned(),
            ),
            (ValueRef::Blob(bytes), ColumnType::Bytes) => Value::Bytes(bytes.to_vec()),
            (ValueRef::Real(_), _) => return Err(wrong(ty, "real")),
            (ValueRef::Text(_), _) => return Err(wrong(ty, "text")),
            (ValueRef::Blob(_), _) => return Err(wrong(ty, "bytes")),
        })
    }

    fn position(&self) -> (&'static str, &str) {
        let i = self.at.saturating_sub(1);
        (self.table.entity, self.selection.column_name(self.table, i))
    }
}

fn wrong(expected: ColumnType, found: &'static str) -> DecodeError {
    DecodeError::WrongType { expected, found }
}
