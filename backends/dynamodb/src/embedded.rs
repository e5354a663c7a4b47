//! Embedded structs as native maps: a struct column is one `M` attribute
//! holding a key per field that is not `None`; a field is addressed as the
//! document path `#column.#field`.

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{ColumnDef, ColumnType, DecodeError, Error, Result, TableDef, Value};

use crate::marshal::{Item, from_attr, to_attr};

/// Encodes `value` for the column `def`: an embedded struct as a map, a
/// decimal at the column's scale, anything else as [`to_attr`] does.
pub(crate) fn to_attr_of(
    def: &ColumnDef,
    value: Value,
    entity: &'static str,
) -> Result<Option<AttributeValue>> {
    match (def.ty, value) {
        (ColumnType::Struct(fields), Value::Struct(values)) if values.len() == fields.len() => {
            let mut map = Item::with_capacity(fields.len());
            for (field, value) in fields.iter().zip(values) {
                let attr = to_attr_of(field, value, entity)
                    .map_err(|e| e.in_column(format!("{}.{}", def.name, field.name)))?;
                if let Some(attr) = attr {
                    map.insert(field.name.to_owned(), attr);
                }
            }
            Ok(Some(AttributeValue::M(map)))
        }
        (ColumnType::Struct(_), Value::Null) => Ok(None),
        (ColumnType::Struct(_), Value::Unencodable(why)) => {
            Err(Value::unencodable(entity, def.name, &why))
        }
        (ColumnType::Struct(fields), value) => Err(Error::OutOfRange {
            entity,
            column: def.name.to_owned(),
            detail: format!(
                "an embedded struct of {} fields cannot hold a {} value",
                fields.len(),
                value.kind()
            ),
        }),
        (_, Value::Decimal(n)) if def.decimal.is_some() => {
            let n = def.fit_decimal(entity, n)?;
            Ok(Some(AttributeValue::N(n.to_string())))
        }
        (_, value) => to_attr(value, entity, def.name),
    }
}

/// Decodes a map attribute into the struct of `fields`: a key per field,
/// a missing one `Null`; a decimal at its field's scale.
pub(crate) fn from_map(attr: AttributeValue, fields: &[ColumnDef]) -> Result<Value, DecodeError> {
    let AttributeValue::M(mut map) = attr else {
        return Err(DecodeError::WrongType {
            expected: ColumnType::Struct(&[]),
            found: crate::marshal::attr_kind(&attr),
        });
    };
    let mut values = Vec::with_capacity(fields.len());
    for field in fields {
        let value = from_attr(map.remove(field.name), field.ty)?;
        values.push(match (value, field.decimal) {
            (Value::Decimal(n), Some((_, scale))) => Value::Decimal(n.rescale(scale).unwrap_or(n)),
            (value, _) => value,
        });
    }
    Ok(Value::Struct(values))
}

/// The attribute of `item` that SQL column `column` of `table` is stored
/// in: a top-level attribute, or a field inside an embedded struct's map.
pub(crate) fn attr<'i>(
    table: &TableDef,
    item: &'i Item,
    column: &str,
) -> Option<&'i AttributeValue> {
    match field_of(Some(table), column) {
        None => item.get(column),
        Some((whole, field)) => match item.get(whole.name)? {
            AttributeValue::M(map) => map.get(field.name),
            _ => None,
        },
    }
}

/// The embedded struct column and field that `column` names, by the
/// schema: a declared column is a top-level attribute, whatever an item
/// holds.
fn field_of(
    table: Option<&TableDef>,
    column: &str,
) -> Option<(&'static ColumnDef, &'static ColumnDef)> {
    let table = table?;
    match table.column(column) {
        Some(_) => None,
        None => table.embedded_field(column),
    }
}

/// Takes the attribute of `column` out of `item`, as [`attr`] finds it.
pub(crate) fn take(
    table: Option<&TableDef>,
    item: &mut Item,
    column: &str,
) -> Option<AttributeValue> {
    match field_of(table, column) {
        None => item.remove(column),
        Some((whole, field)) => match item.get_mut(whole.name)? {
            AttributeValue::M(map) => map.remove(field.name),
            _ => None,
        },
    }
}

/// Encodes `value` for `column` of `table` (a column, or a field of an
/// embedded struct by its SQL name), as [`to_attr_of`] does; a field's
/// error names it `column.field`.
pub(crate) fn encode(
    table: &TableDef,
    column: &str,
    value: Value,
) -> Result<Option<AttributeValue>> {
    if let Some(def) = table.column(column) {
        return to_attr_of(def, value, table.entity);
    }
    match table.embedded_field(column) {
        // A field, named `column.field` as on every backend.
        Some((whole, field)) => to_attr_of(field, value, table.entity)
            .map_err(|e| e.in_column(format!("{}.{}", whole.name, field.name))),
        None => to_attr(value, table.entity, column),
    }
}

/// Sets (or, for `None`, removes) the attribute of `column` in `item`: a
/// top-level attribute, or a field inside an embedded struct's map (which
/// is there: only a struct that is not optional has its fields set alone).
pub(crate) fn put(table: &TableDef, item: &mut Item, column: &str, attr: Option<AttributeValue>) {
    if let Some((whole, field)) = field_of(Some(table), column) {
        let map = item
            .entry(whole.name.to_owned())
            .or_insert_with(|| AttributeValue::M(Item::new()));
        if let AttributeValue::M(map) = map {
            match attr {
                Some(a) => map.insert(field.name.to_owned(), a),
                None => map.remove(field.name),
            };
        }
        return;
    }
    match attr {
        Some(a) => item.insert(column.to_owned(), a),
        None => item.remove(column),
    };
}
