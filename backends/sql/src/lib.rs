//! Shared SQL lowering for keyway: backend-neutral statements to parametrised
//! SQL text, per [`Dialect`].
//!
//! Identifiers come only from entity declarations (checked by
//! [`keyway::check_identifier`]) and are always quoted; values are never written
//! into the text, only bound as [`Param`]s.
//!
//! How each dialect maps types and statements is in keyway's guide,
//! [`keyway::guide::backends`].
#![forbid(unsafe_code)]

mod aggregate_sql;
mod cache;
mod ddl;
mod dialect;
mod dialects;
#[cfg(feature = "exec")]
mod exec;
mod file_url;
mod given_keys;
mod introspect;
mod json_filter;
mod list_json;
mod migrate;
mod mutation;
mod out;
mod params;
mod portable;
mod select;
mod shape;
mod sqlite_messages;
mod sqlite_storage;
mod text_filter;
mod upsert;
mod writer;

pub use cache::{BoundRef, Cached, ParamRef, Params, StatementCache};
pub use ddl::{create_table, drop_table, foreign_key_name, migration_table};
pub use dialect::{Bound, Dialect, JsonSyntax, Lowered, Param, RowLockSyntax, RowLocking};
pub use dialects::{MySql, Postgres, Sqlite, Turso};
#[cfg(feature = "sqlx")]
pub use exec::{
    Args, Conn, ConnectOptionsOf, QueryRow, RawValue, SqlxDatabase, SqlxDriver, decode, map_error,
};
#[cfg(feature = "exec")]
pub use exec::{
    Atomic, Driver, PooledConn, SqlBackend, SqlOptions, SqlReader, SqlTx, bound_returning_keys,
    declared_index, prepare, quoted_after, returning_keys,
};
pub use file_url::percent_decode;
pub use given_keys::advance_auto_key;
pub use introspect::{
    Catalog, CatalogColumn, CatalogIndexColumn, CatalogQueries, MARIADB_JSON_CHECKS, MYSQL_CATALOG,
    POSTGRES_CATALOG, SQLITE_CATALOG, assemble, canonical_type, declared_table,
    json_checked_column,
};
pub use list_json::{list_from_json, list_to_json};
pub use migrate::{AlterSyntax, render_change};
pub use mutation::{
    InsertPlan, delete, delete_returning, flat_insert, insert, insert_planned, rows_per_insert,
    update, update_returning,
};
pub use params::{ParamLayout, ParamSink, write_params};
pub use portable::portable_type;
pub use select::select;
pub use sqlite_messages::{missing_table, violated_index};
pub use sqlite_storage::{Stored, Storing, column_scale, read_stored, storing, utf8};
pub use upsert::{UpsertSyntax, upsert};
