//! Foreign keys on DynamoDB, enforced as SQL enforces them.
//!
//! * **A child written with a non-NULL reference** carries a ConditionCheck
//!   (`attribute_exists` on the parent's key) in the TransactWriteItems of
//!   its write: a missing parent cancels the write with
//!   `Error::ForeignKeyViolation` naming the child. In a keyway transaction
//!   the parent is also looked up when the write is called (the buffer
//!   first, then a consistent GetItem), so the call fails as SQL's does.
//! * **Deleting a parent** looks up, for every foreign key recorded onto its
//!   table (`references`), the children through the foreign-key column's
//!   GSI (or the child's key when the column is its partition key).
//!   `Restrict`: any child fails the delete with `ForeignKeyViolation`
//!   naming the parent, and nothing is deleted. `Cascade`: the children are
//!   deleted too, their unique values released, and their own children
//!   followed. `SetNull`: the column is removed from the children (their GSI
//!   entry goes with it). Every write is conditioned on the child still
//!   referencing the parent.
//!
//! The writes of a delete go in one TransactWriteItems when they fit in
//! DynamoDB's 100; beyond, in chunks of 100, the deepest children first and
//! the deleted rows last: a failure part way leaves some children deleted,
//! never a parent deleted with children left. In a keyway transaction they
//! are buffered, and a transaction over 100 writes is refused.
//!
//! DynamoDB has no predicate locks, so one race remains: a child inserted
//! by another client after the children were looked up, and before the
//! parent's delete commits, is left referencing a deleted parent (its
//! ConditionCheck saw the parent still there). SQL's locks close that
//! window; on DynamoDB it is as wide as the delete's lookups.

use std::collections::VecDeque;
use std::sync::Arc;

use keyway::{CmpOp, DeleteStmt, Error, Expr, ForeignKeyDef, OnDelete, Result, TableDef, Value};

use crate::action::{Action, Op, Role};
use crate::connect::Inner;
use crate::errors::is_missing_table;
use crate::get_item::get_item;
use crate::marshal::Item;
use crate::names::Names;
use crate::references;
use crate::tx_buffer::{Buffer, key_of, value_in};
use crate::tx_view::find;

fn missing_detail(table: &TableDef, fk: &ForeignKeyDef) -> String {
    format!(
        "`{}.{}` references a `{}` row that does not exist (no `{}` with that value)",
        table.name, fk.column, fk.parent_table, fk.parent_column
    )
}

/// The error for a write of `table` whose `fk` references no row.
pub(crate) fn missing_parent(table: &TableDef, fk: &ForeignKeyDef) -> Error {
    Error::ForeignKeyViolation {
        entity: table.entity,
        detail: missing_detail(table, fk),
    }
}

/// The parent table (its DynamoDB name) and key `item` references through
/// `fk`, or `None` for a NULL reference.
pub(crate) fn parent_key(
    inner: &Inner,
    table: &TableDef,
    fk: &ForeignKeyDef,
    item: &Item,
) -> Result<Option<(String, Item)>> {
    let Some(value) = item.get(fk.column) else {
        return Ok(None);
    };
    Ok(Some(match &fk.parent_layout {
        Some(layout) => (
            inner.table_name(layout.table),
            crate::layout::parent_key(table, fk, layout, value)?,
        ),
        None => (
            inner.table_name(fk.parent_table),
            Item::from([(fk.parent_column.to_owned(), value.clone())]),
        ),
    }))
}

/// The ConditionCheck that the parent with `key` exists.
pub(crate) fn check(parent: &str, table: &TableDef, fk: &ForeignKeyDef, key: Item) -> Action {
    // The parent's column: not resolved against the child's fields.
    let mut names = Names::new(table.entity);
    let cond = format!("attribute_exists({})", names.name(fk.parent_column));
    let detail = missing_detail(table, fk);
    Action::new(
        parent.to_owned(),
        table.entity,
        Op::Check(key),
        Some(cond),
        names,
        Role::Parent(detail),
    )
}

/// Adds to each group of an insert (its first action the Put) the checks
/// of its row's references; returns whether any was added. A reference to
/// a row of the same insert (a self-referencing table) is not checked.
pub(crate) fn add_insert_checks(
    inner: &Inner,
    table: &TableDef,
    groups: &mut [Vec<Action>],
) -> Result<bool> {
    if table.foreign_keys.is_empty() {
        return Ok(false);
    }
    let rows: Vec<Item> = groups
        .iter()
        .filter_map(|g| match g.first().map(|a| &a.op) {
            Some(Op::Put(item)) => Some(key_of(table, item)),
            _ => None,
        })
        .collect();
    let mut added = false;
    for group in groups.iter_mut() {
        let Some(Op::Put(item)) = group.first().map(|a| a.op.clone()) else {
            continue;
        };
        for fk in table.foreign_keys {
            let Some((parent, key)) = parent_key(inner, table, fk, &item)? else {
                continue;
            };
            if fk.parent_table == table.name && rows.contains(&key) {
                continue;
            }
            group.push(check(&parent, table, fk, key));
            added = true;
        }
    }
    Ok(added)
}

