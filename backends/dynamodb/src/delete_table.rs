//! DeleteTable: drops a table (a missing one is fine), waits until it is gone,
//! clears its counter and sentinels from the managed table, and forgets its
//! foreign keys. The references other tables record onto it are kept: those
//! tables still declare them.

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Result, TableDef};

use crate::connect::Inner;
use crate::describe_table::wait_gone;
use crate::errors::{self, is_missing_table};
use crate::marshal::Item;
use crate::references::REF_PREFIX;
use crate::schema::{META_PK, META_SK, META_TABLE};

/// Drops `table`'s DynamoDB table.
pub(crate) async fn drop(inner: &Inner, table: TableDef) -> Result<()> {
    match crate::layout::of(&table)? {
        Some(layout) => crate::shared_table::drop(inner, table, layout).await?,
        None => delete_physical(inner, &inner.table_of(&table)).await?,
    }
    clear_meta(inner, table.name).await?;
    crate::references::unregister(inner, &table).await
}

/// Deletes the DynamoDB table called `name` and waits until it is gone;
/// a missing table is fine.
pub(crate) async fn delete_physical(inner: &Inner, name: &str) -> Result<()> {
    tracing::debug!(db.statement = "DeleteTable", table = name);
    match inner.client.delete_table().table_name(name).send().await {
        Ok(_) => wait_gone(&inner.client, name).await,
        Err(e) => {
            let e = errors::map("DeleteTable", e);
            if is_missing_table(&e) { Ok(()) } else { Err(e) }
        }
    }
}

/// Deletes the managed items of `table` (its counter and sentinels).
async fn clear_meta(inner: &Inner, table: &str) -> Result<()> {
    clear_meta_where(inner, table, |k| !k.starts_with(REF_PREFIX)).await
}

/// Deletes the managed items of `table` whose sort key `which` accepts.
pub(crate) async fn clear_meta_where(
    inner: &Inner,
    table: &str,
    which: impl Fn(&str) -> bool,
) -> Result<()> {
    let meta = inner.table_name(META_TABLE);
    let found = crate::meta::records(inner, table, Some(&[META_PK, META_SK])).await?;
    let keys = found
        .into_iter()
        .filter(|k: &Item| matches!(k.get(META_SK), Some(AttributeValue::S(s)) if which(s)))
        .collect();
    crate::batch_write_item::delete_keys(inner, &meta, keys).await
}
