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
    match concurrency(my.number(), my.code()) {
        Some(Concurrency::Conflict) => {
            return Error::TransactionConflict {
                detail: message.to_owned(),
            };
        }
        Some(Concurrency::Timeout) => {
            return Error::Timeout(format!("{entity} on MySQL: {message}"));
        }
        None => {}
    }
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
        // "BIGINT value is out of range in '`n` + 1'": a sum past its type.
        1690 => Error::OutOfRange {
            entity,
            column: String::new(),
            detail: message.to_owned(),
        },
        // "Table 'test.users' doesn't exist" (ER_NO_SUCH_TABLE).
        1146 => Error::MissingTable {
            entity,
            table: missing_table(message).unwrap_or(table.name).to_owned(),
        },
        // The connection was killed, or the server went away / shut down.
        1927 | 1053 | 2006 | 2013 => Error::Connection(Box::new(sqlx::Error::Database(err))),
        _ => Error::Backend(Box::new(sqlx::Error::Database(err))),
    }
}

/// The table named in MySQL's "Table 'db.name' doesn't exist", without the
/// database.
fn missing_table(message: &str) -> Option<&str> {
    let qualified = quoted_after(message, "Table ")?;
    Some(
        qualified
            .rsplit_once('.')
            .map_or(qualified, |(_, name)| name),
    )
}

/// How a statement lost to a concurrent one or to a time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Concurrency {
    /// Aborted to resolve a conflict: the transaction is rolled back.
    Conflict,
    /// A lock or the statement took too long: the statement is rolled back.
    Timeout,
}

/// Classifies MySQL / MariaDB error `number` (SQLSTATE `state`) as a
/// conflict or a timeout.
fn concurrency(number: u16, state: Option<&str>) -> Option<Concurrency> {
    match number {
        // A deadlock (ER_LOCK_DEADLOCK): InnoDB rolled the whole
        // transaction back. Galera reports a certification failure the same way.
        1213 => Some(Concurrency::Conflict),
        // The row changed since the transaction's snapshot was taken
        // (ER_CHECKREAD: MariaDB with innodb_snapshot_isolation, on by default
        // in newer releases): the transaction is rolled back.
        1020 => Some(Concurrency::Conflict),
        // A row lock not had within innodb_lock_wait_timeout
        // (ER_LOCK_WAIT_TIMEOUT; with innodb_rollback_on_timeout off, the
        // default, only the statement is rolled back), or at once under
        // NOWAIT (MySQL 8's ER_LOCK_NOWAIT; MariaDB reports 1205).
        1205 | 3572 => Some(Concurrency::Timeout),
        // The statement outlasted MySQL's max_execution_time
        // (ER_QUERY_TIMEOUT) or MariaDB's max_statement_time
        // (ER_STATEMENT_TIMEOUT), and was interrupted.
        3024 | 1969 => Some(Concurrency::Timeout),
        // Any other serialization failure.
        _ if state == Some("40001") => Some(Concurrency::Conflict),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Concurrency, concurrency};

    #[test]
    fn deadlocks_and_serialization_failures_are_conflicts() {
        assert_eq!(
            concurrency(1213, Some("40001")),
            Some(Concurrency::Conflict)
        );
        assert_eq!(
            concurrency(1020, Some("HY000")),
            Some(Concurrency::Conflict)
        );
        // Another number under SQLSTATE 40001 (XA_RBDEADLOCK, 1614).
        assert_eq!(
            concurrency(1614, Some("40001")),
            Some(Concurrency::Conflict)
        );
    }

    #[test]
    fn lock_and_statement_time_limits_are_timeouts() {
        // Lock wait timeout, NOWAIT.
        assert_eq!(concurrency(1205, Some("HY000")), Some(Concurrency::Timeout));
        assert_eq!(concurrency(3572, Some("HY000")), Some(Concurrency::Timeout));
        // MySQL's max_execution_time, MariaDB's max_statement_time.
        assert_eq!(concurrency(3024, Some("HY000")), Some(Concurrency::Timeout));
        assert_eq!(concurrency(1969, Some("70100")), Some(Concurrency::Timeout));
    }

    #[test]
    fn missing_tables_are_named_without_their_database() {
        assert_eq!(
            super::missing_table("Table 'test.users' doesn't exist"),
            Some("users")
        );
        assert_eq!(
            super::missing_table("Table 'users' doesn't exist"),
            Some("users")
        );
        assert_eq!(super::missing_table("Unknown column 'nick'"), None);
    }

    #[test]
    fn other_errors_are_neither() {
        assert_eq!(concurrency(1062, Some("23000")), None);
        assert_eq!(concurrency(1317, Some("70100")), None);
        assert_eq!(concurrency(2013, Some("HY000")), None);
        assert_eq!(concurrency(1146, None), None);
    }
}
