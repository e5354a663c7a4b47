//! Values to DynamoDB attribute values and back, losslessly or not at all.
//!
//! | keyway | DynamoDB |
//! | --- | --- |
//! | `bool` | `BOOL` |
//! | `i8` `i16` `i32` `i64` `u8` `u16` `u32` `u64` | `N`, the decimal digits (the full `u64` range) |
//! | `f32` `f64` | `N`, the shortest decimal that reads back as the same float |
//! | `String` | `S` (empty strings are fine outside keys) |
//! | `Vec<u8>` | `B` (empty bytes are fine outside keys) |
//! | instants, civil date-times, times of day | `N`, microseconds (since 1970-01-01, since midnight): ordered as time |
//! | dates | `N`, days since 1970-01-01 |
//! | UUID | `S`, the canonical hyphenated lower-case text |
//! | decimals | `N`, exact (read back at the column's scale) |
//! | JSON documents | native `M` / `L` / `S` / `N` / `BOOL` / `NULL` |
//! | `None` | no attribute (so that sparse indexes skip it) |
//!
//! DynamoDB numbers hold neither NaN nor the infinities, and only magnitudes
//! from 1e-130 to below 1e126: such floats are refused with
//! [`Error::OutOfRange`], never rounded. -0.0 is refused too: a DynamoDB
//! number is a decimal, which has no negative zero (it would read back as
//! 0.0). An item over DynamoDB's 400 KB is refused the same way, naming its
//! largest attribute (see `item_size`).

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{
    ColumnDef, ColumnType, DecodeError, Entity, Error, Numeric, Result, TableDef, Value,
    ValueReader, ValueWriter,
};

use crate::{document, item_size};

/// One DynamoDB item: attribute name to value.
pub type Item = HashMap<String, AttributeValue>;

fn out_of_range(entity: &'static str, column: &str, detail: String) -> Error {
    Error::OutOfRange {
        entity,
        column: column.to_owned(),
        detail,
    }
}

fn float_text(v: f64, entity: &'static str, column: &str) -> Result<String> {
    if !v.is_finite() {
        return Err(out_of_range(
            entity,
            column,
            format!("{v} cannot be stored: DynamoDB numbers hold no NaN or infinity"),
        ));
    }
    if v == 0.0 && v.is_sign_negative() {
        return Err(out_of_range(
            entity,
            column,
            "-0.0 cannot be stored: DynamoDB numbers are decimals, with no negative zero \
             (it would read back as 0.0)"
                .into(),
        ));
    }
    let magnitude = v.abs();
    if magnitude != 0.0 && !(1e-130..1e126).contains(&magnitude) {
        return Err(out_of_range(
            entity,
            column,
            format!("{v:e} is outside DynamoDB's number range (1e-130 to 1e126)"),
        ));
    }
    // Shortest round-trip form, with a point in the mantissa (`1.0e0`, not
    // `1e0`): the same number to DynamoDB, and the form moto's arithmetic
    // (an update's `#n + :v`) reads as a float rather than failing on.
    let text = format!("{v:e}");
    Ok(match text.split_once('e') {
        Some((mantissa, exp)) if !mantissa.contains('.') => format!("{mantissa}.0e{exp}"),
        _ => text,
    })
}

/// Encodes one value; `None` for `Null`, which is stored as a missing attribute.
pub fn to_attr(value: Value, entity: &'static str, column: &str) -> Result<Option<AttributeValue>> {
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::Bool(b) => AttributeValue::Bool(b),
        Value::I16(v) => AttributeValue::N(v.to_string()),
        Value::I32(v) => AttributeValue::N(v.to_string()),
        Value::I64(v) => AttributeValue::N(v.to_string()),
        Value::U32(v) => AttributeValue::N(v.to_string()),
        Value::U64(v) => AttributeValue::N(v.to_string()),
        // `{:e}` of an f32 is its own shortest round-trip form.
        Value::F32(v) => {
            float_text(f64::from(v), entity, column)?;
            AttributeValue::N(format!("{v:e}"))
        }
        Value::F64(v) => AttributeValue::N(float_text(v, entity, column)?),
        Value::Text(s) => AttributeValue::S(s),
        Value::Bytes(b) => AttributeValue::B(Blob::new(b)),
        Value::Timestamp(us) | Value::DateTime(us) => AttributeValue::N(us.to_string()),
        Value::Time(us) => AttributeValue::N(Value::check_time(entity, column, us)?.to_string()),
        Value::Date(days) => AttributeValue::N(days.to_string()),
        Value::Uuid(bytes) => AttributeValue::S(uuid::Uuid::from_bytes(bytes).to_string()),
        Value::Decimal(n) => AttributeValue::N(n.to_string()),
        Value::Json(text) => {
            document::to_attr(&text).map_err(|detail| out_of_range(entity, column, detail))?
        }
        Value::List(items) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                match to_attr(item, entity, column)? {
                    Some(attr) => list.push(attr),
                    None => {
                        return Err(out_of_range(entity, column, "a list holds no NULL".into()));
                    }
                }
            }
            AttributeValue::L(list)
        }
        Value::Unencodable(why) => return Err(Value::unencodable(entity, column, &why)),
        other => {
            return Err(Error::Unsupported {
                backend: "dynamodb",
                detail: format!("storing a {} value", other.kind()),
            });
        }
    }))
}

