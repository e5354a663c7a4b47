//! What a `turso:` URL names.

use keyway::{Error, Result};

/// The database a URL names, and the options it carries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    /// The file, or `:memory:` (a private in-memory database, shared by
    /// the pool's connections).
    pub(crate) path: String,
    pub(crate) read_only: bool,
    /// `concurrent_writers=true` / `false`, when the URL says.
    pub(crate) concurrent_writers: Option<bool>,
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::Invalid {
        what: "Turso URL",
        detail: detail.into(),
    }
}

impl Target {
    /// Reads `turso::memory:`, `turso://path.db` and `turso:path.db`, with
    /// the query parameters `mode` (`ro`, `rwc`) and `concurrent_writers`
    /// (`true`, `false`).
    pub(crate) fn parse(url: &str) -> Result<Target> {
        let rest = url
            .strip_prefix("turso:")
            .ok_or_else(|| invalid(format!("{url:?} does not start with `turso:`")))?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (database, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = percent_decode(database)?;
        let (mut read_only, mut concurrent_writers) = (false, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match (key, value) {
                ("mode", "ro") => read_only = true,
                ("mode", "rwc") => read_only = false,
                ("concurrent_writers", "true" | "1") => concurrent_writers = Some(true),
                ("concurrent_writers", "false" | "0") => concurrent_writers = Some(false),
                ("mode" | "concurrent_writers", other) => {
                    return Err(invalid(format!("unknown value {other:?} for `{key}`")));
                }
                _ => return Err(invalid(format!("unknown query parameter `{key}`"))),
            }
        }
        if path.is_empty() {
            return Err(invalid(format!(
                "{url:?} names no database file (use `turso::memory:` for an in-memory one)"
            )));
        }
        if path == ":memory:" && read_only {
            return Err(invalid("a new in-memory database cannot be read-only"));
        }
        Ok(Target {
            path,
            read_only,
            concurrent_writers,
        })
    }
}

fn percent_decode(text: &str) -> Result<String> {
    keyway_sql::percent_decode(text, "Turso URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> Target {
        Target::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn urls_name_a_file_or_memory() {
        for url in ["turso::memory:", "turso://:memory:"] {
            assert_eq!(parsed(url).path, ":memory:", "{url}");
        }
        let t = parsed("turso://data/app.db?mode=ro");
        assert_eq!(t.path, "data/app.db");
        assert!(t.read_only);
        assert_eq!(parsed("turso:my%20app.db").path, "my app.db");
        let t = parsed("turso://app.db?concurrent_writers=true");
        assert_eq!(t.concurrent_writers, Some(true));
        assert_eq!(parsed("turso://app.db").concurrent_writers, None);
    }

    #[test]
    fn bad_urls_are_invalid_not_panics() {
        for url in [
            "sqlite://x.db",
            "turso://",
            "turso:",
            "turso://a.db?mode=fast",
            "turso://a.db?colour=blue",
            "turso://a.db?concurrent_writers=yes",
            "turso://a%zz.db",
            "turso://a%ff.db",
            "turso::memory:?mode=ro",
        ] {
            let err = Target::parse(url).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Invalid {
                        what: "Turso URL",
                        ..
                    }
                ),
                "{url}: {err:?}"
            );
        }
    }
}
