//! PutItem: one item, with its condition (`attribute_not_exists` for inserts).

use aws_sdk_dynamodb::Client;
use keyway::Result;

use crate::action::{Action, Op};
use crate::errors;

/// Puts the action's item.
pub(crate) async fn put_item(client: &Client, action: &Action) -> Result<()> {
    let Op::Put(item) = &action.op else {
        return Ok(());
    };
    tracing::debug!(
        db.statement = "PutItem",
        table = action.table.as_str(),
        condition = action.condition.as_deref().unwrap_or("")
    );
    client
        .put_item()
        .table_name(&action.table)
        .set_item(Some(item.clone()))
        .set_condition_expression(action.condition.clone())
        .set_expression_attribute_names(action.names.clone())
        .set_expression_attribute_values(action.values.clone())
        .send()
        .await
        .map_err(|e| errors::map("PutItem", e))?;
    Ok(())
}
