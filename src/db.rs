//! `Db`: the handle every query and write goes through.

use futures::future::BoxFuture;
use futures::stream::BoxStream;
use futures::{FutureExt, StreamExt, TryStreamExt};
use tracing::Instrument;

use crate::refusal::{Refusal, Why};
use crate::span::{InSpan, statement_span};
use crate::write::key_filter;
use crate::{
    Decoder, DeleteWrite, Drift, Entity, EntityDecoder, Error, Executor, InsertStmt, Key, Loads,
    OrderSupportedBy, Query, Result, Schema, Selection, Supports, TableDef, UpdateStmt,
    UpdateWrite, Value,
};

/// What one row of query `Q` decodes to, before relations are loaded.
pub type Decoded<Q> = <<Q as Query>::Decoder as Decoder>::Output;

/// What one row of query `Q` becomes: the entity, a [`Loaded`](crate::Loaded)
/// entity when the query includes relations, or the projected tuple.
pub type Output<Q> = <<Q as Query>::Loads as Loads<Decoded<Q>>>::Output;

/// The access path of the relation lookups of query `Q`.
pub type IncludeAccess<Q> = <<Q as Query>::Loads as Loads<Decoded<Q>>>::Access;

/// How many rows `Db::stream` decodes before loading their relations.
const STREAM_BATCH: usize = 256;

/// The stream returned by [`Db::stream`].
pub type RowStream<'a, T> = BoxStream<'a, Result<T>>;

/// The future returned by [`Db::all`], [`Db::first`], [`Db::count`],
/// [`Db::update`] and [`Db::delete`]. It is boxed so that a query the
/// backend cannot run is reported once, at the call, not also at the future
/// and at its `.await`.
pub type DbFuture<'a, T> = BoxFuture<'a, Result<T>>;

/// A database handle over executor `X`: a backend's pool (`Db<Sqlite>`, ...) or
/// an open transaction (`Db<Transaction<Sqlite>>`). Cheap to clone.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); }
/// # use model::User;
/// use keyway::prelude::*;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// let db = keyway_sqlite::Sqlite::memory().await?;
/// db.create_schema::<User>().await?;
/// let id = db.insert(&User::new("Ann", "ann@example.com")).await?;
/// db.update(User::update(id).set(User::NAME, "Anna")).await?;
/// assert_eq!(db.get::<User>(id).await?.name, "Anna");
/// assert_eq!(db.count(User::query().filter(User::NAME.eq("Anna"))).await?, 1);
/// db.delete(User::delete(id)).await?;
/// assert!(db.find::<User>(id).await?.is_none());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Db<X> {
    pub(crate) exec: X,
}

impl<X: Executor> Db<X> {
    /// Wraps an executor.
    pub fn new(exec: X) -> Self {
        Db { exec }
    }

    /// The executor underneath (the backend's pool or transaction).
    pub fn executor(&self) -> &X {
        &self.exec
    }

    /// Every row of the query, with its included relations (one query per
    /// relation and level).
    pub fn all<Q: Query>(&self, query: Q) -> DbFuture<'_, Vec<Output<Q>>>
    where
        X: Supports<Q::Access> + Supports<IncludeAccess<Q>>,
        Q::Order: OrderSupportedBy<X>,
    {
        let (stmt, decoder, loads) = query.into_parts();
        async move {
            stmt.check()?;
            self.rows_and_children(stmt, decoder, loads).await
        }
        .boxed()
    }

    /// The rows of `stmt` with their includes loaded: the children the
    /// backend can read with their parents in the same requests
    /// ([`Executor::fetch_collection`]), the rest one query per include.
    async fn rows_and_children<D, L>(
        &self,
        stmt: crate::SelectStmt,
        decoder: D,
        loads: L,
    ) -> Result<Vec<L::Output>>
    where
        D: Decoder,
        L: crate::Loads<D::Output>,
    {
        let span = statement_span(self.exec.system(), "SELECT", stmt.table.name);
        let links = loads.links();
        if links.iter().any(Option::is_some) {
            let read = self.exec.fetch_collection(stmt, decoder, &links);
            return match read.instrument(span.clone()).await? {
                crate::Collected::Rows(rows, children) => {
                    loads.load_with(&self.exec, rows, children).await
                }
                crate::Collected::Declined(stmt, decoder) => {
                    let rows = self.exec.fetch_all(*stmt, decoder).instrument(span).await?;
                    loads.load(&self.exec, rows).await
                }
            };
        }
        let rows = self.exec.fetch_all(stmt, decoder).instrument(span).await?;
        loads.load(&self.exec, rows).await
    }

