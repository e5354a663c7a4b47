//! Mapping rusqlite / SQLite errors to keyway's portable kinds, by SQLite's
//! extended result codes.

use keyway::{Error, TableDef};
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

/// The table SQLite found missing, from its message (`no such table:
/// main.users`), without the schema; `None` for any other error.
fn missing_table(message: &str) -> Option<&str> {
    let name = message.strip_prefix("no such table: ")?.trim();
    let name = name.strip_prefix("main.").unwrap_or(name);
    (!name.is_empty()).then_some(name)
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

/// SQLite names the columns (`UNIQUE constraint failed: users.a, users.b`);
/// the index is the declared one over exactly those columns.
fn violated_index(message: &str, table: &TableDef) -> String {
    let columns: Vec<&str> = message
        .rsplit(": ")
        .next()
        .unwrap_or("")
        .split(", ")
        .map(|c| c.rsplit('.').next().unwrap_or(c))
        .collect();
    let key: Vec<&str> = table.key_columns().map(|c| c.name).collect();
    if key == columns {
        return "PRIMARY".into();
    }
    table
        .all_indexes()
        .into_iter()
        .find(|ix| ix.unique && ix.columns == columns)
        .map_or_else(|| columns.join(","), |ix| ix.name)
}

#[cfg(test)]
mod tests {
    use super::missing_table;

    #[test]
    fn missing_tables_are_named_without_their_schema() {
        assert_eq!(missing_table("no such table: users"), Some("users"));
        assert_eq!(missing_table("no such table: main.users"), Some("users"));
        assert_eq!(missing_table("no such column: nick"), None);
        assert_eq!(missing_table("no such table: "), None);
    }
}
