//! Transactions: writes are buffered and committed in one TransactWriteItems.
//!
//! Limits, all DynamoDB's: a transaction holds at most 100 item writes
//! (unique-value sentinels count), writes each item at most once, and its
//! reads go straight to the table, so they do not see its own buffered
//! writes. Updates and deletes find their items when they are called (and
//! return the count then); at commit every written item must still exist
//! unchanged, or the commit fails with `Error::ConditionFailed` and writes
//! nothing. Auto keys are taken when `insert` is called; a rollback leaves a
//! gap in the counter.

use std::sync::{Arc, Mutex, PoisonError};

use futures::TryStreamExt;
use futures::stream::BoxStream;
use keyway::{
    Decoder, DeleteStmt, Error, Executor, Indexed, InsertStmt, Result, Scan, SelectStmt, Supports,
    TableDef, UpdateStmt, Value,
};

use crate::action::{Action, Role};
use crate::connect::Inner;
use crate::transact_write_items::{MAX_ACTIONS, transact};
use crate::{create_table, delete_table, read, write};

/// An open DynamoDB transaction, used through `Db<Transaction<DynamoDb>>`.
/// Dropped without commit, its buffered writes are discarded.
#[derive(Debug)]
pub struct DynamoDbTx {
    inner: Arc<Inner>,
    writes: Mutex<Vec<Action>>,
}

/// Key and index lookups, straight to the table.
impl Supports<Indexed> for DynamoDbTx {}
/// Explicit `.scan()`s, straight to the table.
impl Supports<Scan> for DynamoDbTx {}

impl DynamoDbTx {
    pub(crate) fn new(inner: Arc<Inner>) -> Self {
        DynamoDbTx {
            inner,
            writes: Mutex::new(Vec::new()),
        }
    }

    /// Buffers groups of writes, refusing a second write of one item.
    fn buffer(&self, groups: Vec<Vec<Action>>) -> Result<()> {
        let mut writes = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        let mut targets: Vec<String> = writes.iter().map(Action::target).collect();
        let added: Vec<Action> = groups.into_iter().flatten().collect();
        for a in &added {
            let t = a.target();
            if targets.contains(&t) {
                // A second claim of one key or unique value is a duplicate.
                if matches!(a.role, Role::Insert | Role::Sentinel(_)) {
                    return Err(a.violation());
                }
                return Err(Error::Unsupported {
                    backend: "dynamodb",
                    detail: format!(
                        "a transaction writes each item at most once on DynamoDB; `{}` is written twice",
                        a.entity
                    ),
                });
            }
            targets.push(t);
        }
        if writes.len() + added.len() > MAX_ACTIONS {
            return Err(Error::Unsupported {
                backend: "dynamodb",
                detail: format!(
                    "a transaction holds at most {MAX_ACTIONS} item writes on DynamoDB (unique values count)"
                ),
            });
        }
        writes.extend(added);
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<()> {
        let writes = self
            .writes
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if writes.is_empty() {
            return Ok(());
        }
        transact(&self.inner.client, writes).await
    }

    pub(crate) fn rollback(self) {
        drop(self);
    }
}

impl Executor for DynamoDbTx {
    const SYSTEM: &'static str = "dynamodb";

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        read::fetch(self.inner.clone(), stmt, decoder)
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        read::fetch(self.inner.clone(), stmt, decoder)
            .try_collect()
            .await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        read::count(self.inner.clone(), stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        let prepared = write::prepare_insert(&self.inner, stmt).await?;
        self.buffer(prepared.groups)?;
        Ok(prepared.keys)
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        let groups = write::prepare_update(&self.inner, stmt, true).await?;
        let n = groups.len() as u64;
        self.buffer(groups)?;
        Ok(n)
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        let groups = write::prepare_delete(&self.inner, stmt, true).await?;
        let n = groups.len() as u64;
        self.buffer(groups)?;
        Ok(n)
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        create_table::create(&self.inner, table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        delete_table::drop(&self.inner, table).await
    }
}
