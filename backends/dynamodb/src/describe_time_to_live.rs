//! DescribeTimeToLive: whether a table's Time to Live is on, and on which
//! attribute.

use aws_sdk_dynamodb::types::TimeToLiveStatus;
use keyway::Result;

use crate::connect::Inner;
use crate::errors;

/// The attribute whose time deletes a table's items, when Time to Live is
/// on or being turned on; `None` when it is off or being turned off.
pub(crate) async fn ttl_attribute(inner: &Inner, table: &str) -> Result<Option<String>> {
    tracing::debug!(db.statement = "DescribeTimeToLive", table);
    let out = inner
        .client
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|e| errors::map("DescribeTimeToLive", e))?;
    let Some(desc) = out.time_to_live_description else {
        return Ok(None);
    };
    let on = matches!(
        desc.time_to_live_status,
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
    );
    Ok(on.then_some(desc.attribute_name).flatten())
}
