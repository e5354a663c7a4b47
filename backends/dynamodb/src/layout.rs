//! Entities in a shared table ([`keyway::Layout`]): the attributes each
//! item carries beside its columns (`PK`, `SK`, `_et`, `{index}PK`,
//! `{index}SK`), rendered from the key templates.
//!
//! A column's value is written into a template as text that sorts as the
//! value does: an integer (and a date or time, stored as one) as 20 digits,
//! zero-padded (`-` and the complement below zero); text and UUIDs as they
//! are. So keys of one template sort in the order of their columns, and a
//! range on the last column of a template is a range on the key.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{
    Error, LAYOUT_PK, LAYOUT_SK, LAYOUT_TYPE, Layout, LayoutIndex, Piece, Result, TableDef, Value,
    layout_pieces,
};

use crate::marshal::Item;

/// The attribute `{index}{part}` (`GSI1PK`), made once per name.
pub(crate) fn attribute(index: &str, part: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let name = format!("{index}{part}");
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    names
        .entry(name.clone())
        .or_insert_with(|| Box::leak(name.into_boxed_str()))
}

/// The layout of `table`, checked once per process ([`Layout::check`]).
pub(crate) fn of(table: &TableDef) -> Result<Option<Layout>> {
    let Some(layout) = table.layout else {
        return Ok(None);
    };
    static CHECKED: OnceLock<Mutex<HashMap<&'static str, Layout>>> = OnceLock::new();
    let checked = CHECKED.get_or_init(Default::default);
    let known = checked
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(table.name)
        .is_some_and(|l| *l == layout);
    if !known {
        layout.check(table)?;
        checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(table.name, layout);
    }
    Ok(Some(layout))
}

/// The name of the table that holds `table`'s items (before the prefix).
pub(crate) fn table_name(table: &TableDef) -> &'static str {
    table.layout.map_or(table.name, |l| l.table)
}

/// The attributes of the table's own key: `PK` and `SK` in a shared
/// table, the key columns otherwise.
pub(crate) fn key_attributes(table: &TableDef) -> Vec<&'static str> {
    match table.layout {
        Some(_) => vec![LAYOUT_PK, LAYOUT_SK],
        None => table.key_columns().map(|c| c.name).collect(),
    }
}

/// The pieces of a template the layout check accepted.
pub(crate) fn pieces(template: &'static str) -> Vec<Piece> {
    layout_pieces(template).unwrap_or_default()
}

/// `value` as template text, or `None` for NULL.
pub(crate) fn text(entity: &'static str, column: &str, value: &Value) -> Result<Option<String>> {
    let number = |n: i128| {
        if n < 0 {
            format!("-{:020}", 100_000_000_000_000_000_000i128 + n)
        } else {
            format!("{n:020}")
        }
    };
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::I16(n) => number(i128::from(*n)),
        Value::I32(n) => number(i128::from(*n)),
        Value::I64(n) | Value::Timestamp(n) | Value::DateTime(n) | Value::Time(n) => {
            number(i128::from(*n))
        }
        Value::Date(n) => number(i128::from(*n)),
        Value::U32(n) => number(i128::from(*n)),
        Value::U64(n) => number(i128::from(*n)),
        Value::Text(s) => s.clone(),
        // As the item stores a UUID (`marshal`): canonical, lower-case.
        Value::Uuid(b) => uuid::Uuid::from_bytes(*b).to_string(),
        other => {
            return Err(Error::Invalid {
                what: "layout",
                detail: format!(
                    "`{entity}.{column}`: a {} value cannot be part of a key template",
                    other.kind()
                ),
            });
        }
    }))
}

/// Renders `template` with the columns' values; `None` when one of them
/// is NULL (the item stays out of that index). A text value holding the
/// first character of the text that follows it in the template is
/// refused: the key could be read two ways, and two rows could share it.
pub(crate) fn render(
    entity: &'static str,
    template: &'static str,
    value_of: &dyn Fn(&str) -> Option<Value>,
) -> Result<Option<String>> {
    let pieces = pieces(template);
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Column(c) => {
                let value = value_of(c).ok_or_else(|| unknown(entity, c, template))?;
                let Some(text) = text(entity, c, &value)? else {
                    return Ok(None);
                };
                if let Some(Piece::Text(next)) = pieces.get(i + 1)
                    && let Some(sep) = next.chars().next()
                    && text.contains(sep)
                {
                    return Err(Error::Invalid {
                        what: "layout",
                        detail: format!(
                            "`{}.{c}` holds `{sep}`, which follows it in the key template \
                             `{template}`: the key could be read two ways; keep `{sep}` out \
                             of the value or change the template",
                            entity
                        ),
                    });
                }
                out.push_str(&text);
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Invalid {
            what: "layout",
            detail: format!(
                "`{entity}`: the key template `{template}` rendered an empty key, which DynamoDB refuses",
            ),
        });
    }
    Ok(Some(out))
}