/// The number an `N` attribute holds, for a field of type `ty`.
fn number<T: std::str::FromStr>(text: &str, ty: ColumnType) -> Result<T, DecodeError> {
    text.parse().map_err(|_| DecodeError::OutOfRange {
        expected: ty,
        value: text.to_owned(),
    })
}

/// The kind of an attribute value, for decode errors.
pub(crate) fn attr_kind(v: &AttributeValue) -> &'static str {
    match v {
        AttributeValue::S(_) => "a string (S)",
        AttributeValue::N(_) => "a number (N)",
        AttributeValue::B(_) => "binary (B)",
        AttributeValue::Bool(_) => "a boolean (BOOL)",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::L(_) => "a list (L)",
        AttributeValue::M(_) => "a map (M)",
        _ => "a set or an unknown type",
    }
}

#[inline]
fn parse_int(text: &str, ty: ColumnType) -> Result<Value, DecodeError> {
    if let Ok(v) = text.parse::<i64>() {
        Ok(Value::I64(v))
    } else if let Ok(v) = text.parse::<u64>() {
        Ok(Value::U64(v))
    } else {
        Err(DecodeError::OutOfRange {
            expected: ty,
            value: text.to_owned(),
        })
    }
}

/// Decodes one attribute (`None` when absent) as a value of column type `ty`.
pub fn from_attr(attr: Option<AttributeValue>, ty: ColumnType) -> Result<Value, DecodeError> {
    let wrong = |found: &AttributeValue| DecodeError::WrongType {
        expected: ty,
        found: attr_kind(found),
    };
    if let ColumnType::Struct(fields) = ty {
        return match attr {
            None | Some(AttributeValue::Null(_)) => Ok(Value::Null),
            Some(attr) => crate::embedded::from_map(attr, fields),
        };
    }
    match attr {
        // keyway stores NULL as no attribute: a NULL attribute is a JSON
        // document's `null` (or another program's NULL).
        Some(AttributeValue::Null(_)) if ty == ColumnType::Json => Ok(Value::Json("null".into())),
        None | Some(AttributeValue::Null(_)) => Ok(Value::Null),
        Some(AttributeValue::N(n)) => match ty {
            ColumnType::F64 => {
                n.parse::<f64>()
                    .map(Value::F64)
                    .map_err(|_| DecodeError::OutOfRange {
                        expected: ty,
                        value: n.clone(),
                    })
            }
            ColumnType::F32 => {
                n.parse::<f32>()
                    .map(Value::F32)
                    .map_err(|_| DecodeError::OutOfRange {
                        expected: ty,
                        value: n.clone(),
                    })
            }
            t if t.is_integer() => parse_int(&n, ty),
            ColumnType::Timestamp => number(&n, ty).map(Value::Timestamp),
            ColumnType::DateTime => number(&n, ty).map(Value::DateTime),
            ColumnType::Time => number(&n, ty).map(Value::Time),
            ColumnType::Date => number(&n, ty).map(Value::Date),
            ColumnType::Decimal => {
                Numeric::parse(&n)
                    .map(Value::Decimal)
                    .ok_or(DecodeError::OutOfRange {
                        expected: ty,
                        value: n,
                    })
            }
            ColumnType::Json => document::from_attr(AttributeValue::N(n))
                .map(Value::Json)
                .map_err(DecodeError::Invalid),
            _ => Err(wrong(&AttributeValue::N(n))),
        },
        Some(AttributeValue::S(s)) if ty == ColumnType::Uuid => uuid::Uuid::try_parse(&s)
            .map(|u| Value::Uuid(u.into_bytes()))
            .map_err(|e| DecodeError::Invalid(format!("{s:?} is not a UUID: {e}"))),
        Some(attr) if ty == ColumnType::Json => document::from_attr(attr)
            .map(Value::Json)
            .map_err(DecodeError::Invalid),
        Some(AttributeValue::L(items)) => match ty {
            ColumnType::List(element) => items
                .into_iter()
                .map(|item| from_attr(Some(item), *element))
                .collect::<Result<_, _>>()
                .map(Value::List),
            _ => Err(wrong(&AttributeValue::L(items))),
        },
        Some(AttributeValue::S(s)) if ty == ColumnType::Text => Ok(Value::Text(s)),
        Some(AttributeValue::Bool(b)) if ty == ColumnType::Bool => Ok(Value::Bool(b)),
        Some(AttributeValue::B(b)) if ty == ColumnType::Bytes => Ok(Value::Bytes(b.into_inner())),
        Some(other) => Err(wrong(&other)),
    }
}

