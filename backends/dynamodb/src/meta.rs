//! Items of `keyway_meta`, keyway's own table: written one at a time, and
//! read a partition (one table's records) at a time, strongly consistent.

use aws_sdk_dynamodb::types::AttributeValue;
use futures::TryStreamExt;
use keyway::{Result, TableDef, Value};

use crate::connect::Inner;
use crate::errors::{self, is_missing_table};
use crate::marshal::Item;
use crate::plan::KeyCond;
use crate::schema::{META_PK, META_SK, META_TABLE};
use crate::{page, query};

/// The key of the record `sort` of `partition`.
pub(crate) fn key(partition: &str, sort: String) -> Item {
    Item::from([
        (META_PK.to_owned(), AttributeValue::S(partition.to_owned())),
        (META_SK.to_owned(), AttributeValue::S(sort)),
    ])
}

/// Writes `item`, a record (`what` names it in the trace).
pub(crate) async fn put(inner: &Inner, item: Item, what: &str) -> Result<()> {
    let meta = inner.table_name(META_TABLE);
    tracing::debug!(
        db.statement = "PutItem",
        table = meta.as_str(),
        record = what
    );
    inner
        .client
        .put_item()
        .table_name(&meta)
        .set_item(Some(item))
        .send()
        .await
        .map_err(|e| errors::map("PutItem", e))?;
    Ok(())
}

/// Deletes the record with `key` (`what` names it in the trace); a
/// missing record or `keyway_meta` is fine.
pub(crate) async fn delete(inner: &Inner, key: Item, what: &str) -> Result<()> {
    let meta = inner.table_name(META_TABLE);
    tracing::debug!(
        db.statement = "DeleteItem",
        table = meta.as_str(),
        record = what
    );
    let sent = inner
        .client
        .delete_item()
        .table_name(&meta)
        .set_key(Some(key))
        .send()
        .await
        .map_err(|e| errors::map("DeleteItem", e));
    match sent {
        Err(e) if !is_missing_table(&e) => Err(e),
        _ => Ok(()),
    }
}

/// Every record of `partition`, with `projection` only when given; none
/// when `keyway_meta` does not exist yet.
pub(crate) async fn records(
    inner: &Inner,
    partition: &str,
    projection: Option<&[&str]>,
) -> Result<Vec<Item>> {
    let meta = inner.table_name(META_TABLE);
    let key = KeyCond {
        index: None,
        partition: (META_PK, Value::Text(partition.to_owned())),
        sort_column: Some(META_SK),
        sort: None,
        orders: None,
        fixed: Vec::new(),
    };
    let def = TableDef {
        entity: "keyway_meta",
        name: META_TABLE,
        columns: &[],
        indexes: &[],
        foreign_keys: &[],
        layout: None,
    };
    let spec = query::QuerySpec {
        table: &meta,
        def: &def,
        key: &key,
        filter: None,
        projection,
        forward: true,
        limit: None,
        count: false,
    };
    match page::pages(query::build(&inner.client, spec)?)
        .try_collect::<Vec<page::Page>>()
        .await
    {
        Ok(pages) => Ok(pages.into_iter().flat_map(|p| p.items).collect()),
        Err(e) if is_missing_table(&e) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
