//! Transactions: `Db::transaction(async |tx| ..)` and `Db::begin`.

use futures::stream::BoxStream;

use crate::{
    Backend, Db, Decoder, DeleteStmt, Entity, Error, Executor, InsertStmt, LocksRows, Result,
    RowLocks, SelectStmt, Supports, TableDef, Unlocked, UpdateStmt, UpsertStmt, Value,
};

/// An open transaction of backend `B`, used as `Db<Transaction<B>>`: every
/// query and write of [`Db`] runs inside it. Dropped without
/// [`commit`](Db::commit), it rolls back.
#[derive(Debug)]
pub struct Transaction<B: Backend> {
    inner: B::Tx,
}

impl<A: Unlocked, B: Backend + Supports<A>> Supports<A> for Transaction<B> {}
impl<A: Unlocked, B: Backend + Supports<crate::Grouped<A>>> Supports<crate::Grouped<A>>
    for Transaction<B>
{
}

/// A transaction on a backend with row locks locks the rows it reads when
/// asked ([`Select::for_update`](crate::Select::for_update)).
impl<B: Backend + RowLocks> LocksRows for Transaction<B> {}

impl<B: Backend> Executor for Transaction<B> {
    const SYSTEM: &'static str = B::SYSTEM;

    fn system(&self) -> &'static str {
        self.inner.system()
    }

    fn orders_includes(&self) -> bool {
        self.inner.orders_includes()
    }

    fn fetch<'a, D: Decoder>(
        &'a self,
        stmt: SelectStmt,
        decoder: D,
    ) -> BoxStream<'a, Result<D::Output>> {
        self.inner.fetch(stmt, decoder)
    }

    async fn fetch_all<D: Decoder>(&self, stmt: SelectStmt, decoder: D) -> Result<Vec<D::Output>> {
        self.inner.fetch_all(stmt, decoder).await
    }

    async fn fetch_by_key<E: Entity>(&self, key: &E::Key) -> Result<Option<E>> {
        self.inner.fetch_by_key::<E>(key).await
    }

    async fn count(&self, stmt: SelectStmt) -> Result<u64> {
        self.inner.count(stmt).await
    }

    async fn insert(&self, stmt: InsertStmt) -> Result<Vec<Value>> {
        self.inner.insert(stmt).await
    }

    async fn insert_entities<E: Entity>(&self, entities: &[E]) -> Result<Vec<Value>> {
        self.inner.insert_entities(entities).await
    }

    async fn insert_with_keys(&self, stmt: InsertStmt) -> Result<()> {
        self.inner.insert_with_keys(stmt).await
    }

    async fn upsert(&self, stmt: UpsertStmt) -> Result<Vec<bool>> {
        self.inner.upsert(stmt).await
    }

    async fn save_entity<E: Entity>(&self, entity: &E) -> Result<u64> {
        self.inner.save_entity(entity).await
    }

    async fn check(&self, stmt: UpdateStmt) -> Result<u64> {
        self.inner.check(stmt).await
    }

    async fn update(&self, stmt: UpdateStmt) -> Result<u64> {
        self.inner.update(stmt).await
    }

    async fn delete(&self, stmt: DeleteStmt) -> Result<u64> {
        self.inner.delete(stmt).await
    }

    async fn update_returning<D: Decoder>(
        &self,
        stmt: UpdateStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        self.inner.update_returning(stmt, decoder).await
    }

    async fn delete_returning<D: Decoder>(
        &self,
        stmt: DeleteStmt,
        decoder: D,
    ) -> Result<Vec<D::Output>> {
        self.inner.delete_returning(stmt, decoder).await
    }

    async fn create_table(&self, table: TableDef) -> Result<()> {
        self.inner.create_table(table).await
    }

    async fn drop_table(&self, table: TableDef) -> Result<()> {
        self.inner.drop_table(table).await
    }

    fn declared_table(&self, table: &TableDef) -> Result<crate::TableSchema> {
        self.inner.declared_table(table)
    }

    async fn describe_table(&self, table: TableDef) -> Result<Option<crate::TableSchema>> {
        self.inner.describe_table(table).await
    }

    fn portable_type(&self, catalog: &str) -> Option<crate::migrate::TypeSpec> {
        self.inner.portable_type(catalog)
    }

    fn schema_changes(&self) -> crate::migrate::SchemaChanges {
        self.inner.schema_changes()
    }

    fn render_change(&self, change: &crate::migrate::Change<'_>) -> Result<Vec<String>> {
        self.inner.render_change(change)
    }

    async fn apply_change(&self, change: &crate::migrate::Change<'_>) -> Result<()> {
        self.inner.apply_change(change).await
    }

    async fn lock_migrations(&self) -> Result<()> {
        self.inner.lock_migrations().await
    }

    async fn unlock_migrations(&self) -> Result<()> {
        self.inner.unlock_migrations().await
    }
}

