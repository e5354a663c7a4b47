//! Mapping Turso's errors to keyway's portable kinds. Turso reports a
//! class and SQLite's message, so the message tells the kinds apart.

use keyway::{Error, TableDef};
use keyway_sql::{missing_table, violated_index};

/// Maps an error raised while running a statement on `table`.
pub(crate) fn map(err: turso::Error, table: &TableDef) -> Error {
    match &err {
        turso::Error::Constraint(message) => {
            constraint(message, table).unwrap_or_else(|| other(err))
        }
        turso::Error::Error(message) => match missing_table(message) {
            Some(name) => Error::MissingTable {
                entity: table.entity,
                table: name.to_owned(),
            },
            None => other(err),
        },
        _ => other(err),
    }
}

/// The portable kind of a constraint Turso names in `message`.
fn constraint(message: &str, table: &TableDef) -> Option<Error> {
    if message.starts_with("UNIQUE constraint failed")
        || message.starts_with("PRIMARY KEY constraint failed")
    {
        Some(Error::UniqueViolation {
            entity: table.entity,
            index: violated_index(message, table),
        })
    } else if message.starts_with("FOREIGN KEY constraint failed") {
        Some(Error::ForeignKeyViolation {
            entity: table.entity,
            detail: message.to_owned(),
        })
    } else {
        let column = message.strip_prefix("NOT NULL constraint failed: ")?;
        Some(Error::NotNullViolation {
            entity: table.entity,
            column: column.rsplit('.').next().unwrap_or("?").trim().to_owned(),
        })
    }
}

/// Maps an error with no table to name: opening, committing or rolling
/// back. A lock another connection held past the busy timeout is a
/// timeout; a conflict between concurrent transactions (MVCC), which the
/// engine resolves by rolling one back, is `TransactionConflict`.
pub(crate) fn other(err: turso::Error) -> Error {
    match &err {
        turso::Error::Busy(message) => Error::Timeout(format!(
            "waiting for another connection's lock on the Turso database: {message}"
        )),
        turso::Error::BusySnapshot(message) => Error::TransactionConflict {
            detail: message.clone(),
        },
        turso::Error::Error(message) if message.contains("Write-write conflict") => {
            Error::TransactionConflict {
                detail: message.clone(),
            }
        }
        _ => Error::Backend(Box::new(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USERS: TableDef = TableDef {
        entity: "User",
        name: "users",
        columns: &[],
        indexes: &[],
        foreign_keys: &[],
        layout: None,
    };

    #[test]
    fn messages_give_the_portable_kind() {
        let e = map(
            turso::Error::Constraint("NOT NULL constraint failed: users.email".into()),
            &USERS,
        );
        assert!(
            matches!(&e, Error::NotNullViolation { column, .. } if column == "email"),
            "{e:?}"
        );
        let e = map(
            turso::Error::Constraint("FOREIGN KEY constraint failed".into()),
            &USERS,
        );
        assert!(matches!(e, Error::ForeignKeyViolation { .. }), "{e:?}");
        let e = map(
            turso::Error::Error("Parse error: no such table: users".into()),
            &USERS,
        );
        assert!(
            matches!(&e, Error::MissingTable { table, .. } if table == "users"),
            "{e:?}"
        );
        let e = map(turso::Error::Error("Write-write conflict".into()), &USERS);
        assert!(e.is_retryable(), "{e:?}");
        let e = map(turso::Error::Busy("database is locked".into()), &USERS);
        assert!(matches!(e, Error::Timeout(_)), "{e:?}");
        let e = map(
            turso::Error::Constraint("cannot store TEXT value in REAL column users.score".into()),
            &USERS,
        );
        assert!(matches!(e, Error::Backend(_)), "{e:?}");
    }
}
