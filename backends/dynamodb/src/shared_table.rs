//! The shared table of entities that declare a [`keyway::Layout`]: made
//! once with its key `PK`/`SK`, grown by the indexes each entity adds, and
//! a record per entity in `keyway_meta` (partition `shared#{table}`, sort
//! key `layout#{entity table}`, the entity's schema as text), which every
//! later entity's layout is checked against, in any process. Two layouts
//! collide when they name the same entity type, when neither their
//! partition templates nor their sort templates begin with texts that tell
//! them apart (one text a prefix of the other), or when they key an index
//! of one name, or one attribute, differently.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, Projection, ProjectionType,
    ScalarAttributeType,
};
use futures::TryStreamExt;
use keyway::{Error, LAYOUT_PK, LAYOUT_SK, LAYOUT_TYPE, Layout, Result, TableDef, Value};

use crate::connect::Inner;
use crate::create_table::{attribute, ensure_meta, schema};
use crate::errors::{self, is_missing_table, malformed};
use crate::layout::{attribute as index_attribute, leading_text};
use crate::marshal::Item;
use crate::schema::{gsis, key_type};
use crate::{page, schema_text};

/// The attribute of a record holding the entity's schema text.
const SCHEMA: &str = "schema";

/// One index of the shared table: its name, and its key attributes with
/// their types.
#[derive(Debug, Clone, PartialEq)]
struct Index {
    name: String,
    keys: Vec<(String, ScalarAttributeType)>,
}

/// The indexes `table` needs in its shared table: its layout's, then its own.
fn indexes(table: &TableDef, layout: &Layout) -> Result<Vec<Index>> {
    let s = ScalarAttributeType::S;
    let mut out: Vec<Index> = layout
        .indexes
        .iter()
        .map(|i| Index {
            name: i.name.to_owned(),
            keys: vec![
                (index_attribute(i.name, "PK").to_owned(), s.clone()),
                (index_attribute(i.name, "SK").to_owned(), s.clone()),
            ],
        })
        .collect();
    for g in gsis(table)? {
        let mut keys = vec![(g.partition.name.to_owned(), key_type(table, g.partition)?)];
        if let Some(sort) = g.sort {
            keys.push((sort.name.to_owned(), key_type(table, sort)?));
        }
        out.push(Index { name: g.name, keys });
    }
    Ok(out)
}

fn partition(layout: &Layout) -> String {
    format!("shared#{}", layout.table)
}

fn record_key(layout: &Layout, table: &TableDef) -> Item {
    crate::meta::key(&partition(layout), format!("layout#{}", table.name))
}

/// The entities recorded in the shared table of `layout`.
async fn recorded(inner: &Inner, layout: &Layout) -> Result<Vec<TableDef>> {
    let items = crate::meta::records(inner, &partition(layout), None).await?;
    let mut out = Vec::new();
    for item in items {
        if let Some(aws_sdk_dynamodb::types::AttributeValue::S(text)) = item.get(SCHEMA) {
            out.push(schema_text::decode(text)?);
        }
    }
    Ok(out)
}

