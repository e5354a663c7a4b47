//! The lock that keeps two migration runs apart on DynamoDB: one item of
//! the managed `keyway_meta` table, put only if absent or expired. A run
//! that dies holding it blocks others until its lease ends.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{Error, Result};

use crate::connect::Inner;
use crate::create_table::ensure_meta;
use crate::errors;
use crate::schema::{META_PK, META_SK, META_TABLE};

/// The lock item's partition (no table can have this name).
const LOCK_PK: &str = "keyway#migrations";
/// How long a lock holds without being given back.
const LEASE: Duration = Duration::from_secs(15 * 60);
/// How long a run waits for another's lock.
const WAIT: Duration = Duration::from_secs(10 * 60);
/// Between two tries.
const PAUSE: Duration = Duration::from_millis(200);

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn key() -> [(String, AttributeValue); 2] {
    [
        (META_PK.to_owned(), AttributeValue::S(LOCK_PK.to_owned())),
        (META_SK.to_owned(), AttributeValue::S("lock".to_owned())),
    ]
}

/// Takes the lock, waiting up to [`WAIT`] for another run to give it back.
pub(crate) async fn lock(inner: &Inner) -> Result<()> {
    ensure_meta(inner).await?;
    let owner = format!("{}-{}", std::process::id(), now_ms());
    let start = tokio::time::Instant::now();
    loop {
        let now = now_ms();
        let mut item: std::collections::HashMap<_, _> = key().into_iter().collect();
        item.insert("owner".into(), AttributeValue::S(owner.clone()));
        item.insert(
            "until".into(),
            AttributeValue::N((now + LEASE.as_millis()).to_string()),
        );
        tracing::debug!(db.statement = "PutItem", table = META_TABLE, lock = LOCK_PK);
        let put = inner
            .client
            .put_item()
            .table_name(inner.table_name(META_TABLE))
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#k) OR #until < :now")
            .expression_attribute_names("#k", META_SK)
            .expression_attribute_names("#until", "until")
            .expression_attribute_values(":now", AttributeValue::N(now.to_string()))
            .send()
            .await
            .map_err(|e| errors::map("PutItem", e));
        match put {
            Ok(_) => {
                *inner
                    .migration_lock
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = Some(owner);
                return Ok(());
            }
            Err(Error::ConditionFailed) if start.elapsed() < WAIT => {
                tokio::time::sleep(PAUSE).await;
            }
            Err(Error::ConditionFailed) => {
                return Err(Error::Timeout(format!(
                    "another migration run held the lock for {WAIT:?}; if none runs, it ends \
                     when its lease does (at most {LEASE:?} after it was taken)"
                )));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Extends the lease of the lock this process holds, if it holds one: a
/// long migration renews it before each step (and after each page of items
/// a step goes through), so that no other run takes it meanwhile. A lock lost to
/// another run (its lease ran out) stops the migration.
pub(crate) async fn renew(inner: &Inner) -> Result<()> {
    let owner = inner
        .migration_lock
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some(owner) = owner else {
        return Ok(());
    };
    let until = now_ms() + LEASE.as_millis();
    tracing::debug!(
        db.statement = "UpdateItem",
        table = META_TABLE,
        lock = LOCK_PK
    );
    let renewed = inner
        .client
        .update_item()
        .table_name(inner.table_name(META_TABLE))
        .set_key(Some(key().into_iter().collect()))
        .update_expression("SET #until = :until")
        .condition_expression("#owner = :owner")
        .expression_attribute_names("#owner", "owner")
        .expression_attribute_names("#until", "until")
        .expression_attribute_values(":owner", AttributeValue::S(owner))
        .expression_attribute_values(":until", AttributeValue::N(until.to_string()))
        .send()
        .await
        .map_err(|e| errors::map("UpdateItem", e));
    match renewed {
        Ok(_) => Ok(()),
        Err(Error::ConditionFailed) => Err(Error::Invalid {
            what: "migration",
            detail: format!(
                "the migration lock's lease ({LEASE:?}) ran out and another run took it; this \
                 run stopped"
            ),
        }),
        Err(e) => Err(e),
    }
}

/// Gives the lock back, if this process holds it.
pub(crate) async fn unlock(inner: &Inner) -> Result<()> {
    let owner = inner
        .migration_lock
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    let Some(owner) = owner else {
        return Ok(());
    };
    tracing::debug!(
        db.statement = "DeleteItem",
        table = META_TABLE,
        lock = LOCK_PK
    );
    let deleted = inner
        .client
        .delete_item()
        .table_name(inner.table_name(META_TABLE))
        .set_key(Some(key().into_iter().collect()))
        .condition_expression("#owner = :owner")
        .expression_attribute_names("#owner", "owner")
        .expression_attribute_values(":owner", AttributeValue::S(owner))
        .send()
        .await
        .map_err(|e| errors::map("DeleteItem", e));
    match deleted {
        // The lease ended and another run took it: it is not ours to delete.
        Ok(_) | Err(Error::ConditionFailed) => Ok(()),
        Err(e) => Err(e),
    }
}
