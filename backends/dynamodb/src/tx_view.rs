//! The rows a transaction sees: the table's, overlaid with the
//! transaction's own buffered writes (`tx_buffer`). An item the buffer
//! writes is seen as the buffer holds it (and only if it still matches the
//! filter); an item the buffer deleted is not seen; an item the buffer
//! inserted or changed into a match is added.

use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, BoxStream};
use futures::{StreamExt, TryStreamExt};
use keyway::{Decoder, Direction, Expr, Result, SelectStmt, TableDef};

use crate::action::target_of;
use crate::connect::Inner;
use crate::eval::{compare_items, holds};
use crate::marshal::Item;
use crate::plan::{Request, plan, plan_lookup};
use crate::read::{decode, key_item, lookup};
use crate::tx_buffer::{Buffer, key_of};
use crate::{get_item, read};

fn matches(table: &TableDef, filter: Option<&Expr>, item: &Item) -> Result<bool> {
    filter.map_or(Ok(true), |f| holds(f, item, table))
}

/// Every item of `table` matching `filter` (a Scan without one), whole,
/// as `buffer` sees them.
pub(crate) async fn find(
    inner: &Arc<Inner>,
    buffer: &Buffer,
    table: &TableDef,
    filter: Option<&Expr>,
) -> Result<Vec<Item>> {
    let plan = plan_lookup(table, filter)?;
    let items = match plan.requests.as_slice() {
        [Request::Get(parts)] => {
            let key = key_item(table, parts.clone())?;
            if let Some(seen) = buffer.view(table, &key) {
                return Ok(seen.into_iter().cloned().collect());
            }
            let name = inner.table_of(table);
            let names = crate::names::Names::of(table);
            let got = get_item::get_item(&inner.client, &name, key, None, names).await?;
            got.into_iter()
                .filter(|i| crate::layout::is_of(table, i))
                .collect()
        }
        _ => {
            let all: Vec<&'static str> = table.columns.iter().map(|c| c.name).collect();
            lookup(inner.clone(), *table, plan, all).await?
        }
    };
    let mut out = Vec::with_capacity(items.len());
    let mut seen = HashSet::new();
    for item in items {
        let key = key_of(table, &item);
        seen.insert(target_of("", &key, None));
        match buffer.view(table, &key) {
            None => out.push(item),
            Some(Some(mine)) if matches(table, filter, mine)? => out.push(mine.clone()),
            Some(_) => {}
        }
    }
    for mine in buffer.items_of(table) {
        let key = key_of(table, mine);
        if !seen.contains(&target_of("", &key, None)) && matches(table, filter, mine)? {
            out.push(mine.clone());
        }
    }
    Ok(out)
}

/// The items a read returns, overlaid with `buffer`, ordered, offset and limited.
async fn items(inner: Arc<Inner>, buffer: Buffer, stmt: &SelectStmt) -> Result<Vec<Item>> {
    let table = stmt.table;
    // The same refusals as outside the transaction (no key, no `.scan()`).
    plan(&table, stmt.filter.as_ref(), stmt.scan)?;
    let mut items = find(&inner, &buffer, &table, stmt.filter.as_ref()).await?;
    let mut order: Vec<(&'static str, bool)> = stmt
        .order
        .iter()
        .map(|(c, d)| (*c, *d == Direction::Asc))
        .collect();
    if order.is_empty() {
        // A stable order: by key, as a by-key lookup merged in memory is.
        order = table.key_columns().map(|c| (c.name, true)).collect();
    }
    items.sort_by(|a, b| compare_items(a, b, &order, &table));
    let skip = usize::try_from(stmt.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let take = stmt
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    Ok(items.into_iter().skip(skip).take(take).collect())
}

/// The rows of a read in a transaction: straight from the table when the
/// transaction writes nothing of it, else overlaid with its writes.
pub(crate) fn fetch<D: Decoder>(
    inner: Arc<Inner>,
    buffer: Option<Buffer>,
    stmt: SelectStmt,
    decoder: D,
) -> BoxStream<'static, Result<D::Output>> {
    let Some(buffer) = buffer else {
        return read::fetch(inner, stmt, decoder);
    };
    stream::once(async move {
        let rows = items(inner, buffer, &stmt).await?;
        rows.into_iter()
            .map(|item| decode(&stmt, &decoder, item))
            .collect::<Result<Vec<_>>>()
    })
    .map_ok(|rows| stream::iter(rows.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// The count of a read in a transaction, as [`fetch`] sees its rows.
pub(crate) async fn count(
    inner: Arc<Inner>,
    buffer: Option<Buffer>,
    stmt: SelectStmt,
) -> Result<u64> {
    match buffer {
        None => read::count(inner, stmt).await,
        Some(buffer) => Ok(items(inner, buffer, &stmt).await?.len() as u64),
    }
}
