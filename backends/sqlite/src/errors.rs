//! Mapping rusqlite / SQLite errors to keyway's portable kinds, by SQLite's
//! extended result codes.

use keyway::{Error, TableDef};
use keyway_sql::{missing_table, violated_index};
use rusqlite::ffi;

/// Maps a driver error raised while running a statement on `table`.
pub(crate) fn map(err: rusqlite::Error, table: &TableDef) -> Error {
    let rusqlite::Error::SqliteFailure(code, message) = &err else {
        return Error::Backend(Box::new(err));
    };
    let message = message.as_deref().unwrap_or_default();
    match code.extended_code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            Error::UniqueViolation {
                entity: table.entity,
                index: violated_index(message, table),
            }
        }
        // `ON DELETE RESTRICT` reports SQLITE_CONSTRAINT_TRIGGER, not _FOREIGNKEY.
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY | ffi::SQLITE_CONSTRAINT_TRIGGER
            if message.starts_with("FOREIGN KEY constraint failed")
                || code.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            Error::ForeignKeyViolation {
                entity: table.entity,
                detail: message.to_owned(),
            }
        }
        ffi::SQLITE_CONSTRAINT_NOTNULL => Error::NotNullViolation {
            entity: table.entity,
            column: message.rsplit('.').next().unwrap_or("?").to_owned(),
        },
        ffi::SQLITE_ERROR => match missing_table(message) {
            Some(name) => Error::MissingTable {
                entity: table.entity,
                table: name.to_owned(),
            },
            None => other(err),
        },
        _ => other(err),
    }
}

/// Maps an error with no table to name: opening, committing or rolling back.
/// A lock held by another connection past the busy timeout is a timeout.
pub(crate) fn other(err: rusqlite::Error) -> Error {
    match err.sqlite_error_code() {
        Some(ffi::ErrorCode::DatabaseBusy) => Error::Timeout(format!(
            "waiting for another connection's lock on the SQLite database: {err}"
        )),
        _ => Error::Backend(Box::new(err)),
    }
}
