//! The TTL attribute written beside an entity's expiry column: the expiry
//! in whole Unix seconds ([`keyway::ttl_seconds`]), which DynamoDB's Time
//! to Live reads, while the column keeps its own precision.

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Error, Result, TTL_ATTRIBUTE, TableDef, Value, ttl_seconds};

use crate::connect::Inner;
use crate::marshal::Item;

/// Whether DynamoDB's Time to Live deletes the table's expired items: it
/// has an expiry column and no unique index. A deletion by DynamoDB would
/// not release the records of an item's unique values (keyway's sentinels),
/// so expired items of a table with one are left to
/// [`keyway::Db::purge_expired`], which deletes them as any delete does.
pub(crate) fn deleted_by_dynamodb(table: &TableDef) -> bool {
    table.expires_at_column().is_some() && crate::schema::unique_indexes(table).is_empty()
}

/// Whether the TTL attribute is written: always in a table of the
/// entity's own (whose Time to Live is off when DynamoDB must not delete
/// its items), and in a shared table (whose Time to Live another entity
/// may have turned on) only when DynamoDB may delete them.
pub(crate) fn written(table: &TableDef) -> bool {
    table.layout.is_none() || deleted_by_dynamodb(table)
}

fn dangling(parent: &str, child: &str) -> Error {
    Error::Unsupported {
        backend: "dynamodb",
        detail: format!(
            "a foreign key of `{child}` onto `{parent}`, whose items DynamoDB's Time to Live              deletes: it would delete them without applying ON DELETE to `{child}`; declare no              foreign key onto an entity with an expiry column on DynamoDB"
        ),
    }
}

/// Refuses a table whose foreign keys point at a table whose items
/// DynamoDB's Time to Live deletes (the references would dangle).
pub(crate) async fn refuse_references(inner: &Inner, table: &TableDef) -> Result<()> {
    for fk in table.foreign_keys {
        // A parent in a shared table: Time to Live is the table's; the
        // parent's record says whether DynamoDB deletes its items.
        if let Some(layout) = &fk.parent_layout {
            let parent = crate::shared_table::recorded_entity(inner, layout, fk.parent_table);
            if parent.await?.is_some_and(|p| deleted_by_dynamodb(&p)) {
                return Err(dangling(fk.parent_table, table.name));
            }
            continue;
        }
        let parent = inner.table_name(fk.parent_table);
        match crate::describe_time_to_live::ttl_attribute(inner, &parent).await {
            Ok(Some(_)) => return Err(dangling(fk.parent_table, table.name)),
            Ok(None) => {}
            Err(e) if crate::errors::is_missing_table(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Refuses turning Time to Live on for a table other tables refer to.
pub(crate) async fn refuse_children(inner: &Inner, table: &TableDef) -> Result<()> {
    match crate::references::children(inner, table.name)
        .await?
        .first()
    {
        Some(r) => Err(dangling(table.name, r.child.name)),
        None => Ok(()),
    }
}

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
    if !written(table) {
        return;
    }
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
    if !written(table) {
        return;
    }
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
