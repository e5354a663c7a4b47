//! The backend side of a row: a sink of values in column order, and a source
//! of them. An entity never sees these: its `write` and `read` go through
//! [`RowWriter`](crate::RowWriter) and [`RowReader`](crate::RowReader), keyed
//! by its column handles, which keyway checks before handing each value on.

use crate::{ColumnType, DecodeError, Error, Field, Result, Value};

/// Receives a row's values in column order: what a backend implements to
/// encode an entity as [`write_row`](crate::write_row) hands its values on,
/// and what a [`Field`] writes itself to.
pub trait ValueWriter {
    /// Appends one encoded value.
    fn put_value(&mut self, value: Value);

    /// Appends one text value, borrowed. The default copies it into a
    /// [`Value::Text`]; a backend that encodes rows as they are written
    /// (the SQLite and PostgreSQL inserts) overrides it and copies nothing.
    #[inline]
    fn put_text(&mut self, text: &str) {
        self.put_value(Value::Text(text.to_owned()));
    }

    /// Appends one bytes value, borrowed; see [`put_text`](Self::put_text).
    #[inline]
    fn put_bytes(&mut self, bytes: &[u8]) {
        self.put_value(Value::Bytes(bytes.to_vec()));
    }

    /// Appends one field, through [`Field::write`].
    #[inline]
    fn put<T: Field>(&mut self, value: &T) {
        value.write(self);
    }
}

impl ValueWriter for Vec<Value> {
    fn put_value(&mut self, value: Value) {
        self.push(value);
    }
}

/// Yields one row's values in column order: what a backend implements for
/// [`read_row`](crate::read_row) and projections to decode from, and what a
/// [`Field`] reads itself from.
///
/// Backends implement `next_value` and `position`; callers use [`ValueReader::get`].
pub trait ValueReader {
    /// Reads the next column, which the caller expects to hold `ty`.
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError>;

    /// The entity being read and the column last read, for error messages.
    fn position(&self) -> (&'static str, &str);

    /// Reads the next column for an integer field of type `ty` (any integer
    /// type but `u64`): `None` for NULL. The default goes through
    /// [`next_value`](Self::next_value) and [`Value::into_int`]; a backend that
    /// reads integers natively overrides it, with the same errors.
    #[inline]
    fn next_int(&mut self, ty: ColumnType) -> Result<Option<i64>, DecodeError> {
        self.next_value(ty)?.into_int(ty)
    }

    /// Reads the next column for a text field: `None` for NULL. The default
    /// goes through [`next_value`](Self::next_value) and [`Value::into_text`];
    /// a backend that reads text natively overrides it, with the same errors.
    #[inline]
    fn next_text(&mut self) -> Result<Option<String>, DecodeError> {
        self.next_value(ColumnType::Text)?.into_text()
    }

    /// Reads the next column for a JSON document field, handing its text to
    /// `parse`: `None` for NULL. The default goes through
    /// [`next_value`](Self::next_value); a backend that holds the text
    /// already (SQLite, PostgreSQL) lends it without a copy.
    #[inline]
    fn next_json<T>(
        &mut self,
        parse: &mut dyn FnMut(&str) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        match self.next_value(ColumnType::Json)? {
            Value::Null => Ok(None),
            Value::Json(text) => parse(&text).map(Some),
            other => Err(DecodeError::mismatch(ColumnType::Json, &other)),
        }
    }

    /// Reads the next column as a `T`; a mismatch is an [`Error::Decode`] naming
    /// the entity and column.
    #[inline]
    fn get<T: Field>(&mut self) -> Result<T> {
        match T::read(self) {
            Ok(v) => Ok(v),
            Err(source) => Err(decode_error(self, source)),
        }
    }
}

/// The error of a field that did not decode, naming the entity and column;
/// out of line, so that `get` stays small enough to inline into each read.
#[cold]
#[inline(never)]
fn decode_error<R: ValueReader + ?Sized>(row: &R, source: DecodeError) -> Error {
    let (entity, column) = row.position();
    Error::Decode {
        entity,
        column: column.to_owned(),
        source,
    }
}

/// A [`ValueReader`] over values already in memory, for backends whose driver hands
/// back whole rows and for tests.
///
/// ```
/// use keyway::{ValueReader, ValuesReader, Value};
/// let names = ["id", "name"];
/// let mut row = ValuesReader::new("User", &names, vec![Value::I64(7), Value::Null]);
/// assert_eq!(row.get::<i64>().unwrap(), 7);
/// let err = row.get::<String>().unwrap_err();
/// assert_eq!(err.to_string(), "cannot decode column `name` of `User`: unexpected NULL (declare the field as `Option<_>` if it may be absent)");
/// ```
#[derive(Debug)]
pub struct ValuesReader<'a> {
    entity: &'static str,
    names: &'a [&'a str],
    values: std::vec::IntoIter<Value>,
    at: usize,
}

