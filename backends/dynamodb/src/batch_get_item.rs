//! BatchGetItem: many items by key, 100 keys per call, unprocessed keys sent
//! again with bounded exponential backoff.

use aws_sdk_dynamodb::types::KeysAndAttributes;
use keyway::{Result, TableDef};

use crate::connect::Inner;
use crate::errors::{self, malformed};
use crate::marshal::Item;
use crate::names::Names;
use crate::retry::{BATCH_RETRIES, backoff, still_unprocessed};

/// DynamoDB's limit of keys per BatchGetItem call.
const KEYS_PER_CALL: usize = 100;

/// Reads the items with `keys` (strongly consistent, no duplicates allowed),
/// in no particular order; missing keys are skipped.
pub(crate) async fn batch_get_item(
    inner: &Inner,
    table: &str,
    keys: Vec<Item>,
    projection: Option<&[&str]>,
    def: &TableDef,
) -> Result<Vec<Item>> {
    let mut names = Names::of(def);
    let projection = projection.map(|p| names.projection(p.iter().copied()));
    let names = names.take_names();
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(KEYS_PER_CALL) {
        let mut pending = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(chunk.to_vec()))
                .consistent_read(true)
                .set_projection_expression(projection.clone())
                .set_expression_attribute_names(names.clone())
                .build()
                .map_err(|e| malformed("BatchGetItem", &e.to_string()))?,
        );
        let mut attempt = 0;
        while let Some(request) = pending.take() {
            tracing::debug!(
                db.statement = "BatchGetItem",
                table,
                keys = request.keys().len()
            );
            let resp = inner
                .client
                .batch_get_item()
                .request_items(table, request)
                .send()
                .await
                .map_err(|e| errors::map("BatchGetItem", e))?;
            if let Some(mut found) = resp.responses {
                out.extend(found.remove(table).unwrap_or_default());
            }
            let left = resp
                .unprocessed_keys
                .and_then(|mut u| u.remove(table))
                .filter(|k| !k.keys().is_empty());
            if let Some(left) = left {
                if attempt >= BATCH_RETRIES {
                    let left = left.keys().len();
                    return Err(still_unprocessed("BatchGetItem", table, "keys", left));
                }
                backoff(inner.retry_backoff, attempt).await;
                attempt += 1;
                pending = Some(left);
            }
        }
    }
    Ok(out)
}
