//! Item collections: parents read by key, and the children that share
//! their partition of a shared table, with one Query per parent partition
//! (strongly consistent, as the GetItem it replaces).
//!
//! A child shares its parent's partition when its partition template is
//! the parent's with the child's reference in place of the parent's key
//! (`USER#{user_id}` beside `USER#{id}`): its key then holds the parent's,
//! and the Query of `PK = USER#7` returns the user and those children,
//! told apart by `_et`. Includes of children elsewhere (a layout index, a
//! table of their own) load as usual.

use std::sync::Arc;

use futures::{StreamExt, TryStreamExt, stream};
use keyway::{
    CmpOp, Collected, CollectionLink, Decoder, Expr, LAYOUT_PK, LAYOUT_SK, LAYOUT_TYPE, Layout,
    Piece, Result, SelectStmt, Selection, TableDef, Value,
};

use crate::connect::Inner;
use crate::layout::{is_of, pieces, render};
use crate::marshal::{Item, ItemReader};
use crate::plan::{KeyCond, Request, plan};
use crate::{page, query};

/// Whether the children of `link` share the partition of `parent` (of
/// `layout`, keyed by `key`).
fn shares(layout: &Layout, key: &str, link: &CollectionLink) -> bool {
    let Some(child) = link.table.layout else {
        return false;
    };
    let (mine, theirs) = (pieces(layout.partition), pieces(child.partition));
    child.table == layout.table
        && mine.len() == theirs.len()
        && mine
            .iter()
            .any(|p| matches!(p, Piece::Column(c) if *c == key))
        && mine.iter().zip(&theirs).all(|pair| match pair {
            (Piece::Text(a), Piece::Text(b)) => a == b,
            (Piece::Column(a), Piece::Column(b)) => *a == key && *b == link.column,
            _ => false,
        })
}

/// Whether the children's filter can be checked on the items read (not
/// one through a relation, which needs its own reads).
fn readable(link: &CollectionLink) -> bool {
    !link.filter.as_ref().is_some_and(Expr::has_linked)
}

