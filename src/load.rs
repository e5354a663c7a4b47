//! Eager loading: one query per included relation per level, never one per row.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::Arc;

use tracing::Instrument;

use crate::load_keys::{HashKey, KeyedDecoder, Pick, hash_key, order_key};
use crate::relation::Matched;
use crate::span::statement_span;
use crate::{
    Access, CollectionLink, Decoder, Direction, Entity, EntityDecoder, Error, Executor, Expr,
    Include, Includes, Indexed, JoinOrder, Key, KeyOrder, Link, LinkSide, Loaded, NoIncludes,
    OrAccess, OrderKind, Relation, Result, SelectStmt, TableDef, Value,
};

/// How many keys one `IN (...)` list holds before the lookup is split.
pub(crate) const IN_CHUNK: usize = 5_000;

/// What a query loads beside its rows, and what each row becomes: the row itself
/// for [`NoIncludes`], a [`Loaded`] row otherwise.
pub trait Loads<T: 'static>: Send + Sync + 'static {
    /// The access path of the relation lookups: `Indexed` when every one is.
    type Access: Access;
    /// The order of the relation lookups: `KeyOrder` when every one is.
    type Order: OrderKind;
    /// What one row becomes.
    type Output: Send + Sync;
    /// Loads the relations of `rows`, keeping their order.
    fn load<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: Vec<T>,
    ) -> impl Future<Output = Result<Vec<Self::Output>>> + Send + 'a;

    /// The first-level includes a backend may read with the rows, one per
    /// include ([`Executor::fetch_collection`]); none by default.
    fn links(&self) -> Vec<Option<CollectionLink>> {
        Vec::new()
    }

    /// [`load`](Self::load), with the children of the includes a backend
    /// read with the rows (`children`, in the order of
    /// [`links`](Self::links)).
    fn load_with<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: Vec<T>,
        children: Vec<Option<Vec<Vec<Value>>>>,
    ) -> impl Future<Output = Result<Vec<Self::Output>>> + Send + 'a {
        let _ = children;
        self.load(exec, rows)
    }
}

/// The per-row storage of an include list, and how to fill it.
pub trait Slots<E: Entity>: Send + Sync + 'static {
    /// What one row stores.
    type Storage: Send + Sync;
    /// The access path of the lookups.
    type Access: Access;
    /// The order of the lookups.
    type Order: OrderKind;
    /// Loads every relation of the list for `rows`: one query per relation.
    fn load_storage<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: &'a [E],
    ) -> impl Future<Output = Result<Vec<Self::Storage>>> + Send + 'a;

    /// The list's links a backend may read with the rows, in order.
    fn links(&self, out: &mut Vec<Option<CollectionLink>>) {
        let _ = out;
    }

    /// [`load_storage`](Self::load_storage), taking each relation's
    /// children from `children` (front first) where the backend read them.
    fn load_storage_with<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: &'a [E],
        children: &'a mut VecDeque<Option<Vec<Vec<Value>>>>,
    ) -> impl Future<Output = Result<Vec<Self::Storage>>> + Send + 'a {
        let _ = children;
        self.load_storage(exec, rows)
    }
}

impl<T: Send + Sync + 'static> Loads<T> for NoIncludes {
    type Access = Indexed;
    type Order = KeyOrder;
    type Output = T;
    async fn load<'a, X: Executor>(&'a self, _: &'a X, rows: Vec<T>) -> Result<Vec<T>> {
        Ok(rows)
    }
}

impl<E: Entity> Slots<E> for NoIncludes {
    type Storage = ();
    type Access = Indexed;
    type Order = KeyOrder;
    async fn load_storage<'a, X: Executor>(&'a self, _: &'a X, rows: &'a [E]) -> Result<Vec<()>> {
        Ok(vec![(); rows.len()])
    }
}

/// The access of an include: the link's lookup and every nested one.
type IncludeAccess<R, N> = <<<R as Relation>::Link as Link<
    <R as Relation>::From,
    <R as Relation>::To,
>>::Access as OrAccess<<N as Loads<<R as Relation>::To>>::Access>>::Output;

/// The store of one included relation for one row.
pub type Store<R, N> = <<R as Relation>::Link as Link<
    <R as Relation>::From,
    <R as Relation>::To,
>>::Store<<N as Loads<<R as Relation>::To>>::Output>;

/// The order of an include whose own order is `O`: that and every nested one.
type IncludeOrder<O, N, To> = <O as JoinOrder<<N as Loads<To>>::Order>>::Output;

