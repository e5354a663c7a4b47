//! Mapping sqlx / SQLite errors to keyway's portable kinds.

use keyway::{Error, TableDef};
use sqlx::error::ErrorKind;

/// Maps a driver error raised while running a statement on `table`.
pub(crate) fn map(err: sqlx::Error, table: &TableDef) -> Error {
    match err {
        sqlx::Error::Database(db) => {
            let message = db.message().to_owned();
            match db.kind() {
                ErrorKind::UniqueViolation => Error::UniqueViolation {
                    entity: table.entity,
                    index: violated_index(&message, table),
                },
                // `ON DELETE RESTRICT` reports SQLITE_CONSTRAINT_TRIGGER, not _FOREIGNKEY.
                kind if matches!(kind, ErrorKind::ForeignKeyViolation)
                    || message.starts_with("FOREIGN KEY constraint failed") =>
                {
                    Error::ForeignKeyViolation {
                        entity: table.entity,
                        detail: message,
                    }
                }
                ErrorKind::NotNullViolation => {
                    let column = message.rsplit('.').next().unwrap_or("?").to_owned();
                    Error::NotNullViolation {
                        entity: table.entity,
                        column,
                    }
                }
                _ => Error::Backend(Box::new(sqlx::Error::Database(db))),
            }
        }
        sqlx::Error::PoolTimedOut => {
            Error::Timeout("waiting for a pooled SQLite connection".into())
        }
        e @ (sqlx::Error::Io(_)
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_)) => Error::Connection(Box::new(e)),
        other => Error::Backend(Box::new(other)),
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
