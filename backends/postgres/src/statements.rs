//! The statements prepared on one connection, by SQL text.

use std::collections::HashMap;

use tokio_postgres::Statement;
use tokio_postgres::types::Type;

/// The prepared statements kept per connection (as many as sqlx keeps); past
/// it, one of them is dropped, which closes it on the server.
pub(crate) const LIMIT: usize = 100;

/// The statements of one connection.
#[derive(Debug, Default)]
pub(crate) struct Statements {
    by_sql: HashMap<String, Statement>,
}

impl Statements {
    /// The statement prepared for `sql` with parameters of `params`.
    #[inline]
    pub(crate) fn get(&self, sql: &str, params: &[Type]) -> Option<Statement> {
        self.by_sql
            .get(sql)
            .filter(|s| s.params() == params)
            .cloned()
    }

    /// Keeps `statement` for `sql`, making room first.
    pub(crate) fn keep(&mut self, sql: &str, statement: Statement) {
        if self.by_sql.len() >= LIMIT && !self.by_sql.contains_key(sql) {
            let evicted = self.by_sql.keys().next().cloned();
            if let Some(key) = evicted {
                self.by_sql.remove(&key);
            }
        }
        self.by_sql.insert(sql.to_owned(), statement);
    }

    /// Forgets the statement of `sql` (the server's plan went stale).
    pub(crate) fn forget(&mut self, sql: &str) {
        self.by_sql.remove(sql);
    }

    /// How many statements are kept.
    pub(crate) fn len(&self) -> usize {
        self.by_sql.len()
    }
}
