//! PostgreSQL's errors: what the server or the connection reported, how
//! they read, and how SQLSTATE codes map to keyway's portable kinds.

use std::fmt;
use std::io;

use fallible_iterator::FallibleIterator;
use keyway::{ColumnType, Error, TableDef};
use keyway_sql::declared_index;
use postgres_protocol::message::backend::ErrorFields;

/// What went wrong on a PostgreSQL connection: an error the server reported
/// (its severity, message, detail and SQLSTATE: [`PgError::db`]), or a
/// failure of the connection itself.
#[derive(Debug)]
pub struct PgError(Repr);

#[derive(Debug)]
enum Repr {
    Db(Box<DbError>),
    Io(io::Error),
    /// The server closed the connection, or an earlier failure left it
    /// unusable.
    Closed,
    /// The server sent what the protocol does not allow at that point.
    Protocol(String),
    /// The server asked for an authentication keyway cannot give.
    Auth(String),
    /// A request that could not be written (nothing was sent).
    Request(String),
}

/// An error the server reported, by its fields.
#[derive(Debug, Clone, Default)]
pub struct DbError {
    severity: String,
    code: String,
    message: String,
    detail: Option<String>,
    hint: Option<String>,
    table: Option<String>,
    column: Option<String>,
    constraint: Option<String>,
}

impl DbError {
    /// `ERROR`, `FATAL` or `PANIC`.
    pub fn severity(&self) -> &str {
        &self.severity
    }

    /// The SQLSTATE code, e.g. `23505` for a unique violation.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The primary message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The detail, when the server gave one.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The hint, when the server gave one.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The table concerned, when the server named one.
    pub fn table(&self) -> Option<&str> {
        self.table.as_deref()
    }

    /// The column concerned, when the server named one.
    pub fn column(&self) -> Option<&str> {
        self.column.as_deref()
    }

    /// The constraint concerned, when the server named one.
    pub fn constraint(&self) -> Option<&str> {
        self.constraint.as_deref()
    }
}

impl PgError {
    /// The error the server reported, if it was one.
    pub fn db(&self) -> Option<&DbError> {
        match &self.0 {
            Repr::Db(db) => Some(db),
            _ => None,
        }
    }

    /// Whether the connection is lost (closed, or its socket failed): it is
    /// not used again.
    pub fn is_closed(&self) -> bool {
        matches!(self.0, Repr::Closed | Repr::Io(_) | Repr::Protocol(_))
    }

    /// The server's error, from its `ErrorResponse` fields.
    pub(crate) fn from_fields(mut fields: ErrorFields<'_>) -> PgError {
        let mut db = DbError::default();
        let mut severity = None;
        loop {
            let field = match fields.next() {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) => return PgError::protocol(format!("a malformed error message: {e}")),
            };
            let value = String::from_utf8_lossy(field.value_bytes()).into_owned();
            match field.type_() {
                // `V` is never localized; `S` is, and older servers send only it.
                b'V' => severity = Some(value),
                b'S' => db.severity = value,
                b'C' => db.code = value,
                b'M' => db.message = value,
                b'D' => db.detail = Some(value),
                b'H' => db.hint = Some(value),
                b't' => db.table = Some(value),
                b'c' => db.column = Some(value),
                b'n' => db.constraint = Some(value),
                _ => {}
            }
        }
        if let Some(severity) = severity {
            db.severity = severity;
        }
        PgError(Repr::Db(Box::new(db)))
    }

    pub(crate) fn closed() -> PgError {
        PgError(Repr::Closed)
    }

    pub(crate) fn protocol(what: impl Into<String>) -> PgError {
        PgError(Repr::Protocol(what.into()))
    }

    pub(crate) fn unexpected(message: &str) -> PgError {
        PgError::protocol(format!(
            "the server sent {message} where the protocol does not"
        ))
    }

    pub(crate) fn auth(what: impl Into<String>) -> PgError {
        PgError(Repr::Auth(what.into()))
    }

    pub(crate) fn request(what: impl Into<String>) -> PgError {
        PgError(Repr::Request(what.into()))
    }
}

impl From<io::Error> for PgError {
    fn from(err: io::Error) -> Self {
        PgError(Repr::Io(err))
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Db(db) => {
                write!(f, "{}: {}", db.severity, db.message)?;
                if let Some(detail) = &db.detail {
                    write!(f, " ({detail})")?;
                }
                write!(f, " [SQLSTATE {}]", db.code)
            }
            Repr::Io(e) => write!(f, "the connection failed: {e}"),
            Repr::Closed => f.write_str("the connection is closed"),
            Repr::Protocol(what) => write!(f, "protocol error: {what}"),
            Repr::Auth(what) => write!(f, "authentication: {what}"),
            Repr::Request(what) => write!(f, "the request cannot be sent: {what}"),
        }
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            Repr::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// Maps an error raised while running a statement on `table`: what the
/// server reported by its SQLSTATE, a lost connection as
/// `Error::Connection`.
pub(crate) fn map_error(err: PgError, table: &TableDef) -> Error {
    let Some(pg) = err.db() else {
        return if err.is_closed() {
            Error::Connection(Box::new(err))
        } else {
            Error::Backend(Box::new(err))
        };
    };
    let entity = table.entity;
    let column = || pg.column().unwrap_or("?").to_owned();
    match pg.code() {
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
        // The server ended the session (shutdown, pg_terminate_backend) or the
        // connection failed.
        code if code.starts_with("08") || code.starts_with("57P") => {
            Error::Connection(Box::new(err))
        }
        _ => Error::Backend(Box::new(err)),
    }
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
