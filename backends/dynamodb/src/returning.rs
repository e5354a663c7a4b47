//! Updates and deletes that return their items (`.returning()`), outside a
//! transaction.
//!
//! An item written alone comes back with the write: `ReturnValues=ALL_NEW`
//! on UpdateItem, `ALL_OLD` on DeleteItem. A write that also moves unique
//! values or checks a parent is a TransactWriteItems, which returns
//! nothing: the item is read whole first and written on the condition that
//! every column still holds what was read, so the item returned (as read,
//! or with the update applied) is exactly the one written. When another
//! writer got in between, the item is read and written again, a bounded
//! number of times.

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};
use keyway::{CmpOp, DeleteStmt, Error, Expr, Result, TableDef, UpdateStmt};

use crate::action::{Action, Op};
use crate::apply_update::apply_update;
use crate::connect::Inner;
use crate::marshal::{Item, from_attr};
use crate::transact_write_items::transact;
use crate::tx_buffer::Buffer;
use crate::write::{Read, prepare_delete, prepare_update};
use crate::{foreign_keys, references};

/// How many times an item that keeps changing is read and written again.
const ATTEMPTS: usize = 5;

/// Runs an update now; returns the items as written.
pub(crate) async fn update(inner: &Arc<Inner>, stmt: UpdateStmt) -> Result<Vec<Item>> {
    let (table, set) = (stmt.table, stmt.set.clone());
    let read = Read::Needed {
        verify: shared(&table),
    };
    let mut groups = prepare_update(inner, stmt.clone(), read).await?;
    foreign_keys::add_update_checks(inner, &table, &set, groups.iter_mut().map(|(g, _)| g))?;
    let stmt = &stmt;
    let items: Vec<Option<Item>> = futures::stream::iter(groups)
        .map(|(mut group, old)| async move {
            if group.len() == 1 {
                return unmatched(group.remove(0).run_returning(&inner.client).await);
            }
            exact_update(inner, stmt, ids(&group, old)?).await
        })
        .buffer_unordered(inner.concurrency)
        .try_collect()
        .await?;
    Ok(items.into_iter().flatten().collect())
}

/// Runs a delete now; returns the items as they were.
pub(crate) async fn delete(inner: &Arc<Inner>, stmt: DeleteStmt) -> Result<Vec<Item>> {
    let table = stmt.table;
    if !references::children(inner, table.name).await?.is_empty() {
        // Every column guarded until the buffer is written.
        let mut buffer = Buffer::default();
        let found = foreign_keys::delete_into(inner, &mut buffer, &stmt, true).await?;
        buffer.run_chunked(inner).await?;
        return Ok(found);
    }
    let read = Read::Needed {
        verify: shared(&table),
    };
    let groups = prepare_delete(inner, stmt.clone(), read).await?;
    let stmt = &stmt;
    let items: Vec<Option<Item>> = futures::stream::iter(groups)
        .map(|(mut group, old)| async move {
            if group.len() == 1 {
                return unmatched(group.remove(0).run_returning(&inner.client).await);
            }
            exact_delete(inner, stmt, ids(&group, old)?).await
        })
        .buffer_unordered(inner.concurrency)
        .try_collect()
        .await?;
    Ok(items.into_iter().flatten().collect())
}

/// Updates the item with `key` from a whole read of it, on the condition
/// that it is still as read; returns it as written.
async fn exact_update(inner: &Arc<Inner>, stmt: &UpdateStmt, key: Item) -> Result<Option<Item>> {
    let table = stmt.table;
    let mut one = stmt.clone();
    one.filter = Expr::both(Some(key_expr(&table, &key)?), stmt.filter.clone());
    for _ in 0..ATTEMPTS {
        let mut groups = prepare_update(inner, one.clone(), Read::Whole).await?;
        let found = groups.iter_mut().map(|(g, _)| g);
        foreign_keys::add_update_checks(inner, &table, &one.set, found)?;
        let Some((group, Some(old))) = groups.pop() else {
            return Ok(None);
        };
        if !holds(&table, one.condition.as_ref(), &old)? {
            return Ok(None);
        }
        let Some((_, next)) = apply_update(&table, &old, &one)? else {
            return Ok(None);
        };
        if let Some(done) = settle(transact(&inner.client, group).await, next)? {
            return Ok(done);
        }
    }
    Err(kept_changing(&table))
}

/// Deletes the item with `key` from a whole read of it, on the condition
/// that it is still as read; returns it as it was.
async fn exact_delete(inner: &Arc<Inner>, stmt: &DeleteStmt, key: Item) -> Result<Option<Item>> {
    let table = stmt.table;
    let mut one = stmt.clone();
    one.filter = Expr::both(Some(key_expr(&table, &key)?), stmt.filter.clone());
    for _ in 0..ATTEMPTS {
        let mut groups = prepare_delete(inner, one.clone(), Read::Whole).await?;
        let Some((group, Some(old))) = groups.pop() else {
            return Ok(None);
        };
        if !holds(&table, one.condition.as_ref(), &old)? {
            return Ok(None);
        }
        if let Some(done) = settle(transact(&inner.client, group).await, old)? {
            return Ok(done);
        }
    }
    Err(kept_changing(&table))
}

/// What a write of `item`'s group gives: the item, or `None` to read and
/// write again (the item changed since it was read).
fn settle(ran: Result<()>, item: Item) -> Result<Option<Option<Item>>> {
    match ran {
        Ok(()) => Ok(Some(Some(item))),
        Err(Error::ConditionFailed) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The error of an item that changed at every attempt.
fn kept_changing(table: &TableDef) -> Error {
    Error::TransactionConflict {
        detail: format!(
            "a `{}` item changed {ATTEMPTS} times while keyway wrote it: run the write again",
            table.entity
        ),
    }
}

/// A write's own condition failing on an item is the item not matching.
fn unmatched(ran: Result<Option<Item>>) -> Result<Option<Item>> {
    match ran {
        Err(Error::ConditionFailed) => Ok(None),
        other => other,
    }
}

/// Whether the write's own condition holds on `item`, read whole.
fn holds(table: &TableDef, condition: Option<&Expr>, item: &Item) -> Result<bool> {
    condition.map_or(Ok(true), |c| crate::eval::holds(c, item, table))
}

/// Whether `table`'s items are in a shared table, keyed by `PK`/`SK`:
/// their key columns are then read with the item to find it again.
fn shared(table: &TableDef) -> bool {
    table.layout.is_some()
}

/// The item holding the key columns of the item a group writes: as read
/// (in a shared table, whose key item is `PK`/`SK`), else its key.
fn ids(group: &[Action], old: Option<Item>) -> Result<Item> {
    match old {
        Some(old) => Ok(old),
        None => key_of(group),
    }
}

/// The key of the item a group writes (its first action's).
fn key_of(group: &[Action]) -> Result<Item> {
    match group.first().map(|a| &a.op) {
        Some(Op::Update { key, .. } | Op::Delete(key)) => Ok(key.clone()),
        _ => Err(crate::errors::malformed(
            "TransactWriteItems",
            "a write group without its item",
        )),
    }
}

/// The condition matching the item with `key`.
fn key_expr(table: &TableDef, key: &Item) -> Result<Expr> {
    let parts = table.key_columns().map(|c| {
        let value = from_attr(key.get(c.name).cloned(), c.ty).map_err(|source| Error::Decode {
            entity: table.entity,
            column: c.name.to_owned(),
            source,
        })?;
        Ok(Expr::Cmp {
            column: c.name,
            op: CmpOp::Eq,
            value,
        })
    });
    Ok(Expr::And(parts.collect::<Result<_>>()?))
}
