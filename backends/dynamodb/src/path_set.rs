//! Values set at a path inside a document stored as a native map:
//! `SET #doc.#a.#b = :v`, on the condition that the parent `#doc.#a` is a
//! map (DynamoDB refuses a path through anything else).

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Error, PathSet, Result, TableDef, Value};

use crate::document;
use crate::marshal::Item;
use crate::names::Names;

/// The encoded value of `set`, or the error naming its column.
fn value_of(entity: &'static str, set: &PathSet) -> Result<AttributeValue> {
    if let Value::Unencodable(why) = &set.path {
        return Err(Value::unencodable(entity, set.column, why));
    }
    match &set.value {
        Value::Json(text) => document::to_attr(text).map_err(|detail| Error::OutOfRange {
            entity,
            column: set.column.to_owned(),
            detail,
        }),
        Value::Unencodable(why) => Err(Value::unencodable(entity, set.column, why)),
        other => Err(Value::unencodable(
            entity,
            set.column,
            &format!("a document holds JSON, not a {}", other.kind()),
        )),
    }
}

/// The `SET` clauses of `paths`, and the conditions that each parent is a
/// map, for one UpdateItem.
pub(crate) fn clauses(
    names: &mut Names,
    entity: &'static str,
    paths: &[PathSet],
) -> Result<(Vec<String>, Vec<String>)> {
    let (mut sets, mut conds) = (Vec::new(), Vec::new());
    for set in paths {
        let value = value_of(entity, set)?;
        let keys: Vec<&str> = set.keys().collect();
        let at = names.doc_path(set.column, keys.iter().copied());
        let v = names.attr(value);
        sets.push(format!("{at} = {v}"));
        let parent = names.doc_path(
            set.column,
            keys[..keys.len().saturating_sub(1)].iter().copied(),
        );
        let map = names.attr(AttributeValue::S("M".into()));
        conds.push(format!("attribute_type({parent}, {map})"));
    }
    Ok((sets, conds))
}

/// Applies `paths` to `item` in memory (a transaction's view of it), each
/// document rewritten whole in the item: the new documents as values of
/// their columns, or `None` when a parent is not a map (the item does not
/// match the update).
pub(crate) fn apply(
    table: &TableDef,
    item: &Item,
    paths: &[PathSet],
) -> Result<Option<Vec<(&'static str, Value)>>> {
    let entity = table.entity;
    let mut docs: Vec<(&'static str, AttributeValue)> = Vec::new();
    for set in paths {
        let value = value_of(entity, set)?;
        let at = match docs.iter().position(|(c, _)| *c == set.column) {
            Some(at) => at,
            // A document may be a field of an embedded struct.
            None => match crate::embedded::attr(table, item, set.column) {
                Some(doc) => {
                    docs.push((set.column, doc.clone()));
                    docs.len() - 1
                }
                None => return Ok(None),
            },
        };
        let keys: Vec<&str> = set.keys().collect();
        let Some((last, parents)) = keys.split_last() else {
            return Ok(None);
        };
        let mut node = &mut docs[at].1;
        for key in parents {
            node = match node {
                AttributeValue::M(map) => match map.get_mut(*key) {
                    Some(child) => child,
                    None => return Ok(None),
                },
                _ => return Ok(None),
            };
        }
        let AttributeValue::M(map) = node else {
            return Ok(None);
        };
        map.insert((*last).to_owned(), value);
    }
    docs.into_iter()
        .map(|(column, doc)| {
            document::from_attr(doc)
                .map(|text| (column, Value::Json(text)))
                .map_err(|detail| Error::OutOfRange {
                    entity,
                    column: column.to_owned(),
                    detail,
                })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
