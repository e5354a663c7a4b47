//! How generated keys come back from a MySQL or MariaDB insert.

use keyway::{Result, TableDef, Value};
use keyway_sql::{InsertPlan, Lowered, map_error, prepare};
use sqlx::mysql::MySqlConnection;

use crate::MySqlDriver;

/// How the keys of an `auto` column are learnt after an insert. Detected when
/// connecting (see [`MySqlKeys::detect`]); [`MySqlSettings`](crate::MySqlSettings)
/// can force one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MySqlKeys {
    /// `INSERT ... RETURNING` (MariaDB 10.5 and later): one multi-row statement
    /// per batch, every key returned.
    Returning,
    /// One multi-row statement per batch whose keys are consecutive:
    /// `LAST_INSERT_ID()` (the first row's key) plus `increment` per row. Only
    /// sound where InnoDB's `innodb_autoinc_lock_mode` is 0 or 1, which
    /// reserve the keys of a multi-row insert together.
    Consecutive {
        /// `@@auto_increment_increment`: the step between two keys.
        increment: u64,
    },
    /// One row per statement, all of them in one transaction, each key from
    /// its own `LAST_INSERT_ID()`: for `innodb_autoinc_lock_mode = 2`
    /// (interleaved, the MySQL 8 default), where the keys of one multi-row
    /// insert need not be consecutive.
    OneByOne,
}

impl MySqlKeys {
    /// The strategy for a server: `Returning` on MariaDB 10.5 and later, else
    /// `Consecutive` when `innodb_autoinc_lock_mode` is 0 or 1, else `OneByOne`.
    pub fn detect(version: &str, lock_mode: Option<i64>, increment: u64) -> Self {
        if mariadb_with_returning(version) {
            return MySqlKeys::Returning;
        }
        match lock_mode {
            Some(0 | 1) => MySqlKeys::Consecutive {
                increment: increment.max(1),
            },
            _ => MySqlKeys::OneByOne,
        }
    }

    pub(crate) fn plan(self) -> InsertPlan {
        match self {
            MySqlKeys::Returning => InsertPlan {
                returning: true,
                max_rows: usize::MAX,
            },
            MySqlKeys::Consecutive { .. } => InsertPlan {
                returning: false,
                max_rows: usize::MAX,
            },
            MySqlKeys::OneByOne => InsertPlan {
                returning: false,
                max_rows: 1,
            },
        }
    }
}

/// Whether `version` (`SELECT VERSION()`) is MariaDB 10.5 or later.
fn mariadb_with_returning(version: &str) -> bool {
    if !version.contains("MariaDB") {
        return false;
    }
    let mut parts = version
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (10, 5)
}

/// Runs one insert statement and appends its keys by the driver's strategy.
pub(crate) async fn run_insert(
    driver: &MySqlDriver,
    conn: &mut MySqlConnection,
    table: &TableDef,
    batch: Lowered,
    keys: &mut Vec<Value>,
) -> Result<()> {
    let step = match driver.keys() {
        MySqlKeys::Returning => {
            return keyway_sql::returning_keys::<MySqlDriver>(conn, table, batch, keys).await;
        }
        MySqlKeys::Consecutive { increment } => increment,
        MySqlKeys::OneByOne => 1,
    };
    let (sql, args) = prepare::<MySqlDriver>(table, batch)?;
    let done = sqlx::query_with(&sql, args)
        .execute(&mut *conn)
        .await
        .map_err(|e| map_error::<MySqlDriver>(e, table))?;
    if table.auto_column().is_some() {
        let first = done.last_insert_id();
        keys.extend((0..done.rows_affected()).map(|i| Value::U64(first + i * step)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_strategy_from_the_server() {
        let maria = "10.11.19-MariaDB-0+deb12u1";
        assert_eq!(MySqlKeys::detect(maria, Some(2), 1), MySqlKeys::Returning);
        assert_eq!(
            MySqlKeys::detect("10.4.3-MariaDB", Some(1), 2),
            MySqlKeys::Consecutive { increment: 2 }
        );
        assert_eq!(
            MySqlKeys::detect("8.0.36", Some(1), 1),
            MySqlKeys::Consecutive { increment: 1 }
        );
        assert_eq!(MySqlKeys::detect("8.4.0", Some(2), 1), MySqlKeys::OneByOne);
        assert_eq!(MySqlKeys::detect("8.4.0", None, 1), MySqlKeys::OneByOne);
    }
}
