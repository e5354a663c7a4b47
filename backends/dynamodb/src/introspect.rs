//! A table as DynamoDB describes it (DescribeTable) and as the impls declare
//! it: the key attributes with their types, the key schema, the GSIs and
//! the Time to Live (DescribeTimeToLive).
//! Other attributes have no declared type on DynamoDB and are not listed.

use aws_sdk_dynamodb::types::{KeySchemaElement, KeyType};
use keyway::{ColumnDef, ColumnSchema, IndexSchema, Result, TableDef, TableSchema};

use crate::connect::Inner;
use crate::errors::{self, is_missing_table};
use crate::schema::{gsis, key_type, primary_key};

fn column(name: &str, ty: &str) -> ColumnSchema {
    ColumnSchema {
        name: name.to_owned(),
        ty: ty.to_owned(),
        nullable: false,
        default: None,
    }
}

/// `table` as `create_table` makes it.
pub(crate) fn declared_table(table: &TableDef) -> Result<TableSchema> {
    if let Some(layout) = crate::layout::of(table)? {
        return crate::shared_table::declared(table, &layout);
    }
    let (part, sort) = primary_key(table)?;
    let mut keys: Vec<&ColumnDef> = vec![part];
    keys.extend(sort);
    let mut indexes = Vec::new();
    for g in gsis(table)? {
        let mut columns = vec![g.partition.name.to_owned()];
        columns.extend(g.sort.map(|c| c.name.to_owned()));
        keys.push(g.partition);
        keys.extend(g.sort);
        indexes.push(IndexSchema {
            name: g.name,
            columns,
            unique: false,
        });
    }
    let mut columns: Vec<ColumnSchema> = Vec::new();
    for c in keys {
        if columns.iter().all(|d| d.name != c.name) {
            columns.push(column(c.name, key_type(table, c)?.as_str()));
        }
    }
    Ok(TableSchema {
        name: table.name.to_owned(),
        columns,
        primary_key: [Some(part), sort]
            .into_iter()
            .flatten()
            .map(|c| c.name.to_owned())
            .collect(),
        indexes,
        foreign_keys: Vec::new(),
        time_to_live: crate::ttl::deleted_by_dynamodb(table)
            .then(|| keyway::TTL_ATTRIBUTE.to_owned()),
    })
}

/// The key schema's attribute names, partition first.
fn key_names(schema: &[KeySchemaElement]) -> Vec<String> {
    let part = schema.iter().filter(|k| k.key_type == KeyType::Hash);
    let sort = schema.iter().filter(|k| k.key_type == KeyType::Range);
    part.chain(sort).map(|k| k.attribute_name.clone()).collect()
}

/// The live description of `table`, `None` when it does not exist.
pub(crate) async fn describe_table(inner: &Inner, table: &TableDef) -> Result<Option<TableSchema>> {
    let name = inner.table_of(table);
    tracing::debug!(db.statement = "DescribeTable", table = name.as_str());
    let desc = match inner.client.describe_table().table_name(&name).send().await {
        Ok(out) => out.table,
        Err(e) => {
            let e = errors::map("DescribeTable", e);
            return if is_missing_table(&e) {
                Ok(None)
            } else {
                Err(e)
            };
        }
    };
    let Some(desc) = desc else {
        return Ok(None);
    };
    // In a shared table: the entity's part of it, if it is recorded there.
    let declared = match crate::layout::of(table)? {
        Some(layout) if !crate::shared_table::is_recorded(inner, table, &layout).await? => {
            return Ok(None);
        }
        Some(_) => Some(declared_table(table)?),
        None => None,
    };
    let mut indexes: Vec<IndexSchema> = desc
        .global_secondary_indexes
        .unwrap_or_default()
        .iter()
        .map(|g| IndexSchema {
            name: g.index_name.clone().unwrap_or_default(),
            columns: key_names(g.key_schema.as_deref().unwrap_or_default()),
            unique: false,
        })
        .collect();
    if let Some(d) = &declared {
        indexes.retain(|i| d.indexes.iter().any(|o| o.name == i.name));
    }
    let primary_key = key_names(desc.key_schema.as_deref().unwrap_or_default());
    // The attributes a key or index is keyed on: a definition left behind
    // by a deleted index (which DynamoDB drops itself, and moto keeps) is
    // not a column.
    let keyed = |name: &str| {
        primary_key.iter().any(|k| k == name)
            || indexes
                .iter()
                .any(|ix| ix.columns.iter().any(|c| c == name))
    };
    let columns = desc
        .attribute_definitions
        .unwrap_or_default()
        .iter()
        .filter(|a| keyed(&a.attribute_name))
        .map(|a| column(&a.attribute_name, a.attribute_type.as_str()))
        .collect();
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Some(TableSchema {
        name: table.name.to_owned(),
        columns,
        primary_key,
        indexes,
        foreign_keys: Vec::new(),
        time_to_live: match &declared {
            // A shared table's Time to Live is another entity's when this
            // one's items are not deleted by it.
            Some(d) if d.time_to_live.is_none() => None,
            _ => crate::describe_time_to_live::ttl_attribute(inner, &name).await?,
        },
    }))
}
