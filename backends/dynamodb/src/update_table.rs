//! UpdateTable: a global secondary index created or deleted on a table that
//! exists (a migration's index or foreign key), one per request as DynamoDB
//! requires, then waiting until the table and its indexes are ACTIVE (a new
//! index is backfilled first).

use aws_sdk_dynamodb::types::{
    AttributeDefinition, CreateGlobalSecondaryIndexAction, DeleteGlobalSecondaryIndexAction,
    GlobalSecondaryIndexUpdate, Projection, ProjectionType,
};
use keyway::{Result, TableDef};

use crate::connect::Inner;
use crate::create_table::{attribute_definitions, schema};
use crate::describe_table::wait_active;
use crate::errors::{self, malformed};
use crate::schema::Gsi;

/// The names of the table's indexes now.
pub(crate) async fn index_names(inner: &Inner, table: &str) -> Result<Vec<String>> {
    tracing::debug!(db.statement = "DescribeTable", table);
    let out = inner
        .client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .map_err(|e| errors::map("DescribeTable", e))?;
    Ok(out
        .table
        .and_then(|t| t.global_secondary_indexes)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|g| g.index_name)
        .collect())
}

/// Creates index `gsi` of `table`, and waits until it is ACTIVE. An index
/// of that name being made already (a run that timed out waiting) is
/// waited for.
pub(crate) async fn create_gsi(inner: &Inner, table: &TableDef, gsi: &Gsi) -> Result<()> {
    let name = inner.table_of(table);
    if index_names(inner, &name).await?.contains(&gsi.name) {
        return wait_active(&inner.client, &name).await;
    }
    let bad = |e: aws_sdk_dynamodb::error::BuildError| malformed("UpdateTable", &e.to_string());
    // Every key attribute of the table as it will be: DynamoDB merges them
    // with those it has, moto replaces them. A shared table's are many
    // entities': those it has, and this index's.
    let attributes = match table.layout {
        Some(_) => {
            let mut all = attribute_definitions_of(inner, &name).await?;
            let keys = [Some(gsi.partition), gsi.sort].into_iter().flatten();
            for c in keys {
                if !all.iter().any(|a| a.attribute_name() == c.name) {
                    let ty = crate::schema::key_type(table, c)?;
                    all.push(crate::create_table::attribute(c.name, ty)?);
                }
            }
            all
        }
        None => attribute_definitions(table)?,
    };
    let create = CreateGlobalSecondaryIndexAction::builder()
        .index_name(&gsi.name)
        .set_key_schema(Some(schema(gsi.partition.name, gsi.sort.map(|c| c.name))?))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(bad)?;
    send_create(inner, &name, &gsi.name, create, attributes).await
}

/// Creates index `gsi` of the table called `name`, the table's key
/// attributes being `attributes`, and waits until it is ACTIVE.
pub(crate) async fn create_index(
    inner: &Inner,
    name: &str,
    gsi: aws_sdk_dynamodb::types::GlobalSecondaryIndex,
    attributes: Vec<AttributeDefinition>,
) -> Result<()> {
    let bad = |e: aws_sdk_dynamodb::error::BuildError| malformed("UpdateTable", &e.to_string());
    let create = CreateGlobalSecondaryIndexAction::builder()
        .index_name(gsi.index_name())
        .set_key_schema(Some(gsi.key_schema().to_vec()))
        .set_projection(gsi.projection().cloned())
        .build()
        .map_err(bad)?;
    send_create(inner, name, gsi.index_name(), create, attributes).await
}

async fn send_create(
    inner: &Inner,
    name: &str,
    index: &str,
    create: CreateGlobalSecondaryIndexAction,
    attributes: Vec<AttributeDefinition>,
) -> Result<()> {
    tracing::debug!(db.statement = "UpdateTable", table = name, create = index);
    inner
        .client
        .update_table()
        .table_name(name)
        .set_attribute_definitions(Some(attributes))
        .global_secondary_index_updates(
            GlobalSecondaryIndexUpdate::builder().create(create).build(),
        )
        .send()
        .await
        .map_err(|e| errors::map("UpdateTable", e))?;
    wait_active(&inner.client, name).await
}

/// The key attributes the table called `name` declares now.
pub(crate) async fn attribute_definitions_of(
    inner: &Inner,
    name: &str,
) -> Result<Vec<AttributeDefinition>> {
    tracing::debug!(db.statement = "DescribeTable", table = name);
    let out = inner
        .client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .map_err(|e| errors::map("DescribeTable", e))?;
    Ok(out
        .table
        .and_then(|t| t.attribute_definitions)
        .unwrap_or_default())
}

/// Deletes index `index` of `table` (as it is without it), and waits
/// until it is gone; an index already gone is fine.
pub(crate) async fn delete_gsi(inner: &Inner, table: &TableDef, index: &str) -> Result<()> {
    let name = inner.table_of(table);
    if !index_names(inner, &name).await?.iter().any(|n| n == index) {
        return wait_active(&inner.client, &name).await;
    }
    let delete = DeleteGlobalSecondaryIndexAction::builder()
        .index_name(index)
        .build()
        .map_err(|e| malformed("UpdateTable", &e.to_string()))?;
    tracing::debug!(
        db.statement = "UpdateTable",
        table = name.as_str(),
        delete = index
    );
    inner
        .client
        .update_table()
        .table_name(&name)
        .global_secondary_index_updates(
            GlobalSecondaryIndexUpdate::builder().delete(delete).build(),
        )
        .send()
        .await
        .map_err(|e| errors::map("UpdateTable", e))?;
    wait_active(&inner.client, &name).await
}
