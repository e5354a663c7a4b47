//! What `Entity::write` and `Entity::read` see: a row keyed by the entity's
//! own column handles, checked against `COLUMNS` before any value moves.

use crate::{Column, ColumnDef, Entity, Error, Field, IndexKind, Marker, Result, TableDef};
use crate::{ValueReader, ValueWriter};
use std::marker::PhantomData;

/// A column handle of entity `E`: what [`RowWriter::put`] and
/// [`RowReader::get`] take, so that a column of another entity does not
/// compile there. Implemented by [`Column<E, T, K>`](Column).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{E}`",
    label = "a column of another entity",
    note = "`{E}::write` and `{E}::read` take the column handles declared for `{E}` (`Column<{E}, _, _>`)"
)]
pub trait ColumnOf<E>: Copy + sealed::Sealed {
    /// The Rust type the column holds.
    type Value: Send + Sync + 'static;
    /// The column's schema entry.
    fn column_def(&self) -> ColumnDef;
    /// Writes `value` as the next column of `row` (one value); an embedded
    /// struct whose `write` is wrong is [`Error::Invalid`].
    #[doc(hidden)]
    fn write_value<W: ValueWriter + ?Sized>(&self, value: &Self::Value, row: &mut W) -> Result<()>;
    /// Reads the next column of `row`.
    #[doc(hidden)]
    fn read_value<R: ValueReader + ?Sized>(&self, row: &mut R) -> Result<Self::Value>;
}

/// Only keyway's [`Column`] and [`Embed`](crate::Embed) are [`ColumnOf`]:
/// their value type and their definition always agree.
pub(crate) mod sealed {
    pub trait Sealed {}
    impl<E, T, K> Sealed for crate::Column<E, T, K> {}
}

impl<E, T: Field, K: IndexKind> ColumnOf<E> for Column<E, T, K> {
    type Value = T;
    #[inline(always)]
    fn column_def(&self) -> ColumnDef {
        self.def()
    }
    #[inline(always)]
    fn write_value<W: ValueWriter + ?Sized>(&self, value: &T, row: &mut W) -> Result<()> {
        row.put(value);
        Ok(())
    }
    #[inline(always)]
    fn read_value<R: ValueReader + ?Sized>(&self, row: &mut R) -> Result<T> {
        row.get()
    }
}

/// Where [`Entity::write`] puts its fields: one [`put`](Self::put) per
/// column, through the column's handle.
///
/// The handle carries the entity and the value's type, so a field put
/// through a column of another type, or a column of another entity, does
/// not compile. keyway checks each handle against `COLUMNS` as it comes:
/// a `write` that puts its columns in another order than `COLUMNS`, puts
/// one twice or leaves one out is [`Error::Invalid`] naming the column, and
/// nothing is sent.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); }
/// # use model::User;
/// let mut values = Vec::new();
/// keyway::write_row(&User { id: 7, name: "Ann".into(), email: "ann@example.com".into() }, &mut values)?;
/// assert_eq!(values[1], keyway::Value::Text("Ann".into()));
/// # Ok::<(), keyway::Error>(())
/// ```
pub trait RowWriter<E: Entity> {
    /// Puts `value` as the value of `column`.
    fn put<C: ColumnOf<E>>(&mut self, column: C, value: &C::Value);
}

/// Where [`Entity::read`] gets its fields from: one [`get`](Self::get) per
/// column, through the column's handle, returning the column's type.
///
/// A `read` that gets its columns in another order than `COLUMNS`, or
/// leaves one out, is [`Error::Invalid`] naming the column, never a value
/// of another column (even when the `read` goes on past a refused `get`).
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); }
/// # use model::User;
/// use keyway::{Value, ValuesReader};
/// let names = ["id", "name", "email"];
/// let values = vec![Value::I64(7), Value::Text("Ann".into()), Value::Text("ann@example.com".into())];
/// let ann: User = keyway::read_row(&mut ValuesReader::new("User", &names, values))?;
/// assert_eq!(ann.name, "Ann");
/// # Ok::<(), keyway::Error>(())
/// ```
pub trait RowReader<E: Entity> {
    /// Reads the value of `column`; a stored value that does not fit its
    /// type is [`Error::Decode`] naming the entity and column.
    fn get<C: ColumnOf<E>>(&mut self, column: C) -> Result<C::Value>;
}

