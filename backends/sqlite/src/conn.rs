//! One SQLite connection with the SQL text of the statement shapes it has run.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;

use keyway_sql::{ParamLayout, Sqlite as Dialect, StatementCache};
use rusqlite::Connection;

/// A connection and its lowered-statement cache. rusqlite keeps the prepared
/// statements by text; this keeps the text by statement shape, so that a
/// statement run again with other values is neither written nor parsed again.
pub(crate) struct Conn {
    pub(crate) db: Connection,
    pub(crate) shapes: StatementCache<Dialect>,
    /// The text of each entity's save (`save`) and where its values go, by
    /// its columns' address.
    pub(crate) saves: HashMap<usize, (String, ParamLayout), BuildHasherDefault<AddressHasher>>,
}

/// Hashes the address that keys a connection's saves: one multiplication
/// (Fibonacci hashing), where the default hasher costs more than the
/// statement lookup it serves.
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Conn {
    pub(crate) fn boxed(db: Connection) -> Box<Self> {
        Box::new(Conn {
            db,
            shapes: StatementCache::new(),
            saves: HashMap::default(),
        })
    }
}

impl Deref for Conn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.db
    }
}