impl<B: Backend> Db<B> {
    /// Runs `work` in a transaction: commits when it returns `Ok`, rolls back
    /// when it returns `Err` (the error is passed on) or is dropped unfinished.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = keyway_sqlite::Sqlite::memory().await?;
    /// db.create_schema::<User>().await?;
    /// let failed: keyway::Result<()> = db
    ///     .transaction(async |tx| {
    ///         tx.insert(&User::new("Ann", "ann@example.com")).await?;
    ///         tx.insert(&User::new("Bob", "ann@example.com")).await?; // duplicate email
    ///         Ok(())
    ///     })
    ///     .await;
    /// assert!(matches!(failed, Err(keyway::Error::UniqueViolation { .. })));
    /// assert_eq!(db.count(User::query()).await?, 0); // Ann was rolled back too
    /// # Ok(()) }
    /// ```
    pub async fn transaction<T, F>(&self, work: F) -> Result<T>
    where
        F: AsyncFnOnce(&Db<Transaction<B>>) -> Result<T>,
    {
        self.transaction_with_error(work).await
    }

    /// Runs `work` in a transaction, as [`transaction`](Db::transaction)
    /// does, for work whose error is the application's own: any `E` a keyway
    /// [`Error`] converts into (`?` on keyway calls inside works). An `Err`
    /// rolls back and comes back unchanged; a failed begin or commit comes
    /// back converted into `E`.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); }
    /// # use model::User;
    /// use keyway::prelude::*;
    ///
    /// #[derive(Debug)]
    /// enum SignUpError {
    ///     NameTaken,
    ///     Db(keyway::Error),
    /// }
    /// impl From<keyway::Error> for SignUpError {
    ///     fn from(e: keyway::Error) -> Self {
    ///         SignUpError::Db(e)
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = keyway_sqlite::Sqlite::memory().await?;
    /// db.create_schema::<User>().await?;
    /// let result = db
    ///     .transaction_with_error(async |tx| {
    ///         tx.insert(&User::new("root", "root@example.com")).await?;
    ///         Err::<(), _>(SignUpError::NameTaken) // a business rule says no
    ///     })
    ///     .await;
    /// assert!(matches!(result, Err(SignUpError::NameTaken)));
    /// assert_eq!(db.count(User::query()).await?, 0); // rolled back
    /// # Ok(()) }
    /// ```
    pub async fn transaction_with_error<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&Db<Transaction<B>>) -> Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin().await?;
        match work(&tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(err) => {
                // The caller's error matters more than a failed rollback; the
                // connection is discarded by the pool if the rollback failed.
                let _ = tx.rollback().await;
                Err(err)
            }
        }
    }

    /// Opens a transaction; finish it with [`commit`](Db::commit) or
    /// [`rollback`](Db::rollback) (dropping it rolls back).
    pub async fn begin(&self) -> Result<Db<Transaction<B>>> {
        let inner = self.exec.begin().await?;
        Ok(Db::new(Transaction { inner }))
    }

    /// Opens the transaction a migration runs in
    /// ([`Backend::begin_schema_change`]).
    pub async fn begin_schema_change(&self) -> Result<Db<Transaction<B>>> {
        let inner = self.exec.begin_schema_change().await?;
        Ok(Db::new(Transaction { inner }))
    }
}

impl<B: Backend> Db<Transaction<B>> {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<()> {
        B::commit(self.into_executor().inner).await
    }

    /// Rolls the transaction back.
    pub async fn rollback(self) -> Result<()> {
        B::rollback(self.into_executor().inner).await
    }
}
