//! PostgreSQL's errors: how they read, and how SQLSTATE codes map to
//! keyway's portable kinds.

use std::fmt;

use keyway::{ColumnType, Error, TableDef};
use keyway_sql::declared_index;

/// A tokio-postgres error that reads in full: what the server said (its
/// severity, message, detail and SQLSTATE), or the failure and its causes.
/// tokio-postgres' own `Display` says only `db error` for the former.
#[derive(Debug)]
pub struct PgError(pub tokio_postgres::Error);

impl From<tokio_postgres::Error> for PgError {
    fn from(err: tokio_postgres::Error) -> Self {
        PgError(err)
    }
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = self.0.as_db_error() {
            write!(f, "{}: {}", db.severity(), db.message())?;
            if let Some(detail) = db.detail() {
                write!(f, " ({detail})")?;
            }
            return write!(f, " [SQLSTATE {}]", db.code().code());
        }
        write!(f, "{}", self.0)?;
        let mut cause = std::error::Error::source(&self.0);
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Maps an error raised while running a statement on `table`: what the
/// server reported by its SQLSTATE, a lost connection as
/// `Error::Connection`.
pub(crate) fn map_error(err: PgError, table: &TableDef) -> Error {
    let Some(pg) = err.0.as_db_error() else {
        return if err.0.is_closed() || io_failed(&err.0) {
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
        // The server ended the session (shutdown, pg_terminate_backend) or the
        // connection failed.
        code if code.starts_with("08") || code.starts_with("57P") => {
            Error::Connection(Box::new(err))
        }
        _ => Error::Backend(Box::new(err)),
    }
}

/// Whether the error comes from the socket (the server or network went away).
fn io_failed(err: &tokio_postgres::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        if e.is::<std::io::Error>() {
            return true;
        }
        source = e.source();
    }
    false
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
