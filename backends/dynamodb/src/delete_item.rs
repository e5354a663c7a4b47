//! DeleteItem: one item by key, with its condition (that it exists).

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::ReturnValue;
use keyway::Result;

use crate::action::{Action, Op};
use crate::errors;
use crate::marshal::Item;

/// Deletes the action's item; with `returning`, returns it as it was
/// (`ReturnValues=ALL_OLD`).
pub(crate) async fn delete_item(
    client: &Client,
    action: &Action,
    returning: bool,
) -> Result<Option<Item>> {
    let Op::Delete(key) = &action.op else {
        return Ok(None);
    };
    tracing::debug!(
        db.statement = "DeleteItem",
        table = action.table.as_str(),
        condition = action.condition.as_deref().unwrap_or("")
    );
    let out = client
        .delete_item()
        .table_name(&action.table)
        .set_key(Some(key.clone()))
        .set_condition_expression(action.condition.clone())
        .set_expression_attribute_names(action.names.clone())
        .set_expression_attribute_values(action.values.clone())
        .set_return_values(returning.then_some(ReturnValue::AllOld))
        .send()
        .await
        .map_err(|e| errors::map("DeleteItem", e))?;
    Ok(out.attributes)
}
