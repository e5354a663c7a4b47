//! `.returning()`: an update or delete that hands back the rows it wrote.

use crate::refusal::Refusal;
use crate::write::one_row;
use crate::{
    Access, DeleteKey, DeleteStmt, DeleteWhere, DeleteWrite, Entity, Error, Indexed, Result,
    TableDef, UpdateKey, UpdateStmt, UpdateWhere, UpdateWrite,
};

/// An update or delete whose rows come back: built with `.returning()`
/// on [`UpdateKey`], [`UpdateWhere`], [`DeleteKey`] or [`DeleteWhere`],
/// as the last call of the builder.
///
/// An update returns each row as the write left it, a delete each row as
/// it was when it was removed (a soft delete, as stamped). The database
/// hands them over with the write wherever it can, so the rows are those
/// written, not a later read:
///
/// - `UPDATE .. RETURNING` and `DELETE .. RETURNING` on SQLite, Turso and
///   PostgreSQL; `DELETE .. RETURNING` on MariaDB;
/// - on MySQL 8 (no `RETURNING`) and for MariaDB's updates, the rows are
///   locked (`SELECT .. FOR UPDATE`), written and read again inside one
///   transaction (a savepoint inside an open one), so no other writer
///   comes in between;
/// - `ReturnValues` on DynamoDB (`ALL_NEW`, `ALL_OLD`). A write that also
///   moves unique values is a TransactWriteItems, which returns nothing:
///   keyway reads the whole item first, writes on the condition that it is
///   still that item (tried again when another writer got in between) and
///   returns the item as the write made it. In a transaction, the items as
///   the transaction writes them.
///
/// By key, the entity (or [`Error::NotFound`], `ConditionFailed`,
/// `Conflict` as without `.returning()`); by filter, every row written, in
/// no particular order.
///
/// ```
/// # mod model { include!("../examples/todo/model/user.rs"); }
/// # use model::User;
/// use keyway::prelude::*;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
/// let db = keyway_sqlite::Sqlite::memory().await?;
/// db.create_schema::<User>().await?;
/// let id = db.insert(&User::new("Ann", "ann@example.com")).await?;
/// let ann = db.update(User::update(id).set(User::NAME, "Anna").returning()).await?;
/// assert_eq!(ann.name, "Anna");
/// let gone = db.delete(User::delete(id).returning()).await?;
/// assert_eq!(gone.email, "ann@example.com");
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a write does nothing until passed to `Db::update` or `Db::delete`"]
pub struct Returning<W>(W);

impl<E: Entity> UpdateKey<E> {
    /// Returns the row as the update left it (see [`Returning`]).
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }
}

impl<E: Entity, A: Access> UpdateWhere<E, A> {
    /// Returns every row the update wrote, as it left them (see [`Returning`]).
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }
}

impl<E: Entity> DeleteKey<E> {
    /// Returns the row as it was when it was deleted (see [`Returning`]).
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }
}

impl<E: Entity, A: Access> DeleteWhere<E, A> {
    /// Returns every row deleted, as it was (see [`Returning`]).
    pub fn returning(self) -> Returning<Self> {
        Returning(self)
    }
}

/// The one row of a write by key.
fn the_row<E: Entity>(matched: u64, rows: Vec<E>) -> Result<E> {
    one_row::<E>(matched)?;
    rows.into_iter().next().ok_or_else(|| Error::NotFound {
        entity: TableDef::of::<E>().entity,
    })
}

impl<E: Entity> UpdateWrite for Returning<UpdateKey<E>> {
    type Access = Indexed;
    type Entity = E;
    type Output = E;
    const RETURNING: bool = true;
    fn into_stmt(self) -> Result<UpdateStmt> {
        self.0.into_stmt()
    }
    fn finish(matched: u64, rows: Vec<E>) -> Result<E> {
        the_row(matched, rows)
    }
    fn refusal(&self) -> Option<Refusal> {
        self.0.refusal()
    }
}

impl<E: Entity, A: Access> UpdateWrite for Returning<UpdateWhere<E, A>> {
    type Access = A;
    type Entity = E;
    type Output = Vec<E>;
    const RETURNING: bool = true;
    fn into_stmt(self) -> Result<UpdateStmt> {
        self.0.into_stmt()
    }
    fn finish(_: u64, rows: Vec<E>) -> Result<Vec<E>> {
        Ok(rows)
    }
}

impl<E: Entity> DeleteWrite for Returning<DeleteKey<E>> {
    type Access = Indexed;
    type Entity = E;
    type Output = E;
    const RETURNING: bool = true;
    fn into_stmt(self) -> Result<DeleteStmt> {
        self.0.into_stmt()
    }
    fn finish(matched: u64, rows: Vec<E>) -> Result<E> {
        the_row(matched, rows)
    }
    fn refusal(&self) -> Option<Refusal> {
        self.0.refusal()
    }
    fn is_hard(&self) -> bool {
        self.0.is_hard()
    }
}

impl<E: Entity, A: Access> DeleteWrite for Returning<DeleteWhere<E, A>> {
    type Access = A;
    type Entity = E;
    type Output = Vec<E>;
    const RETURNING: bool = true;
    fn into_stmt(self) -> Result<DeleteStmt> {
        self.0.into_stmt()
    }
    fn finish(_: u64, rows: Vec<E>) -> Result<Vec<E>> {
        Ok(rows)
    }
    fn is_hard(&self) -> bool {
        self.0.is_hard()
    }
}