impl<E, R, N, O, T> Slots<E> for Includes<Include<R, N, O>, T>
where
    E: Entity,
    R: Relation<From = E>,
    N: Loads<R::To>,
    T: Slots<E>,
    O: JoinOrder<N::Order>,
    IncludeOrder<O, N, R::To>: JoinOrder<T::Order>,
    <R::Link as Link<E, R::To>>::Access: OrAccess<N::Access>,
    IncludeAccess<R, N>: OrAccess<T::Access>,
{
    type Storage = (Store<R, N>, T::Storage);
    type Access = <IncludeAccess<R, N> as OrAccess<T::Access>>::Output;
    type Order = <IncludeOrder<O, N, R::To> as JoinOrder<T::Order>>::Output;

    async fn load_storage<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: &'a [E],
    ) -> Result<Vec<Self::Storage>> {
        let head =
            load_link::<R, N, X>(&self.0.nested, &self.0.filter, &self.0.order, exec, rows).await?;
        let tail = self.1.load_storage(exec, rows).await?;
        Ok(head.into_iter().zip(tail).collect())
    }

    fn links(&self, out: &mut Vec<Option<CollectionLink>>) {
        let to = TableDef::of::<R::To>();
        out.push(match R::LINK.side() {
            LinkSide::Target(column) if self.0.order.is_empty() => Some(CollectionLink {
                table: to,
                column,
                filter: crate::soft_delete::Visibility::LIVE.apply(&to, self.0.filter.clone()),
            }),
            _ => None,
        });
        self.1.links(out);
    }

    async fn load_storage_with<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: &'a [E],
        children: &'a mut VecDeque<Option<Vec<Vec<Value>>>>,
    ) -> Result<Vec<Self::Storage>> {
        let head = match children.pop_front().flatten() {
            Some(read) => {
                crate::load_prefetched::load_read::<R, N, X>(&self.0.nested, exec, rows, read)
                    .await?
            }
            None => {
                let (nested, filter) = (&self.0.nested, &self.0.filter);
                load_link::<R, N, X>(nested, filter, &self.0.order, exec, rows).await?
            }
        };
        let tail = self.1.load_storage_with(exec, rows, children).await?;
        Ok(head.into_iter().zip(tail).collect())
    }
}

impl<E: Entity, H, T> Loads<E> for Includes<H, T>
where
    Self: Slots<E>,
{
    type Access = <Self as Slots<E>>::Access;
    type Order = <Self as Slots<E>>::Order;
    type Output = Loaded<E, Self>;
    async fn load<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: Vec<E>,
    ) -> Result<Vec<Loaded<E, Self>>> {
        let slots = self.load_storage(exec, &rows).await?;
        Ok(rows
            .into_iter()
            .zip(slots)
            .map(|(entity, slots)| Loaded::new(entity, slots))
            .collect())
    }

    fn links(&self) -> Vec<Option<CollectionLink>> {
        let mut out = Vec::new();
        Slots::links(self, &mut out);
        out
    }

    async fn load_with<'a, X: Executor>(
        &'a self,
        exec: &'a X,
        rows: Vec<E>,
        children: Vec<Option<Vec<Vec<Value>>>>,
    ) -> Result<Vec<Loaded<E, Self>>> {
        let mut children = VecDeque::from(children);
        let slots = self.load_storage_with(exec, &rows, &mut children).await?;
        Ok(rows
            .into_iter()
            .zip(slots)
            .map(|(entity, slots)| Loaded::new(entity, slots))
            .collect())
    }
}

/// The key's one value; `None` for a composite key.
pub(crate) fn scalar_key<K: Key>(key: &K) -> Option<Value> {
    let (mut value, mut count) = (None, 0);
    key.for_each_value(|v| {
        value = Some(v);
        count += 1;
    });
    if count == 1 { value } else { None }
}

pub(crate) fn column_position(table: &TableDef, column: &str) -> Result<usize> {
    table
        .columns
        .iter()
        .position(|c| c.name == column)
        .ok_or_else(|| Error::Invalid {
            what: "relation",
            detail: format!("`{}` has no foreign-key column `{column}`", table.entity),
        })
}

