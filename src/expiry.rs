//! Expiry: an entity may declare the column that says when each row
//! expires. Reads leave rows past it out on every backend (unless they
//! say `.with_expired()`); DynamoDB deletes them itself (its Time to Live),
//! and [`Db::purge_expired`] deletes them anywhere.

use crate::{
    CmpOp, Column, Db, DeleteStmt, Entity, Error, Executor, Expr, Field, Plain, Result, TableDef,
    Value,
};

/// A type an expiry column holds: `i64` (Unix seconds) or a timestamp of
/// the `jiff` or `chrono` feature, optional or not (a row whose expiry is
/// NULL never expires).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot say when a row expires",
    label = "an expiry column holds an instant",
    note = "declare the column `i64` (Unix seconds), `jiff::Timestamp` or `chrono::DateTime<Utc>`, optional or not"
)]
pub trait Expiry: Field {}

impl Expiry for i64 {}
impl Expiry for Option<i64> {}
#[cfg(feature = "jiff")]
impl Expiry for jiff::Timestamp {}
#[cfg(feature = "jiff")]
impl Expiry for Option<jiff::Timestamp> {}
#[cfg(feature = "chrono")]
impl Expiry for chrono::DateTime<chrono::Utc> {}
#[cfg(feature = "chrono")]
impl Expiry for Option<chrono::DateTime<chrono::Utc>> {}

impl<E, T> Column<E, T, Plain> {
    /// Makes the column the time each row expires. A row whose expiry is
    /// past (or now) is left out of queries, counts, `get`, includes of
    /// children and relation filters, on every backend, unless the query
    /// says `.with_expired()`. Writes by key still reach it until it is
    /// deleted: DynamoDB deletes expired items itself (keyway turns Time to
    /// Live on for a table without a unique index), and
    /// [`Db::purge_expired`] deletes them on any backend. One column per
    /// entity.
    ///
    /// ```
    /// use keyway::Column;
    /// struct Session;
    /// const EXPIRES: Column<Session, i64> = Column::new("expires").expires_at();
    /// assert!(EXPIRES.def().expires_at);
    /// ```
    pub const fn expires_at(mut self) -> Self
    where
        T: Expiry,
    {
        self.expires_at = true;
        self
    }
}

/// The attribute DynamoDB's Time to Live reads: the expiry in whole Unix
/// seconds, rounded up (an item is never deleted before it expires),
/// written beside the column, which keeps its own precision.
pub const TTL_ATTRIBUTE: &str = "keyway_expires";

/// The condition a row of `table` meets while it has not expired; `None`
/// for a table without an expiry column.
pub(crate) fn unexpired(table: &TableDef) -> Option<Expr> {
    let (_, column) = table.expires_at_column()?;
    let later = Expr::Cmp {
        column: column.name,
        op: CmpOp::Gt,
        value: crate::soft_delete::now(column.ty),
    };
    Some(match column.nullable {
        false => later,
        true => Expr::Or(vec![
            Expr::IsNull {
                column: column.name,
                negated: false,
            },
            later,
        ]),
    })
}

/// Whether a row of `table` whose values are `values` (in column order)
/// has expired.
pub(crate) fn has_expired(table: &TableDef, values: &[Value]) -> bool {
    let Some((at, column)) = table.expires_at_column() else {
        return false;
    };
    let now = crate::soft_delete::now(column.ty);
    match (values.get(at), &now) {
        (Some(Value::I64(v)), Value::I64(n)) | (Some(Value::Timestamp(v)), Value::Timestamp(n)) => {
            v <= n
        }
        _ => false,
    }
}