/// Adds to each group of an update (its first action the item's write) the
/// checks of the references it sets to a non-NULL value.
pub(crate) fn add_update_checks<'g>(
    inner: &Inner,
    table: &TableDef,
    set: &[(&'static str, Value)],
    groups: impl IntoIterator<Item = &'g mut Vec<Action>>,
) -> Result<()> {
    let mut written = Item::new();
    for (column, v) in set {
        if table.foreign_keys.iter().any(|f| f.column == *column)
            && let Some(a) = crate::marshal::to_attr(v.clone(), table.entity, column)?
        {
            written.insert((*column).to_owned(), a);
        }
    }
    for group in groups {
        let own = match group.first().map(|a| &a.op) {
            Some(Op::Update { key, .. } | Op::Delete(key) | Op::Put(key)) => key.clone(),
            _ => continue,
        };
        for fk in table.foreign_keys {
            let Some((parent, key)) = parent_key(inner, table, fk, &written)? else {
                continue;
            };
            if fk.parent_table == table.name && key == own {
                continue;
            }
            group.push(check(&parent, table, fk, key));
        }
    }
    Ok(())
}

/// Checks now, in a transaction, that the parents `item`'s references
/// `columns` (every reference when `None`) name exist: as `buffer` holds
/// them, else as the table does.
pub(crate) async fn check_now(
    inner: &Inner,
    buffer: &Buffer,
    table: &TableDef,
    item: &Item,
    columns: Option<&[&'static str]>,
) -> Result<()> {
    for fk in table.foreign_keys {
        if columns.is_some_and(|c| !c.contains(&fk.column)) {
            continue;
        }
        let Some((parent, key)) = parent_key(inner, table, fk, item)? else {
            continue;
        };
        if fk.parent_table == table.name && key == key_of(table, item) {
            continue;
        }
        let exists = match buffer.view_named(fk.parent_table, &key) {
            Some(seen) => seen.is_some(),
            None => {
                let proj = [fk.parent_column];
                let names = crate::names::Names::new(table.entity);
                let got = get_item(&inner.client, &parent, key, Some(&proj), names).await;
                match got {
                    Ok(got) => got.is_some(),
                    Err(e) if is_missing_table(&e) => false,
                    Err(e) => return Err(e),
                }
            }
        };
        if !exists {
            return Err(missing_parent(table, fk));
        }
    }
    Ok(())
}

/// The children of `item` (a row of `parent`) through `r`, as `buffer` sees them.
async fn children_of(
    inner: &Arc<Inner>,
    buffer: &Buffer,
    parent: &TableDef,
    item: &Item,
    r: &references::ChildRef,
) -> Result<Vec<Item>> {
    let value = value_in(parent, item, r.fk.parent_column);
    if value.is_null() {
        return Ok(Vec::new());
    }
    let filter = Expr::Cmp {
        column: r.fk.column,
        op: CmpOp::Eq,
        value,
    };
    match find(inner, buffer, &r.child, Some(&filter)).await {
        Err(e) if is_missing_table(&e) => Ok(Vec::new()),
        other => other,
    }
}

/// Deletes into `buffer` the rows of `table` matching `filter`, with what
/// their foreign keys' `ON DELETE` asks of their children; returns the
/// rows of `table` matched, as read. On an error the buffer is half written: the
/// caller discards it.
pub(crate) async fn delete_into(
    inner: &Arc<Inner>,
    buffer: &mut Buffer,
    stmt: &DeleteStmt,
    whole: bool,
) -> Result<Vec<Item>> {
    let table = &stmt.table;
    let found = find(inner, buffer, table, stmt.rows_written().as_ref()).await?;
    // The columns the delete's condition read must not change before the
    // commit: the condition still holds then. With `whole`, none of the
    // item's columns may: the items returned are those deleted.
    let mut condition = Vec::new();
    if let Some(c) = &stmt.condition {
        crate::eval::columns(c, &mut condition);
    }
    if whole {
        let every = crate::write::non_key_columns(table);
        crate::tx_buffer::add_all(&mut condition, &every);
    }
    let mut queue: VecDeque<(TableDef, Item, usize, Option<&'static str>)> =
        found.iter().map(|i| (*table, i.clone(), 0, None)).collect();
    while let Some((t, item, depth, via)) = queue.pop_front() {
        if buffer.view(&t, &key_of(&t, &item)) == Some(None) {
            continue; // reached twice (two paths, or a cycle)
        }
        let mut guards: Vec<&'static str> = via.into_iter().collect();
        if depth == 0 {
            guards.extend(&condition);
        }
        buffer.delete(&t, item.clone(), &guards, depth);
        for r in references::children(inner, t.name).await?.iter() {
            let kids = children_of(inner, buffer, &t, &item, r).await?;
            if kids.is_empty() {
                continue;
            }
            match r.fk.on_delete {
                OnDelete::Restrict => {
                    return Err(Error::ForeignKeyViolation {
                        entity: table.entity,
                        detail: format!(
                            "{} `{}` row(s) still reference this `{}` row through `{}.{}` \
                             (ON DELETE RESTRICT)",
                            kids.len(),
                            r.child.name,
                            t.name,
                            r.child.name,
                            r.fk.column
                        ),
                    });
                }
                OnDelete::Cascade => {
                    let next = kids
                        .into_iter()
                        .map(|k| (r.child, k, depth + 1, Some(r.fk.column)));
                    queue.extend(next);
                }
                OnDelete::SetNull => {
                    let nullable = r.child.column(r.fk.column).is_some_and(|c| c.nullable);
                    if !nullable {
                        return Err(Error::NotNullViolation {
                            entity: r.child.entity,
                            column: r.fk.column.to_owned(),
                        });
                    }
                    // The layout index keys it renders leave with it, from
                    // columns that must still be as read at the commit.
                    let mut guards = vec![r.fk.column];
                    let moved = crate::layout::moved(&r.child, &|c| c == r.fk.column);
                    crate::tx_buffer::add_all(&mut guards, &moved);
                    for k in kids {
                        let mut set = vec![(r.fk.column, Value::Null)];
                        let old = |c: &str| Some(value_in(&r.child, &k, c));
                        crate::layout::beside(&r.child, &old, &mut set)?;
                        buffer.update(&r.child, k, &set, &guards, depth + 1)?;
                    }
                }
            }
        }
    }
    Ok(found)
}
