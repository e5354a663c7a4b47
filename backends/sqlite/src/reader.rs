//! Reading rusqlite rows through keyway's `ValueReader`.

use keyway::{ColumnType, DecodeError, Selection, TableDef, Value, ValueReader};
use keyway_sql::{Stored, utf8};
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

    /// The declared scale of the column just read, a decimal column's
    /// digits after the point (stored as an integer of them).
    fn decimal_scale(&self) -> u8 {
        keyway_sql::column_scale(self.table, self.selection, self.at.saturating_sub(1))
    }

    /// The next column as SQLite holds it.
    #[inline]
    fn next_raw(&mut self) -> Result<ValueRef<'r>, DecodeError> {
        let i = self.at;
        self.at += 1;
        self.row
            .get_ref(i)
            .map_err(|_| DecodeError::MissingColumn(i))
    }
}

/// A column's value for a field of type `ty` (keyway-sql's `read_stored`).
#[inline]
fn value_of(raw: ValueRef<'_>, ty: ColumnType, scale: u8) -> Result<Value, DecodeError> {
    let stored = match raw {
        ValueRef::Null => Stored::Null,
        ValueRef::Integer(v) => Stored::Integer(v),
        ValueRef::Real(v) => Stored::Real(v),
        ValueRef::Text(text) => Stored::Text(text),
        ValueRef::Blob(bytes) => Stored::Blob(bytes),
    };
    keyway_sql::read_stored(stored, ty, scale)
}

impl ValueReader for SqliteReader<'_, '_> {
    // Inlined into each field's read, where the column type is a constant and
    // the match folds to the storage classes that type accepts.
    #[inline]
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        if let ColumnType::Struct(fields) = ty {
            // An embedded struct: a column per field.
            return keyway::read_flat_struct(fields, |field| {
                let raw = self.next_raw()?;
                let scale = field.decimal.map_or(0, |(_, scale)| scale);
                value_of(raw, field.ty, scale)
            });
        }
        let raw = self.next_raw()?;
        let scale = match ty {
            ColumnType::Decimal => self.decimal_scale(),
            _ => 0,
        };
        value_of(raw, ty, scale)
    }

    /// Integers straight from SQLite's storage class, without a `Value`; any
    /// other class gives `next_value`'s error.
    #[inline]
    fn next_int(&mut self, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        match self.next_raw()? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(v) => Ok(Some(v)),
            raw => value_of(raw, ty, 0)?.into_int(ty),
        }
    }

    /// Text straight from SQLite's storage class, without a `Value`; any
    /// other class gives `next_value`'s error.
    #[inline]
    fn next_text(&mut self) -> Result<Option<String>, DecodeError> {
        match self.next_raw()? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(text) => Ok(Some(utf8(text)?.to_owned())),
            raw => value_of(raw, ColumnType::Text, 0)?.into_text(),
        }
    }

    /// A document's text lent straight from SQLite's; any other class
    /// gives `next_value`'s error.
    #[inline]
    fn next_json<T>(
        &mut self,
        parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        match self.next_raw()? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(text) => parse(utf8(text)?).map(Some),
            raw => Err(DecodeError::mismatch(
                ColumnType::Json,
                &value_of(raw, ColumnType::Json, 0)?,
            )),
        }
    }

    fn position(&self) -> (&'static str, &str) {
        let i = self.at.saturating_sub(1);
        (self.table.entity, self.selection.column_name(self.table, i))
    }
}
