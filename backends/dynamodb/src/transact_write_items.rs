//! TransactWriteItems: up to 100 item writes, all or nothing. A cancelled
//! transaction is mapped through its cancellation reasons: the first failed
//! condition says which write (and so which key or unique index) failed.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use keyway::{Error, Result};

use crate::action::{Action, Role};
use crate::errors::{self, DynamoDbError};

/// DynamoDB's limit of writes in one transaction.
pub(crate) const MAX_ACTIONS: usize = 100;

/// Writes every action atomically.
pub(crate) async fn transact(client: &Client, actions: Vec<Action>) -> Result<()> {
    if actions.len() > MAX_ACTIONS {
        return Err(Error::Unsupported {
            backend: "dynamodb",
            detail: format!(
                "a transaction of {} writes: DynamoDB commits at most {MAX_ACTIONS} at once",
                actions.len()
            ),
        });
    }
    let mut items = Vec::with_capacity(actions.len());
    for a in &actions {
        items.push(a.clone().into_transact()?);
    }
    tracing::debug!(db.statement = "TransactWriteItems", writes = items.len());
    let err = match client
        .transact_write_items()
        .set_transact_items(Some(items))
        .send()
        .await
    {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    if let Some(TransactWriteItemsError::TransactionCanceledException(c)) = err.as_service_error() {
        let reasons = c.cancellation_reasons();
        let failed = reasons
            .iter()
            .position(|r| r.code() == Some("ConditionalCheckFailed"));
        if let Some(action) = failed.and_then(|i| actions.get(i)) {
            return Err(action.violation());
        }
        // A parent check on a table that does not exist: no parent either.
        let orphan = reasons.iter().zip(&actions).find(|(r, a)| {
            r.code() == Some("ResourceNotFoundException") && matches!(a.role, Role::Parent(_))
        });
        if let Some((_, action)) = orphan {
            return Err(action.violation());
        }
        let codes: Vec<&str> = reasons.iter().map(|r| r.code().unwrap_or("None")).collect();
        return Err(Error::Backend(Box::new(DynamoDbError::new(
            "TransactWriteItems",
            Some("TransactionCanceledException".into()),
            format!(
                "{} (reasons: {})",
                c.message().unwrap_or("transaction cancelled"),
                codes.join(", ")
            ),
        ))));
    }
    Err(errors::map("TransactWriteItems", err))
}