/// The parents of `stmt` and the children of the `links` that share their
/// partitions, when `stmt` reads its parents by key (GetItem or
/// BatchGetItem); declined otherwise.
pub(crate) async fn fetch<D: Decoder>(
    inner: &Arc<Inner>,
    stmt: SelectStmt,
    decoder: D,
    links: &[Option<CollectionLink>],
) -> Result<Collected<D>> {
    let table = stmt.table;
    // In the statement's order only where it has none: a partition's
    // items come in key order, a Scan's in none.
    let plain = matches!(stmt.selection, Selection::Entity)
        && stmt.offset.is_none()
        && stmt.order.is_empty()
        && !stmt.filter.as_ref().is_some_and(Expr::has_linked);
    let (Some(layout), true) = (crate::layout::of(&table)?, plain) else {
        return Ok(Collected::Declined(Box::new(stmt), decoder));
    };
    if stmt.scan {
        return scanned(inner, stmt, decoder, links, layout).await;
    }
    let keys: Vec<(&'static str, Value)> =
        match plan(&table, stmt.filter.as_ref(), false).map(|p| p.requests) {
            Ok(requests) => match requests.as_slice() {
                [Request::Get(parts)] if parts.len() == 1 => vec![parts[0].clone()],
                [Request::BatchGet(values)] => {
                    let key = table.key_columns().next().map_or("", |c| c.name);
                    values.iter().map(|v| (key, v.clone())).collect()
                }
                _ => Vec::new(),
            },
            Err(_) => Vec::new(),
        };
    let Some((key, _)) = keys.first().cloned() else {
        return Ok(Collected::Declined(Box::new(stmt), decoder));
    };
    let shared: Vec<Option<&CollectionLink>> = links
        .iter()
        .map(|l| {
            l.as_ref()
                .filter(|l| shares(&layout, key, l) && readable(l))
        })
        .collect();
    if shared.iter().all(Option::is_none) {
        return Ok(Collected::Declined(Box::new(stmt), decoder));
    }
    let types = types_of(&layout, &shared);
    let name = inner.table_of(&table);
    let at: Vec<Parent> = keys
        .into_iter()
        .map(|(column, value)| Parent {
            table,
            layout,
            column,
            value,
        })
        .collect();
    let partitions: Vec<Vec<Item>> = stream::iter(at)
        .map(|at| read_partition(inner.clone(), name.clone(), at, types.clone()))
        .buffered(inner.concurrency)
        .map_ok(|(sk, items)| {
            // The parent is the item at its own sort key.
            items
                .into_iter()
                .filter(|i| !is_of(&table, i) || attr_is(i, LAYOUT_SK, &sk))
                .collect::<Vec<_>>()
        })
        .try_collect()
        .await?;
    split(&stmt, decoder, &shared, partitions.into_iter().flatten())
}

/// The types of the parents and of the children of `shared`.
fn types_of(layout: &Layout, shared: &[Option<&CollectionLink>]) -> Vec<Value> {
    let mut types = vec![Value::Text(layout.entity_type.to_owned())];
    for l in shared.iter().flatten() {
        types.extend(
            l.table
                .layout
                .map(|c| Value::Text(c.entity_type.to_owned())),
        );
    }
    types
}

/// An explicit `.scan()` of a shared table: one Scan reads the parents and
/// every child of the `links` in the same table (the whole table is what
/// the scan reads anyway); declined with an order, which a Scan's hash
/// order cannot give.
async fn scanned<D: Decoder>(
    inner: &Arc<Inner>,
    stmt: SelectStmt,
    decoder: D,
    links: &[Option<CollectionLink>],
    layout: Layout,
) -> Result<Collected<D>> {
    let shared: Vec<Option<&CollectionLink>> = links
        .iter()
        .map(|l| {
            l.as_ref()
                .filter(|l| l.table.layout.is_some_and(|c| c.table == layout.table) && readable(l))
        })
        .collect();
    if shared.iter().all(Option::is_none) {
        return Ok(Collected::Declined(Box::new(stmt), decoder));
    }
    let of_types = Expr::InList {
        column: LAYOUT_TYPE,
        values: types_of(&layout, &shared),
    };
    let name = inner.table_of(&stmt.table);
    let request = crate::scan::build(
        &inner.client,
        &name,
        &stmt.table,
        Some(&of_types),
        None,
        None,
        false,
    )?;
    let pages: Vec<page::Page> = page::pages(request).try_collect().await?;
    let items = pages.into_iter().flat_map(|p| p.items);
    split(&stmt, decoder, &shared, items)
}

/// The parents (of the statement's entity type, meeting the statement's filter, at
/// most its limit) and each shared link's children among `items`.
fn split<D: Decoder>(
    stmt: &SelectStmt,
    decoder: D,
    shared: &[Option<&CollectionLink>],
    items: impl Iterator<Item = Item>,
) -> Result<Collected<D>> {
    let take = stmt
        .limit
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let mut parents = Vec::new();
    let mut children: Vec<Option<Vec<Vec<Value>>>> =
        shared.iter().map(|l| l.map(|_| Vec::new())).collect();
    for item in items {
        if is_of(&stmt.table, &item) {
            let meets = match &stmt.filter {
                Some(f) => crate::eval::holds(f, &item, &stmt.table)?,
                None => true,
            };
            if meets && parents.len() < take {
                parents.push(crate::read::decode(stmt, &decoder, item)?);
            }
            continue;
        }
        for (link, out) in shared.iter().zip(children.iter_mut()) {
            let (Some(link), Some(out)) = (link, out) else {
                continue;
            };
            if !is_of(&link.table, &item) {
                continue;
            }
            let keep = match &link.filter {
                Some(f) => crate::eval::holds(f, &item, &link.table)?,
                None => true,
            };
            if keep {
                let values = link
                    .table
                    .read_values(&mut ItemReader::entity(&link.table, item.clone()));
                out.push(values?);
            }
        }
    }
    Ok(Collected::Rows(parents, children))
}

/// One parent, by key.
struct Parent {
    table: TableDef,
    layout: Layout,
    column: &'static str,
    value: Value,
}

/// The items of `at`'s partition of the types `types`, and `at`'s sort key.
async fn read_partition(
    inner: Arc<Inner>,
    name: String,
    at: Parent,
    types: Vec<Value>,
) -> Result<(String, Vec<Item>)> {
    let value_of = |c: &str| (c == at.column).then(|| at.value.clone());
    let entity = at.table.entity;
    let pk = render(entity, at.layout.partition, &value_of)?.unwrap_or_default();
    let sk = render(entity, at.layout.sort, &value_of)?.unwrap_or_default();
    let items = partition(&inner, &name, &at.table, pk, types).await?;
    Ok((sk, items))
}

fn attr_is(item: &Item, attr: &str, value: &str) -> bool {
    matches!(item.get(attr), Some(aws_sdk_dynamodb::types::AttributeValue::S(s)) if s == value)
}

/// Every item of partition `pk` whose type is one of `types`: one Query,
/// strongly consistent, page by page.
async fn partition(
    inner: &Inner,
    name: &str,
    table: &TableDef,
    pk: String,
    types: Vec<Value>,
) -> Result<Vec<Item>> {
    let key = KeyCond {
        index: None,
        partition: (LAYOUT_PK, Value::Text(pk)),
        sort_column: Some(LAYOUT_SK),
        sort: None,
        orders: None,
        fixed: Vec::new(),
    };
    let filter = match types.as_slice() {
        [one] => Expr::Cmp {
            column: LAYOUT_TYPE,
            op: CmpOp::Eq,
            value: one.clone(),
        },
        _ => Expr::InList {
            column: LAYOUT_TYPE,
            values: types,
        },
    };
    let spec = query::QuerySpec {
        table: name,
        def: table,
        key: &key,
        filter: Some(&filter),
        projection: None,
        forward: true,
        limit: None,
        count: false,
    };
    let pages: Vec<page::Page> = page::pages(query::build(&inner.client, spec)?)
        .try_collect()
        .await?;
    Ok(pages.into_iter().flat_map(|p| p.items).collect())
}