impl<'a> ValuesReader<'a> {
    /// A reader over `values`, named `names` (same order), of `entity`.
    pub fn new(entity: &'static str, names: &'a [&'a str], values: Vec<Value>) -> Self {
        ValuesReader {
            entity,
            names,
            values: values.into_iter(),
            at: 0,
        }
    }
}

impl ValueReader for ValuesReader<'_> {
    fn next_value(&mut self, _ty: ColumnType) -> Result<Value, DecodeError> {
        self.at += 1;
        self.values
            .next()
            .ok_or(DecodeError::MissingColumn(self.at - 1))
    }

    fn position(&self) -> (&'static str, &str) {
        let i = self.at.saturating_sub(1);
        (self.entity, self.names.get(i).copied().unwrap_or("?"))
    }
}

impl crate::TableDef {
    /// Reads one row of this table, each value as its column's type, in
    /// `COLUMNS` order: what a backend hands back when the caller decodes
    /// the row later (rows read together, children read with their
    /// parents).
    ///
    /// ```
    /// use keyway::{Column, ColumnDef, Entity, PrimaryKey, TableDef, Value, ValuesReader};
    /// # pub struct Note { id: i64, body: String }
    /// # impl Note {
    /// #     const ID: Column<Note, i64, PrimaryKey> = Column::new("id");
    /// #     const BODY: Column<Note, String> = Column::new("body");
    /// # }
    /// # impl Entity for Note {
    /// #     type Key = i64;
    /// #     const TABLE: &'static str = "notes";
    /// #     const COLUMNS: &'static [ColumnDef] = &[Note::ID.def(), Note::BODY.def()];
    /// #     fn key(&self) -> i64 { self.id }
    /// #     fn write(&self, row: &mut impl keyway::RowWriter<Self>) {
    /// #         row.put(Note::ID, &self.id);
    /// #         row.put(Note::BODY, &self.body);
    /// #     }
    /// #     fn read(row: &mut impl keyway::RowReader<Self>) -> keyway::Result<Self> {
    /// #         Ok(Note { id: row.get(Note::ID)?, body: row.get(Note::BODY)? })
    /// #     }
    /// # }
    /// let notes = TableDef::of::<Note>();
    /// let names = ["id", "body"];
    /// let mut row = ValuesReader::new("Note", &names, vec![Value::I64(1), Value::Text("hi".into())]);
    /// assert_eq!(notes.read_values(&mut row).unwrap(), [Value::I64(1), Value::Text("hi".into())]);
    /// ```
    pub fn read_values(&self, row: &mut impl ValueReader) -> Result<Vec<Value>> {
        read_typed(row, self.columns.iter().map(|c| c.ty))
    }
}

/// The next values of `row`, one of each type in `types`; a value that does
/// not decode is [`Error::Decode`] naming its column.
pub(crate) fn read_typed(
    row: &mut impl ValueReader,
    types: impl IntoIterator<Item = ColumnType>,
) -> Result<Vec<Value>> {
    types
        .into_iter()
        .map(|ty| {
            row.next_value(ty).map_err(|source| {
                let (entity, column) = row.position();
                Error::Decode {
                    entity,
                    column: column.to_owned(),
                    source,
                }
            })
        })
        .collect()
}
