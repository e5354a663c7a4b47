//! Migration steps on DynamoDB, applied one by one.
//!
//! A table's attributes are not declared, so adding a column changes
//! nothing, and altering one changes nothing when DynamoDB stores both
//! types alike (every number is `N`). Dropping a column removes its
//! attribute from every item, renaming one moves it, so that the data
//! reads as on SQL afterwards. Indexes and foreign keys are global
//! secondary indexes (created and deleted by UpdateTable, waiting for
//! ACTIVE), unique sentinels (claimed for every item, refusing
//! duplicates, or released), and the references a parent's deletes follow.
//! What DynamoDB cannot change in place (a table's name, its key, a column
//! an index is keyed on) is refused with what to do instead.

use aws_sdk_dynamodb::types::AttributeValue;
use futures::TryStreamExt;
use keyway::migrate::{Change, Step, TableSpec};
use keyway::{ColumnType, Error, IndexSpec, Result, TableDef};

use crate::action::{Action, Op, Role};
use crate::connect::Inner;
use crate::marshal::Item;
use crate::names::Names;
use crate::schema::{gsis, primary_key, unique_indexes};
use crate::update_table::{create_gsi, delete_gsi};
use crate::{create_table, delete_table, page, references, scan, unique};

/// The keyway type of a key attribute of DynamoDB type `catalog` (`S`,
/// `N`, `B`): the one keyway stores so by default.
pub(crate) fn portable_type(catalog: &str) -> Option<keyway::migrate::TypeSpec> {
    let ty = match catalog {
        "S" => ColumnType::Text,
        "N" => ColumnType::I64,
        "B" => ColumnType::Bytes,
        _ => return None,
    };
    Some(keyway::migrate::TypeSpec { ty, decimal: None })
}

/// The calls applying `change` makes, for a person to read.
pub(crate) fn render(inner: &Inner, change: &Change<'_>) -> Result<Vec<String>> {
    let name = |t: &str| inner.table_name(t);
    Ok(match change.step {
        Step::CreateTable { table } => {
            let def = table.to_def()?;
            let mut out = vec![match &def.layout {
                Some(l) => format!(
                    "CreateTable {} (or UpdateTable: its missing indexes) for `{}`, entity type {}",
                    name(l.table),
                    table.name,
                    l.entity_type
                ),
                None => format!("CreateTable {}", name(&table.name)),
            }];
            out.extend(
                gsis(&def)?
                    .into_iter()
                    .map(|g| format!("  with index {}", g.name)),
            );
            out
        }
        Step::DropTable { table } => vec![format!("DeleteTable {}", name(&table.name))],
        Step::AddColumn { .. } | Step::AlterColumn { .. } | Step::Rust { .. } => {
            check(change)?;
            Vec::new()
        }
        Step::SetExpiry { table, to, .. } => {
            crate::migrate_expiry::render(&name(table), to.as_deref())
        }
        Step::DropColumn { table, column } => vec![format!(
            "UpdateItem REMOVE {} on every item of {}",
            column.name,
            name(table)
        )],
        Step::RenameColumn { table, from, to } => {
            check(change)?;
            vec![format!(
                "UpdateItem SET {to} = {from} REMOVE {from} on every item of {}",
                name(table)
            )]
        }
        _ => {
            check(change)?;
            let (before, after) = (
                change.before_table()?.to_def()?,
                change.after_table()?.to_def()?,
            );
            let mut out = Vec::new();
            let (old, new) = (gsis(&before)?, gsis(&after)?);
            for g in old.iter().filter(|g| !new.iter().any(|n| n.name == g.name)) {
                out.push(format!(
                    "UpdateTable {} delete index {}",
                    name(after.name),
                    g.name
                ));
            }
            for g in new.iter().filter(|g| !old.iter().any(|o| o.name == g.name)) {
                out.push(format!(
                    "UpdateTable {} create index {}",
                    name(after.name),
                    g.name
                ));
            }
            for ix in added(&unique_indexes(&before), &unique_indexes(&after)) {
                out.push(format!("PutItem a unique sentinel of {} per item", ix.name));
            }
            for ix in added(&unique_indexes(&after), &unique_indexes(&before)) {
                out.push(format!("DeleteItem the unique sentinels of {}", ix.name));
            }
            out
        }
    })
}