    /// The first row of the query, if any (the query's limit becomes 1).
    pub fn first<Q: Query>(&self, query: Q) -> DbFuture<'_, Option<Output<Q>>>
    where
        X: Supports<Q::Access> + Supports<IncludeAccess<Q>>,
        Q::Order: OrderSupportedBy<X>,
    {
        let (mut stmt, decoder, loads) = query.into_parts();
        stmt.limit = Some(1);
        async move {
            stmt.check()?;
            Ok(self.rows_and_children(stmt, decoder, loads).await?.pop())
        }
        .boxed()
    }

    /// The number of rows the query matches (ignoring its limit, offset,
    /// order and includes).
    pub fn count<Q: Query>(&self, query: Q) -> DbFuture<'_, u64>
    where
        X: Supports<Q::Access>,
    {
        let (mut stmt, _, _) = query.into_parts();
        let grouped = matches!(stmt.selection, Selection::Aggregate(_));
        stmt.selection = Selection::Count;
        // A count locks nothing (PostgreSQL refuses `FOR UPDATE` with one).
        stmt.lock = None;
        stmt.order.clear();
        (stmt.limit, stmt.offset) = (None, None);
        async move {
            if grouped {
                return Err(Error::Invalid {
                    what: "count",
                    detail: "`count` of an aggregating query would count rows, not groups: \
                             read the groups with `all` and take their number"
                        .into(),
                });
            }
            let span = statement_span(self.exec.system(), "SELECT", stmt.table.name);
            self.exec.count(stmt).instrument(span).await
        }
        .boxed()
    }

