//! BatchWriteItem: unconditional puts and deletes, 25 per call, unprocessed
//! items sent again with bounded exponential backoff; never a silent loss.

use aws_sdk_dynamodb::types::{DeleteRequest, WriteRequest};
use keyway::Result;

use crate::connect::Inner;
use crate::errors;
use crate::marshal::Item;
use crate::retry::{BATCH_RETRIES, backoff, still_unprocessed};

/// DynamoDB's limit of requests per BatchWriteItem call.
const PER_CALL: usize = 25;

/// Writes every request to `table`, or fails ([`keyway::Error::Unavailable`])
/// saying how many were not written.
pub(crate) async fn batch_write_item(
    inner: &Inner,
    table: &str,
    requests: Vec<WriteRequest>,
) -> Result<()> {
    for chunk in requests.chunks(PER_CALL) {
        let mut pending = chunk.to_vec();
        let mut attempt = 0;
        while !pending.is_empty() {
            tracing::debug!(
                db.statement = "BatchWriteItem",
                table,
                items = pending.len()
            );
            let resp = inner
                .client
                .batch_write_item()
                .request_items(table, std::mem::take(&mut pending))
                .send()
                .await
                .map_err(|e| errors::map("BatchWriteItem", e))?;
            pending = resp
                .unprocessed_items
                .and_then(|mut u| u.remove(table))
                .unwrap_or_default();
            if !pending.is_empty() {
                if attempt >= BATCH_RETRIES {
                    let what = "items (not written)";
                    return Err(still_unprocessed(
                        "BatchWriteItem",
                        table,
                        what,
                        pending.len(),
                    ));
                }
                backoff(inner.retry_backoff, attempt).await;
                attempt += 1;
            }
        }
    }
    Ok(())
}

/// Deletes the items with `keys` from `table`, as [`batch_write_item`].
pub(crate) async fn delete_keys(inner: &Inner, table: &str, keys: Vec<Item>) -> Result<()> {
    let requests = keys
        .into_iter()
        .map(|key| {
            let delete = DeleteRequest::builder()
                .set_key(Some(key))
                .build()
                .map_err(|e| errors::malformed("BatchWriteItem", &e.to_string()))?;
            Ok(WriteRequest::builder().delete_request(delete).build())
        })
        .collect::<Result<Vec<_>>>()?;
    batch_write_item(inner, table, requests).await
}
