//! Inserts, updates and deletes, built as groups of item writes (an item and
//! its unique-value sentinels) and run directly or buffered by a transaction.
//!
//! Inserts use `attribute_not_exists` on the key: a duplicate key is
//! `UniqueViolation { index: "PRIMARY" }`. Several rows go through
//! BatchWriteItem when nothing can conflict (an auto key and no unique
//! column); otherwise through TransactWriteItems in chunks of at most 100
//! writes, because BatchWriteItem cannot be conditional. Each chunk is
//! atomic; an insert needing several chunks is not. Updates and deletes by
//! filter first find the keys (Query, or Scan for `.scan()` queries), then
//! write each item with the condition that it still exists. A row written
//! with a non-NULL foreign key carries a ConditionCheck on its parent, and
//! a delete from a table that others reference applies their `ON DELETE`
//! (`foreign_keys`).

use std::collections::HashSet;
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use keyway::{
    ColumnType, DeleteStmt, Error, Expr, IndexSpec, InsertStmt, Result, TableDef, UpdateStmt, Value,
};

use crate::action::{Action, Op, Role};
use crate::connect::Inner;
use crate::marshal::{Item, from_attr, row_to_item};
use crate::names::Names;
use crate::plan::{Request, plan_lookup};
use crate::read::{key_item, lookup};
use crate::schema::{primary_key, unique_indexes};
use crate::transact_write_items::{MAX_ACTIONS, transact};
use crate::tx_buffer::Buffer;
use crate::unique::{claim, release, sentinel};
use crate::update_item::set_remove;
use crate::{auto_key, batch_write_item, foreign_keys, references};

/// The writes of one insert.
pub(crate) struct Inserts {
    /// One group per row: the item, then its sentinels.
    pub(crate) groups: Vec<Vec<Action>>,
    /// The generated keys, in row order (empty without an auto column).
    pub(crate) keys: Vec<Value>,
    /// Whether a write can conflict (so BatchWriteItem cannot be used).
    pub(crate) conditional: bool,
}

fn column_type(table: &TableDef, column: &str) -> ColumnType {
    table.sql_column(column).map_or(ColumnType::Text, |c| c.ty)
}

fn duplicate(table: &TableDef, index: &str) -> Error {
    Error::UniqueViolation {
        entity: table.entity,
        index: index.to_owned(),
    }
}

/// Builds the writes of an insert, taking auto keys from the counter.
pub(crate) async fn prepare_insert(inner: &Inner, stmt: InsertStmt) -> Result<Inserts> {
    let table = stmt.table;
    let (pk, _) = primary_key(&table)?;
    let uniques = unique_indexes(&table);
    let mut rows = stmt.rows;
    let mut keys = Vec::new();
    if let Some((at, _)) = table.auto_column() {
        keys = auto_key::allocate(inner, &table, rows.len()).await?;
        for (row, key) in rows.iter_mut().zip(&keys) {
            if let Some(slot) = row.get_mut(at) {
                *slot = key.clone();
            }
        }
    }
    let name = inner.table_of(&table);
    let mut seen = HashSet::new();
    let mut groups = Vec::with_capacity(rows.len());
    for row in rows {
        let value_of = |c: &str| {
            let i = table.columns.iter().position(|d| d.name == c);
            i.and_then(|i| row.get(i).cloned()).unwrap_or(Value::Null)
        };
        let mut group = Vec::with_capacity(1 + uniques.len());
        for index in &uniques {
            if let Some(k) = sentinel(index, value_of) {
                if !seen.insert(k.clone()) {
                    return Err(duplicate(&table, &index.name));
                }
                group.push(claim(inner, &table, index, k));
            }
        }
        let item = row_to_item(&table, row)?;
        let mut names = Names::of(&table);
        let cond = format!("attribute_not_exists({})", names.name(pk.name));
        let put = Action::new(
            name.clone(),
            table.entity,
            Op::Put(item),
            Some(cond),
            names,
            Role::Insert,
        );
        if !seen.insert(put.target()) {
            return Err(duplicate(&table, "PRIMARY"));
        }
        group.insert(0, put);
        groups.push(group);
    }
    let conditional = table.auto_column().is_none() || !uniques.is_empty();
    Ok(Inserts {
        groups,
        keys,
        conditional,
    })
}

