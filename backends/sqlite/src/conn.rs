//! One SQLite connection with the SQL text of the statement shapes it has run.

use std::collections::HashMap;
use std::ops::Deref;

use keyway_sql::{Sqlite as Dialect, StatementCache};
use rusqlite::Connection;

/// A connection and its lowered-statement cache. rusqlite keeps the prepared
/// statements by text; this keeps the text by statement shape, so that a
/// statement run again with other values is neither written nor parsed again.
pub(crate) struct Conn {
    pub(crate) db: Connection,
    pub(crate) shapes: StatementCache<Dialect>,
    /// The text of each entity's save (`save`), by its columns' address.
    pub(crate) saves: HashMap<usize, String>,
}

impl Conn {
    pub(crate) fn boxed(db: Connection) -> Box<Self> {
        Box::new(Conn {
            db,
            shapes: StatementCache::new(),
            saves: HashMap::new(),
        })
    }
}

impl Deref for Conn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.db
    }
}
