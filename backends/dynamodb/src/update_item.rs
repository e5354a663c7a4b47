//! UpdateItem: only the set columns of one item (with the condition that it
//! exists), and the atomic counters behind auto keys.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use keyway::Result;

use crate::action::{Action, Op};
use crate::errors::{self, malformed};
use crate::marshal::Item;

/// Updates the action's item; with `returning`, returns it as written
/// (`ReturnValues=ALL_NEW`).
pub(crate) async fn update_item(
    client: &Client,
    action: &Action,
    returning: bool,
) -> Result<Option<Item>> {
    let Op::Update { key, expression } = &action.op else {
        return Ok(None);
    };
    tracing::debug!(
        db.statement = "UpdateItem",
        table = action.table.as_str(),
        update = expression.as_str(),
        condition = action.condition.as_deref().unwrap_or("")
    );
    let out = client
        .update_item()
        .table_name(&action.table)
        .set_key(Some(key.clone()))
        .update_expression(expression)
        .set_condition_expression(action.condition.clone())
        .set_expression_attribute_names(action.names.clone())
        .set_expression_attribute_values(action.values.clone())
        .set_return_values(returning.then_some(ReturnValue::AllNew))
        .send()
        .await
        .map_err(|e| errors::map("UpdateItem", e))?;
    Ok(out.attributes)
}

/// Atomically adds `n` to number attribute `attr` of the item with `key`
/// (created at 0 if missing) and returns the new value: `ADD` with
/// `ReturnValues=UPDATED_NEW`.
pub(crate) async fn add(
    client: &Client,
    table: &str,
    key: Item,
    attr: &str,
    n: u64,
) -> Result<u128> {
    tracing::debug!(db.statement = "UpdateItem ADD", table);
    let out = client
        .update_item()
        .table_name(table)
        .set_key(Some(key))
        .update_expression("ADD #n :n")
        .expression_attribute_names("#n", attr)
        .expression_attribute_values(":n", AttributeValue::N(n.to_string()))
        .return_values(ReturnValue::UpdatedNew)
        .send()
        .await
        .map_err(|e| errors::map("UpdateItem", e))?;
    match out.attributes.as_ref().and_then(|a| a.get(attr)) {
        Some(AttributeValue::N(v)) => v
            .parse()
            .map_err(|_| malformed("UpdateItem", "the counter is not a whole number")),
        _ => Err(malformed("UpdateItem", "no counter value returned")),
    }
}

/// The UpdateExpression of `sets` (`#n = :v`) and `removes` (`#n`): `SET ..`,
/// `REMOVE ..`, both, or empty when there is nothing to write.
pub(crate) fn set_remove(sets: &[String], removes: &[String]) -> String {
    let mut parts = Vec::with_capacity(2);
    if !sets.is_empty() {
        parts.push(format!("SET {}", sets.join(", ")));
    }
    if !removes.is_empty() {
        parts.push(format!("REMOVE {}", removes.join(", ")));
    }
    parts.join(" ")
}
