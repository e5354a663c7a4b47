//! Auto keys: an atomic counter per table, never colliding under concurrent
//! inserts from any number of processes.
//!
//! The counter is an item of the managed `keyway_meta` table (partition: the
//! table's name, sort: `counter`). An insert of `n` rows adds `n` to it with
//! one UpdateItem (`ADD`, `ReturnValues=UPDATED_NEW`) and takes the block
//! `new - n + 1 ..= new`: DynamoDB applies each ADD atomically, so no two
//! blocks overlap. Keys start at 1; a rolled-back or failed insert leaves a
//! gap, as SQL sequences do.

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Error, InsertStmt, Result, TableDef, Value};

use crate::connect::Inner;
use crate::marshal::Item;
use crate::schema::{META_COUNTER, META_PK, META_SK, META_TABLE};
use crate::update_item::add;

/// Takes `n` new keys of `table`, in increasing order.
pub(crate) async fn allocate(inner: &Inner, table: &TableDef, n: usize) -> Result<Vec<Value>> {
    let key = Item::from([
        (META_PK.to_owned(), AttributeValue::S(table.name.to_owned())),
        (META_SK.to_owned(), AttributeValue::S("counter".to_owned())),
    ]);
    let count = n as u64;
    let last = add(
        &inner.client,
        &inner.table_name(META_TABLE),
        key,
        META_COUNTER,
        count,
    )
    .await?;
    let first = last + 1 - u128::from(count);
    (first..=last)
        .map(|k| {
            i64::try_from(k)
                .map(Value::I64)
                .or_else(|_| u64::try_from(k).map(Value::U64))
                .map_err(|_| Error::OutOfRange {
                    entity: table.entity,
                    column: "auto key".into(),
                    detail: format!("the counter reached {k}"),
                })
        })
        .collect()
}

/// Moves the counter of `table` to at least `past` (the largest key rows
/// brought themselves), never back: one conditional UpdateItem, whose
/// failed condition means the counter is already there. Generated keys
/// then never collide with given ones.
pub(crate) async fn advance_past(inner: &Inner, table: &TableDef, past: &Value) -> Result<()> {
    let past = match past {
        Value::I64(v) if *v <= 0 => return Ok(()),
        Value::I64(v) => v.to_string(),
        Value::U64(v) => v.to_string(),
        other => {
            return Err(Error::Invalid {
                what: "key",
                detail: format!(
                    "`{}`: a given auto key must be an integer, not {other:?}",
                    table.entity
                ),
            });
        }
    };
    let key = Item::from([
        (META_PK.to_owned(), AttributeValue::S(table.name.to_owned())),
        (META_SK.to_owned(), AttributeValue::S("counter".to_owned())),
    ]);
    let meta = inner.table_name(META_TABLE);
    tracing::debug!(db.statement = "UpdateItem SET counter", table = %meta);
    let sent = inner
        .client
        .update_item()
        .table_name(meta)
        .set_key(Some(key))
        .update_expression("SET #n = :k")
        .condition_expression("attribute_not_exists(#n) OR #n < :k")
        .expression_attribute_names("#n", META_COUNTER)
        .expression_attribute_values(":k", AttributeValue::N(past))
        .send()
        .await;
    match sent.map_err(|e| crate::errors::map("UpdateItem", e)) {
        Ok(_) | Err(Error::ConditionFailed) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Inserts with given keys: the counter moved past them first (so that no
/// concurrent insert is handed one of them), then an ordinary insert of the
/// table without its `auto` column.
pub(crate) async fn given_keys(inner: &Inner, stmt: InsertStmt) -> Result<InsertStmt> {
    if let Some((_, largest)) = keyway::largest_given_key(&stmt)? {
        advance_past(inner, &stmt.table, &largest).await?;
    }
    Ok(InsertStmt {
        table: stmt.table.with_given_keys(),
        rows: stmt.rows,
    })
}
