//! CreateTable: the table's key schema and a GSI per index and per foreign
//! key, created from the `Entity` impls; then waiting until ACTIVE. A
//! child table's foreign keys are recorded for its parents (`references`).

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};
use keyway::{ColumnDef, Error, Result, TableDef, check_identifier};

use crate::connect::Inner;
use crate::describe_table::wait_active;
use crate::errors::{self, is_existing_table, malformed};
use crate::schema::{META_PK, META_SK, META_TABLE, gsis, key_type, primary_key};

pub(crate) fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .map_err(|e| malformed("CreateTable", &e.to_string()))
}

pub(crate) fn schema(part: &str, sort: Option<&str>) -> Result<Vec<KeySchemaElement>> {
    let mut out = vec![key(part, KeyType::Hash)?];
    if let Some(s) = sort {
        out.push(key(s, KeyType::Range)?);
    }
    Ok(out)
}

pub(crate) fn attribute(name: &str, ty: ScalarAttributeType) -> Result<AttributeDefinition> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ty)
        .build()
        .map_err(|e| malformed("CreateTable", &e.to_string()))
}

/// Sends one CreateTable; an existing table is fine. Waits until ACTIVE;
/// says whether it made the table.
pub(crate) async fn create_raw(
    inner: &Inner,
    name: &str,
    attributes: Vec<AttributeDefinition>,
    keys: Vec<KeySchemaElement>,
    indexes: Vec<GlobalSecondaryIndex>,
) -> Result<bool> {
    tracing::debug!(
        db.statement = "CreateTable",
        table = name,
        indexes = indexes.len()
    );
    let sent = inner
        .client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attributes))
        .set_key_schema(Some(keys))
        .set_global_secondary_indexes((!indexes.is_empty()).then_some(indexes))
        .send()
        .await
        .map_err(|e| errors::map("CreateTable", e));
    let made = match sent {
        Ok(_) => true,
        Err(e) if is_existing_table(&e) => false,
        Err(e) => return Err(e),
    };
    wait_active(&inner.client, name).await?;
    Ok(made)
}

/// Creates the keyway-managed table of auto-key counters and unique sentinels.
pub(crate) async fn ensure_meta(inner: &Inner) -> Result<()> {
    let name = inner.table_name(META_TABLE);
    let attrs = vec![
        attribute(META_PK, ScalarAttributeType::S)?,
        attribute(META_SK, ScalarAttributeType::S)?,
    ];
    create_raw(
        inner,
        &name,
        attrs,
        schema(META_PK, Some(META_SK))?,
        Vec::new(),
    )
    .await
    .map(drop)
}

/// The types of every attribute the table's key and indexes are keyed on.
pub(crate) fn attribute_definitions(table: &TableDef) -> Result<Vec<AttributeDefinition>> {
    let (part, sort) = primary_key(table)?;
    let mut defined: Vec<&ColumnDef> = vec![part];
    let mut define = |c: &'static ColumnDef| {
        if !defined.iter().any(|d| d.name == c.name) {
            defined.push(c);
        }
    };
    sort.into_iter().for_each(&mut define);
    for g in gsis(table)? {
        define(g.partition);
        g.sort.into_iter().for_each(&mut define);
    }
    defined
        .iter()
        .map(|c| attribute(c.name, key_type(table, c)?))
        .collect()
}

/// Creates the table of `table`, and the managed table beside it.
pub(crate) async fn create(inner: &Inner, table: TableDef) -> Result<()> {
    check_identifier(table.name, "table")?;
    if table.name == META_TABLE || table.layout.is_some_and(|l| l.table == META_TABLE) {
        return Err(Error::Invalid {
            what: "schema",
            detail: format!("table name `{META_TABLE}` is reserved by keyway on DynamoDB"),
        });
    }
    if let Some(layout) = crate::layout::of(&table)? {
        return crate::shared_table::create(inner, table, layout).await;
    }
    let (part, sort) = primary_key(&table)?;
    let mut indexes = Vec::new();
    for g in gsis(&table)? {
        indexes.push(
            GlobalSecondaryIndex::builder()
                .index_name(&g.name)
                .set_key_schema(Some(schema(g.partition.name, g.sort.map(|c| c.name))?))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .map_err(|e| malformed("CreateTable", &e.to_string()))?,
        );
    }
    let attributes = attribute_definitions(&table)?;
    ensure_meta(inner).await?;
    // Recorded first: a crash before the table exists leaves a reference to
    // a missing table (no children), never a child table nobody knows of.
    crate::references::register(inner, &table).await?;
    let keys = schema(part.name, sort.map(|c| c.name))?;
    let name = inner.table_of(&table);
    crate::ttl::refuse_references(inner, &table).await?;
    let made = create_raw(inner, &name, attributes, keys, indexes).await?;
    // A table that existed is left as it is: a migration changes it.
    if made && crate::ttl::deleted_by_dynamodb(&table) {
        crate::ttl::refuse_children(inner, &table).await?;
        crate::update_time_to_live::set_ttl(inner, &name, true).await?;
    }
    Ok(())
}