fn unknown(entity: &str, column: &str, template: &str) -> Error {
    Error::Invalid {
        what: "layout",
        detail: format!(
            "`{entity}`: the key template `{template}` needs `{column}`, which this write does not give"
        ),
    }
}

/// The key item `{PK, SK}` of the row of `layout` with these key values.
pub(crate) fn key_item(
    table: &TableDef,
    layout: &Layout,
    parts: &[(&'static str, Value)],
) -> Result<Item> {
    item_at(table.entity, layout, parts)
}

/// The key item of the parent `fk` references with `value` (a child's
/// attribute), where the parent is in a shared table.
pub(crate) fn parent_key(
    child: &TableDef,
    fk: &keyway::ForeignKeyDef,
    layout: &Layout,
    value: &AttributeValue,
) -> Result<Item> {
    let ty = child
        .column(fk.column)
        .map_or(keyway::ColumnType::Text, |c| c.ty);
    let value =
        crate::marshal::from_attr(Some(value.clone()), ty).map_err(|source| Error::Decode {
            entity: child.entity,
            column: fk.column.to_owned(),
            source,
        })?;
    item_at(fk.parent_table, layout, &[(fk.parent_column, value)])
}

fn item_at(entity: &'static str, layout: &Layout, parts: &[(&'static str, Value)]) -> Result<Item> {
    let value_of = |c: &str| parts.iter().find(|(k, _)| *k == c).map(|(_, v)| v.clone());
    let mut item = Item::with_capacity(2);
    for (attr, template) in [(LAYOUT_PK, layout.partition), (LAYOUT_SK, layout.sort)] {
        let Some(key) = render(entity, template, &value_of)? else {
            return Err(Error::Invalid {
                what: "layout",
                detail: format!("`{entity}`: a key column is NULL"),
            });
        };
        item.insert(attr.to_owned(), AttributeValue::S(key));
    }
    Ok(item)
}

/// The layout attributes of a new item from its row (values in column
/// order): its key, its type, and its place in each index.
pub(crate) fn put(table: &TableDef, row: &[Value], item: &mut Item) -> Result<()> {
    let Some(layout) = of(table)? else {
        return Ok(());
    };
    let value_of = |c: &str| {
        let at = table.columns.iter().position(|d| d.name == c)?;
        row.get(at).cloned()
    };
    let key = table
        .key_columns()
        .map(|c| (c.name, value_of(c.name).unwrap_or(Value::Null)))
        .collect::<Vec<_>>();
    item.extend(key_item(table, &layout, &key)?);
    item.insert(
        LAYOUT_TYPE.to_owned(),
        AttributeValue::S(layout.entity_type.to_owned()),
    );
    for index in layout.indexes {
        for (attr, value) in index_values(table, index, &value_of)? {
            if let Value::Text(v) = value {
                item.insert(attr.to_owned(), AttributeValue::S(v));
            }
        }
    }
    Ok(())
}

/// The two key attributes of `index` and their values: text, or NULL for
/// both when a column is NULL.
fn index_values(
    table: &TableDef,
    index: &LayoutIndex,
    value_of: &dyn Fn(&str) -> Option<Value>,
) -> Result<[(&'static str, Value); 2]> {
    let pk = render(table.entity, index.partition, value_of)?;
    let sk = render(table.entity, index.sort, value_of)?;
    let (pk, sk) = match (pk, sk) {
        (Some(p), Some(s)) => (Value::Text(p), Value::Text(s)),
        _ => (Value::Null, Value::Null),
    };
    Ok([
        (attribute(index.name, "PK"), pk),
        (attribute(index.name, "SK"), sk),
    ])
}

/// The columns a template names, in order.
pub(crate) fn columns(template: &'static str) -> impl Iterator<Item = &'static str> {
    pieces(template).into_iter().filter_map(|p| match p {
        Piece::Column(c) => Some(c),
        Piece::Text(_) => None,
    })
}

/// The columns the templates of `index` name.
pub(crate) fn index_columns(index: &LayoutIndex) -> Vec<&'static str> {
    columns(index.partition)
        .chain(columns(index.sort))
        .collect()
}

/// The indexes of `table`'s layout whose keys an update writing `written`
/// moves, and the columns to read to render them again.
pub(crate) fn moved(table: &TableDef, written: &dyn Fn(&str) -> bool) -> Vec<&'static str> {
    let Some(layout) = table.layout else {
        return Vec::new();
    };
    let mut need: Vec<&'static str> = Vec::new();
    for index in layout.indexes {
        let columns = index_columns(index);
        if columns.iter().any(|c| written(c)) {
            for c in columns {
                if !written(c) && !need.contains(&c) {
                    need.push(c);
                }
            }
        }
    }
    need
}

