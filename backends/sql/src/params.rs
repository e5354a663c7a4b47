//! An insert's entities written straight into a statement's parameters:
//! each value as the entity lends it, the `auto` column left out, a write
//! out of `COLUMNS` order, or of the wrong length, refused.

use keyway::{ColumnDef, ColumnType, Entity, Error, Result, TableDef, Value, ValueWriter};

/// Where a backend puts each parameter of an insert (its statement or its
/// request), in order; `column` names the column the value is for.
pub trait ParamSink {
    /// One value.
    fn value(&mut self, column: &'static str, value: Value) -> Result<()>;
    /// One text value, lent by the entity.
    fn text(&mut self, column: &'static str, text: &str) -> Result<()>;
    /// One bytes value, lent by the entity.
    fn bytes(&mut self, column: &'static str, bytes: &[u8]) -> Result<()>;
}

/// Hands every value of `entities` but their `auto` column's to `sink`, row
/// by row in column order: the parameters of an insert as
/// [`insert_planned`](crate::insert_planned) writes it. A `write` in the
/// wrong order ([`keyway::write_row`]) or of the wrong length
/// ([`TableDef::check_row`]) is [`Error::Invalid`]; the first error stops
/// the writing.
pub fn write_params<E: Entity>(
    table: &TableDef,
    entities: &[E],
    sink: &mut impl ParamSink,
) -> Result<()> {
    ParamLayout::of(table).write(entities, sink)
}

/// Where each column of `table` goes among a statement's parameters,
/// worked out once: a backend that binds many statements of one table (a
/// save's) keeps it beside the statement's text.
#[derive(Debug, Clone, Copy)]
pub struct ParamLayout {
    table: TableDef,
    /// The table's SQL columns: an embedded struct's fields each in one.
    flat: &'static [ColumnDef],
    /// The `auto` column, left out.
    auto: Option<usize>,
}

impl ParamLayout {
    /// The layout of `table`'s parameters.
    pub fn of(table: &TableDef) -> Self {
        ParamLayout {
            table: *table,
            flat: table.flat().columns,
            auto: table.auto_column().map(|(i, _)| i),
        }
    }

    /// The table whose parameters these are.
    pub fn table(&self) -> &TableDef {
        &self.table
    }

    /// Hands every value of `entities` to `sink`, as [`write_params`] does.
    pub fn write<E: Entity>(&self, entities: &[E], sink: &mut impl ParamSink) -> Result<()> {
        let mut writer = Writer {
            sink,
            table: &self.table,
            flat: self.flat,
            auto: self.auto,
            column: 0,
            leaf: 0,
            error: None,
        };
        for entity in entities {
            writer.column = 0;
            writer.leaf = 0;
            keyway::write_row(entity, &mut writer)?;
            if let Some(error) = writer.error.take() {
                return Err(error);
            }
            self.table.check_row(writer.column)?;
        }
        Ok(())
    }
}

/// Counts the columns an entity writes and passes each parameter on; the
/// first error is kept, and nothing more is passed on after it.
struct Writer<'w, S> {
    sink: &'w mut S,
    table: &'w TableDef,
    /// The table's SQL columns: an embedded struct's fields each in one.
    flat: &'static [ColumnDef],
    auto: Option<usize>,
    /// Columns written so far of the current entity.
    column: usize,
    /// SQL columns passed so far of the current entity.
    leaf: usize,
    error: Option<Error>,
}

impl<S: ParamSink> Writer<'_, S> {
    /// Passes the next column's value on through `put`, unless it is the
    /// `auto` column, lies past the last column, or an error came first.
    #[inline]
    fn put(&mut self, put: impl FnOnce(&mut S, &'static str) -> Result<()>) {
        let at = self.column;
        self.column += 1;
        let leaf = self.leaf;
        self.leaf += 1;
        if Some(at) == self.auto || self.error.is_some() {
            return;
        }
        if let Some(column) = self.flat.get(leaf)
            && let Err(error) = put(self.sink, column.name)
        {
            self.error = Some(error);
        }
    }

    /// Passes each field of an embedded struct on, as a column of its own.
    #[cold]
    fn put_struct(&mut self, fields: &[ColumnDef], value: Value) {
        self.column += 1;
        let mut leaf = self.leaf;
        self.leaf += fields.len();
        keyway::flatten_struct(fields, value, |v| {
            if self.error.is_none()
                && let Some(column) = self.flat.get(leaf)
                && let Err(error) = self.sink.value(column.name, v)
            {
                self.error = Some(error);
            }
            leaf += 1;
        });
    }
}

impl<S: ParamSink> ValueWriter for Writer<'_, S> {
    fn put_value(&mut self, value: Value) {
        if let Some(ColumnDef {
            ty: ColumnType::Struct(fields),
            ..
        }) = self.table.columns.get(self.column)
        {
            return self.put_struct(fields, value);
        }
        self.put(|sink, column| sink.value(column, value));
    }

    fn put_text(&mut self, text: &str) {
        self.put(|sink, column| sink.text(column, text));
    }

    fn put_bytes(&mut self, bytes: &[u8]) {
        self.put(|sink, column| sink.bytes(column, bytes));
    }
}