/// Runs `entity`'s [`Entity::write`] into `row`, checking each column it
/// puts against `E::COLUMNS`: a column out of `COLUMNS` order, one that
/// `COLUMNS` does not list, or a missing one is [`Error::Invalid`] naming it.
/// The values of a refused write may have reached `row` in part: a backend
/// stores nothing of it. (Whether each column's [`Field::write`] wrote
/// exactly one value is the backend's to check, as it counts the values it
/// takes: [`TableDef::check_row`].)
#[inline(always)]
pub fn write_row<E: Entity, W: ValueWriter + ?Sized>(entity: &E, row: &mut W) -> Result<()> {
    let mut fields = Fields::<E, W>::new(row);
    entity.write(&mut fields);
    if let Some(error) = fields.error {
        return Err(error);
    }
    match fields.wrong {
        None if fields.at == E::COLUMNS.len() => Ok(()),
        None => Err(missing::<E>(Side::Write, fields.at)),
        Some((at, column)) => Err(misplaced::<E>(Side::Write, at, column)),
    }
}

/// Runs [`Entity::read`] over `row`, checking each column it gets against
/// `E::COLUMNS`: a column out of `COLUMNS` order is [`Error::Invalid`]
/// naming it, before its value is read, and so is a `read` that left a
/// column out or went on after a refused `get`.
#[inline(always)]
pub fn read_row<E: Entity, R: ValueReader + ?Sized>(row: &mut R) -> Result<E> {
    let mut fields = Fields::<E, R>::new(row);
    let entity = E::read(&mut fields)?;
    match fields.wrong {
        None if fields.at == E::COLUMNS.len() => Ok(entity),
        None => Err(missing::<E>(Side::Read, fields.at)),
        Some((at, column)) => Err(misplaced::<E>(Side::Read, at, column)),
    }
}

/// `entity`'s values in column order, through [`write_row`]; a column
/// whose [`Field::write`] wrote other than one value is [`Error::Invalid`]
/// ([`TableDef::check_row`]).
pub(crate) fn values_of<E: Entity>(entity: &E) -> Result<Vec<crate::Value>> {
    let mut values = Vec::with_capacity(E::COLUMNS.len());
    write_row(entity, &mut values)?;
    TableDef::of::<E>().check_row(values.len())?;
    Ok(values)
}

/// `entity`'s values in `columns`, by name; a name the entity lacks is
/// [`Error::Invalid`] about `what`.
pub(crate) fn values_at<'c, E: Entity>(
    entity: &E,
    columns: impl IntoIterator<Item = &'c str>,
    what: &'static str,
) -> Result<Vec<crate::Value>> {
    let table = TableDef::of::<E>();
    let row = values_of(entity)?;
    columns
        .into_iter()
        .map(|column| {
            let at = table.columns.iter().position(|c| c.name == column);
            at.and_then(|i| row.get(i).cloned())
                .ok_or_else(|| Error::Invalid {
                    what,
                    detail: format!("`{}` has no column `{column}`", table.entity),
                })
        })
        .collect()
}

/// The one implementation of [`RowWriter`] and [`RowReader`]: counts the
/// columns and hands each value on to (or takes it from) the backend's row.
struct Fields<'r, E, R: ?Sized> {
    row: &'r mut R,
    at: usize,
    /// The first column put or got out of place: its position and definition.
    wrong: Option<(usize, ColumnDef)>,
    /// The first column whose value could not be written (an embedded
    /// struct's `write` out of order).
    error: Option<Error>,
    _entity: Marker<E>,
}

impl<'r, E: Entity, R: ?Sized> Fields<'r, E, R> {
    #[inline(always)]
    fn new(row: &'r mut R) -> Self {
        Fields {
            row,
            at: 0,
            wrong: None,
            error: None,
            _entity: PhantomData,
        }
    }