/// `set` (an update's new values by column) with the index attributes its
/// columns move, rendered from the new values and, for the columns it
/// does not set, `old`'s.
pub(crate) fn beside(
    table: &TableDef,
    old: &dyn Fn(&str) -> Option<Value>,
    set: &mut Vec<(&'static str, Value)>,
) -> Result<()> {
    let Some(layout) = table.layout else {
        return Ok(());
    };
    let mut extra = Vec::new();
    for index in layout.indexes {
        let columns = index_columns(index);
        if !columns.iter().any(|c| set.iter().any(|(s, _)| s == c)) {
            continue;
        }
        let value_of = |c: &str| match set.iter().find(|(s, _)| *s == c) {
            Some((_, v)) => Some(v.clone()),
            None => old(c),
        };
        extra.extend(index_values(table, index, &value_of)?);
    }
    set.extend(extra);
    Ok(())
}

/// The one column of a template with one column, if it has just one.
pub(crate) fn sole_column(template: &'static str) -> Option<&'static str> {
    let mut named = columns(template);
    match (named.next(), named.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The layout index that answers lookups by `column` in place of an index
/// of the entity's own: one whose partition template names only it, and
/// whose sort template names no column that may be NULL (an item with a
/// NULL one is not in the index, where it would be in the entity's own).
pub(crate) fn serving(
    table: &TableDef,
    layout: &Layout,
    column: &str,
) -> Option<&'static LayoutIndex> {
    layout.indexes.iter().find(|i| {
        sole_column(i.partition) == Some(column)
            && index_columns(i)
                .iter()
                .all(|c| *c == column || table.column(c).is_some_and(|d| !d.nullable))
    })
}

/// Every attribute the layout adds to `table`'s items (none without one).
pub(crate) fn attributes(table: &TableDef) -> Vec<&'static str> {
    let Some(layout) = table.layout else {
        return Vec::new();
    };
    let mut out = vec![LAYOUT_PK, LAYOUT_SK, LAYOUT_TYPE];
    for i in layout.indexes {
        out.push(attribute(i.name, "PK"));
        out.push(attribute(i.name, "SK"));
    }
    out
}

/// The leading text of a template (before its first column).
pub(crate) fn leading_text(template: &'static str) -> &'static str {
    match pieces(template).first() {
        Some(Piece::Text(t)) => t,
        _ => "",
    }
}

/// Whether `item` is one of `table`'s (always, for a table of its own).
pub(crate) fn is_of(table: &TableDef, item: &Item) -> bool {
    table.layout.is_none_or(
        |l| matches!(item.get(LAYOUT_TYPE), Some(AttributeValue::S(t)) if *t == l.entity_type),
    )
}

/// `projection` with the type attribute, for reads by key in a shared table.
pub(crate) fn with_type(
    table: &TableDef,
    projection: Option<&[&'static str]>,
) -> Option<Vec<&'static str>> {
    let mut p = projection?.to_vec();
    if table.layout.is_some() && !p.contains(&LAYOUT_TYPE) {
        p.push(LAYOUT_TYPE);
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_as_text() {
        let t = |n: i64| text("T", "n", &Value::I64(n)).unwrap().unwrap();
        let mut values = [i64::MIN, -10, -9, -1, 0, 1, 9, 10, 100, i64::MAX];
        let texts: Vec<String> = values.iter().map(|n| t(*n)).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
        values.reverse();
        assert_eq!(t(7), "00000000000000000007");
        let big = text("T", "n", &Value::U64(u64::MAX)).unwrap().unwrap();
        assert!(big > t(i64::MAX));
        assert_eq!(text("T", "n", &Value::Null).unwrap(), None);
        assert!(text("T", "n", &Value::F64(1.5)).is_err());
        let id = [0x12u8; 16];
        assert_eq!(
            text("T", "n", &Value::Uuid(id)).unwrap().unwrap(),
            "12121212-1212-1212-1212-121212121212"
        );
    }
}
