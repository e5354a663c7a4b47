//! A migration's change of expiry column on DynamoDB: the TTL attribute
//! filled from the new column on every item, then Time to Live turned on;
//! or Time to Live turned off (the attributes left, read by nothing).

use keyway::{Error, Result, TTL_ATTRIBUTE, TableDef, Value, ttl_seconds};

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
    let name = inner.table_of(table);
    let Some(to) = to else {
        // A shared table's Time to Live stays for the other entities: this
        // one's items lose the attribute it reads.
        if table.layout.is_some() {
            return crate::migrate::rewrite(inner, table, &[TTL_ATTRIBUTE], |names, item| {
                let ttl = names.name(TTL_ATTRIBUTE);
                Ok(item
                    .contains_key(TTL_ATTRIBUTE)
                    .then(|| (format!("REMOVE {ttl}"), None)))
            })
            .await;
        }
        return set_ttl(inner, &name, false).await;
    };
    if !crate::ttl::deleted_by_dynamodb(table) {
        // Left to `purge_expired` (a table with a unique index).
        return Ok(());
    }
    crate::ttl::refuse_children(inner, table).await?;
    let Some(column) = table.column(to) else {
        return Err(Error::Invalid {
            what: "migration",
            detail: format!(
                "`{}` has no column `{to}` for items to expire by",
                table.name
            ),
        });
    };
    let columns = [column.name, TTL_ATTRIBUTE];
    crate::migrate::rewrite(inner, table, &columns, |names, item| {
        let read = item.get(column.name);
        let value = from_attr(read.cloned(), column.ty).map_err(|source| Error::Decode {
            entity: table.entity,
            column: column.name.to_owned(),
            source,
        })?;
        // Only while the column still holds what was read: a writer in
        // between wrote the attribute itself.
        let c = names.name(column.name);
        let unchanged = match read {
            Some(a) => format!("{c} = {}", names.attr(a.clone())),
            None => format!("attribute_not_exists({c})"),
        };
        let ttl = names.name(TTL_ATTRIBUTE);
        let expression = match ttl_seconds(&value) {
            Some(s) => format!("SET {ttl} = {}", names.value(TTL_ATTRIBUTE, Value::I64(s))?),
            None if item.contains_key(TTL_ATTRIBUTE) => format!("REMOVE {ttl}"),
            None => return Ok(None),
        };
        Ok(Some((expression, Some(unchanged))))
    })
    .await?;
    if table.layout.is_some()
        && crate::describe_time_to_live::ttl_attribute(inner, &name)
            .await?
            .is_some()
    {
        return Ok(());
    }
    set_ttl(inner, &name, true).await
}
