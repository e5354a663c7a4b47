//! An insert's entities written straight into a statement's parameters:
//! each value as the entity lends it, the `auto` column left out, a write
//! out of `COLUMNS` order, or of the wrong length, refused.

use keyway::{Entity, Error, Result, TableDef, Value, ValueWriter};

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
    let mut writer = Writer {
        sink,
        table,
        auto: table.auto_column().map(|(i, _)| i),
        column: 0,
        error: None,
    };
    for entity in entities {
        writer.column = 0;
        keyway::write_row(entity, &mut writer)?;
        if let Some(error) = writer.error.take() {
            return Err(error);
        }
        table.check_row(writer.column)?;
    }
    Ok(())
}

/// Counts the columns an entity writes and passes each parameter on; the
/// first error is kept, and nothing more is passed on after it.
struct Writer<'w, S> {
    sink: &'w mut S,
    table: &'w TableDef,
    auto: Option<usize>,
    /// Columns written so far of the current entity.
    column: usize,
    error: Option<Error>,
}

impl<S: ParamSink> Writer<'_, S> {
    /// Passes the next column's value on through `put`, unless it is the
    /// `auto` column, lies past the last column, or an error came first.
    #[inline]
    fn put(&mut self, put: impl FnOnce(&mut S, &'static str) -> Result<()>) {
        let at = self.column;
        self.column += 1;
        if Some(at) == self.auto || self.error.is_some() {
            return;
        }
        if let Some(column) = self.table.columns.get(at)
            && let Err(error) = put(self.sink, column.name)
        {
            self.error = Some(error);
        }
    }
}

impl<S: ParamSink> ValueWriter for Writer<'_, S> {
    fn put_value(&mut self, value: Value) {
        self.put(|sink, column| sink.value(column, value));
    }

    fn put_text(&mut self, text: &str) {
        self.put(|sink, column| sink.text(column, text));
    }

    fn put_bytes(&mut self, bytes: &[u8]) {
        self.put(|sink, column| sink.bytes(column, bytes));
    }
}
