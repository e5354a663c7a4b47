//! Reading sqlx SQLite rows through keyway's `RowReader`.

use keyway::{ColumnType, DecodeError, RowReader, SelectStmt, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Row, TypeInfo, ValueRef};

/// Reads one row column by column, by the value's own storage class, so that a
/// row written by another program with unexpected types is a decode error.
pub(crate) struct SqliteReader<'r> {
    row: &'r SqliteRow,
    stmt: &'r SelectStmt,
    at: usize,
}

impl<'r> SqliteReader<'r> {
    pub(crate) fn new(row: &'r SqliteRow, stmt: &'r SelectStmt) -> Self {
        SqliteReader { row, stmt, at: 0 }
    }
}

fn decode<'r, T: Decode<'r, sqlx::Sqlite>>(
    raw: sqlx::sqlite::SqliteValueRef<'r>,
) -> Result<T, DecodeError> {
    T::decode(raw).map_err(|e| DecodeError::Invalid(e.to_string()))
}

impl RowReader for SqliteReader<'_> {
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let i = self.at;
        self.at += 1;
        let raw = self
            .row
            .try_get_raw(i)
            .map_err(|_| DecodeError::MissingColumn(i))?;
        if raw.is_null() {
            return Ok(Value::Null);
        }
        let class = raw.type_info();
        Ok(match (class.name(), ty) {
            ("INTEGER", _) => Value::I64(decode(raw)?),
            ("REAL", ColumnType::F32 | ColumnType::F64) => Value::F64(decode(raw)?),
            ("TEXT", ColumnType::Text) => Value::Text(decode(raw)?),
            ("BLOB", ColumnType::Bytes) => Value::Bytes(decode(raw)?),
            (name, _) => {
                let found = match name {
                    "REAL" => "real",
                    "TEXT" => "text",
                    "BLOB" => "bytes",
                    _ => "an unknown SQLite type",
                };
                return Err(DecodeError::WrongType {
                    expected: ty,
                    found,
                });
            }
        })
    }

    fn position(&self) -> (&'static str, &str) {
        (
            self.stmt.table.entity,
            self.stmt.column_name(self.at.saturating_sub(1)),
        )
    }
}
