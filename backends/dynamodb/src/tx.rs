//! Transactions: writes are buffered, composed per item, and committed in
//! one TransactWriteItems.
//!
//! Every write of an item in a transaction composes with the earlier ones
//! (`tx_buffer`): an insert then updates is one Put of the updated item; an
//! insert then a delete sends nothing (nor claims its unique values);
//! updates merge into one UpdateItem; an update then a delete is one
//! Delete; a delete then an insert is one Put conditioned on the deleted
//! item. Unique values follow the item's final state: a value an insert
//! claimed and an update then changed claims only the new value.
//!
//! Reads see the transaction's own writes: get by key answers from the
//! buffer for an item the transaction wrote, and a query (or count) on a
//! table the transaction wrote is read whole (its key or index lookup, or
//! its Scan, without limit), overlaid with the buffered items, then
//! ordered, offset and limited in memory. A query on a table the
//! transaction did not write goes straight to DynamoDB.
//!
//! Deleting a parent applies its children's `ON DELETE` (`foreign_keys`)
//! into the buffer; a child's reference is checked when the write is called
//! and again, with a ConditionCheck, at commit.
//!
//! Limits, all DynamoDB's: a transaction holds at most 100 item writes
//! (cascaded rows, unique-value sentinels and parent checks count): the write
//! that would pass it is refused with `Error::Unsupported` and leaves the
//! transaction as it was. Updates and deletes find their items when they are
//! called (and return the count then); at commit every item read must still
//! exist with the unique values (and references) it was read with, or the
//! commit fails with `Error::ConditionFailed` and writes nothing. An insert
//! of a key that exists in the table (not in the transaction) fails at
//! commit, with `UniqueViolation { index: "PRIMARY" }`. Auto keys are taken
//! when `insert` is called; a rollback leaves a gap in the counter.

use std::sync::Arc;

use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use keyway::{
    Decoder, DeleteStmt, Executor, Indexed, InsertStmt, Result, Scan, SelectStmt, Supports,
    TableDef, UpdateStmt, Value,
};
use tokio::sync::Mutex;

use crate::action::{Op, Role};
use crate::apply_update::apply_update;
use crate::connect::Inner;
use crate::errors;
use crate::foreign_keys::{check_now, delete_into};
use crate::marshal::Item;
use crate::tx_buffer::Buffer;
use crate::tx_view::{self, find};
use crate::{create_table, delete_table, write};

/// An open DynamoDB transaction, used through `Db<Transaction<DynamoDb>>`.
/// Dropped without commit, its buffered writes are discarded.
#[derive(Debug)]
pub struct DynamoDbTx {
    inner: Arc<Inner>,
    buffer: Mutex<Buffer>,
}

/// Key and index lookups, overlaid with the transaction's writes.
impl Supports<Indexed> for DynamoDbTx {}
/// Explicit `.scan()`s, overlaid with the transaction's writes.
impl Supports<Scan> for DynamoDbTx {}

impl DynamoDbTx {
    pub(crate) fn new(inner: Arc<Inner>) -> Self {
        DynamoDbTx {
            inner,
            buffer: Mutex::new(Buffer::default()),
        }
    }

    /// The buffer to overlay reads of `table` with (`None`: read the table).
    async fn overlay(&self, table: &TableDef) -> Option<Buffer> {
        let buffer = self.buffer.lock().await;
        (!buffer.untouched(table.name)).then(|| buffer.clone())
    }

    /// Runs `change` on a copy of the buffer and keeps it only if it
    /// succeeds and the commit it leaves is valid (at most 100 writes, no
    /// unique value claimed twice).
    async fn write<T>(&self, change: impl AsyncFnOnce(&mut Buffer) -> Result<T>) -> Result<T> {
        let mut buffer = self.buffer.lock().await;
        let mut next = buffer.clone();
        let out = change(&mut next).await?;
        next.check_commit(&self.inner)?;
        *buffer = next;
        Ok(out)
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.buffer.into_inner().commit(&self.inner).await
    }

    pub(crate) fn rollback(self) {
        drop(self);
    }

    /// Buffers an update; returns the items as it writes them. With
    /// `whole`, every column read is guarded until the commit, so the
    /// items returned are those written.
    async fn update_items(&self, stmt: UpdateStmt, whole: bool) -> Result<Vec<Item>> {
        let stmt = crate::linked::update(self, stmt).await?;
        let table = stmt.table;
        crate::item_size::check_set(&table, &stmt.set)?;
        let inner = &self.inner;
        self.write(async |buffer| {
            let found = find(inner, buffer, &table, stmt.rows_written().as_ref()).await?;
            let mut columns: Vec<&'static str> = stmt.set.iter().map(|(c, _)| *c).collect();
            columns.extend(stmt.add.iter().map(|(c, _)| *c));
            let mut checked = false;
            // Each item's set: the columns, and each document with its
            // paths set (rewritten whole by the commit).
            let mut writes = Vec::with_capacity(found.len());
            // A document rewritten whole at commit must still be the one
            // read: a concurrent change fails the transaction, never lost.
            let mut guards: Vec<&'static str> = Vec::new();
            for p in &stmt.paths {
                if !guards.contains(&p.column) {
                    guards.push(p.column);
                }
            }
            // So are the columns added to (their sums are computed here)
            // and those the condition read (it still holds at commit).
            let mut read = stmt.add.iter().map(|(c, _)| *c).collect();
            if let Some(c) = &stmt.condition {
                crate::eval::columns(c, &mut read);
            }
            crate::tx_buffer::add_all(&mut guards, &read);
            // The columns that render the layout index keys it moves.
            let written = |c: &str| columns.contains(&c);
            crate::tx_buffer::add_all(&mut guards, &crate::layout::moved(&table, &written));
            if whole {
                crate::tx_buffer::add_all(&mut guards, &write::non_key_columns(&table));
            }
            for item in found {
                let Some((set, next)) = apply_update(&table, &item, &stmt)? else {
                    continue;
                };
                if !checked {
                    // Every matched row gets the same values: one check.
                    check_now(inner, buffer, &table, &next, Some(&columns)).await?;
                    checked = true;
                }
                writes.push((item, set, next));
            }
            let mut written = Vec::with_capacity(writes.len());
            for (item, set, next) in writes {
                buffer.update(&table, item, &set, &guards, 0)?;
                written.push(next);
            }
            Ok(written)
        })
        .await
        .map_err(errors::on_table(&self.inner, table))
    }

