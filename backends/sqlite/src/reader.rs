//! Reading rusqlite rows through keyway's `ValueReader`.

use keyway::{ColumnType, DecodeError, Selection, TableDef, Value, ValueReader};
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
        let i = self.at.saturating_sub(1);
        let column = match self.selection {
            // A whole entity: the column at the same place.
            Selection::Entity => self.table.flat().columns.get(i),
            _ => self
                .table
                .sql_column(self.selection.column_name(self.table, i)),
        };
        column.and_then(|c| c.decimal).map_or(0, |(_, scale)| scale)
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

/// A column's value for a field of type `ty`: SQLite's storage class must be
/// one that type is stored as. `scale` is a decimal column's.
#[inline]
fn value_of(raw: ValueRef<'_>, ty: ColumnType, scale: u8) -> Result<Value, DecodeError> {
    Ok(match (raw, ty) {
        (ValueRef::Null, _) => Value::Null,
        (ValueRef::Integer(v), ColumnType::Timestamp) => Value::Timestamp(v),
        (ValueRef::Integer(v), ColumnType::DateTime) => Value::DateTime(v),
        (ValueRef::Integer(v), ColumnType::Time) => Value::Time(v),
        (ValueRef::Integer(v), ColumnType::Date) => {
            Value::Date(i32::try_from(v).map_err(|_| out_of_range(ty, v))?)
        }
        (ValueRef::Integer(v), ColumnType::Decimal) => Value::Decimal(
            keyway::Numeric::new(i128::from(v), scale).ok_or_else(|| out_of_range(ty, v))?,
        ),
        (ValueRef::Integer(v), _) => Value::I64(v),
        (ValueRef::Text(text), ColumnType::Json) => Value::Json(utf8(text)?.to_owned()),
        (ValueRef::Text(text), ColumnType::List(element)) => {
            keyway_sql::list_from_json(utf8(text)?, *element)?
        }
        (ValueRef::Blob(bytes), ColumnType::Uuid) => {
            Value::Uuid(bytes.try_into().map_err(|_| {
                DecodeError::Invalid(format!(
                    "a UUID is 16 bytes, the column holds {}",
                    bytes.len()
                ))
            })?)
        }
        (ValueRef::Real(v), ColumnType::F32 | ColumnType::F64) => Value::F64(v),
        (ValueRef::Text(text), ColumnType::Text) => Value::Text(utf8(text)?.to_owned()),
        (ValueRef::Blob(bytes), ColumnType::Bytes) => Value::Bytes(bytes.to_vec()),
        (ValueRef::Real(_), _) => return Err(wrong(ty, "real")),
        (ValueRef::Text(_), _) => return Err(wrong(ty, "text")),
        (ValueRef::Blob(_), _) => return Err(wrong(ty, "bytes")),
    })
}

fn utf8(text: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(text).map_err(|e| DecodeError::Invalid(e.to_string()))
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

#[cold]
fn out_of_range(expected: ColumnType, v: i64) -> DecodeError {
    DecodeError::OutOfRange {
        expected,
        value: v.to_string(),
    }
}

fn wrong(expected: ColumnType, found: &'static str) -> DecodeError {
    DecodeError::WrongType { expected, found }
}