/// Runs an insert now.
pub(crate) async fn insert(inner: &Arc<Inner>, stmt: InsertStmt) -> Result<Vec<Value>> {
    let name = inner.table_of(&stmt.table);
    let table = stmt.table;
    let Inserts {
        mut groups,
        keys,
        mut conditional,
    } = prepare_insert(inner, stmt).await?;
    conditional |= foreign_keys::add_insert_checks(inner, &table, &mut groups)?;
    if !conditional {
        let requests = groups
            .into_iter()
            .flatten()
            .filter_map(|a| match a.op {
                Op::Put(item) => Some(item),
                _ => None,
            })
            .map(|item| {
                let put = aws_sdk_dynamodb::types::PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map_err(|e| crate::errors::malformed("BatchWriteItem", &e.to_string()))?;
                Ok(aws_sdk_dynamodb::types::WriteRequest::builder()
                    .put_request(put)
                    .build())
            })
            .collect::<Result<Vec<_>>>()?;
        batch_write_item::batch_write_item(inner, &name, requests).await?;
        return Ok(keys);
    }
    if let [group] = groups.as_slice()
        && let [action] = group.as_slice()
    {
        action.clone().run(&inner.client).await?;
        return Ok(keys);
    }
    let mut chunk: Vec<Action> = Vec::new();
    for group in groups {
        if chunk.len() + group.len() > MAX_ACTIONS {
            transact(&inner.client, std::mem::take(&mut chunk)).await?;
        }
        // One check per parent and transaction: DynamoDB refuses two
        // operations on one item.
        for action in group {
            let repeated = matches!(action.op, Op::Check(_))
                && chunk.iter().any(|a| a.target() == action.target());
            if !repeated {
                chunk.push(action);
            }
        }
    }
    if !chunk.is_empty() {
        transact(&inner.client, chunk).await?;
    }
    Ok(keys)
}

/// An item a filter matched: its key, and the columns read with it.
struct Target {
    key: Item,
    old: Option<Item>,
}