/// Writes an entity's values straight into an item, skipping `NULL`s. The
/// first value DynamoDB cannot hold is kept as the error.
pub(crate) struct ItemWriter<'t> {
    columns: std::slice::Iter<'t, ColumnDef>,
    item: Item,
    error: Option<Error>,
}

impl<'t> ItemWriter<'t> {
    #[inline]
    pub(crate) fn new(columns: &'t [ColumnDef]) -> Self {
        ItemWriter {
            columns: columns.iter(),
            item: HashMap::with_capacity(columns.len()),
            error: None,
        }
    }

    /// The item; errors name `entity` (only computed when there is one).
    #[inline]
    pub(crate) fn finish(self, entity: impl FnOnce() -> &'static str) -> Result<Item> {
        match self.error {
            None => Ok(self.item),
            Some(Error::OutOfRange { column, detail, .. }) => Err(Error::OutOfRange {
                entity: entity(),
                column,
                detail,
            }),
            Some(Error::Invalid { what, detail }) => Err(Error::Invalid {
                what,
                detail: format!("`{}::write`: {detail}", entity()),
            }),
            Some(other) => Err(other),
        }
    }
}

impl ValueWriter for ItemWriter<'_> {
    #[inline(always)]
    fn put_value(&mut self, value: Value) {
        let Some(col) = self.columns.next() else {
            self.error.get_or_insert(Error::Invalid {
                what: "entity",
                detail: "wrote more values than columns".into(),
            });
            return;
        };
        // The common kinds inline; floats (which can be refused) through `to_attr`.
        let key = col.name.to_owned();
        let attr = match value {
            Value::Null => return,
            Value::Bool(b) => AttributeValue::Bool(b),
            Value::I16(v) => AttributeValue::N(v.to_string()),
            Value::I32(v) => AttributeValue::N(v.to_string()),
            Value::I64(v) => AttributeValue::N(v.to_string()),
            Value::U32(v) => AttributeValue::N(v.to_string()),
            Value::U64(v) => AttributeValue::N(v.to_string()),
            Value::Text(s) => AttributeValue::S(s),
            Value::Bytes(b) => AttributeValue::B(Blob::new(b)),
            // The entity is named by `finish`.
            Value::Decimal(n) => match col.fit_decimal("", n) {
                Ok(n) => AttributeValue::N(n.to_string()),
                Err(e) => {
                    self.error.get_or_insert(e);
                    return;
                }
            },
            other => match crate::embedded::to_attr_of(col, other, "") {
                Ok(Some(attr)) => attr,
                Ok(None) => return,
                Err(e) => {
                    self.error.get_or_insert(e);
                    return;
                }
            },
        };
        self.item.insert(key, attr);
    }
}

/// Encodes whole rows (values in column order) as items to write; an item
/// over DynamoDB's size limit is [`Error::OutOfRange`] naming its largest
/// column.
pub(crate) fn row_to_item(table: &TableDef, row: Vec<Value>) -> Result<Item> {
    let mut w = ItemWriter::new(table.columns);
    let mut ttl = Item::new();
    crate::ttl::put(table, &row, &mut ttl);
    crate::layout::put(table, &row, &mut ttl)?;
    for v in row {
        w.put_value(v);
    }
    let mut item = w.finish(|| table.entity)?;
    item.extend(ttl);
    item_size::check_item(table.entity, &item)?;
    Ok(item)
}

/// Reads the named attributes of an item in order; a missing or wrongly typed
/// attribute is an [`Error::Decode`] naming the entity and column.
pub struct ItemReader<'a> {
    entity: Name,
    columns: Columns<'a>,
    /// The table of a projection's columns, for their declared scales.
    table: Option<&'a TableDef>,
    item: Item,
    at: usize,
}

/// The entity's name, for errors: known, or computed only when needed.
#[derive(Debug, Clone, Copy)]
enum Name {
    Known(&'static str),
    Lazy(fn() -> &'static str),
}

/// The attribute names an [`ItemReader`] reads, in order.
#[derive(Debug, Clone, Copy)]
enum Columns<'a> {
    Defs(&'a [ColumnDef]),
    Names(&'a [&'static str]),
}

impl Columns<'_> {
    fn get(&self, i: usize) -> Option<&'static str> {
        match self {
            Columns::Defs(d) => d.get(i).map(|c| c.name),
            Columns::Names(n) => n.get(i).copied(),
        }
    }
}

