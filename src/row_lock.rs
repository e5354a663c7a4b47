//! Row locks: a read that locks the rows it returns until its transaction
//! ends (`FOR UPDATE`, `FOR SHARE`), on PostgreSQL and MySQL only.

use crate::{Entity, LockMode, LockWait, Locked, OrderKind, RowLock, Select, Unlocked};

impl<E: Entity, A: Unlocked, L, O: OrderKind> Select<E, A, L, O> {
    /// Locks the rows read until the transaction ends (`FOR UPDATE`): no
    /// other transaction locks or writes them before then. A row another
    /// transaction holds is waited for, unless
    /// [`skip_locked`](Select::skip_locked) or [`nowait`](Select::nowait)
    /// says otherwise.
    ///
    /// It compiles only against a transaction on PostgreSQL or MySQL
    /// ([`LocksRows`](crate::LocksRows)): on a pool the lock would end with
    /// the statement; SQLite and Turso lock the whole database for a write
    /// transaction; DynamoDB has no row locks (a conditional write or a
    /// version does that work there). Call it after the filters.
    /// [`Db::count`](crate::Db::count) of a locked query locks nothing.
    ///
    /// ```
    /// # mod model { include!("../examples/todo/model/user.rs"); include!("../examples/todo/model/todo.rs"); include!("../examples/todo/model/relations.rs"); }
    /// # use model::{Todo, User};
    /// use keyway::prelude::*;
    /// use keyway_postgres::Postgres;
    ///
    /// /// Marks the oldest open todo of `owner` done, the row locked meanwhile.
    /// async fn finish_oldest(db: &Db<Postgres>, owner: i64) -> keyway::Result<Option<i64>> {
    ///     db.transaction(async |tx| {
    ///         let open = Todo::query()
    ///             .filter(Todo::OWNER_ID.eq(owner))
    ///             .filter(Todo::DONE.eq(false))
    ///             .order_by(Todo::ID.asc())
    ///             .for_update()
    ///             .skip_locked();
    ///         let Some(todo) = tx.first(open).await? else { return Ok(None) };
    ///         tx.update(Todo::update(todo.id).set(Todo::DONE, true)).await?;
    ///         Ok(Some(todo.id))
    ///     })
    ///     .await
    /// }
    /// # fn main() { let _ = finish_oldest; }
    /// ```
    pub fn for_update(self) -> Select<E, Locked<A>, L, O> {
        self.locked(LockMode::Update)
    }

    /// Locks the rows read for sharing until the transaction ends (`FOR
    /// SHARE`; `LOCK IN SHARE MODE` on MySQL): other transactions may read
    /// and share-lock them, none may write them. Where it compiles: as
    /// [`for_update`](Select::for_update).
    pub fn for_share(self) -> Select<E, Locked<A>, L, O> {
        self.locked(LockMode::Share)
    }

    fn locked(mut self, mode: LockMode) -> Select<E, Locked<A>, L, O> {
        self.stmt.lock = Some(RowLock::waiting(mode));
        self.retag()
    }
}

impl<E: Entity, A: Unlocked, L, O: OrderKind> Select<E, Locked<A>, L, O> {
    /// Leaves out the rows another transaction has locked, instead of
    /// waiting for them (`SKIP LOCKED`): workers taking jobs from one
    /// table each get other rows.
    pub fn skip_locked(mut self) -> Self {
        self.set_wait(LockWait::SkipLocked);
        self
    }

    /// Fails at once when a row is locked by another transaction
    /// (`NOWAIT`), with [`Error::Timeout`](crate::Error::Timeout): a lock
    /// not had in time, as when a lock wait runs out. Nothing was read or
    /// locked; on PostgreSQL the transaction must then be rolled back.
    pub fn nowait(mut self) -> Self {
        self.set_wait(LockWait::NoWait);
        self
    }

    fn set_wait(&mut self, wait: LockWait) {
        if let Some(lock) = &mut self.stmt.lock {
            lock.wait = wait;
        }
    }
}
