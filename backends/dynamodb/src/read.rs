//! Reads: a statement's plan run as lazily paged requests, merged, ordered,
//! offset and limited, then decoded.

use std::collections::HashSet;
use std::sync::Arc;

use futures::stream::{self, BoxStream};
use futures::{StreamExt, TryStreamExt};
use keyway::{Decoder, Direction, Error, Expr, Result, SelectStmt, Selection, TableDef, Value};

use crate::connect::Inner;
use crate::eval::{self, compare_items};
use crate::marshal::{Item, ItemReader, to_attr};
use crate::names::Names;
use crate::plan::{Plan, Request, plan};
use crate::schema::primary_key;
use crate::{batch_get_item, get_item, page, query, scan};

/// How a read's items are ordered.
#[derive(Debug, Clone, PartialEq)]
enum Order {
    /// In whatever order DynamoDB returns them.
    None,
    /// By the sort key of the one Query, on the server (`ScanIndexForward`).
    Server(bool),
    /// By key columns, in memory, once every item is read.
    Memory(Vec<(&'static str, bool)>),
}

fn key_names(table: &TableDef) -> Vec<&'static str> {
    table.key_columns().map(|c| c.name).collect()
}

fn unsupported_order(table: &TableDef, column: &str) -> Error {
    Error::Unsupported {
        backend: "dynamodb",
        detail: format!(
            "ordering `{}` by `{column}`: DynamoDB orders by the sort key of the key or index a \
             query uses, and by key columns of lookups merged in memory; sort the rows in Rust instead",
            table.entity
        ),
    }
}

fn order_of(table: &TableDef, plan: &Plan, order: &[(&'static str, Direction)]) -> Result<Order> {
    let wanted: Vec<(&'static str, bool)> = order
        .iter()
        .map(|(c, d)| (*c, *d == Direction::Asc))
        .collect();
    if wanted.is_empty() || matches!(plan.requests.as_slice(), [Request::Get(_)]) {
        return Ok(Order::None);
    }
    // Key columns are ordered in memory over what the requests read (an
    // explicit Scan included: it reads the whole table before its first row).
    let mut key_columns = key_names(table);
    for r in &plan.requests {
        if let Request::Query { key, .. } = r {
            key_columns.extend(&key.fixed);
            key_columns.extend(key.orders);
        }
    }
    if let [Request::Query { key, .. }] = plan.requests.as_slice() {
        let rest: Vec<_> = wanted
            .iter()
            .filter(|(c, _)| !key.fixed.contains(c))
            .collect();
        match rest.as_slice() {
            [] => return Ok(Order::None),
            [(c, asc)] if Some(*c) == key.orders => return Ok(Order::Server(*asc)),
            _ => {}
        }
    }
    match wanted.iter().find(|(c, _)| !key_columns.contains(c)) {
        Some((c, _)) => Err(unsupported_order(table, c)),
        None => Ok(Order::Memory(wanted)),
    }
}

/// The attributes to fetch: `None` for whole items.
fn projection(table: &TableDef, stmt: &SelectStmt, order: &Order) -> Option<Vec<&'static str>> {
    let Selection::Columns(cols) = &stmt.selection else {
        return None;
    };
    let mut out = cols.clone();
    out.extend(key_names(table));
    if let Order::Memory(o) = order {
        out.extend(o.iter().map(|(c, _)| *c));
    }
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert(*c));
    Some(out)
}

/// Splits a residual condition into what the FilterExpression may say and
/// what names key attributes or has no condition expression (evaluated on
/// the fetched items).
fn split(residual: &Option<Expr>, keys: &[&str]) -> (Option<Expr>, Option<Expr>) {
    let parts = match residual {
        None => return (None, None),
        Some(Expr::And(parts)) => parts.clone(),
        Some(other) => vec![other.clone()],
    };
    let (memory, server): (Vec<Expr>, Vec<Expr>) = parts.into_iter().partition(|p| {
        let mut cols = Vec::new();
        eval::columns(p, &mut cols);
        cols.iter().any(|c| keys.contains(c)) || !eval::expressible(p)
    });
    let and = |mut v: Vec<Expr>| match v.len() {
        0 => None,
        1 => v.pop(),
        _ => Some(Expr::And(v)),
    };
    (and(server), and(memory))
}

pub(crate) fn key_item(table: &TableDef, parts: Vec<(&'static str, Value)>) -> Result<Item> {
    if let Some(layout) = crate::layout::of(table)? {
        return crate::layout::key_item(table, &layout, &parts);
    }
    let mut item = Item::with_capacity(parts.len());
    for (col, v) in parts {
        if let Some(a) = to_attr(v, table.entity, col)? {
            item.insert(col.to_owned(), a);
        }
    }
    Ok(item)
}

/// How one request is read.
#[derive(Clone)]
struct Shape {
    projection: Option<Vec<&'static str>>,
    forward: bool,
    limit: Option<i32>,
    count: bool,
}

/// The items (or, for counts, pages with only a count) of one request.
fn request_pages(
    inner: Arc<Inner>,
    table: TableDef,
    request: Request,
    shape: Shape,
) -> BoxStream<'static, Result<page::Page>> {
    let name = inner.table_of(&table);
    let one = |f: futures::future::BoxFuture<'static, Result<Vec<Item>>>| {
        stream::once(f)
            .map_ok(|items| page::Page {
                count: i32::try_from(items.len()).unwrap_or(i32::MAX),
                items,
            })
            .boxed()
    };
    match request {
        Request::Get(parts) => one(Box::pin(async move {
            let key = key_item(&table, parts)?;
            let proj = crate::layout::with_type(&table, shape.projection.as_deref());
            let names = Names::of(&table);
            let got = get_item::get_item(&inner.client, &name, key, proj.as_deref(), names).await?;
            Ok(got
                .into_iter()
                .filter(|i| crate::layout::is_of(&table, i))
                .collect())
        })),
        Request::BatchGet(values) => one(Box::pin(async move {
            let (pk, _) = primary_key(&table)?;
            let keys = values
                .into_iter()
                .map(|v| key_item(&table, vec![(pk.name, v)]))
                .collect::<Result<Vec<_>>>()?;
            let proj = crate::layout::with_type(&table, shape.projection.as_deref());
            let items =
                batch_get_item::batch_get_item(&inner, &name, keys, proj.as_deref(), &table)
                    .await?;
            Ok(items
                .into_iter()
                .filter(|i| crate::layout::is_of(&table, i))
                .collect())
        })),
        Request::Query { key, residual } => {
            let mut keys = key_names(&table);
            keys.push(key.partition.0);
            keys.extend(key.sort_column);
            let (server, memory) = split(&residual, &keys);
            let projection = reading(&shape.projection, memory.as_ref());
            let filtered = server.is_some() || memory.is_some();
            let spec = query::QuerySpec {
                table: &name,
                def: &table,
                key: &key,
                filter: server.as_ref(),
                projection: projection.as_deref(),
                forward: shape.forward,
                limit: if filtered { None } else { shape.limit },
                count: shape.count && memory.is_none(),
            };
            let pages = match query::build(&inner.client, spec) {
                Ok(b) => page::pages(b),
                Err(e) => return stream::once(async { Err(e) }).boxed(),
            };
            kept(pages, memory, table)
        }
        Request::Scan(filter) => {
            let (server, memory) = split(&filter, &[]);
            let projection = reading(&shape.projection, memory.as_ref());
            match scan::build(
                &inner.client,
                &name,
                &table,
                server.as_ref(),
                projection.as_deref(),
                if memory.is_some() { None } else { shape.limit },
                shape.count && memory.is_none(),
            ) {
                Ok(b) => kept(page::pages(b), memory, table),
                Err(e) => stream::once(async { Err(e) }).boxed(),
            }
        }
    }
}

/// The projection a request reads: the shape's, with the columns the
/// condition checked on the items names.
fn reading(
    projection: &Option<Vec<&'static str>>,
    memory: Option<&Expr>,
) -> Option<Vec<&'static str>> {
    let mut projection = projection.clone();
    if let (Some(p), Some(m)) = (projection.as_mut(), memory) {
        eval::columns(m, p);
        let mut seen = HashSet::new();
        p.retain(|c| seen.insert(*c));
    }
    projection
}