fn related(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

fn collision(table: &TableDef, other: &TableDef, why: String) -> Error {
    Error::Invalid {
        what: "layout",
        detail: format!(
            "the layouts of `{}` and `{}` collide in table `{}`: {why}",
            table.entity,
            other.entity,
            table.layout.map_or("", |l| l.table)
        ),
    }
}

/// Refuses `table`'s layout if it collides with `other`'s.
fn check_pair(table: &TableDef, other: &TableDef) -> Result<()> {
    let (Some(a), Some(b)) = (table.layout, other.layout) else {
        return Ok(());
    };
    if a.entity_type == b.entity_type {
        return Err(collision(
            table,
            other,
            format!("both are of entity type `{}`", a.entity_type),
        ));
    }
    let (ap, bp) = (leading_text(a.partition), leading_text(b.partition));
    let (as_, bs) = (leading_text(a.sort), leading_text(b.sort));
    if related(ap, bp) && related(as_, bs) {
        return Err(collision(
            table,
            other,
            format!(
                "their keys `{}`/`{}` and `{}`/`{}` begin with texts that do not tell them \
                 apart; begin one of the templates with a text of its own (`{}#`)",
                a.partition,
                a.sort,
                b.partition,
                b.sort,
                a.entity_type.to_uppercase()
            ),
        ));
    }
    let (mine, theirs) = (indexes(table, &a)?, indexes(other, &b)?);
    let own = |t: &TableDef, name: &str| t.layout.is_none_or(|l| l.index(name).is_none());
    for (x, y, index) in [(table, other, &mine), (other, table, &theirs)] {
        for (attr, ty) in index.iter().flat_map(|i| &i.keys) {
            // An index keyed on an attribute the other writes as another type.
            let Some(column) = y.column(attr) else {
                continue;
            };
            if key_type(y, column).ok().as_ref() != Some(ty) {
                return Err(collision(
                    x,
                    y,
                    format!(
                        "`{}` keys an index on `{attr}` as {ty:?}, which `{}` writes as {}",
                        x.entity, y.entity, column.ty
                    ),
                ));
            }
        }
    }
    for i in &mine {
        for j in &theirs {
            if i.name == j.name && own(table, &i.name) {
                return Err(collision(
                    table,
                    other,
                    format!(
                        "both have an index named `{}`; an index of an entity's own needs a \
                         name of its own in a shared table",
                        i.name
                    ),
                ));
            }
            if i.name == j.name && i.keys != j.keys {
                return Err(collision(
                    table,
                    other,
                    format!("index `{}` is keyed differently", i.name),
                ));
            }
            for (attr, ty) in &i.keys {
                if let Some((_, other_ty)) = j.keys.iter().find(|(n, t)| n == attr && t != ty) {
                    return Err(collision(
                        table,
                        other,
                        format!("attribute `{attr}` keys an index as {ty:?} and as {other_ty:?}"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Checks `table` against the entities recorded in its shared table and
/// records it (before the table is made or grown).
async fn register(inner: &Inner, table: &TableDef, layout: &Layout) -> Result<()> {
    let text = schema_text::encode(table)?;
    for other in recorded(inner, layout).await? {
        if other.name == table.name {
            if other.layout != table.layout {
                return Err(Error::Invalid {
                    what: "layout",
                    detail: format!(
                        "`{}` is recorded in table `{}` with another layout; its items are \
                         keyed by the old one: drop the entity's table first",
                        table.entity, layout.table
                    ),
                });
            }
            continue;
        }
        check_pair(table, &other)?;
    }
    let mut item = record_key(layout, table);
    item.insert(
        SCHEMA.to_owned(),
        aws_sdk_dynamodb::types::AttributeValue::S(text),
    );
    crate::meta::put(inner, item, table.name).await
}

fn gsi(index: &Index) -> Result<GlobalSecondaryIndex> {
    let keys: Vec<KeySchemaElement> =
        schema(&index.keys[0].0, index.keys.get(1).map(|(n, _)| n.as_str()))?;
    GlobalSecondaryIndex::builder()
        .index_name(&index.name)
        .set_key_schema(Some(keys))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|e| malformed("CreateTable", &e.to_string()))
}

fn definitions(indexes: &[Index]) -> Result<Vec<AttributeDefinition>> {
    let mut out = vec![
        attribute(LAYOUT_PK, ScalarAttributeType::S)?,
        attribute(LAYOUT_SK, ScalarAttributeType::S)?,
    ];
    for (name, ty) in indexes.iter().flat_map(|i| &i.keys) {
        if !out.iter().any(|d| d.attribute_name() == name) {
            out.push(attribute(name, ty.clone())?);
        }
    }
    Ok(out)
}

/// Makes the shared table of `table` (or adds the indexes it lacks), after
/// checking the layout against every entity recorded there.
pub(crate) async fn create(inner: &Inner, table: TableDef, layout: Layout) -> Result<()> {
    ensure_meta(inner).await?;
    let own = inner.table_name(table.name);
    if table.name != layout.table
        && !is_recorded(inner, &table, &layout).await?
        && crate::describe_table::active(&inner.client, &own)
            .await?
            .is_some()
    {
        return Err(Error::Invalid {
            what: "layout",
            detail: format!(
                "`{}` has a table of its own (`{own}`), and its impl now declares a layout in \
                 `{}`: its items are not moved; copy them in a Rust step and drop the old \
                 table first",
                table.entity, layout.table
            ),
        });
    }
    register(inner, &table, &layout).await?;
    crate::references::register(inner, &table).await?;
    crate::ttl::refuse_references(inner, &table).await?;
    let name = inner.table_of(&table);
    let wanted = indexes(&table, &layout)?;
    let made = crate::create_table::create_raw(
        inner,
        &name,
        definitions(&wanted)?,
        schema(LAYOUT_PK, Some(LAYOUT_SK))?,
        wanted.iter().map(gsi).collect::<Result<_>>()?,
    )
    .await?;
    if !made {
        if shared_keys(inner, &name).await? != Some(true) {
            return Err(Error::Invalid {
                what: "layout",
                detail: format!(
                    "table `{name}` exists, keyed otherwise than a shared table (`PK`, `SK`): \
                     name the layout's table after no table of its own"
                ),
            });
        }
        let have = crate::update_table::index_names(inner, &name).await?;
        for index in wanted.iter().filter(|i| !have.contains(&i.name)) {
            // Every key attribute the table has, as DynamoDB merges them.
            let mut all = crate::update_table::attribute_definitions_of(inner, &name).await?;
            for d in definitions(std::slice::from_ref(index))? {
                if !all.iter().any(|a| a.attribute_name() == d.attribute_name()) {
                    all.push(d);
                }
            }
            crate::update_table::create_index(inner, &name, gsi(index)?, all).await?;
        }
    }
    if crate::ttl::deleted_by_dynamodb(&table) {
        crate::ttl::refuse_children(inner, &table).await?;
        let on = crate::describe_time_to_live::ttl_attribute(inner, &name).await?;
        if on.is_none() {
            crate::update_time_to_live::set_ttl(inner, &name, true).await?;
        }
    }
    Ok(())
}

/// Deletes every item of `table` from its shared table, and its record;
/// the shared table itself when no entity is left in it.
pub(crate) async fn drop(inner: &Inner, table: TableDef, layout: Layout) -> Result<()> {
    let name = inner.table_of(&table);
    let is_type = keyway::Expr::Cmp {
        column: LAYOUT_TYPE,
        op: keyway::CmpOp::Eq,
        value: Value::Text(layout.entity_type.to_owned()),
    };
    let scan = crate::scan::build(
        &inner.client,
        &name,
        &table,
        Some(&is_type),
        Some(&[LAYOUT_PK, LAYOUT_SK]),
        None,
        false,
    )?;
    let items: Vec<Item> = match page::pages(scan).try_collect::<Vec<_>>().await {
        Ok(pages) => pages.into_iter().flat_map(|p| p.items).collect(),
        Err(e) if is_missing_table(&e) => Vec::new(),
        Err(e) => return Err(e),
    };
    crate::batch_write_item::delete_keys(inner, &name, items).await?;
    crate::meta::delete(inner, record_key(&layout, &table), table.name).await?;
    // The table goes with its last entity, if it is a shared table.
    if recorded(inner, &layout).await?.is_empty() && shared_keys(inner, &name).await? == Some(true)
    {
        crate::delete_table::delete_physical(inner, &name).await?;
    }
    Ok(())
}

/// Whether the table called `name` is keyed `PK`, `SK` as a shared table
/// is; `None` when it does not exist.
async fn shared_keys(inner: &Inner, name: &str) -> Result<Option<bool>> {
    let described = inner.client.describe_table().table_name(name).send().await;
    let desc = match described {
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
    let keys: Vec<(String, String)> = desc
        .and_then(|d| d.key_schema)
        .unwrap_or_default()
        .into_iter()
        .map(|k| (k.attribute_name, k.key_type.as_str().to_owned()))
        .collect();
    let want = [(LAYOUT_PK, "HASH"), (LAYOUT_SK, "RANGE")];
    Ok(Some(
        keys.len() == 2
            && want
                .iter()
                .all(|(a, t)| keys.iter().any(|(n, k)| n == a && k == t)),
    ))
}

/// The entity recorded in the shared table of `layout` as table `name`.
pub(crate) async fn recorded_entity(
    inner: &Inner,
    layout: &Layout,
    name: &str,
) -> Result<Option<TableDef>> {
    Ok(recorded(inner, layout)
        .await?
        .into_iter()
        .find(|t| t.name == name))
}

/// Whether `table` is recorded in its shared table (its `create_table`
/// ran, and no `drop_table` since).
pub(crate) async fn is_recorded(inner: &Inner, table: &TableDef, layout: &Layout) -> Result<bool> {
    Ok(recorded(inner, layout)
        .await?
        .iter()
        .any(|t| t.name == table.name))
}

/// The entity's part of its shared table as `create_table` makes it: the
/// key `PK`/`SK` and the indexes it needs.
pub(crate) fn declared(table: &TableDef, layout: &Layout) -> Result<keyway::TableSchema> {
    let wanted = indexes(table, layout)?;
    let mut columns = vec![column(LAYOUT_PK, "S"), column(LAYOUT_SK, "S")];
    for (name, ty) in wanted.iter().flat_map(|i| &i.keys) {
        if columns.iter().all(|c| c.name != *name) {
            columns.push(column(name, ty.as_str()));
        }
    }
    let mut indexes: Vec<keyway::IndexSchema> = wanted
        .into_iter()
        .map(|i| keyway::IndexSchema {
            name: i.name,
            columns: i.keys.into_iter().map(|(n, _)| n).collect(),
            unique: false,
        })
        .collect();
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(keyway::TableSchema {
        name: table.name.to_owned(),
        columns,
        primary_key: vec![LAYOUT_PK.to_owned(), LAYOUT_SK.to_owned()],
        indexes,
        foreign_keys: Vec::new(),
        time_to_live: crate::ttl::deleted_by_dynamodb(table)
            .then(|| keyway::TTL_ATTRIBUTE.to_owned()),
    })
}

fn column(name: &str, ty: &str) -> keyway::ColumnSchema {
    keyway::ColumnSchema {
        name: name.to_owned(),
        ty: ty.to_owned(),
        nullable: false,
        default: None,
    }
}
