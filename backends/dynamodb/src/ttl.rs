//! The TTL attribute written beside an entity's expiry column: the expiry
//! in whole Unix seconds ([`keyway::ttl_seconds`]), which DynamoDB's Time
//! to Live reads, while the column keeps its own precision.

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{TTL_ATTRIBUTE, TableDef, Value, ttl_seconds};

use crate::marshal::Item;

/// The TTL attribute's value for the expiry `value`: whole seconds, or
/// NULL (the attribute removed) when the row does not expire.
pub(crate) fn seconds(value: &Value) -> Value {
    ttl_seconds(value).map_or(Value::Null, Value::I64)
}

/// The TTL attribute of a new item from its row (values in column order).
pub(crate) fn put(table: &TableDef, row: &[Value], item: &mut Item) {
    let Some((at, _)) = table.expires_at_column() else {
        return;
    };
    if let Some(s) = row.get(at).and_then(ttl_seconds) {
        item.insert(TTL_ATTRIBUTE.to_owned(), AttributeValue::N(s.to_string()));
    }
}

/// `set` (an update's new values by column) with the TTL attribute's new
/// value beside the expiry column's, when that is set.
pub(crate) fn beside(table: &TableDef, set: &mut Vec<(&'static str, Value)>) {
    let Some((_, column)) = table.expires_at_column() else {
        return;
    };
    let value = set
        .iter()
        .find(|(c, _)| *c == column.name)
        .map(|(_, v)| seconds(v));
    if let Some(v) = value {
        set.retain(|(c, _)| *c != TTL_ATTRIBUTE);
        set.push((TTL_ATTRIBUTE, v));
    }
}

/// Whether `column` is the table's expiry column.
pub(crate) fn is_expiry(table: &TableDef, column: &str) -> bool {
    table
        .expires_at_column()
        .is_some_and(|(_, c)| c.name == column)
}
