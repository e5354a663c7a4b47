//! A migration's change of expiry column on DynamoDB: the TTL attribute
//! filled from the new column on every item, then Time to Live turned on;
//! or Time to Live turned off (the attributes left, read by nothing).

use keyway::{Result, TTL_ATTRIBUTE, TableDef, ttl_seconds};

use crate::connect::Inner;
use crate::marshal::from_attr;
use crate::update_time_to_live::set_ttl;

/// The calls [`apply`] makes, for a person to read.
pub(crate) fn render(table: &str, to: Option<&str>) -> Vec<String> {
    match to {
        Some(column) => vec![
            format!("UpdateItem SET {TTL_ATTRIBUTE} from {column} on every item of {table}"),
            format!("UpdateTimeToLive {table} on {TTL_ATTRIBUTE}"),
        ],
        None => vec![format!("UpdateTimeToLive {table} off")],
    }
}

/// Makes the items of `table` (as the step leaves it) expire by column
/// `to`, or by nothing.
pub(crate) async fn apply(inner: &Inner, table: &TableDef, to: Option<&str>) -> Result<()> {
    let name = inner.table_name(table.name);
    let Some(column) = to.and_then(|c| table.column(c)) else {
        return set_ttl(inner, &name, false).await;
    };
    crate::migrate::rewrite(
        inner,
        table,
        &[column.name, TTL_ATTRIBUTE],
        |names, item| {
            let value =
                from_attr(item.get(column.name).cloned(), column.ty).unwrap_or(keyway::Value::Null);
            let ttl = names.name(TTL_ATTRIBUTE);
            Ok(match ttl_seconds(&value) {
                Some(s) => {
                    let v = names.value(TTL_ATTRIBUTE, keyway::Value::I64(s))?;
                    Some(format!("SET {ttl} = {v}"))
                }
                None if item.contains_key(TTL_ATTRIBUTE) => Some(format!("REMOVE {ttl}")),
                None => None,
            })
        },
    )
    .await?;
    set_ttl(inner, &name, true).await
}
