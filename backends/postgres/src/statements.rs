//! The statements prepared on one connection, by SQL text.

use std::collections::HashMap;
use std::sync::Arc;

/// The prepared statements kept per connection (as many as sqlx keeps); past
/// it, one of them is closed to make room.
pub(crate) const LIMIT: usize = 100;

/// A statement prepared on the server.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// Its name on the server, unique on the connection.
    pub(crate) name: String,
    /// The type OIDs it was prepared with.
    pub(crate) params: Vec<u32>,
    /// The type OIDs of its result columns.
    pub(crate) columns: Arc<[u32]>,
}

/// The statements of one connection, and the one being prepared.
#[derive(Debug, Default)]
pub(crate) struct Statements {
    by_sql: HashMap<String, Prepared>,
    /// Sent to be parsed; kept once the server described its columns (it
    /// then exists), dropped if the server refused it.
    parsing: Option<(String, Prepared)>,
    /// Names are never reused: a statement whose fate is unknown cannot
    /// collide with a later one.
    next: u64,
}

impl Statements {
    /// The statement prepared for `sql` with parameters of `params`.
    #[inline]
    pub(crate) fn get(&self, sql: &str, params: &[u32]) -> Option<&Prepared> {
        self.by_sql.get(sql).filter(|p| p.params == params)
    }

    /// A fresh statement name.
    pub(crate) fn name(&mut self) -> String {
        self.next += 1;
        format!("k{}", self.next)
    }

    /// The statement to close before `sql` is prepared anew: the one `sql`
    /// had with other parameter types, or one of the others when the limit
    /// is reached. Its SQL text (the key) and its name.
    pub(crate) fn to_close(&self, sql: &str) -> Option<(&str, &str)> {
        let old = self.by_sql.get_key_value(sql).or_else(|| {
            (self.by_sql.len() >= LIMIT)
                .then(|| self.by_sql.iter().next())
                .flatten()
        });
        old.map(|(sql, p)| (sql.as_str(), p.name.as_str()))
    }

    /// Records that `sql` was sent to be prepared as `name` with parameters
    /// of `params`, after the statement of `closed` (see
    /// [`to_close`](Self::to_close)) was sent to be closed.
    pub(crate) fn parsing(
        &mut self,
        sql: &str,
        name: String,
        params: Vec<u32>,
        closed: Option<String>,
    ) {
        if let Some(key) = closed {
            self.by_sql.remove(&key);
        }
        let prepared = Prepared {
            name,
            params,
            columns: Arc::from(Vec::new()),
        };
        self.parsing = Some((sql.to_owned(), prepared));
    }

    /// Whether a statement was sent to be prepared and not yet described.
    #[inline]
    pub(crate) fn is_parsing(&self) -> bool {
        self.parsing.is_some()
    }

    /// The server described the statement being prepared: it exists.
    pub(crate) fn described(&mut self, columns: &Arc<[u32]>) {
        if let Some((sql, mut prepared)) = self.parsing.take() {
            prepared.columns = columns.clone();
            self.by_sql.insert(sql, prepared);
        }
    }

    /// The server refused what was sent: a statement being prepared does not
    /// exist.
    pub(crate) fn refused(&mut self) {
        self.parsing = None;
    }

    /// How many statements are kept.
    pub(crate) fn len(&self) -> usize {
        self.by_sql.len()
    }
}