    /// Buffers a delete; returns the items it deletes, as read (with
    /// `whole`, guarded until the commit).
    async fn delete_items(&self, stmt: DeleteStmt, whole: bool) -> Result<Vec<Item>> {
        let stmt = crate::linked::delete(self, stmt).await?;
        let table = stmt.table;
        let inner = &self.inner;
        self.write(async |buffer| delete_into(inner, buffer, &stmt, whole).await)
            .await
            .map_err(errors::on_table(&self.inner, table))
    }
}

impl Executor for DynamoDbTx {
    const SYSTEM: &'static str = "dynamodb";

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        futures::stream::once(async move {
            let stmt = crate::linked::select(self, stmt).await?;
            let buffer = self.overlay(&stmt.table).await;
            Ok::<_, keyway::Error>(tx_view::fetch(self.inner.clone(), buffer, stmt, decoder))
        })
        .try_flatten()
        .boxed()
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::linked::select(self, stmt).await?;
        let buffer = self.overlay(&stmt.table).await;
        tx_view::fetch(self.inner.clone(), buffer, stmt, decoder)
            .try_collect()
            .await
            .map_err(named)
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        let named = errors::on_table(&self.inner, stmt.table);
        let stmt = crate::linked::select(self, stmt).await?;
        let buffer = self.overlay(&stmt.table).await;
        tx_view::count(self.inner.clone(), buffer, stmt)
            .await
            .map_err(named)
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let table = stmt.table;
        let prepared = write::prepare_insert(&self.inner, stmt)
            .await
            .map_err(errors::on_table(&self.inner, table))?;
        let inner = &self.inner;
        self.write(async |buffer| {
            for group in prepared.groups {
                let Some(put) = group.into_iter().find(|a| a.role == Role::Insert) else {
                    continue;
                };
                let Op::Put(item) = put.op else { continue };
                check_now(inner, buffer, &table, &item, None).await?;
                buffer.insert(&table, item)?;
            }
            Ok(())
        })
        .await?;
        Ok(prepared.keys)
    }

    /// The counter moves at once (as auto keys are taken at once); the rows
    /// are buffered.
    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        let stmt = crate::auto_key::given_keys(&self.inner, stmt).await?;
        self.insert(stmt).await.map(drop)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let items = self.update_items(stmt, false).await?;
        Ok(items.len() as u64)
    }

    /// An update that sets nothing: the items found now, and the columns
    /// its condition reads guarded until the commit, whose
    /// `TransactWriteItems` checks them again (a `ConditionCheck`).
    async fn check(&self, stmt: UpdateStmt) -> Result<u64> {
        self.update(stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let items = self.delete_items(stmt, false).await?;
        Ok(items.len() as u64)
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let table = stmt.table;
        let items = self.update_items(stmt, true).await?;
        crate::read::decode_items(&table, &decoder, items)
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        let table = stmt.table;
        let items = self.delete_items(stmt, true).await?;
        crate::read::decode_items(&table, &decoder, items)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        create_table::create(&self.inner, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        delete_table::drop(&self.inner, table).await
    }

    fn declared_table(&self, table: &TableDef) -> Result<keyway::TableSchema> {
        crate::introspect::declared_table(table)
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<keyway::TableSchema>> {
        crate::introspect::describe_table(&self.inner, &table).await
    }

    fn portable_type(&self, catalog: &str) -> Option<keyway::migrate::TypeSpec> {
        crate::migrate::portable_type(catalog)
    }

    fn schema_changes(&self) -> keyway::migrate::SchemaChanges {
        keyway::migrate::SchemaChanges::OneByOne
    }

    fn render_change(&self, change: &keyway::migrate::Change<'_>) -> Result<Vec<String>> {
        crate::migrate::render(&self.inner, change)
    }

    /// Schema changes are not transactional on DynamoDB: they apply at
    /// once, outside the transaction's buffer.
    async fn apply_change(&self, change: &keyway::migrate::Change<'_>) -> Result<()> {
        crate::migrate::apply(&self.inner, change).await
    }

    /// At once, not at commit: the lock is an item of its own.
    async fn lock_migrations(&self) -> Result<()> {
        crate::migration_lock::lock(&self.inner).await
    }

    async fn unlock_migrations(&self) -> Result<()> {
        crate::migration_lock::unlock(&self.inner).await
    }
}
