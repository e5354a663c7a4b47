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
use keyway::{Error, Result, TableDef, Value};

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
