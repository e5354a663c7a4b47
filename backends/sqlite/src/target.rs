//! What a `sqlite:` URL names, and opening one connection to it.

use std::time::Duration;

use keyway::{Error, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

/// Prepared statements each connection keeps (rusqlite's default is 16).
const STATEMENT_CACHE: usize = 256;

/// The database a URL names and the flags it is opened with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    /// The file name (or `file:` URI) handed to SQLite.
    path: String,
    flags: OpenFlags,
    /// An in-memory database, which lives only in its connection.
    pub(crate) memory: bool,
}

#[derive(Clone, Copy)]
enum Mode {
    ReadOnly,
    ReadWrite,
    Create,
    Memory,
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::Invalid {
        what: "SQLite URL",
        detail: detail.into(),
    }
}

impl Target {
    /// Reads `sqlite::memory:`, `sqlite://path.db`, `sqlite:path.db` and
    /// `sqlite:file:name`, with the query parameters `mode` (`ro`, `rw`, `rwc`,
    /// `memory`), `cache` (`shared`, `private`), `immutable` and `vfs`.
    pub(crate) fn parse(url: &str) -> Result<Target> {
        let rest = url
            .strip_prefix("sqlite:")
            .ok_or_else(|| invalid(format!("{url:?} does not start with `sqlite:`")))?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (database, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = percent_decode(database)?;
        let mut mode = if path == ":memory:" {
            Mode::Memory
        } else {
            Mode::Create
        };
        let (mut shared, mut immutable, mut vfs) = (None, false, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)?;
            match (key, value.as_str()) {
                ("mode", "ro") => mode = Mode::ReadOnly,
                ("mode", "rw") => mode = Mode::ReadWrite,
                ("mode", "rwc") => mode = Mode::Create,
                ("mode", "memory") => mode = Mode::Memory,
                ("cache", "shared") => shared = Some(true),
                ("cache", "private") => shared = Some(false),
                ("immutable", "true" | "1") => immutable = true,
                ("immutable", "false" | "0") => immutable = false,
                ("vfs", name) if !name.is_empty() => vfs = Some(name.to_owned()),
                ("mode" | "cache" | "immutable" | "vfs", other) => {
                    return Err(invalid(format!("unknown value {other:?} for `{key}`")));
                }
                _ => return Err(invalid(format!("unknown query parameter `{key}`"))),
            }
        }
        let memory = matches!(mode, Mode::Memory);
        if path.is_empty() && !memory {
            return Err(invalid(format!(
                "{url:?} names no database file (use `sqlite::memory:` for an in-memory one)"
            )));
        }
        let mut flags = OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        flags |= match mode {
            Mode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
            Mode::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
            Mode::Create | Mode::Memory => {
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
            }
        };
        // A named in-memory database is shared by name within the process,
        // unless `cache=private` says otherwise. An unnamed one is always
        // private: a shared cache would make `:memory:` one database for the
        // whole process.
        let named = memory && !path.is_empty() && path != ":memory:";
        if memory {
            flags |= OpenFlags::SQLITE_OPEN_MEMORY;
        }
        match shared {
            _ if memory && !named => {}
            Some(true) => flags |= OpenFlags::SQLITE_OPEN_SHARED_CACHE,
            Some(false) => flags |= OpenFlags::SQLITE_OPEN_PRIVATE_CACHE,
            None if named => flags |= OpenFlags::SQLITE_OPEN_SHARED_CACHE,
            None => {}
        }
        let path = if !memory && (immutable || vfs.is_some()) {
            let mut uri = format!("file:{}?", percent_encode(&path));
            if immutable {
                uri.push_str("immutable=1&");
            }
            if let Some(vfs) = vfs {
                uri.push_str("vfs=");
                uri.push_str(&percent_encode(&vfs));
            }
            uri.trim_end_matches('&').to_owned()
        } else if memory && !named {
            ":memory:".to_owned()
        } else {
            path
        };
        Ok(Target {
            path,
            flags,
            memory,
        })
    }

    /// Opens one connection: foreign keys on, `busy` as the busy timeout, a
    /// statement cache of 256, and double-quoted strings off: SQLite would
    /// otherwise read a double-quoted name that resolves to no column (one
    /// the entity has and the table lacks) as a string literal, and hand the
    /// column's own name back as its value. It is an error instead.
    pub(crate) fn open(&self, busy: Duration) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(&self.path, self.flags)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DML, false)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DDL, false)?;
        conn.busy_timeout(busy)?;
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }
}

fn percent_decode(text: &str) -> Result<String> {
    keyway_sql::percent_decode(text, "SQLite URL")
}

/// Escapes everything but ASCII letters, digits and `/`, for a `file:` URI.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Target {
        Target::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn memory_urls_are_private_unless_named() {
        for url in [
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite://?mode=memory",
            "sqlite::memory:?cache=shared",
        ] {
            let t = parsed(url);
            assert!(t.memory, "{url}");
            assert_eq!(t.path, ":memory:", "{url}");
            assert!(
                !t.flags.contains(OpenFlags::SQLITE_OPEN_SHARED_CACHE),
                "{url}"
            );
        }
        let t = parsed("sqlite:file:cache-a?mode=memory");
        assert!(t.memory);
        assert_eq!(t.path, "file:cache-a");
        assert!(t.flags.contains(OpenFlags::SQLITE_OPEN_SHARED_CACHE));
    }

    #[test]
    fn file_urls_create_unless_told_otherwise() {
        let t = parsed("sqlite://data/app.db");
        assert!(!t.memory);
        assert_eq!(t.path, "data/app.db");
        assert!(t.flags.contains(OpenFlags::SQLITE_OPEN_CREATE));
        let t = parsed("sqlite://app.db?mode=ro");
        assert!(t.flags.contains(OpenFlags::SQLITE_OPEN_READ_ONLY));
        assert!(!t.flags.contains(OpenFlags::SQLITE_OPEN_CREATE));
        let t = parsed("sqlite:my%20app.db?immutable=1&vfs=unix-dotfile");
        assert_eq!(t.path, "file:my%20app.db?immutable=1&vfs=unix-dotfile");
    }

    #[test]
    fn bad_urls_are_invalid_not_panics() {
        for url in [
            "postgres://x",
            "app.db",
            "sqlite://",
            "sqlite://a.db?mode=fast",
            "sqlite://a.db?colour=blue",
            "sqlite://a%zz.db",
            "sqlite://a%ff.db",
            "sqlite://a.db?mode=%",
        ] {
            let err = Target::parse(url).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Invalid {
                        what: "SQLite URL",
                        ..
                    }
                ),
                "{url}: {err:?}"
            );
        }
    }
}