/// Applies `change`.
pub(crate) async fn apply(inner: &Inner, change: &Change<'_>) -> Result<()> {
    check(change)?;
    crate::migration_lock::renew(inner).await?;
    match change.step {
        Step::CreateTable { table } => {
            // CreateTable itself accepts a table that exists; a migration
            // must not, or undoing it would delete another's items.
            let def = table.to_def()?;
            let name = inner.table_of(&def);
            let exists = match crate::layout::of(&def)? {
                // A shared table holds other entities: this one must be new.
                Some(layout) => crate::shared_table::is_recorded(inner, &def, &layout).await?,
                None => crate::describe_table::active(&inner.client, &name)
                    .await?
                    .is_some(),
            };
            if exists {
                return Err(Error::Invalid {
                    what: "migration",
                    detail: format!("table `{name}` exists already"),
                });
            }
            return create_table::create(inner, table.to_def()?).await;
        }
        Step::DropTable { table } => return delete_table::drop(inner, table.to_def()?).await,
        Step::AddColumn { .. } | Step::AlterColumn { .. } | Step::Rust { .. } => {}
        Step::SetExpiry { to, .. } => {
            let after = change.after_table()?.to_def()?;
            crate::migrate_expiry::apply(inner, &after, to.as_deref()).await?;
        }
        Step::DropColumn { column, .. } => {
            let before = change.before_table()?.to_def()?;
            rewrite(inner, &before, &[&column.name], |names, item| {
                let name = names.name(&column.name);
                Ok(item
                    .contains_key(&column.name)
                    .then(|| (format!("REMOVE {name}"), None)))
            })
            .await?;
        }
        Step::RenameColumn { from, to, .. } => {
            let before = change.before_table()?.to_def()?;
            rewrite(inner, &before, &[from], |names, item| {
                let (f, t) = (names.name(from), names.name(to));
                Ok(item
                    .contains_key(from)
                    .then(|| (format!("SET {t} = {f} REMOVE {f}"), None)))
            })
            .await?;
        }
        _ => indexes(inner, change).await?,
    }
    // A child's schema, as its parents' references hold it, follows it:
    // the references it keeps are written anew (over the old ones) before
    // those it drops go, so that a parent's delete always finds them.
    if let (Some(before), Some(after)) = (change.table_before(), change.table_after()) {
        if !after.foreign_keys.is_empty() {
            references::register(inner, &after.to_def()?).await?;
        }
        let gone: Vec<_> = before
            .foreign_keys
            .iter()
            .filter(|fk| after.foreign_key(&fk.column).is_none())
            .cloned()
            .collect();
        if !gone.is_empty() {
            let gone = TableSpec {
                foreign_keys: gone,
                ..before.clone()
            };
            references::unregister(inner, &gone.to_def()?).await?;
        }
    }
    Ok(())
}