impl<'a> ItemReader<'a> {
    /// A reader of `columns` (in that order) from `item`, an item of `entity`.
    pub fn new(entity: &'static str, columns: &'a [&'static str], item: Item) -> Self {
        ItemReader {
            entity: Name::Known(entity),
            columns: Columns::Names(columns),
            table: None,
            item,
            at: 0,
        }
    }

    /// A reader of `columns` of `table` (a projection), each decimal read
    /// back at its column's scale.
    pub(crate) fn projection(table: &'a TableDef, columns: &'a [&'static str], item: Item) -> Self {
        ItemReader {
            table: Some(table),
            ..ItemReader::new(table.entity, columns, item)
        }
    }

    /// A reader of every column of `table`, in `COLUMNS` order.
    pub fn entity(table: &'a TableDef, item: Item) -> Self {
        ItemReader {
            entity: Name::Known(table.entity),
            columns: Columns::Defs(table.columns),
            table: None,
            item,
            at: 0,
        }
    }

    fn lazy(columns: &'a [ColumnDef], item: Item, entity: fn() -> &'static str) -> Self {
        ItemReader {
            entity: Name::Lazy(entity),
            columns: Columns::Defs(columns),
            table: None,
            item,
            at: 0,
        }
    }
}

impl ItemReader<'_> {
    /// `n` at the declared scale of column `at`, when it has one and `n`
    /// fits there.
    fn at_scale(&self, at: usize, n: Numeric) -> Numeric {
        let declared = match self.columns {
            Columns::Defs(defs) => defs.get(at).and_then(|c| c.decimal),
            Columns::Names(names) => names
                .get(at)
                .and_then(|name| self.table?.sql_column(name))
                .and_then(|c| c.decimal),
        };
        declared
            .and_then(|(_, scale)| n.rescale(scale))
            .unwrap_or(n)
    }
}

impl ValueReader for ItemReader<'_> {
    #[inline(always)]
    fn next_value(&mut self, ty: ColumnType) -> Result<Value, DecodeError> {
        let at = self.at;
        self.at += 1;
        let Some(name) = self.columns.get(at) else {
            return Err(DecodeError::MissingColumn(at));
        };
        // The common kinds inline; everything else (and every error) in `from_attr`.
        let attr = match self.table {
            // A projection may name a field of an embedded struct.
            Some(table) => crate::embedded::take(Some(table), &mut self.item, name),
            None => self.item.remove(name),
        };
        match attr {
            None => Ok(Value::Null),
            Some(AttributeValue::S(s)) if ty == ColumnType::Text => Ok(Value::Text(s)),
            Some(AttributeValue::Bool(b)) if ty == ColumnType::Bool => Ok(Value::Bool(b)),
            Some(AttributeValue::N(n)) if ty.is_integer() => match n.parse::<i64>() {
                Ok(v) => Ok(Value::I64(v)),
                Err(_) => from_attr(Some(AttributeValue::N(n)), ty),
            },
            other => match from_attr(other, ty)? {
                // DynamoDB keeps a number's value, not its trailing zeros:
                // read back at the column's scale.
                Value::Decimal(n) => Ok(Value::Decimal(self.at_scale(at, n))),
                value => Ok(value),
            },
        }
    }

    fn position(&self) -> (&'static str, &str) {
        let i = self.at.saturating_sub(1);
        let entity = match self.entity {
            Name::Known(e) => e,
            Name::Lazy(f) => f(),
        };
        (entity, self.columns.get(i).unwrap_or("?"))
    }
}

/// The item of `entity`: every column as an attribute, `None`s left out.
///
/// ```
/// # mod model { include!("../../../examples/todo/model/user.rs"); }
/// # use model::User;
/// use aws_sdk_dynamodb::types::AttributeValue;
/// let item = keyway_dynamodb::to_item(&User { id: 7, name: "Ann".into(), email: "a@x".into() })?;
/// assert_eq!(item["id"], AttributeValue::N("7".into()));
/// let back: User = keyway_dynamodb::from_item(item)?;
/// assert_eq!(back.name, "Ann");
/// # Ok::<(), keyway::Error>(())
/// ```
pub fn to_item<E: Entity>(entity: &E) -> Result<Item> {
    let mut w = ItemWriter::new(E::COLUMNS);
    keyway::write_row(entity, &mut w)?;
    // A field that wrote no value left a column unfilled (one that wrote
    // two is refused by the writer as it runs past the last column).
    if w.columns.len() > 0 {
        TableDef::of::<E>().check_row(E::COLUMNS.len() - w.columns.len())?;
    }
    w.finish(|| TableDef::of::<E>().entity)
}

/// Decodes an entity from an item written by [`to_item`] (or by anyone else).
pub fn from_item<E: Entity>(item: Item) -> Result<E> {
    keyway::read_row(&mut ItemReader::lazy(E::COLUMNS, item, || {
        TableDef::of::<E>().entity
    }))
}