/// Finds the items matching `filter`, reading `need` beside their keys.
/// Without `verify`, a by-key filter is trusted without a read.
async fn targets(
    inner: &Arc<Inner>,
    table: &TableDef,
    filter: Option<&Expr>,
    need: &[&'static str],
    verify: bool,
) -> Result<Vec<Target>> {
    let plan = plan_lookup(table, filter)?;
    if let [Request::Get(parts)] = plan.requests.as_slice()
        && need.is_empty()
        && !verify
    {
        let key = key_item(table, parts.clone())?;
        return Ok(vec![Target { key, old: None }]);
    }
    let keys = crate::layout::key_attributes(table);
    let mut projection = keys.clone();
    // In a shared table, the key columns too (the item is found by them).
    if table.layout.is_some() {
        projection.extend(table.key_columns().map(|c| c.name));
    }
    projection.extend(need.iter().filter(|c| !keys.contains(c)));
    let mut seen = HashSet::new();
    projection.retain(|c| seen.insert(*c));
    let items = lookup(inner.clone(), *table, plan, projection).await?;
    Ok(items
        .into_iter()
        .map(|item| {
            let key = keys
                .iter()
                .filter_map(|k| item.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                .collect();
            Target {
                key,
                old: Some(item),
            }
        })
        .collect())
}

/// The condition that the item exists, still holds `old`'s `guarded`
/// columns, and meets the write's own `condition` (`only_if`, a version).
fn guard(
    names: &mut Names,
    table: &TableDef,
    old: Option<&Item>,
    guarded: &[&'static str],
    condition: Option<&Expr>,
) -> Result<String> {
    let (pk, _) = primary_key(table)?;
    let mut cond = format!("attribute_exists({})", names.name(pk.name));
    for c in guarded {
        let n = names.name(c);
        match old.and_then(|o| crate::embedded::attr(table, o, c)) {
            Some(v) => {
                let v = names.attr(v.clone());
                cond.push_str(&format!(" AND {n} = {v}"));
            }
            None => cond.push_str(&format!(" AND attribute_not_exists({n})")),
        }
    }
    if let Some(condition) = condition {
        // Already in parentheses where it needs them (DynamoDB refuses
        // redundant ones).
        cond.push_str(" AND ");
        cond.push_str(&names.condition(condition)?);
    }
    Ok(cond)
}

pub(crate) fn old_value(table: &TableDef, old: Option<&Item>, column: &str) -> Value {
    let attr = old
        .and_then(|o| crate::embedded::attr(table, o, column))
        .cloned();
    from_attr(attr, column_type(table, column)).unwrap_or(Value::Null)
}

fn columns_of(indexes: &[IndexSpec]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for c in indexes.iter().flat_map(|i| i.columns.iter()) {
        if !out.contains(c) {
            out.push(c);
        }
    }
    out
}

/// What keyway reads of each item before writing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// What the write needs (the columns of the unique values it moves);
    /// `verify` reads even an item found by key.
    Needed { verify: bool },
    /// The whole item, written only while it is still that item: every
    /// column is in the write's condition.
    Whole,
}

/// Builds the writes of an update: per item, an UpdateItem of the set
/// columns (NULL removes the attribute), plus moved sentinels; each with
/// the item as it was read.
pub(crate) async fn prepare_update(
    inner: &Arc<Inner>,
    stmt: UpdateStmt,
    read: Read,
) -> Result<Vec<(Vec<Action>, Option<Item>)>> {
    let table = stmt.table;
    crate::item_size::check_set(&table, &stmt.set)?;
    let written =
        |c: &str| stmt.set.iter().any(|(s, _)| *s == c) || stmt.add.iter().any(|(a, _)| *a == c);
    let touched: Vec<IndexSpec> = unique_indexes(&table)
        .into_iter()
        .filter(|i| i.columns.iter().any(|c| written(c)))
        .collect();
    let mut need = match read {
        Read::Needed { .. } => columns_of(&touched),
        Read::Whole => non_key_columns(&table),
    };
    // The columns rendering the layout index keys the update moves.
    let moved = crate::layout::moved(&table, &|c| stmt.set.iter().any(|(s, _)| *s == c));
    if let Some((c, _)) = stmt.add.iter().find(|(c, _)| {
        table.layout.is_some_and(|l| {
            l.indexes
                .iter()
                .any(|i| crate::layout::index_columns(i).contains(c))
        })
    }) {
        return Err(Error::Unsupported {
            backend: "dynamodb",
            detail: format!(
                "`{}.{c}` is in a layout index's key template: set its new value instead of \
                 adding to it",
                table.entity
            ),
        });
    }
    crate::tx_buffer::add_all(&mut need, &moved);
    let verify = read != Read::Needed { verify: false };
    let found = targets(inner, &table, stmt.filter.as_ref(), &need, verify).await?;
    let name = inner.table_of(&table);
    let mut groups = Vec::with_capacity(found.len());
    let mut base = stmt.set.clone();
    crate::ttl::beside(&table, &mut base);
    for t in found {
        let mut set = base.clone();
        let old = |c: &str| Some(old_value(&table, t.old.as_ref(), c));
        crate::layout::beside(&table, &old, &mut set)?;
        let mut names = Names::of(&table);
        let (mut sets, mut removes) = (Vec::new(), Vec::new());
        for (col, v) in &set {
            let n = names.name(col);
            match crate::embedded::encode(&table, col, v.clone())? {
                Some(a) => {
                    let p = names.attr(a);
                    sets.push(format!("{n} = {p}"));
                }
                None => removes.push(n),
            }
        }
        let (paths, parents) = crate::path_set::clauses(&mut names, table.entity, &stmt.paths)?;
        sets.extend(paths);
        let mut cond = guard(
            &mut names,
            &table,
            t.old.as_ref(),
            &need,
            stmt.condition.as_ref(),
        )?;
        // `#n = #n + :v`, where the sum stays in the column's range
        // (DynamoDB's numbers would hold it, keyway's types not).
        for (col, amount) in &stmt.add {
            let n = names.name(col);
            let v = names.value(col, amount.clone())?;
            sets.push(format!("{n} = {n} + {v}"));
            // An expiry in Unix seconds moves its TTL attribute as much.
            if crate::ttl::is_expiry(&table, col) && crate::ttl::written(&table) {
                let ttl = names.name(keyway::TTL_ATTRIBUTE);
                sets.push(format!("{ttl} = {n} + {v}"));
            }
            if let Some((op, limit)) = keyway::counter_headroom(amount) {
                let limit = names.value(col, limit)?;
                let op = if op == keyway::CmpOp::Le { "<=" } else { ">=" };
                cond.push_str(&format!(" AND {n} {op} {limit}"));
            }
        }
        let expression = set_remove(&sets, &removes);
        for parent in parents {
            cond.push_str(" AND ");
            cond.push_str(&parent);
        }
        let op = Op::Update {
            key: t.key,
            expression,
        };
        let mut group = vec![Action::new(
            name.clone(),
            table.entity,
            op,
            Some(cond),
            names,
            Role::Existing,
        )];
        for index in &touched {
            let old = sentinel(index, |c| old_value(&table, t.old.as_ref(), c));
            let new = sentinel(index, |c| {
                let old = old_value(&table, t.old.as_ref(), c);
                match (
                    stmt.set.iter().find(|(s, _)| *s == c),
                    stmt.add.iter().find(|(a, _)| *a == c),
                ) {
                    (Some((_, v)), _) => v.clone(),
                    // Out of range: the write's condition refuses it.
                    (None, Some((_, amount))) => keyway::counter_sum(&old, amount).unwrap_or(old),
                    (None, None) => old,
                }
            });
            if old != new {
                group.extend(old.map(|k| release(inner, &table, k)));
                group.extend(new.map(|k| claim(inner, &table, index, k)));
            }
        }
        groups.push((group, t.old));
    }
    Ok(groups)
}

/// Every column of `table` but its key's.
pub(crate) fn non_key_columns(table: &TableDef) -> Vec<&'static str> {
    let columns = table.columns.iter().filter(|c| !c.is_key());
    columns.map(|c| c.name).collect()
}

/// Builds the writes of a delete: per item, a DeleteItem plus its released sentinels.
pub(crate) async fn prepare_delete(
    inner: &Arc<Inner>,
    stmt: DeleteStmt,
    read: Read,
) -> Result<Vec<(Vec<Action>, Option<Item>)>> {
    let table = stmt.table;
    let uniques = unique_indexes(&table);
    let need = match read {
        Read::Needed { .. } => columns_of(&uniques),
        Read::Whole => non_key_columns(&table),
    };
    let verify = read != Read::Needed { verify: false };
    let found = targets(inner, &table, stmt.filter.as_ref(), &need, verify).await?;
    let name = inner.table_of(&table);
    let mut groups = Vec::with_capacity(found.len());
    for t in found {
        let mut names = Names::of(&table);
        let cond = guard(
            &mut names,
            &table,
            t.old.as_ref(),
            &need,
            stmt.condition.as_ref(),
        )?;
        let op = Op::Delete(t.key);
        let mut group = vec![Action::new(
            name.clone(),
            table.entity,
            op,
            Some(cond),
            names,
            Role::Existing,
        )];
        for index in &uniques {
            let k = sentinel(index, |c| old_value(&table, t.old.as_ref(), c));
            group.extend(k.map(|k| release(inner, &table, k)));
        }
        groups.push((group, t.old));
    }
    Ok(groups)
}

/// Runs item groups now (concurrently, bounded); returns how many matched.
/// A group whose item no longer exists did not match.
async fn run_groups(inner: &Arc<Inner>, groups: Vec<Vec<Action>>) -> Result<u64> {
    let done: Vec<bool> = futures::stream::iter(groups)
        .map(|mut group| async move {
            let ran = if group.len() == 1 {
                group.remove(0).run(&inner.client).await
            } else {
                transact(&inner.client, group).await
            };
            match ran {
                Ok(()) => Ok(true),
                Err(Error::ConditionFailed) => Ok(false),
                Err(e) => Err(e),
            }
        })
        .buffer_unordered(inner.concurrency)
        .try_collect()
        .await?;
    Ok(done.into_iter().filter(|d| *d).count() as u64)
}

/// Runs an update now.
pub(crate) async fn update(inner: &Arc<Inner>, stmt: UpdateStmt) -> Result<u64> {
    let (table, set) = (stmt.table, stmt.set.clone());
    let mut groups = prepare_update(inner, stmt, Read::Needed { verify: false }).await?;
    foreign_keys::add_update_checks(inner, &table, &set, groups.iter_mut().map(|(g, _)| g))?;
    run_groups(inner, groups.into_iter().map(|(g, _)| g).collect()).await
}

/// Runs a delete now. A table that child tables reference deletes through
/// a buffer of its rows and their children's `ON DELETE` (`foreign_keys`).
pub(crate) async fn delete(inner: &Arc<Inner>, stmt: DeleteStmt) -> Result<u64> {
    if !references::children(inner, stmt.table.name)
        .await?
        .is_empty()
    {
        let mut buffer = Buffer::default();
        let found = foreign_keys::delete_into(inner, &mut buffer, &stmt, false).await?;
        buffer.run_chunked(inner).await?;
        return Ok(found.len() as u64);
    }
    let groups = prepare_delete(inner, stmt, Read::Needed { verify: false }).await?;
    run_groups(inner, groups.into_iter().map(|(g, _)| g).collect()).await
}