/// The pages with only the items `memory` holds for (all without it).
fn kept(
    pages: BoxStream<'static, Result<page::Page>>,
    memory: Option<Expr>,
    table: TableDef,
) -> BoxStream<'static, Result<page::Page>> {
    let Some(m) = memory else { return pages };
    pages
        .and_then(move |mut page| {
            let kept = page.items.drain(..).try_fold(Vec::new(), |mut kept, item| {
                if eval::holds(&m, &item, &table)? {
                    kept.push(item);
                }
                Ok::<_, Error>(kept)
            });
            futures::future::ready(kept.map(|items| page::Page {
                count: i32::try_from(items.len()).unwrap_or(i32::MAX),
                items,
            }))
        })
        .boxed()
}

fn flatten(pages: BoxStream<'static, Result<page::Page>>) -> BoxStream<'static, Result<Item>> {
    pages
        .map_ok(|p| stream::iter(p.items.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
}

fn dedupe_key(table: &TableDef, item: &Item) -> String {
    key_names(table)
        .iter()
        .map(|k| format!("{:?}", item.get(*k)))
        .collect::<Vec<_>>()
        .join("\u{1}")
}

/// Runs every request (concurrently, bounded), then merges, de-duplicates
/// and sorts in memory.
async fn collect_all(
    inner: Arc<Inner>,
    table: TableDef,
    plan: Plan,
    shape: Shape,
    order: &[(&'static str, bool)],
) -> Result<Vec<Item>> {
    let parallel = inner.concurrency;
    let batches: Vec<Vec<Item>> = stream::iter(plan.requests)
        .map(|r| flatten(request_pages(inner.clone(), table, r, shape.clone())).try_collect())
        .buffered(parallel)
        .try_collect()
        .await?;
    let mut items: Vec<Item> = batches.into_iter().flatten().collect();
    if plan.dedupe {
        let mut seen = HashSet::new();
        items.retain(|i| seen.insert(dedupe_key(&table, i)));
    }
    if !order.is_empty() {
        items.sort_by(|a, b| compare_items(a, b, order, &table));
    }
    Ok(items)
}

/// The items a select statement reads, lazily paged, after offset and limit
/// (both applied as the items go by: DynamoDB has no offset).
pub(crate) fn items(
    inner: Arc<Inner>,
    stmt: &SelectStmt,
) -> Result<BoxStream<'static, Result<Item>>> {
    let table = stmt.table;
    if matches!(stmt.selection, Selection::Aggregate(_)) {
        return Err(no_aggregates());
    }
    let plan = plan(&table, stmt.filter.as_ref(), stmt.scan)?;
    let order = order_of(&table, &plan, &stmt.order)?;
    let skip = usize::try_from(stmt.offset.unwrap_or(0)).unwrap_or(usize::MAX);
    let take = stmt
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    if take == 0 || plan.requests.is_empty() {
        return Ok(stream::empty().boxed());
    }
    let shape = Shape {
        projection: projection(&table, stmt, &order),
        forward: order != Order::Server(false),
        limit: i32::try_from(skip.saturating_add(take))
            .ok()
            .map(|l| l.min(1_000)),
        count: false,
    };
    let all = match (&order, plan.requests.len()) {
        (Order::None | Order::Server(_), 1) => {
            let request = plan.requests.into_iter().next().expect("one request");
            flatten(request_pages(inner, table, request, shape))
        }
        _ => {
            let by = match order {
                Order::Memory(o) => o,
                _ => Vec::new(),
            };
            stream::once(async move { collect_all(inner, table, plan, shape, &by).await })
                .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
                .try_flatten()
                .boxed()
        }
    };
    let mut seen = 0usize;
    Ok(all
        .try_filter(move |_| {
            seen += 1;
            futures::future::ready(seen > skip)
        })
        .take(take)
        .boxed())
}

/// DynamoDB has no aggregates: an aggregating query does not compile
/// against it, and one that reached it anyway is refused.
pub(crate) fn no_aggregates() -> Error {
    Error::Unsupported {
        backend: "dynamodb",
        detail: "aggregates and group_by: read the rows and aggregate them in Rust".into(),
    }
}

/// Decodes one item as the statement's selection.
pub(crate) fn decode<D: Decoder>(stmt: &SelectStmt, decoder: &D, item: Item) -> Result<D::Output> {
    match &stmt.selection {
        Selection::Columns(cols) => {
            decoder.decode(&mut ItemReader::projection(&stmt.table, cols, item))
        }
        _ => decoder.decode(&mut ItemReader::entity(&stmt.table, item)),
    }
}

/// Decodes whole items of `table` (the rows a write returns).
pub(crate) fn decode_items<D: Decoder>(
    table: &TableDef,
    decoder: &D,
    items: Vec<Item>,
) -> Result<Vec<D::Output>> {
    let each = |item| decoder.decode(&mut ItemReader::entity(table, item));
    items.into_iter().map(each).collect()
}

/// Streams the decoded rows of a read.
pub(crate) fn fetch<D: Decoder>(
    inner: Arc<Inner>,
    stmt: SelectStmt,
    decoder: D,
) -> BoxStream<'static, Result<D::Output>> {
    match items(inner, &stmt) {
        Ok(items) => items
            .and_then(move |item| futures::future::ready(decode(&stmt, &decoder, item)))
            .boxed(),
        Err(e) => stream::once(async { Err(e) }).boxed(),
    }
}

/// Counts the items of a read: `Select=COUNT` per page where DynamoDB can
/// count alone, the items' keys otherwise (OR branches are de-duplicated).
pub(crate) async fn count(inner: Arc<Inner>, stmt: SelectStmt) -> Result<u64> {
    let table = stmt.table;
    let plan = plan(&table, stmt.filter.as_ref(), stmt.scan)?;
    let shape = Shape {
        projection: Some(key_names(&table)),
        forward: true,
        limit: None,
        count: true,
    };
    if plan.dedupe {
        let keys_only = Shape {
            count: false,
            ..shape
        };
        let items = collect_all(inner, table, plan, keys_only, &[]).await?;
        return Ok(items.len() as u64);
    }
    let counts: Vec<u64> = stream::iter(plan.requests)
        .map(|r| {
            request_pages(inner.clone(), table, r, shape.clone())
                .try_fold(0u64, |n, p| async move { Ok(n + p.count.max(0) as u64) })
        })
        .buffered(inner.concurrency)
        .try_collect()
        .await?;
    Ok(counts.iter().sum())
}

/// Every item a write's lookup plan finds, with only `projection` read.
pub(crate) async fn lookup(
    inner: Arc<Inner>,
    table: TableDef,
    plan: Plan,
    mut projection: Vec<&'static str>,
) -> Result<Vec<Item>> {
    // In a shared table, the item's key and layout attributes too.
    crate::tx_buffer::add_all(&mut projection, &crate::layout::attributes(&table));
    let shape = Shape {
        projection: Some(projection),
        forward: true,
        limit: None,
        count: false,
    };
    collect_all(inner, table, plan, shape, &[]).await
}
