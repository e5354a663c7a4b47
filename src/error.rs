//! The one error type, with portable kinds that every backend maps to.

use crate::{ColumnType, Value};

/// A `Result` whose error is keyway's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, in kinds that mean the same on every backend.
///
/// Match on the kind, not on the message: a unique violation is
/// [`Error::UniqueViolation`] on SQLite, PostgreSQL, MySQL and DynamoDB alike.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No row has the requested key.
    #[error("no `{entity}` with the requested key")]
    NotFound {
        /// The entity that was looked up.
        entity: &'static str,
    },
    /// A write would have duplicated a unique key or unique index.
    #[error("duplicate value for unique index `{index}` of `{entity}`")]
    UniqueViolation {
        /// The entity written.
        entity: &'static str,
        /// The name of the violated index (`PRIMARY` for the primary key).
        index: String,
    },
    /// A write referenced a missing parent, or deleted a parent that still has children.
    #[error("foreign key violation on `{entity}`: {detail}")]
    ForeignKeyViolation {
        /// The entity written or deleted.
        entity: &'static str,
        /// What the database said.
        detail: String,
    },
    /// A write left a NOT NULL column empty.
    #[error("column `{column}` of `{entity}` cannot be NULL")]
    NotNullViolation {
        /// The entity written.
        entity: &'static str,
        /// The column left empty.
        column: String,
    },
    /// The table of the entity read or written does not exist in the
    /// database: the schema was never created there, or was dropped. SQLite
    /// ("no such table"), PostgreSQL (SQLSTATE `42P01`), MySQL / MariaDB
    /// (error 1146) and DynamoDB (`ResourceNotFoundException`) all report it
    /// as this kind.
    ///
    /// ```
    /// let err = keyway::Error::MissingTable { entity: "User", table: "users".into() };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "table `users` of `User` does not exist: create it with `create_schema`, or run the migrations"
    /// );
    /// ```
    #[error(
        "table `{table}` of `{entity}` does not exist: create it with `create_schema`, or run the migrations"
    )]
    MissingTable {
        /// The entity whose statement found no table.
        entity: &'static str,
        /// The missing table, as the database names it (with the table
        /// prefix on DynamoDB).
        table: String,
    },
    /// A conditional write found its condition false.
    #[error("the write's condition did not hold")]
    ConditionFailed,
    /// A write of a versioned entity found another version than the one it
    /// was given: someone else changed the row since it was read. Read it
    /// again, apply the change to what is there now, and write again.
    #[error(
        "`{entity}` was changed by another writer since it was read (its version is not the one written): read it again and retry"
    )]
    Conflict {
        /// The entity whose row had moved on.
        entity: &'static str,
    },
    /// A value read from the database does not fit the Rust field.
    #[error("cannot decode column `{column}` of `{entity}`: {source}")]
    Decode {
        /// The entity being read.
        entity: &'static str,
        /// The column that failed.
        column: String,
        /// Why it failed.
        source: DecodeError,
    },
    /// A value cannot be stored by this backend without changing it.
    #[error("value for column `{column}` of `{entity}` is out of range: {detail}")]
    OutOfRange {
        /// The entity written.
        entity: &'static str,
        /// The column written.
        column: String,
        /// What did not fit.
        detail: String,
    },
    /// The entity's declaration or the request is invalid.
    #[error("invalid {what}: {detail}")]
    Invalid {
        /// What was invalid (`schema`, `query`, ...).
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// The backend cannot do what was asked.
    #[error("not supported by {backend}: {detail}")]
    Unsupported {
        /// The backend (`sqlite`, `postgresql`, ...).
        backend: &'static str,
        /// What was asked.
        detail: String,
    },
    /// The database could not be reached, or the connection was lost.
    #[error("connection error: {0}")]
    Connection(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Waiting for a pooled connection, a lock or a response took too long
    /// (the pool's acquire timeout, a statement timeout, a lock timeout). A
    /// statement that timed out was cancelled; a write it made is not
    /// committed unless its transaction is.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The database aborted the statement to resolve a conflict with a
    /// concurrent transaction: a deadlock, or a serialization failure under
    /// `REPEATABLE READ` / `SERIALIZABLE`. The transaction it ran in is
    /// rolled back (nothing of it is committed) and the connection stays
    /// usable: run the whole transaction again ([`Error::is_retryable`]).
    #[error("transaction conflict, run the transaction again: {detail}")]
    TransactionConflict {
        /// What the database said.
        detail: String,
    },
    /// The database refused or failed the request for now (throttling, a
    /// server error, batch items it left unprocessed), still after the
    /// backend's bounded retries. A throttled request was not applied; after
    /// a server error a write may or may not have been: the message says
    /// which. Retrying later is the remedy.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The live database differs from what the `Entity` impls declare
    /// ([`Db::verify_schema`](crate::Db::verify_schema)): every difference.
    #[error("the database differs from the entities: {}", list_drift(differences))]
    SchemaDrift {
        /// Each difference, table by table.
        differences: Vec<crate::Drift>,
    },
    /// Any other error from the backend's driver.
    #[error("backend error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The differences, separated by `; `.
fn list_drift(differences: &[crate::Drift]) -> String {
    let listed: Vec<String> = differences.iter().map(ToString::to_string).collect();
    listed.join("; ")
}

impl Error {
    /// The same error, an [`OutOfRange`](Error::OutOfRange) naming `column`
    /// instead (a field of an embedded struct is named `column.field`);
    /// any other error as it is.
    ///
    /// ```
    /// use keyway::Error;
    /// let err = Error::OutOfRange { entity: "Customer", column: "amount".into(), detail: "too many digits".into() };
    /// let err = err.in_column("balance.amount");
    /// assert!(matches!(err, Error::OutOfRange { ref column, .. } if column == "balance.amount"));
    /// ```
    pub fn in_column(self, column: impl Into<String>) -> Error {
        match self {
            Error::OutOfRange { entity, detail, .. } => Error::OutOfRange {
                entity,
                column: column.into(),
                detail,
            },
            other => other,
        }
    }

    /// Whether running the same work again may succeed without changing it:
    /// a [`TransactionConflict`](Error::TransactionConflict) (run the whole
    /// transaction again) or [`Unavailable`](Error::Unavailable) (later).
    ///
    /// ```
    /// let conflict = keyway::Error::TransactionConflict { detail: "deadlock detected".into() };
    /// assert!(conflict.is_retryable());
    /// assert!(!keyway::Error::ConditionFailed.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::TransactionConflict { .. } | Error::Unavailable(_)
        )
    }
}

/// Why one value could not be decoded into its Rust field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The column held NULL but the field is not an `Option`.
    #[error("unexpected NULL (declare the field as `Option<_>` if it may be absent)")]
    UnexpectedNull,
    /// The column held a value of another type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The field's type.
        expected: ColumnType,
        /// The kind of value found.
        found: &'static str,
    },
    /// The value does not fit the field's type.
    #[error("{value} does not fit in {expected}")]
    OutOfRange {
        /// The field's type.
        expected: ColumnType,
        /// The value found.
        value: String,
    },
    /// The row has fewer columns than the entity reads.
    #[error("the row has no column at position {0}")]
    MissingColumn(usize),
    /// A custom field type rejected the value.
    #[error("{0}")]
    Invalid(String),
}

impl DecodeError {
    /// The error for `found` arriving where a `expected` was wanted.
    pub fn mismatch(expected: ColumnType, found: &Value) -> Self {
        match found {
            Value::Null => DecodeError::UnexpectedNull,
            other => DecodeError::WrongType {
                expected,
                found: other.kind(),
            },
        }
    }
}
