//! PostgreSQL's errors: what the driver, the server or keyway's own checks
//! reported, and how SQLSTATE codes map to keyway's portable kinds.

use std::fmt;

use keyway::{ColumnType, Error, TableDef};
use keyway_sql::{declared_index, quoted_after};
use tokio_postgres::error::{DbError, SqlState};

/// What went wrong on a PostgreSQL connection: an error of the driver
/// (tokio-postgres: the server's report, [`PgError::db`], or a failure of
/// the connection), or one of keyway's own (a timeout, a refused request, a
/// TLS setting that cannot be used).
#[derive(Debug)]
pub struct PgError(Repr);

#[derive(Debug)]
enum Repr {
    Driver(tokio_postgres::Error),
    /// The server did not answer within the statement timeout or the ping
    /// timeout (the statement was cancelled).
    Timeout(String),
    /// A request keyway refuses to send (nothing was sent).
    Request(String),
    /// The connection cannot be opened as the URL asks (TLS files, the
    /// server's role, the login method).
    Connect(String),
}

impl PgError {
    /// The error the server reported, if it was one: its severity, SQLSTATE
    /// code, message, detail, hint and the table, column or constraint
    /// concerned.
    pub fn db(&self) -> Option<&DbError> {
        match &self.0 {
            Repr::Driver(e) => e.as_db_error(),
            _ => None,
        }
    }

    /// The SQLSTATE code of the server's error, if it was one.
    pub fn code(&self) -> Option<&SqlState> {
        match &self.0 {
            Repr::Driver(e) => e.code(),
            _ => None,
        }
    }

    /// Whether the connection is lost: closed, its socket failed, or the
    /// driver could not make sense of what the server sent.
    pub fn is_closed(&self) -> bool {
        match &self.0 {
            Repr::Driver(e) => {
                e.is_closed()
                    || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
            }
            Repr::Connect(_) => true,
            Repr::Timeout(_) | Repr::Request(_) => false,
        }
    }

    /// Whether keyway gave up waiting for the server.
    pub fn is_timeout(&self) -> bool {
        matches!(self.0, Repr::Timeout(_))
    }

    pub(crate) fn timeout(what: impl Into<String>) -> PgError {
        PgError(Repr::Timeout(what.into()))
    }

    /// The server did not answer within the statement timeout.
    pub(crate) fn statement_timeout(limit: std::time::Duration) -> PgError {
        PgError::timeout(format!(
            "no answer within the statement timeout ({limit:?}); the statement is cancelled"
        ))
    }

    pub(crate) fn request(what: impl Into<String>) -> PgError {
        PgError(Repr::Request(what.into()))
    }

    pub(crate) fn connect(what: impl Into<String>) -> PgError {
        PgError(Repr::Connect(what.into()))
    }
}

impl From<tokio_postgres::Error> for PgError {
    fn from(err: tokio_postgres::Error) -> Self {
        PgError(Repr::Driver(err))
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Driver(e) => match e.as_db_error() {
                Some(db) => {
                    write!(f, "{}: {}", db.severity(), db.message())?;
                    if let Some(detail) = db.detail() {
                        write!(f, " ({detail})")?;
                    }
                    write!(f, " [SQLSTATE {}]", db.code().code())
                }
                None => {
                    // tokio-postgres's own text, then each cause's.
                    write!(f, "{e}")?;
                    let mut source = std::error::Error::source(e);
                    while let Some(cause) = source {
                        write!(f, ": {cause}")?;
                        source = cause.source();
                    }
                    Ok(())
                }
            },
            Repr::Timeout(what) => write!(f, "timed out: {what}"),
            Repr::Request(what) => write!(f, "the request is refused: {what}"),
            Repr::Connect(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Repr::Driver(e) => Some(e),
            _ => None,
        }
    }
}

