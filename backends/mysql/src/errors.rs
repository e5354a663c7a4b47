//! Mapping MySQL / MariaDB error numbers to keyway's portable kinds.

use keyway::{Error, TableDef};
use keyway_sql::{declared_index, quoted_after};
use sqlx::error::DatabaseError;
use sqlx::mysql::MySqlDatabaseError;

/// Maps an error MySQL reported for a statement on `table`.
pub(crate) fn database_error(err: Box<dyn DatabaseError>, table: &TableDef) -> Error {
    let Some(my) = err.try_downcast_ref::<MySqlDatabaseError>() else {
        return Error::Backend(Box::new(sqlx::Error::Database(err)));
    };
    let entity = table.entity;
    let message = my.message();
    let column = |marker| quoted_after(message, marker).unwrap_or("?").to_owned();
    match my.number() {
        // "Duplicate entry 'x' for key 'users_email_key'" (MySQL 8 writes
        // 'users.users_email_key').
        1062 | 1586 => Error::UniqueViolation {
            entity,
            index: declared_index(table, quoted_after(message, "for key ").unwrap_or("?")),
        },
        // A missing parent (1452, 1216) or a parent still referenced (1451, 1217).
        1451 | 1452 | 1216 | 1217 => Error::ForeignKeyViolation {
            entity,
            detail: message.to_owned(),
        },
        1048 => Error::NotNullViolation {
            entity,
            column: column("Column "),
        },
        1364 => Error::NotNullViolation {
            entity,
            column: column("Field "),
        },
        // Data too long, out of range, an incorrect value for the column.
        1406 | 1264 | 1366 => Error::OutOfRange {
            entity,
            column: column("column "),
            detail: message.to_owned(),
        },
        // The connection was killed, or the server went away / shut down.
        1927 | 1053 | 2006 | 2013 => Error::Connection(Box::new(sqlx::Error::Database(err))),
        _ => Error::Backend(Box::new(sqlx::Error::Database(err))),
    }
}