/// Refuses what DynamoDB cannot change in place.
fn check(change: &Change<'_>) -> Result<()> {
    let refuse = |detail: String| {
        Err(Error::Unsupported {
            backend: "dynamodb",
            detail,
        })
    };
    match change.step {
        Step::AddColumn { table, column } if column.auto => refuse(format!(
            "adding `{table}.{}`, a key the database generates, to a table that exists",
            column.name
        )),
        Step::DropColumn { table, column } if column.embedded_in.is_some() => refuse(format!(
            "dropping `{table}.{}`, a field of the embedded struct `{}`: DynamoDB keeps the \
             struct as one map attribute; change the struct in a Rust step",
            column.name,
            column.embedded_in.as_deref().unwrap_or_default()
        )),
        Step::RenameTable { from, to } => refuse(format!(
            "renaming table `{from}` to `{to}`: DynamoDB cannot rename a table; declare the new \
             table as an entity of its own, copy the items in a Rust step, and drop the old one"
        )),
        Step::RenameColumn { table, from, .. } => {
            let before = change.table_before();
            let column = before.and_then(|t| t.column(from));
            if let Some(within) = column.and_then(|c| c.embedded_in.as_deref()) {
                return refuse(format!(
                    "renaming `{table}.{from}`, a field of the embedded struct `{within}`: \
                     DynamoDB keeps the struct as one map attribute; change the struct in a \
                     Rust step"
                ));
            }
            if before.is_some_and(|t| t.is_indexed(from)) {
                return refuse(format!(
                    "renaming `{table}.{from}`, which the table's key or an index is keyed on: \
                     DynamoDB cannot change a key attribute in place; drop the index in an \
                     earlier migration, or add a new column and copy it in a Rust step"
                ));
            }
            Ok(())
        }
        Step::AlterColumn { table, from, to } => {
            let stored = |t: ColumnType| match t {
                t if t.is_integer() => "N",
                ColumnType::F32 | ColumnType::F64 | ColumnType::Decimal => "N",
                ColumnType::Timestamp
                | ColumnType::DateTime
                | ColumnType::Date
                | ColumnType::Time => "N",
                ColumnType::Text | ColumnType::Uuid => "S",
                other => other.name(),
            };
            if stored(from.ty.ty) != stored(to.ty.ty) {
                return refuse(format!(
                    "changing `{table}.{}` from {} to {}: DynamoDB stores the two differently, \
                     and its items would not read as the new type; add a new column and copy \
                     it in a Rust step",
                    to.name, from.ty, to.ty
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The indexes of `new` that `old` does not have (by name).
fn added(old: &[IndexSpec], new: &[IndexSpec]) -> Vec<IndexSpec> {
    new.iter()
        .filter(|n| !old.iter().any(|o| o.name == n.name))
        .cloned()
        .collect()
}

/// An index or foreign key added or dropped: the GSIs, sentinels and
/// references that follow from the table before and after.
async fn indexes(inner: &Inner, change: &Change<'_>) -> Result<()> {
    let (before, after) = (
        change.before_table()?.to_def()?,
        change.after_table()?.to_def()?,
    );
    if let Step::AddForeignKey { foreign_key, .. } = change.step {
        parents_exist(inner, &after, &foreign_key.column).await?;
    }
    let (old, new) = (gsis(&before)?, gsis(&after)?);
    // What goes: the indexes first, then their sentinels (uniqueness holds
    // until the index is gone).
    for g in old.iter().filter(|g| !new.iter().any(|n| n.name == g.name)) {
        delete_gsi(inner, &after, &g.name).await?;
    }
    for ix in added(&unique_indexes(&after), &unique_indexes(&before)) {
        release_all(inner, &before, &ix).await?;
    }
    // What comes: the sentinels first (a duplicate stops the step before
    // any index is made), then the indexes; a failure gives back what this
    // step claimed.
    let claimed = added(&unique_indexes(&before), &unique_indexes(&after));
    let made = async {
        for ix in &claimed {
            claim_all(inner, &after, ix).await?;
        }
        for g in new.iter().filter(|g| !old.iter().any(|o| o.name == g.name)) {
            create_gsi(inner, &after, g).await?;
        }
        Ok(())
    }
    .await;
    if let Err(e) = made {
        for ix in &claimed {
            release_all(inner, &after, ix).await?;
        }
        return Err(e);
    }
    Ok(())
}

/// The items of `table`, with the key and `columns` only, a page (at most
/// 1 MB) at a time: a step goes through a table of any size in bounded
/// memory, renewing the migration lock's lease after each page.
fn item_pages(
    inner: &Inner,
    table: &TableDef,
    columns: &[&'static str],
) -> Result<futures::stream::BoxStream<'static, Result<page::Page>>> {
    let (part, sort) = primary_key(table)?;
    let mut projection = crate::layout::key_attributes(table);
    let keys: Vec<&'static str> = [Some(part.name), sort.map(|c| c.name)]
        .into_iter()
        .flatten()
        .collect();
    crate::tx_buffer::add_all(&mut projection, &keys);
    crate::tx_buffer::add_all(&mut projection, columns);
    // In a shared table, this entity's items only.
    let filter = crate::plan::typed(table, None);
    let request = scan::build(
        &inner.client,
        &inner.table_of(table),
        table,
        filter.as_ref(),
        Some(&projection),
        None,
        false,
    )?;
    Ok(page::pages(request))
}

/// The key attributes of `item`.
fn key_of(table: &TableDef, item: &Item) -> Result<Item> {
    primary_key(table)?;
    Ok(crate::tx_buffer::key_of(table, item))
}

/// Updates every item of `table` (read with the key and `columns`) with
/// the expression `update` writes for it, if any, conditioned on the item
/// still existing (and on the condition `update` gives with it: an item
/// that no longer holds it was changed meanwhile, and is left as the
/// writer left it).
pub(crate) async fn rewrite(
    inner: &Inner,
    table: &TableDef,
    columns: &[&str],
    update: impl Fn(&mut Names, &Item) -> Result<Option<(String, Option<String>)>>,
) -> Result<()> {
    let (part, _) = primary_key(table)?;
    let columns: Vec<&str> = columns
        .iter()
        .map(|c| keyway::migrate::static_name(c))
        .collect();
    let mut pages = item_pages(inner, table, &columns)?;
    while let Some(page) = pages.try_next().await? {
        crate::migration_lock::renew(inner).await?;
        for item in page.items {
            let mut names = Names::of(table);
            let Some((expression, also)) = update(&mut names, &item)? else {
                continue;
            };
            let mut condition = format!("attribute_exists({})", names.name(part.name));
            if let Some(also) = &also {
                condition = format!("{condition} AND {also}");
            }
            let action = Action::new(
                inner.table_of(table),
                table.entity,
                Op::Update {
                    key: key_of(table, &item)?,
                    expression,
                },
                Some(condition),
                names,
                Role::Existing,
            );
            match action.run(&inner.client).await {
                // Deleted meanwhile: nothing left to change.
                Err(Error::NotFound { .. }) => {}
                // Changed meanwhile: the writer wrote it as it should be.
                Err(Error::ConditionFailed) if also.is_some() => {}
                other => other?,
            }
        }
    }
    Ok(())
}

/// Claims the sentinel of unique index `ix` for every item of `table`;
/// a duplicate is `Error::UniqueViolation`.
async fn claim_all(inner: &Inner, table: &TableDef, ix: &IndexSpec) -> Result<()> {
    let mut pages = item_pages(inner, table, &ix.columns)?;
    while let Some(page) = pages.try_next().await? {
        crate::migration_lock::renew(inner).await?;
        for item in page.items {
            let value = |c: &str| crate::write::old_value(table, Some(&item), c);
            if let Some(k) = unique::sentinel(ix, value) {
                unique::claim(inner, table, ix, k)
                    .run(&inner.client)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Releases the sentinels of unique index `ix` of `table`.
async fn release_all(inner: &Inner, table: &TableDef, ix: &IndexSpec) -> Result<()> {
    let prefix = format!("unique#{}#", ix.name);
    delete_table::clear_meta_where(inner, table.name, |k| k.starts_with(&prefix)).await
}

/// Refuses a foreign key that an item's value would already break: every
/// child's non-NULL `column` must name an existing parent.
async fn parents_exist(inner: &Inner, child: &TableDef, column: &str) -> Result<()> {
    let Some(fk) = child.foreign_keys.iter().find(|fk| fk.column == column) else {
        return Ok(());
    };
    let parent = keyway::TableDef {
        entity: fk.parent_table,
        name: fk.parent_table,
        columns: &[],
        indexes: &[],
        foreign_keys: &[],
        layout: None,
    };
    let mut pages = item_pages(inner, child, &[fk.column])?;
    while let Some(page) = pages.try_next().await? {
        crate::migration_lock::renew(inner).await?;
        for item in page.items {
            let Some(value) = item.get(fk.column) else {
                continue;
            };
            if matches!(value, AttributeValue::Null(_)) {
                continue;
            }
            let mut with = Item::new();
            with.insert(fk.column.to_owned(), value.clone());
            let Some((parent_table, key)) =
                crate::foreign_keys::parent_key(inner, child, fk, &with)?
            else {
                continue;
            };
            let names = Names::of(&parent);
            let found = crate::get_item::get_item(
                &inner.client,
                &parent_table,
                key,
                Some(&[fk.parent_column]),
                names,
            )
            .await?;
            if found.is_none() {
                return Err(Error::ForeignKeyViolation {
                    entity: child.entity,
                    detail: format!(
                        "an item of `{}` has `{}` = {value:?}, which names no item of `{}`",
                        child.name, fk.column, fk.parent_table
                    ),
                });
            }
        }
    }
    Ok(())
}