/// Maps an error raised while running a statement on `table`: what the
/// server reported by its SQLSTATE, a lost connection as
/// `Error::Connection`, keyway's timeout as `Error::Timeout`.
pub(crate) fn map_error(err: PgError, table: &TableDef) -> Error {
    if err.is_timeout() {
        return Error::Timeout(format!("{} on PostgreSQL: {err}", table.entity));
    }
    if is_stale_plan(&err) {
        // Inside a transaction only (outside one the statement is prepared
        // again at once): the table changed shape under a kept statement,
        // the transaction is aborted and runs again.
        return Error::TransactionConflict {
            detail: err.to_string(),
        };
    }
    let Some(pg) = err.db() else {
        return if err.is_closed() {
            Error::Connection(Box::new(err))
        } else {
            Error::Backend(Box::new(err))
        };
    };
    let entity = table.entity;
    let column = || pg.column().unwrap_or("?").to_owned();
    match pg.code().code() {
        "23505" => Error::UniqueViolation {
            entity,
            index: declared_index(table, pg.constraint().unwrap_or("?")),
        },
        "23503" => Error::ForeignKeyViolation {
            entity,
            detail: pg.detail().unwrap_or(pg.message()).to_owned(),
        },
        "23502" => Error::NotNullViolation {
            entity,
            column: column(),
        },
        // Numeric out of range, text too long, a character the encoding
        // cannot hold.
        "22003" | "22001" | "22021" | "22P05" => Error::OutOfRange {
            entity,
            column: column(),
            detail: pg.message().to_owned(),
        },
        // A value too large for an index entry.
        "54000" => Error::OutOfRange {
            entity,
            column: pg
                .column()
                .map(str::to_owned)
                .unwrap_or_else(|| indexed_columns(table, pg.constraint())),
            detail: pg.message().to_owned(),
        },
        // undefined_table: `relation "users" does not exist`.
        "42P01" => Error::MissingTable {
            entity,
            table: quoted_after(pg.message(), "relation ")
                .unwrap_or(table.name)
                .to_owned(),
        },
        // Serialization failure, deadlock: the transaction is aborted and may
        // be run again.
        "40001" | "40P01" => Error::TransactionConflict {
            detail: err.to_string(),
        },
        // A statement cancelled (statement_timeout, a cancel request), a lock
        // not had in time (lock_timeout, NOWAIT).
        "57014" | "55P03" => Error::Timeout(format!("{entity} on PostgreSQL: {err}")),
        // The server ended the session (shutdown, pg_terminate_backend) or the
        // connection failed.
        code if code.starts_with("08") || code.starts_with("57P") => {
            Error::Connection(Box::new(err))
        }
        _ => Error::Backend(Box::new(err)),
    }
}

/// Whether the server refused a prepared statement because the table it
/// reads changed shape since it was prepared ("cached plan must not change
/// result type"): it is prepared again once.
pub(crate) fn is_stale_plan(err: &PgError) -> bool {
    err.db().is_some_and(|db| {
        db.code() == &SqlState::FEATURE_NOT_SUPPORTED && db.message().contains("cached plan")
    })
}

/// The columns of the index named `index`; without a name, the text and byte
/// columns that a key or index covers (the only ones an entry can outgrow).
fn indexed_columns(table: &TableDef, index: Option<&str>) -> String {
    let indexes = table.all_indexes();
    if let Some(name) = index {
        if declared_index(table, name) == "PRIMARY" {
            return names(table.key_columns().map(|c| c.name));
        }
        if let Some(ix) = indexes.iter().find(|ix| ix.name == name) {
            return names(ix.columns.iter().copied());
        }
    }
    let wide = table.columns.iter().filter(|c| {
        matches!(c.ty, ColumnType::Text | ColumnType::Bytes)
            && (c.is_key() || indexes.iter().any(|ix| ix.columns.contains(&c.name)))
    });
    names(wide.map(|c| c.name))
}

fn names<'a>(columns: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = columns.collect();
    if all.is_empty() {
        "?".into()
    } else {
        all.join(",")
    }
}