/// The Unix seconds DynamoDB's Time to Live compares for an expiry
/// `value` (rounded up); `None` for NULL.
///
/// ```
/// use keyway::{Value, ttl_seconds};
/// assert_eq!(ttl_seconds(&Value::I64(1_900_000_000)), Some(1_900_000_000));
/// assert_eq!(ttl_seconds(&Value::Timestamp(1_250_000)), Some(2));
/// assert_eq!(ttl_seconds(&Value::Timestamp(-1_500_000)), Some(-1));
/// assert_eq!(ttl_seconds(&Value::Timestamp(3_000_000)), Some(3));
/// assert_eq!(ttl_seconds(&Value::Null), None);
/// ```
pub fn ttl_seconds(value: &Value) -> Option<i64> {
    match value {
        Value::I64(s) => Some(*s),
        Value::Timestamp(us) => {
            Some(us.div_euclid(1_000_000) + i64::from(us.rem_euclid(1_000_000) > 0))
        }
        _ => None,
    }
}

impl<X: Executor> Db<X> {
    /// Deletes the rows of `E` that have expired (its
    /// [`expires_at`](Column::expires_at) column is past); returns how
    /// many. A hard delete, soft-deleted rows included. On DynamoDB, which
    /// deletes expired items itself within days, a Scan finds them; on the
    /// SQL backends an index on the column keeps it cheap. An entity
    /// without an expiry column is [`Error::Invalid`].
    ///
    /// ```
    /// use keyway::prelude::*;
    ///
    /// struct Session { token: String, expires: i64 }
    /// impl Session {
    ///     const TOKEN: Column<Session, String, PrimaryKey> = Column::new("token");
    ///     const EXPIRES: Column<Session, i64> = Column::new("expires").expires_at();
    /// }
    /// impl Entity for Session {
    ///     type Key = String;
    ///     const TABLE: &'static str = "sessions";
    ///     const COLUMNS: &'static [ColumnDef] = &[Self::TOKEN.def(), Self::EXPIRES.def()];
    ///     fn key(&self) -> String { self.token.clone() }
    ///     fn write(&self, row: &mut impl RowWriter<Self>) {
    ///         row.put(Self::TOKEN, &self.token);
    ///         row.put(Self::EXPIRES, &self.expires);
    ///     }
    ///     fn read(row: &mut impl RowReader<Self>) -> keyway::Result<Self> {
    ///         Ok(Session { token: row.get(Self::TOKEN)?, expires: row.get(Self::EXPIRES)? })
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> keyway::Result<()> {
    /// let db = keyway_sqlite::Sqlite::memory().await?;
    /// db.create_schema::<Session>().await?;
    /// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    /// let now = now.as_secs() as i64;
    /// db.insert(&Session { token: "old".into(), expires: now - 60 }).await?;
    /// db.insert(&Session { token: "new".into(), expires: now + 3_600 }).await?;
    /// // The expired row is left out of reads...
    /// assert_eq!(db.count(Session::query()).await?, 1);
    /// assert!(db.find::<Session>("old").await?.is_none());
    /// assert_eq!(db.count(Session::query().with_expired()).await?, 2);
    /// // ...until it is deleted.
    /// assert_eq!(db.purge_expired::<Session>().await?, 1);
    /// assert_eq!(db.count(Session::query().with_expired()).await?, 1);
    /// # Ok(()) }
    /// ```
    pub async fn purge_expired<E: Entity>(&self) -> Result<u64> {
        let table = TableDef::of::<E>();
        let Some((_, column)) = table.expires_at_column() else {
            return Err(Error::Invalid {
                what: "purge_expired",
                detail: format!(
                    "`{}` has no expiry column: declare one with `Column::expires_at`",
                    table.entity
                ),
            });
        };
        // Past: not later than now (a NULL expiry never is).
        let past = Expr::Cmp {
            column: column.name,
            op: CmpOp::Le,
            value: crate::soft_delete::now(column.ty),
        };
        // Checked again as each row is deleted: a row renewed since it was
        // found is kept.
        let mut stmt = DeleteStmt::new(table, Some(past.clone()));
        stmt.condition = Some(past);
        self.exec.delete(stmt).await
    }
}
