//! Mapping errors to keyway's kinds: the half every database shares.

use keyway::TableDef;

#[cfg(feature = "sqlx")]
use super::SqlxDriver;
#[cfg(feature = "sqlx")]
use keyway::Error;

/// Maps a sqlx error raised while running a statement on `table`: the
/// database's own errors go to the driver; lost connections and the rest
/// are the same for every database. (keyway's own pool reports its time-outs
/// and closing itself; sqlx's pool errors cannot arise here.)
#[cfg(feature = "sqlx")]
pub fn map_error<D: SqlxDriver>(err: sqlx::Error, table: &TableDef) -> Error {
    match err {
        sqlx::Error::Database(db) => D::database_error(db, table),
        e @ (sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)) => Error::Connection(Box::new(e)),
        other => Error::Backend(Box::new(other)),
    }
}

/// The declared name of the index a database calls `name`: `PRIMARY` for the
/// primary key (`{table}_pkey` on PostgreSQL, `PRIMARY` on MySQL), the name
/// itself otherwise.
pub fn declared_index(table: &TableDef, name: &str) -> String {
    let name = name.rsplit('.').next().unwrap_or(name);
    if name == "PRIMARY" || name.strip_suffix("_pkey") == Some(table.name) {
        "PRIMARY".into()
    } else {
        name.to_owned()
    }
}

/// The text between the quotes that follow `marker` in `message`
/// (`Column 'note' cannot be null` -> `note` after `Column `).
pub fn quoted_after<'m>(message: &'m str, marker: &str) -> Option<&'m str> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let rest = &rest[1..];
    rest.find(quote).map(|end| &rest[..end])
}
