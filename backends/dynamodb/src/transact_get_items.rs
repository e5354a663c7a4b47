//! TransactGetItems: items of one or several tables read as of one moment
//! (`Db::find_together`), up to 100, each key once.

use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::types::{Get, TransactGetItem};
use keyway::{KeyRead, Result, Value};

use crate::connect::Inner;
use crate::errors::{self, malformed};
use crate::marshal::{Item, ItemReader};
use crate::read::key_item;

/// The values of each row of `reads` (in column order), `None` where no
/// item has the key, in the order asked.
pub(crate) async fn fetch(inner: &Inner, reads: Vec<KeyRead>) -> Result<Vec<Option<Vec<Value>>>> {
    if reads.is_empty() {
        return Ok(Vec::new());
    }
    // DynamoDB refuses two operations on one item: each key is asked once.
    let mut asked: Vec<(&KeyRead, String, Item)> = Vec::new();
    let mut slot: Vec<usize> = Vec::with_capacity(reads.len());
    for read in &reads {
        let same = |(a, _, _): &(&KeyRead, String, Item)| {
            a.table.name == read.table.name && a.key == read.key
        };
        let at = match asked.iter().position(same) {
            Some(at) => at,
            None => {
                let key = key_item(&read.table, read.key.clone())?;
                asked.push((read, inner.table_of(&read.table), key));
                asked.len() - 1
            }
        };
        slot.push(at);
    }
    let bad =
        |e: aws_sdk_dynamodb::error::BuildError| malformed("TransactGetItems", &e.to_string());
    let mut items = Vec::with_capacity(asked.len());
    for (_, table, key) in &asked {
        let get = Get::builder()
            .table_name(table)
            .set_key(Some(key.clone()))
            .build()
            .map_err(bad)?;
        items.push(TransactGetItem::builder().get(get).build());
    }
    tracing::debug!(db.statement = "TransactGetItems", reads = items.len());
    let out = inner
        .client
        .transact_get_items()
        .set_transact_items(Some(items))
        .send()
        .await
        .map_err(|e| {
            // Cancelled by a write in progress on one of the items: run it again.
            if let Some(TransactGetItemsError::TransactionCanceledException(c)) =
                e.as_service_error()
            {
                return keyway::Error::TransactionConflict {
                    detail: c
                        .message()
                        .unwrap_or("TransactGetItems cancelled")
                        .to_owned(),
                };
            }
            errors::map("TransactGetItems", e)
        })?;
    let responses = out.responses.unwrap_or_default();
    if responses.len() != asked.len() {
        return Err(malformed(
            "TransactGetItems",
            &format!("{} responses to {} reads", responses.len(), asked.len()),
        ));
    }
    let found: Vec<Option<Item>> = responses
        .into_iter()
        .map(|r| r.item.filter(|i| !i.is_empty()))
        .collect();
    reads
        .iter()
        .zip(slot)
        .map(|(read, at)| {
            let Some(item) = found[at].clone() else {
                return Ok(None);
            };
            if !crate::layout::is_of(&read.table, &item) {
                return Ok(None);
            }
            read.decode(&mut ItemReader::entity(&read.table, item))
                .map(Some)
        })
        .collect()
}
