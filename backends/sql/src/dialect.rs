//! What differs between SQL databases.

use std::borrow::Cow;

use keyway::{ColumnDef, Value};

/// One bound parameter, with the column it is compared to or written into (for
/// error messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// What the placeholder binds.
    pub value: Bound,
    /// The column it belongs to.
    pub column: &'static str,
}

/// What one placeholder binds.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// One value.
    One(Value),
    /// The values of an `IN` list as one array parameter (`"column" =
    /// ANY($n)`), on a dialect with [`Dialect::ARRAY_IN`]: one statement
    /// text for every length of the list.
    List(Vec<Value>),
}

/// A lowered statement: SQL text with placeholders, and the values to bind.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    /// The SQL text.
    pub sql: String,
    /// The parameters, in placeholder order.
    pub params: Vec<Param>,
}

/// The syntax and types of one SQL database.
pub trait Dialect: Send + Sync + 'static {
    /// The `db.system` name (`sqlite`, `postgresql`, `mysql`).
    const NAME: &'static str;
    /// The identifier quote character.
    const QUOTE: char;
    /// Whether an `IN` list is bound as one array parameter
    /// ([`Bound::List`], `"column" = ANY($n)`) rather than a placeholder per
    /// value.
    const ARRAY_IN: bool = false;
    /// The most parameters one statement may bind.
    const MAX_PARAMS: usize;
    /// Whether `INSERT ... RETURNING` reports generated keys.
    const RETURNING: bool;
    /// How the dialect reaches into JSON documents (path filters).
    const JSON: JsonSyntax;

    /// Writes the placeholder for the `n`-th parameter (1-based).
    fn placeholder(n: usize, out: &mut String);

    /// The column's type in `CREATE TABLE`, with the auto-increment clause for
    /// an `auto` key. `indexed` tells whether a key or index covers the column.
    fn column_type(column: &ColumnDef, indexed: bool) -> ColumnSql;

    /// Text after the closing parenthesis of `CREATE TABLE`.
    const TABLE_SUFFIX: &'static str = "";

    /// The `LIMIT` written when only an offset is given.
    const NO_LIMIT: &'static str;

    /// What follows `INSERT INTO table` for a row that takes every column's
    /// default (a table whose only column is its `auto` key).
    const DEFAULT_ROW: &'static str = " DEFAULT VALUES";

    /// Whether indexes are declared inside `CREATE TABLE` rather than by
    /// separate `CREATE INDEX` statements (for a dialect without
    /// `CREATE INDEX IF NOT EXISTS`, so that creating a table stays idempotent).
    const INLINE_INDEXES: bool = false;

    /// Whether an `auto` key's generator moves past keys that rows bring
    /// themselves (SQLite's `AUTOINCREMENT`, MySQL's `AUTO_INCREMENT`), so
    /// that an insert with given keys needs nothing after it. PostgreSQL's
    /// identity sequence does not: [`advance_auto_key`](crate::advance_auto_key)
    /// moves it.
    const AUTO_FOLLOWS_GIVEN_KEYS: bool = true;

    /// A column type (whitespace already collapsed) as the dialect's catalog
    /// spells it, so that what `create_table` declares and what the catalog
    /// reports meet when they are one type ([`canonical_type`](crate::canonical_type)).
    /// The default lower-cases it.
    fn catalog_type(ty: &str) -> String {
        ty.to_lowercase()
    }

    /// How the dialect alters a table in a migration.
    const ALTER: crate::AlterSyntax;

    /// The query that takes the lock keeping two migration runs apart,
    /// waiting for it; its one row says `1` once it is held.
    const MIGRATION_LOCK: Option<&'static str> = None;

    /// The statement that gives the lock back, where the end of the
    /// transaction does not.
    const MIGRATION_UNLOCK: Option<&'static str> = None;

    /// The catalog queries that describe a live table, for a dialect whose
    /// tables the shared execution layer describes (PostgreSQL, MySQL).
    const CATALOG: Option<crate::CatalogQueries> = None;

    /// How an upsert is written.
    const UPSERT: crate::UpsertSyntax = crate::UpsertSyntax::OnConflict;

    /// The expression an upsert's `RETURNING` tells an inserted row by
    /// (PostgreSQL's `xmax = 0`); `None` where the statement cannot say
    /// it, and keyway upserts row by row to know.
    const UPSERT_INSERTED: Option<&'static str> = None;

    /// How a read locks its rows (`FOR UPDATE`, ...); `None` for a
    /// database without row locks, whose reads ignore a lock.
    const ROW_LOCKS: Option<RowLockSyntax> = None;
}

/// A dialect with row locks ([`Dialect::ROW_LOCKS`] is `Some`): its
/// backend's transactions are [`LocksRows`](keyway::LocksRows).
pub trait RowLocking: Dialect {}

/// The clauses of a locking read, each with its leading space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowLockSyntax {
    /// ` FOR UPDATE`.
    pub update: &'static str,
    /// ` FOR SHARE` (` LOCK IN SHARE MODE` on MySQL and MariaDB).
    pub share: &'static str,
    /// ` SKIP LOCKED`.
    pub skip_locked: &'static str,
    /// ` NOWAIT`.
    pub nowait: &'static str,
}

/// How a dialect reaches into a JSON document, for path filters
/// ([`Expr::Json`](keyway::Expr::Json)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonSyntax {
    /// `json_extract`, `json_type`, `json_each` with a `$."a"."b"` path.
    Sqlite,
    /// jsonb's `->`, `jsonb_typeof`, `@>`, one bound key per step.
    Postgres,
    /// `JSON_EXTRACT`, `JSON_TYPE`, `JSON_OVERLAPS` with a bound `$."a"."b"`
    /// path (MySQL 8.0.17+ and MariaDB 10.9+ alike).
    MySql,
}

/// How a column is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSql {
    /// The type, with any auto-increment clause.
    pub ty: Cow<'static, str>,
    /// Whether the type text already makes the column the primary key.
    pub inline_primary_key: bool,
}
