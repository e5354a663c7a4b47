//! GetItem: one item by its full key.

use aws_sdk_dynamodb::Client;
use keyway::Result;

use crate::errors;
use crate::marshal::Item;
use crate::names::Names;

/// Reads the item with `key` (strongly consistent), only `projection` if given.
pub(crate) async fn get_item(
    client: &Client,
    table: &str,
    key: Item,
    projection: Option<&[&str]>,
    mut names: Names,
) -> Result<Option<Item>> {
    let projection = projection.map(|p| names.projection(p.iter().copied()));
    tracing::debug!(db.statement = "GetItem", table);
    let out = client
        .get_item()
        .table_name(table)
        .set_key(Some(key))
        .consistent_read(true)
        .set_projection_expression(projection)
        .set_expression_attribute_names(names.take_names())
        .send()
        .await
        .map_err(|e| errors::map("GetItem", e))?;
    Ok(out.item)
}
