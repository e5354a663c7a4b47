//! DescribeTable: waiting for a table (and its indexes) to become ACTIVE, or
//! for a deleted table to be gone.

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{IndexStatus, TableStatus};
use keyway::{Error, Result};

use crate::errors::{self, is_missing_table};

/// How long a table may take to become ACTIVE or to go away.
const WAIT: Duration = Duration::from_secs(300);

/// `Some(true)` when the table and all its GSIs are ACTIVE, `None` when the
/// table does not exist.
pub(crate) async fn active(client: &Client, table: &str) -> Result<Option<bool>> {
    match client.describe_table().table_name(table).send().await {
        Ok(out) => {
            let Some(desc) = out.table else {
                return Ok(Some(false));
            };
            let table_ok = desc.table_status == Some(TableStatus::Active);
            let gsis_ok = desc
                .global_secondary_indexes
                .unwrap_or_default()
                .iter()
                .all(|g| {
                    g.index_status
                        .as_ref()
                        .is_none_or(|s| *s == IndexStatus::Active)
                });
            Ok(Some(table_ok && gsis_ok))
        }
        Err(e) => {
            let e = errors::map("DescribeTable", e);
            if is_missing_table(&e) {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

async fn pause(round: u32) {
    let ms = (50u64 << round.min(4)).min(1_000);
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// Waits until `table` and its indexes are ACTIVE.
pub(crate) async fn wait_active(client: &Client, table: &str) -> Result<()> {
    let start = tokio::time::Instant::now();
    let mut round = 0;
    while start.elapsed() < WAIT {
        if active(client, table).await? == Some(true) {
            return Ok(());
        }
        pause(round).await;
        round += 1;
    }
    Err(Error::Timeout(format!(
        "table `{table}` did not become ACTIVE in {WAIT:?}"
    )))
}

/// Waits until `table` no longer exists.
pub(crate) async fn wait_gone(client: &Client, table: &str) -> Result<()> {
    let start = tokio::time::Instant::now();
    let mut round = 0;
    while start.elapsed() < WAIT {
        if active(client, table).await?.is_none() {
            return Ok(());
        }
        pause(round).await;
        round += 1;
    }
    Err(Error::Timeout(format!(
        "table `{table}` was not deleted in {WAIT:?}"
    )))
}