    /// The rows of the query as a stream, decoded one at a time. Included
    /// relations are loaded for every 256 rows (one query per relation each).
    pub fn stream<Q: Query>(&self, query: Q) -> RowStream<'_, Output<Q>>
    where
        X: Supports<Q::Access> + Supports<IncludeAccess<Q>>,
        Q::Order: OrderSupportedBy<X>,
    {
        let (stmt, decoder, loads) = query.into_parts();
        if let Err(e) = stmt.check() {
            return futures::stream::once(async { Err(e) }).boxed();
        }
        let span = statement_span(self.exec.system(), "SELECT", stmt.table.name);
        let inner = span.in_scope(|| self.exec.fetch(stmt, decoder));
        let rows = InSpan { span, inner }.boxed();
        let loads = std::sync::Arc::new(loads);
        rows.try_chunks(STREAM_BATCH)
            .map_err(|e| e.1)
            .and_then(move |batch| {
                let loads = loads.clone();
                async move { loads.load(&self.exec, batch).await }
            })
            .map_ok(|rows| futures::stream::iter(rows.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// The row with `key`, if there is one. The key matches at most one row,
    /// so the backend stops reading after the first.
    pub async fn find<E: Entity>(&self, key: impl Into<E::Key>) -> Result<Option<E>> {
        let key = key.into();
        let span = statement_span(self.exec.system(), "SELECT", E::TABLE);
        let found = if span.is_none() {
            // No subscriber: the commonest statement skips the span's wrapper.
            self.exec.fetch_by_key::<E>(&key).await?
        } else {
            self.exec.fetch_by_key::<E>(&key).instrument(span).await?
        };
        // A soft-deleted or expired row is not found.
        let table = TableDef::of::<E>();
        let hides = table.deleted_at_column().is_some() || table.expires_at_column().is_some();
        match found {
            Some(row) if hides => {
                let values = crate::row::values_of(&row)?;
                let gone = crate::soft_delete::Visibility::LIVE.hides(&table, &values);
                Ok((!gone).then_some(row))
            }
            found => Ok(found),
        }
    }

    /// The row with `key`; [`Error::NotFound`] when there is none.
    pub async fn get<E: Entity>(&self, key: impl Into<E::Key>) -> Result<E> {
        self.find::<E>(key).await?.ok_or_else(|| Error::NotFound {
            entity: TableDef::of::<E>().entity,
        })
    }

    /// Inserts one row; returns its key (generated by the database for an
    /// `auto` key column). A duplicate key or unique column is
    /// [`Error::UniqueViolation`].
    pub async fn insert<E: Entity>(&self, entity: &E) -> Result<E::Key> {
        let mut keys = self
            .insert_rows::<E>(std::slice::from_ref(entity), true)
            .await?;
        Ok(keys.pop().expect("one key per inserted row"))
    }

    /// Inserts many rows in as few statements as the backend allows (one per
    /// batch, never one per row); returns their keys in order. Nothing is
    /// inserted when any row fails on backends with atomic statements.
    pub async fn insert_many<E: Entity>(&self, entities: &[E]) -> Result<Vec<E::Key>> {
        if entities.is_empty() {
            return Ok(Vec::new());
        }
        self.insert_rows(entities, true).await
    }

    /// Inserts rows, with fresh values in a generated key column when
    /// `generate` (otherwise the rows already hold them: `create`).
    pub(crate) async fn insert_rows<E: Entity>(
        &self,
        entities: &[E],
        generate: bool,
    ) -> Result<Vec<E::Key>> {
        let fresh = match generate {
            true => crate::generated::with_generated(entities)?,
            false => None,
        };
        let entities = fresh.as_deref().unwrap_or(entities);
        let table = TableDef::of::<E>();
        let span = statement_span(self.exec.system(), "INSERT", table.name);
        let generated = self.exec.insert_entities(entities).instrument(span).await?;
        keys_of::<E>(&table, entities.len(), generated, || {
            entities.iter().map(Entity::key).collect()
        })
    }

    /// Inserts encoded rows of `E`; returns the generated keys, or `given()`
    /// when the table has no `auto` column.
    pub(crate) async fn insert_values<E: Entity>(
        &self,
        stmt: InsertStmt,
        given: impl FnOnce() -> Vec<E::Key>,
    ) -> Result<Vec<E::Key>> {
        let table = stmt.table;
        let count = stmt.rows.len();
        for row in &stmt.rows {
            table.check_row(row.len())?;
        }
        let span = statement_span(self.exec.system(), "INSERT", table.name);
        let generated = self.exec.insert(stmt).instrument(span).await?;
        keys_of::<E>(&table, count, generated, given)
    }

    /// Writes every non-key column of `entity` to the row with its key;
    /// [`Error::NotFound`] when there is none. For an entity with a version
    /// column ([`Column::version`](crate::Column::version)), only a row that
    /// still has the struct's version is written, and its version goes up
    /// by 1; a row someone else wrote since is [`Error::Conflict`] and
    /// keeps their change. (Read the row again before saving the struct a
    /// second time: it holds the version it was read with.)
    pub async fn save<E: Entity>(&self, entity: &E) -> Result<()> {
        let table = TableDef::of::<E>();
        if table.columns.iter().all(|c| c.is_key()) {
            // Nothing to write: the row must exist.
            return self.get::<E>(entity.key()).await.map(drop);
        }
        let span = statement_span(self.exec.system(), "UPDATE", table.name);
        let saved = match span.is_none() {
            // No subscriber: the save skips the span's wrapper, as `find` does.
            true => self.exec.save_entity(entity).await?,
            false => self.exec.save_entity(entity).instrument(span).await?,
        };
        if saved > 0 {
            return Ok(());
        }
        // Matched nothing: a missing row, or another version.
        let mut refusal = Refusal::new(table, key_filter::<E>(&entity.key()));
        if let Some(version) = UpdateStmt::save(entity)?.condition {
            refusal.checks.push((version, Why::Conflict));
        }
        Err(refusal.explain(&self.exec).await?)
    }

    /// Runs an update: `E::update(key).set(..)` (only the set columns are
    /// written; `NotFound` when no row has the key, `ConditionFailed` when
    /// it fails an `.only_if`, `Conflict` when its version is not the one
    /// given) or `query.update().set(..)` (returns the number of rows
    /// matched).
    pub fn update<U: UpdateWrite>(&self, update: U) -> DbFuture<'_, U::Output>
    where
        X: Supports<U::Access>,
    {
        let refusal = update.refusal();
        let stmt = update.into_stmt();
        async move {
            let stmt = stmt?;
            let (matched, rows) = self.write_update(stmt, U::RETURNING).await?;
            if let (0, Some(r)) = (matched, refusal) {
                return Err(r.explain(&self.exec).await?);
            }
            U::finish(matched, rows)
        }
        .boxed()
    }

    /// Runs an update's statement: the number of rows matched and, when
    /// `returning`, the rows as written. An increment past its type's
    /// range is reported as [`Error::OutOfRange`] on its column.
    async fn write_update<E: Entity>(
        &self,
        stmt: UpdateStmt,
        returning: bool,
    ) -> Result<(u64, Vec<E>)> {
        let (table, name) = (stmt.table, stmt.table.name);
        let added: Vec<&'static str> = stmt.add.iter().map(|(c, _)| *c).collect();
        let span = statement_span(self.exec.system(), "UPDATE", name);
        let written = match returning {
            true => {
                let rows = self.exec.update_returning(stmt, EntityDecoder::<E>::new());
                rows.instrument(span).await.map(|r| (r.len() as u64, r))
            }
            false => {
                let n = self.exec.update(stmt).instrument(span).await;
                n.map(|n| (n, Vec::new()))
            }
        };
        written.map_err(|e| match e {
            // SQLite's guard of an increment out of range writes NULL.
            Error::NotNullViolation { entity, column } if added.contains(&column.as_str()) => {
                Error::OutOfRange {
                    entity,
                    column,
                    detail: "the amount added takes it past the range of its type".into(),
                }
            }
            // PostgreSQL's and MySQL's overflow names no column.
            Error::OutOfRange {
                entity,
                column,
                detail,
            } if !added.is_empty() && table.column(&column).is_none() => Error::OutOfRange {
                entity,
                column: added[0].to_owned(),
                detail,
            },
            e => e,
        })
    }

    /// Runs a delete: `E::delete(key)` (`NotFound` when no row has the key,
    /// `ConditionFailed` or `Conflict` as for an update) or
    /// `query.delete()` (returns the number of rows deleted).
    pub fn delete<D: DeleteWrite>(&self, delete: D) -> DbFuture<'_, D::Output>
    where
        X: Supports<D::Access>,
    {
        let mut refusal = delete.refusal();
        let hard = delete.is_hard();
        let stmt = delete.into_stmt();
        async move {
            let stmt = stmt?;
            let (table, name) = (stmt.table, stmt.table.name);
            let (deleted, rows) = match table.deleted_at_column() {
                // Soft delete: the live rows stamped, not removed.
                Some((_, column)) if !hard => {
                    // A soft-deleted row is as missing as a removed one.
                    if let (Some(r), Some(live)) = (
                        refusal.as_mut(),
                        crate::soft_delete::Visibility::UNDELETED.condition(&table),
                    ) {
                        r.key = r.key.clone().and(live);
                    }
                    let filter =
                        crate::soft_delete::Visibility::UNDELETED.apply(&table, stmt.filter);
                    let mut update = UpdateStmt::new(table, filter);
                    update
                        .set
                        .push((column.name, crate::soft_delete::now(column.ty)));
                    update.condition = stmt.condition;
                    crate::write::bump_version(&mut update);
                    self.write_update(update, D::RETURNING).await?
                }
                _ => {
                    let span = statement_span(self.exec.system(), "DELETE", name);
                    if D::RETURNING {
                        let rows = self
                            .exec
                            .delete_returning(stmt, EntityDecoder::<D::Entity>::new());
                        let rows = rows.instrument(span).await?;
                        (rows.len() as u64, rows)
                    } else {
                        let n = self.exec.delete(stmt).instrument(span).await?;
                        (n, Vec::new())
                    }
                }
            };
            if let (0, Some(r)) = (deleted, refusal) {
                return Err(r.explain(&self.exec).await?);
            }
            D::finish(deleted, rows)
        }
        .boxed()
    }

    /// Brings back the soft-deleted row of `E` with `key`: its deleted-at
    /// stamp cleared ([`Column::deleted_at`](crate::Column::deleted_at));
    /// [`Error::NotFound`] when no row has the key, deleted or not. A row
    /// that is not deleted stays as it is.
    pub async fn restore<E: Entity>(&self, key: impl Into<E::Key>) -> Result<()> {
        let table = TableDef::of::<E>();
        let Some((_, column)) = table.deleted_at_column() else {
            return Err(Error::Invalid {
                what: "restore",
                detail: format!(
                    "`{}` has no deleted-at column: declare one with `Column::deleted_at`",
                    table.entity
                ),
            });
        };
        let key = key.into();
        let mut stmt = UpdateStmt::new(table, Some(key_filter::<E>(&key)));
        stmt.set.push((column.name, Value::Null));
        crate::write::bump_version(&mut stmt);
        match self.write_update::<E>(stmt, false).await?.0 {
            0 => Err(Error::NotFound {
                entity: table.entity,
            }),
            _ => Ok(()),
        }
    }

    /// Creates the tables of `S` (an entity or a tuple of entities) with their
    /// keys and indexes, after checking every declaration.
    pub async fn create_schema<S: Schema>(&self) -> Result<()> {
        let mut tables = S::tables();
        for (table, arity) in &tables {
            table.validate(*arity)?;
        }
        parents_first(&mut tables);
        for (table, _) in tables {
            let span = statement_span(self.exec.system(), "CREATE", table.name);
            self.exec.create_table(table).instrument(span).await?;
        }
        Ok(())
    }

    /// Every difference between the tables of `S` as the impls declare them
    /// and as the database holds them (read from its catalog): missing
    /// tables, columns, indexes and foreign keys, extra ones, other types,
    /// nullability or keys. Empty when they agree.
    pub async fn schema_drift<S: Schema>(&self) -> Result<Vec<Drift>> {
        let mut out = Vec::new();
        for (table, arity) in S::tables() {
            table.validate(arity)?;
            let declared = self.exec.declared_table(&table)?;
            let span = statement_span(self.exec.system(), "DESCRIBE", table.name);
            let live = self.exec.describe_table(table).instrument(span).await?;
            out.extend(crate::drift(&declared, live.as_ref()));
        }
        Ok(out)
    }

    /// Fails with [`Error::SchemaDrift`], listing every difference, when the
    /// database differs from the tables of `S` as the impls declare them
    /// ([`schema_drift`](Self::schema_drift)): a check for start-up.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = keyway_sqlite::Sqlite::memory().await?;
    /// db.create_schema::<User>().await?;
    /// db.verify_schema::<User>().await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify_schema<S: Schema>(&self) -> Result<()> {
        let differences = self.schema_drift::<S>().await?;
        if differences.is_empty() {
            Ok(())
        } else {
            Err(Error::SchemaDrift { differences })
        }
    }

    /// Drops the tables of `S`, in reverse order.
    pub async fn drop_schema<S: Schema>(&self) -> Result<()> {
        let mut tables = S::tables();
        parents_first(&mut tables);
        for (table, _) in tables.into_iter().rev() {
            check_name(&table)?;
            let span = statement_span(self.exec.system(), "DROP", table.name);
            self.exec.drop_table(table).instrument(span).await?;
        }
        Ok(())
    }
}

/// Orders tables so that every parent a foreign key references comes before
/// its children (the given order is kept otherwise; cycles keep it too).
pub(crate) fn parents_first(tables: &mut [(TableDef, usize)]) {
    for _ in 0..tables.len() {
        let mut moved = false;
        for i in 0..tables.len() {
            let child = tables[i].0;
            let parent_after = (i + 1..tables.len()).find(|&j| {
                let name = tables[j].0.name;
                name != child.name && child.foreign_keys.iter().any(|fk| fk.parent_table == name)
            });
            if let Some(j) = parent_after {
                tables[i..=j].rotate_right(1);
                moved = true;
                break;
            }
        }
        if !moved {
            return;
        }
    }
}

fn check_name(table: &TableDef) -> Result<()> {
    crate::schema::check_identifier(table.name, "table")
}

impl<X> Db<X> {
    pub(crate) fn into_executor(self) -> X {
        self.exec
    }
}

/// The keys of `count` inserted rows of `E`: the `auto` column's values the
/// database generated (checked and decoded), or `given()` when the table has
/// no `auto` column.
fn keys_of<E: Entity>(
    table: &TableDef,
    count: usize,
    generated: Vec<Value>,
    given: impl FnOnce() -> Vec<E::Key>,
) -> Result<Vec<E::Key>> {
    let Some((_, auto)) = table.auto_column() else {
        return Ok(given());
    };
    if generated.len() != count {
        return Err(Error::Invalid {
            what: "backend response",
            detail: format!("{} generated keys for {count} rows", generated.len()),
        });
    }
    generated
        .into_iter()
        .map(|v| {
            E::Key::from_values([v]).map_err(|source| Error::Decode {
                entity: table.entity,
                column: auto.name.to_owned(),
                source,
            })
        })
        .collect()
}
