//! UpdateTimeToLive: a table's items deleted by DynamoDB once the time in
//! keyway's TTL attribute ([`keyway::TTL_ATTRIBUTE`]) has passed, turned on
//! for a table whose entity declares an expiry column and off for one that
//! no longer does.

use aws_sdk_dynamodb::types::TimeToLiveSpecification;
use keyway::{Result, TTL_ATTRIBUTE};

use crate::connect::Inner;
use crate::describe_time_to_live::ttl_attribute;
use crate::errors::{self, malformed};

/// Turns the table's Time to Live on (on keyway's attribute) or off,
/// unless it is so already (DynamoDB refuses a request that changes
/// nothing).
pub(crate) async fn set_ttl(inner: &Inner, table: &str, on: bool) -> Result<()> {
    let now = ttl_attribute(inner, table).await?;
    let attribute = match (on, now) {
        (true, Some(a)) if a == TTL_ATTRIBUTE => return Ok(()),
        (false, None) => return Ok(()),
        // Off: DynamoDB names the attribute it turns off.
        (false, Some(a)) => a,
        // DynamoDB allows one change of Time to Live per table an hour:
        // switching attributes would be two.
        (true, Some(other)) => {
            return Err(keyway::Error::Unsupported {
                backend: "dynamodb",
                detail: format!(
                    "table `{table}` has Time to Live on attribute `{other}`; keyway's is                      `{TTL_ATTRIBUTE}`: turn it off, and once DynamoDB allows the next change                      (an hour later), run this again"
                ),
            });
        }
        (true, None) => TTL_ATTRIBUTE.to_owned(),
    };
    send(inner, table, &attribute, on).await
}

async fn send(inner: &Inner, table: &str, attribute: &str, on: bool) -> Result<()> {
    let spec = TimeToLiveSpecification::builder()
        .enabled(on)
        .attribute_name(attribute)
        .build()
        .map_err(|e| malformed("UpdateTimeToLive", &e.to_string()))?;
    tracing::debug!(
        db.statement = "UpdateTimeToLive",
        table,
        attribute,
        enabled = on
    );
    inner
        .client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(spec)
        .send()
        .await
        .map_err(|e| errors::map("UpdateTimeToLive", e))?;
    Ok(())
}