/// Runs `lookup` once per chunk of `keys`, each as `column IN (chunk)` plus the
/// include's own filter and order. Without an order of its own, the rows come
/// ordered by `column`, then the key, where the executor
/// [orders includes](Executor::orders_includes); in any order elsewhere (the
/// caller orders them).
async fn fetch_in<X: Executor, D: Decoder + Clone>(
    exec: &X,
    table: TableDef,
    column: &'static str,
    keys: Vec<Value>,
    filter: &Option<Expr>,
    order: &[(&'static str, Direction)],
    decoder: D,
) -> Result<Vec<D::Output>> {
    let mut out = Vec::new();
    let mut keys = keys.into_iter().peekable();
    while keys.peek().is_some() {
        let chunk: Vec<Value> = keys.by_ref().take(IN_CHUNK).collect();
        let mut stmt = SelectStmt::new(table);
        let lookup = Expr::InList {
            column,
            values: chunk,
        };
        stmt.filter = Some(match filter {
            Some(f) => lookup.and(f.clone()),
            None => lookup,
        });
        stmt.order = if order.is_empty() && exec.orders_includes() {
            std::iter::once(column)
                .chain(table.key_columns().map(|c| c.name).filter(|c| *c != column))
                .map(|c| (c, Direction::Asc))
                .collect()
        } else {
            order.to_vec()
        };
        let span = statement_span(exec.system(), "SELECT", table.name);
        let rows = exec
            .fetch_all(stmt, decoder.clone())
            .instrument(span)
            .await?;
        if out.is_empty() {
            out = rows; // one chunk, the common case: no copy
        } else {
            out.extend(rows);
        }
    }
    Ok(out)
}

/// Loads one included relation for `parents`, returning one store per parent.
async fn load_link<R, N, X>(
    nested: &N,
    filter: &Option<Expr>,
    order: &[(&'static str, Direction)],
    exec: &X,
    parents: &[R::From],
) -> Result<Vec<Store<R, N>>>
where
    R: Relation,
    N: Loads<R::To>,
    X: Executor,
{
    let to = TableDef::of::<R::To>();
    let from = TableDef::of::<R::From>();
    let store = |m| <R::Link as Link<R::From, R::To>>::store(m, to.entity);
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    match R::LINK.side() {
        LinkSide::Target(fk) => {
            let (index, keys) = parent_index(parents);
            let decoder = KeyedDecoder::new(column_position(&to, fk)?);
            // Soft-deleted children are left out; a parent (below) is not.
            let filter = &crate::soft_delete::Visibility::LIVE.apply(&to, filter.clone());
            let rows = fetch_in(exec, to, fk, keys, filter, order, decoder).await?;
            let sort = order.is_empty() && !exec.orders_includes();
            bucket::<R, N, X>(nested, exec, parents.len(), &index, rows, sort).await
        }
        LinkSide::Source(fk) => {
            let at = column_position(&from, fk)?;
            let mut wanted = HashSet::new();
            let mut keys = Vec::new();
            let parent_fks: Vec<Option<HashKey>> = parents
                .iter()
                .map(|p| {
                    let v = Pick::column(p, at)?;
                    let h = hash_key(&v);
                    if let Some(h) = &h
                        && wanted.insert(h.clone())
                    {
                        keys.push(v);
                    }
                    Ok(h)
                })
                .collect::<Result<_>>()?;
            let key_column = to.key_columns().next().map(|c| c.name).unwrap_or("?");
            let targets = fetch_in(
                exec,
                to,
                key_column,
                keys,
                filter,
                order,
                EntityDecoder::<R::To>::new(),
            )
            .await?;
            let target_keys: Vec<Option<HashKey>> = targets
                .iter()
                .map(|t| scalar_key(&t.key()).and_then(|v| hash_key(&v)))
                .collect();
            let targets = nested.load(exec, targets).await?;
            let by_key: HashMap<HashKey, Arc<N::Output>> = target_keys
                .into_iter()
                .zip(targets)
                .filter_map(|(k, t)| k.map(|k| (k, Arc::new(t))))
                .collect();
            parent_fks
                .into_iter()
                .map(|h| store(Matched::Parent(h.and_then(|h| by_key.get(&h).cloned()))))
                .collect()
        }
    }
}

/// Each parent's position by its key's hash, and the distinct keys.
pub(crate) fn parent_index<E: Entity>(parents: &[E]) -> (HashMap<HashKey, usize>, Vec<Value>) {
    let mut index = HashMap::with_capacity(parents.len());
    let mut keys = Vec::with_capacity(parents.len());
    for (i, parent) in parents.iter().enumerate() {
        if let Some(v) = scalar_key(&parent.key())
            && let Some(h) = hash_key(&v)
            && index.insert(h, i).is_none()
        {
            keys.push(v);
        }
    }
    (index, keys)
}

/// The children `rows` (each with its parent key's hash) in one store per
/// parent, their own includes loaded; with `sort`, each parent's children
/// in key order (the rows usually arrive so already).
pub(crate) async fn bucket<R, N, X>(
    nested: &N,
    exec: &X,
    parents: usize,
    index: &HashMap<HashKey, usize>,
    mut rows: Vec<(R::To, Option<HashKey>)>,
    sort: bool,
) -> Result<Vec<Store<R, N>>>
where
    R: Relation,
    N: Loads<R::To>,
    X: Executor,
{
    let to = TableDef::of::<R::To>();
    let store = |m| <R::Link as Link<R::From, R::To>>::store(m, to.entity);
    if sort && !rows.is_sorted_by(|a, b| order_key(&a.0) <= order_key(&b.0)) {
        rows.sort_by_cached_key(|r| order_key(&r.0));
    }
    let (children, fks): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
    let children = nested.load(exec, children).await?;
    let mut buckets: Vec<Vec<N::Output>> = (0..parents).map(|_| Vec::new()).collect();
    for (child, fk) in children.into_iter().zip(fks) {
        if let Some(&i) = fk.and_then(|h| index.get(&h)) {
            buckets[i].push(child);
        }
    }
    buckets
        .into_iter()
        .map(|b| store(Matched::Children(b)))
        .collect()
}

/// Loads relation `R` for one parent: the lazy path behind `RelationExt::load`.
pub(crate) async fn load_one<R: Relation, X: Executor>(
    exec: &X,
    parent: &R::From,
) -> Result<Store<R, NoIncludes>> {
    let parents = std::slice::from_ref(parent);
    let mut stores = load_link::<R, NoIncludes, X>(&NoIncludes, &None, &[], exec, parents).await?;
    stores.pop().ok_or(Error::NotFound {
        entity: TableDef::of::<R::To>().entity,
    })
}
