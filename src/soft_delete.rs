//! Soft delete: an entity may declare a deleted-at column. Deleting one of
//! its rows stamps the column instead of removing the row; queries,
//! counts, includes of children and lazy loads leave stamped rows out
//! unless they ask for them.

use crate::{Column, ColumnType, Expr, Field, NotNull, Plain, TableDef, Value};

/// A type a deleted-at column holds: `i64` (Unix seconds), or a timestamp
/// of the `jiff` or `chrono` feature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold the time a row was deleted",
    label = "a deleted-at column holds `Option<i64>` (Unix seconds) or an optional timestamp",
    note = "declare the column `Option<i64>`, `Option<jiff::Timestamp>` or `Option<chrono::DateTime<Utc>>`"
)]
pub trait DeletedAt: Field + NotNull {}

impl DeletedAt for i64 {}
#[cfg(feature = "jiff")]
impl DeletedAt for jiff::Timestamp {}
#[cfg(feature = "chrono")]
impl DeletedAt for chrono::DateTime<chrono::Utc> {}

impl<E, T: DeletedAt> Column<E, Option<T>, Plain> {
    /// Makes the column the entity's deleted-at stamp (soft delete):
    /// `Db::delete` sets it to the current time instead of removing the
    /// row, and every query, count, include of children and lazy load
    /// leaves stamped rows out, unless it says `.with_deleted()` or
    /// `.only_deleted()`. `E::delete(key).hard()` removes the row;
    /// `Db::restore` clears the stamp.
    ///
    /// ```
    /// use keyway::Column;
    /// struct Memo;
    /// const DELETED_AT: Column<Memo, Option<i64>> = Column::new("deleted_at").deleted_at();
    /// assert!(DELETED_AT.def().deleted_at);
    /// ```
    pub const fn deleted_at(mut self) -> Self {
        self.deleted_at = true;
        self
    }
}

/// Which soft-deleted rows a query sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Deleted {
    /// Rows not deleted (the default).
    #[default]
    Live,
    /// Every row.
    All,
    /// Deleted rows only.
    Only,
}

/// Which rows a query sees: soft-deleted ones ([`Deleted`]) and expired
/// ones ([`Column::expires_at`](crate::Column::expires_at)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Visibility {
    pub(crate) deleted: Deleted,
    /// Whether expired rows are seen.
    pub(crate) expired: bool,
}

impl Visibility {
    /// What reads see by default: rows neither deleted nor expired.
    pub(crate) const LIVE: Visibility = Visibility {
        deleted: Deleted::Live,
        expired: false,
    };

    /// What writes reach: rows not deleted, expired or not (an expired row
    /// is there until it is deleted).
    pub(crate) const UNDELETED: Visibility = Visibility {
        deleted: Deleted::Live,
        expired: true,
    };

    /// The condition that keeps the rows seen, for `table`; `None` for
    /// every row (or a table with neither a deleted-at nor an expiry
    /// column).
    pub(crate) fn condition(self, table: &TableDef) -> Option<Expr> {
        let deleted = table.deleted_at_column().and_then(|(_, column)| {
            let negated = match self.deleted {
                Deleted::Live => false,
                Deleted::Only => true,
                Deleted::All => return None,
            };
            Some(Expr::IsNull {
                column: column.name,
                negated,
            })
        });
        let expiry = match self.expired {
            true => None,
            false => crate::expiry::unexpired(table),
        };
        Expr::both(deleted, expiry)
    }

    /// Whether a row of `table` with `values` (in column order) is out of
    /// sight: soft-deleted or expired, as `LIVE` leaves rows out.
    pub(crate) fn hides(self, table: &TableDef, values: &[crate::Value]) -> bool {
        let deleted = self.deleted == Deleted::Live
            && table
                .deleted_at_column()
                .is_some_and(|(at, _)| values.get(at) != Some(&crate::Value::Null));
        deleted || (!self.expired && crate::expiry::has_expired(table, values))
    }

    /// `filter` narrowed to the rows seen.
    pub(crate) fn apply(self, table: &TableDef, filter: Option<Expr>) -> Option<Expr> {
        Expr::both(filter, self.condition(table))
    }
}

/// The stamp a delete writes into a deleted-at column of type `ty`: now,
/// as Unix seconds or a timestamp.
pub(crate) fn now(ty: ColumnType) -> Value {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    match ty {
        ColumnType::Timestamp => Value::Timestamp(since.as_micros().try_into().unwrap_or(i64::MAX)),
        _ => Value::I64(since.as_secs().try_into().unwrap_or(i64::MAX)),
    }
}

/// The condition of the rows of `table` a read sees, if it has a
/// deleted-at or an expiry column.
pub(crate) fn live(table: &TableDef) -> Option<Expr> {
    Visibility::LIVE.condition(table)
}