    /// Counts a column and says whether it is the one `COLUMNS` has there:
    /// a comparison of two numbers computed when both definitions were
    /// built ([`ColumnDef::same_column`]).
    #[inline(always)]
    fn expect(&mut self, column: &ColumnDef) -> Option<usize> {
        let at = self.at;
        self.at += 1;
        match E::COLUMNS.get(at) {
            Some(def) if def.same_column(column) => None,
            _ => Some(at),
        }
    }
}

impl<E: Entity, W: ValueWriter + ?Sized> RowWriter<E> for Fields<'_, E, W> {
    #[inline(always)]
    fn put<C: ColumnOf<E>>(&mut self, column: C, value: &C::Value) {
        let def = column.column_def();
        match self.expect(&def) {
            None => {
                if let Err(error) = column.write_value(value, self.row) {
                    self.error.get_or_insert(error);
                }
            }
            Some(at) => {
                self.wrong.get_or_insert((at, def));
            }
        }
    }
}

impl<E: Entity, R: ValueReader + ?Sized> RowReader<E> for Fields<'_, E, R> {
    #[inline(always)]
    fn get<C: ColumnOf<E>>(&mut self, column: C) -> Result<C::Value> {
        let def = column.column_def();
        match self.expect(&def) {
            None => column.read_value(self.row),
            Some(at) => {
                self.wrong.get_or_insert((at, def));
                Err(misplaced::<E>(Side::Read, at, def))
            }
        }
    }
}

/// Which of the entity's methods a refused column came from, and the words
/// its errors use.
#[derive(Clone, Copy)]
enum Side {
    Write,
    Read,
}

impl Side {
    /// The method, its past tense and the verb that names the fix.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Side::Write => ("write", "put", "put"),
            Side::Read => ("read", "got", "get"),
        }
    }
}

/// The error of a column put or got where `COLUMNS` has another.
#[cold]
#[inline(never)]
fn misplaced<E: Entity>(side: Side, at: usize, column: ColumnDef) -> Error {
    let (method, verb, fix) = side.words();
    let table = TableDef::of::<E>();
    let entity = table.entity;
    let name = column.name;
    let listed = E::COLUMNS.iter().position(|c| c.name == name);
    let detail = match (E::COLUMNS.get(at), listed) {
        (_, None) => format!(
            "`{entity}::{method}` {verb} column `{name}`, which `{entity}::COLUMNS` does not list: add its `.def()` to `COLUMNS`"
        ),
        (Some(def), Some(i)) if i == at => format!(
            "`{entity}::{method}` {verb} column `{name}` as {:?}{}, but `{entity}::COLUMNS` declares it as {:?}{}: build `COLUMNS` from the same handle with `.def()`",
            column.ty,
            if column.nullable { " (nullable)" } else { "" },
            def.ty,
            if def.nullable { " (nullable)" } else { "" },
        ),
        (Some(def), Some(_)) => format!(
            "`{entity}::{method}` {verb} column `{name}` where `{entity}::COLUMNS` has `{}` (position {at}): {fix} the columns in `COLUMNS` order, each once",
            def.name,
        ),
        (None, Some(_)) => format!(
            "`{entity}::{method}` {verb} column `{name}` a second time ({verb} {} columns, `{entity}::COLUMNS` has {}): {fix} each column once",
            at + 1,
            E::COLUMNS.len(),
        ),
    };
    Error::Invalid {
        what: "entity",
        detail,
    }
}

/// The error of a `write` or `read` that left columns out, after `done`
/// columns in order.
#[cold]
#[inline(never)]
fn missing<E: Entity>(side: Side, done: usize) -> Error {
    let (method, verb, fix) = side.words();
    let table = TableDef::of::<E>();
    let names: Vec<_> = E::COLUMNS
        .get(done..)
        .unwrap_or_default()
        .iter()
        .map(|c| format!("`{}`", c.name))
        .collect();
    Error::Invalid {
        what: "entity",
        detail: format!(
            "`{}::{method}` {verb} {done} of {} columns: {} not {verb}; {fix} every column `{}::COLUMNS` lists",
            table.entity,
            E::COLUMNS.len(),
            names.join(", "),
            table.entity,
        ),
    }
}
