//! DeleteItem: one item by key, with its condition (that it exists).

use aws_sdk_dynamodb::Client;
use keyway::Result;

use crate::action::{Action, Op};
use crate::errors;

/// Deletes the action's item.
pub(crate) async fn delete_item(client: &Client, action: &Action) -> Result<()> {
    let Op::Delete(key) = &action.op else {
        return Ok(());
    };
    tracing::debug!(
        db.statement = "DeleteItem",
        table = action.table.as_str(),
        condition = action.condition.as_deref().unwrap_or("")
    );
    client
        .delete_item()
        .table_name(&action.table)
        .set_key(Some(key.clone()))
        .set_condition_expression(action.condition.clone())
        .set_expression_attribute_names(action.names.clone())
        .set_expression_attribute_values(action.values.clone())
        .send()
        .await
        .map_err(|e| errors::map("DeleteItem", e))?;
    Ok(())
}
