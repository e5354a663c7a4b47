//! Condition checks: that a row exists and holds a condition, kept so
//! until the transaction commits, without writing it. `db.check(
//! Account::check(id).only_if(Account::FROZEN.eq(false)))` in a transfer
//! that writes other rows.

use crate::db::Db;
use crate::soft_delete::Visibility;
use crate::write::Checks;
use crate::{
    Access, Decoder, Entity, Executor, Filter, Marker, Result, UpdateStmt, ValueReader,
    statement_span,
};
use tracing::Instrument;

/// Reads nothing of a row: the read only asks whether there is one.
pub(crate) struct Nothing;

impl Decoder for Nothing {
    type Output = ();
    fn decode(&self, _: &mut impl ValueReader) -> Result<()> {
        Ok(())
    }
}

/// A check of one row by key. Built with `E::check(key)`; run with
/// [`Db::check`].
#[derive(Debug)]
#[must_use = "a check does nothing until passed to `Db::check`"]
pub struct CheckKey<E> {
    checks: Checks,
    _marker: Marker<E>,
}

impl<E: Entity> CheckKey<E> {
    pub(crate) fn new(key: &E::Key) -> Self {
        CheckKey {
            checks: Checks::new::<E>(key),
            _marker: std::marker::PhantomData,
        }
    }

    /// What the row must hold (ANDed with earlier conditions); otherwise
    /// [`Error::ConditionFailed`](crate::Error::ConditionFailed). Any filter on the entity's columns: the
    /// row is named by its key.
    pub fn only_if<A: Access>(mut self, condition: Filter<E, A>) -> Self {
        self.checks.only_if(condition.into_expr());
        self
    }

    /// That the row's version ([`Column::version`](crate::Column::version))
    /// is still `version`; otherwise [`Error::Conflict`](crate::Error::Conflict).
    pub fn if_version(mut self, version: i64) -> Self {
        self.checks.version = Some(version);
        self
    }
}

impl<X: Executor> Db<X> {
    /// Checks that the row of a [`CheckKey`] exists and holds its
    /// conditions, and keeps it so until the transaction this runs in
    /// commits, without writing it: [`Error::NotFound`](crate::Error::NotFound) when no row has the
    /// key (a soft-deleted or expired one neither),
    /// [`Error::ConditionFailed`](crate::Error::ConditionFailed) when a condition is false,
    /// [`Error::Conflict`](crate::Error::Conflict) when the version moved on.
    ///
    /// Inside a transaction, PostgreSQL and MySQL share-lock the row (a
    /// writer elsewhere waits for the commit); SQLite and Turso lock the
    /// database for the transaction (Turso with concurrent writers does
    /// not: there the check is a read); DynamoDB checks it again at commit, in
    /// the same `TransactWriteItems` as the transaction's writes (a
    /// `ConditionCheck`), so a change made in between fails the commit and
    /// nothing is written. Outside a transaction it is a read.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
    /// # use model::{Todo, User};
    /// use keyway::prelude::*;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// # let db = keyway_sqlite::Sqlite::memory().await?;
    /// # db.create_schema::<(User, Todo)>().await?;
    /// let ann = db.insert(&User::new("Ann", "ann@example.com")).await?;
    /// // A todo is added only while its owner still has this email.
    /// let added = db
    ///     .transaction(async |tx| {
    ///         tx.check(User::check(ann).only_if(User::EMAIL.eq("ann@example.com"))).await?;
    ///         tx.insert(&Todo::new(ann, "write", 1)).await
    ///     })
    ///     .await;
    /// assert!(added.is_ok());
    /// let refused = db
    ///     .transaction(async |tx| {
    ///         tx.check(User::check(ann).only_if(User::EMAIL.eq("old@example.com"))).await?;
    ///         tx.insert(&Todo::new(ann, "never", 1)).await
    ///     })
    ///     .await;
    /// assert!(matches!(refused, Err(keyway::Error::ConditionFailed)));
    /// assert_eq!(db.count(Todo::query().filter(Todo::OWNER_ID.eq(ann))).await?, 1);
    /// # Ok(()) }
    /// ```
    pub async fn check<E: Entity>(&self, check: CheckKey<E>) -> Result<()> {
        let CheckKey { checks, .. } = check;
        if let Some(e) = checks.invalid() {
            return Err(e);
        }
        let table = checks.table;
        // The row as a read sees it: a soft-deleted or expired row is not
        // found.
        let live = Visibility::LIVE.condition(&table);
        let mut stmt = UpdateStmt::new(table, Some(checks.key.clone()));
        stmt.condition = crate::Expr::both(checks.condition(), live.clone());
        let span = statement_span(self.exec.system(), "SELECT", table.name);
        let matched = self.exec.check(stmt).instrument(span).await?;
        if matched > 0 {
            return Ok(());
        }
        let mut refusal = checks
            .refusal(Vec::new(), true)
            .expect("a refusal, since one is needed");
        refusal.key = crate::Expr::both(Some(refusal.key), live).expect("a key");
        Err(refusal.explain(&self.exec).await?)
    }
}
