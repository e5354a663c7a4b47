//! The dialects: SQLite, Turso, PostgreSQL, MySQL / MariaDB.

use std::borrow::Cow;

use keyway::{ColumnDef, ColumnType};

use crate::Dialect;
use crate::dialect::{ColumnSql, JsonSyntax};

/// SQLite (STRICT tables; integers are 64-bit signed).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

/// Turso: SQLite's SQL and storage, with names quoted in backticks. Turso
/// reads a double-quoted name that resolves to no column as a string literal
/// (SQLite's old quirk, which it cannot turn off), so that a column the
/// entity has and the table lacks would read back as its own name; a
/// backticked one is an error.
#[derive(Debug, Clone, Copy, Default)]
pub struct Turso;

/// PostgreSQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

/// MySQL 8 and MariaDB.
#[derive(Debug, Clone, Copy, Default)]
pub struct MySql;

fn plain(ty: impl Into<Cow<'static, str>>) -> ColumnSql {
    ColumnSql {
        ty: ty.into(),
        inline_primary_key: false,
    }
}

/// `{name}(precision,scale)` of a decimal column (validated when the schema
/// was registered).
fn decimal(name: &str, c: &ColumnDef) -> String {
    let (precision, scale) = c.decimal.unwrap_or((38, 0));
    format!("{name}({precision},{scale})")
}

fn number(n: usize, out: &mut String) {
    // By hand, not through `fmt`: a 1,000-row insert writes 2,000 of them.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.push('$');
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

impl Dialect for Sqlite {
    const NAME: &'static str = "sqlite";
    const ALTER: crate::AlterSyntax = crate::AlterSyntax::Sqlite;
    const QUOTE: char = '"';
    const MAX_PARAMS: usize = 32_766;
    const RETURNING: bool = true;
    const JSON: JsonSyntax = JsonSyntax::Sqlite;
    const TABLE_SUFFIX: &'static str = " STRICT";
    const NO_LIMIT: &'static str = "-1";

    fn placeholder(_: usize, out: &mut String) {
        out.push('?');
    }

    fn catalog_type(ty: &str) -> String {
        crate::introspect::sqlite_type(ty)
    }

    fn column_type(c: &ColumnDef, _indexed: bool) -> ColumnSql {
        if c.auto {
            return ColumnSql {
                ty: "INTEGER PRIMARY KEY AUTOINCREMENT".into(),
                inline_primary_key: true,
            };
        }
        // Instants and civil times are microseconds, dates days, decimals
        // their digits at the column's scale: integers, in the order of
        // what they hold. JSON documents are text, UUIDs 16-byte blobs.
        plain(match c.ty {
            ColumnType::F32 | ColumnType::F64 => "REAL",
            ColumnType::Text | ColumnType::Json | ColumnType::List(_) => "TEXT",
            ColumnType::Bytes | ColumnType::Uuid => "BLOB",
            _ => "INTEGER",
        })
    }
}

/// SQLite's in everything but the quote (see [`Turso`]).
impl Dialect for Turso {
    const NAME: &'static str = "turso";
    const ALTER: crate::AlterSyntax = Sqlite::ALTER;
    const QUOTE: char = '`';
    const MAX_PARAMS: usize = Sqlite::MAX_PARAMS;
    const RETURNING: bool = Sqlite::RETURNING;
    const JSON: JsonSyntax = Sqlite::JSON;
    const TABLE_SUFFIX: &'static str = Sqlite::TABLE_SUFFIX;
    const NO_LIMIT: &'static str = Sqlite::NO_LIMIT;
    const CATALOG: Option<crate::CatalogQueries> = Some(crate::SQLITE_CATALOG);

    fn placeholder(n: usize, out: &mut String) {
        Sqlite::placeholder(n, out);
    }

    fn catalog_type(ty: &str) -> String {
        Sqlite::catalog_type(ty)
    }

    fn column_type(c: &ColumnDef, indexed: bool) -> ColumnSql {
        Sqlite::column_type(c, indexed)
    }
}

impl Dialect for Postgres {
    const NAME: &'static str = "postgresql";
    /// A row an upsert inserted has no deleting transaction yet; one it
    /// updated has the upsert's own.
    const UPSERT_INSERTED: Option<&'static str> = Some("(xmax = 0)");
    const ROW_LOCKS: Option<crate::RowLockSyntax> = Some(crate::RowLockSyntax {
        update: " FOR UPDATE",
        share: " FOR SHARE",
        skip_locked: " SKIP LOCKED",
        nowait: " NOWAIT",
    });
    const ALTER: crate::AlterSyntax = crate::AlterSyntax::Postgres;
    /// Held until the migration's transaction ends. The number is keyway's
    /// own ("keyway" in ASCII).
    const MIGRATION_LOCK: Option<&'static str> =
        Some("SELECT '1' FROM (SELECT pg_advisory_xact_lock(120197040634233)) AS held");
    const QUOTE: char = '"';
    const AUTO_FOLLOWS_GIVEN_KEYS: bool = false;
    /// One statement per `IN` filter whatever its length, and one plan the
    /// server can keep: a list of placeholders is planned anew each time.
    const ARRAY_IN: bool = true;
    const MAX_PARAMS: usize = 65_535;
    const RETURNING: bool = true;
    const JSON: JsonSyntax = JsonSyntax::Postgres;
    const NO_LIMIT: &'static str = "ALL";

    const CATALOG: Option<crate::CatalogQueries> = Some(crate::POSTGRES_CATALOG);

    fn placeholder(n: usize, out: &mut String) {
        number(n, out);
    }

    fn catalog_type(ty: &str) -> String {
        crate::introspect::postgres_type(ty)
    }

    /// PostgreSQL has no one-byte integer: `i8` and `u8` are stored in
    /// `SMALLINT`, `u16` in `INTEGER`, `u32` in `BIGINT`; `u64` in
    /// `NUMERIC(20)` so that every value fits without wrapping. (A value read
    /// back that does not fit the field is `Error::Decode`.)
    fn column_type(c: &ColumnDef, _indexed: bool) -> ColumnSql {
        if c.auto {
            return plain(match c.ty {
                ColumnType::I8 | ColumnType::U8 | ColumnType::I16 => {
                    "SMALLINT GENERATED BY DEFAULT AS IDENTITY"
                }
                ColumnType::U16 | ColumnType::I32 => "INTEGER GENERATED BY DEFAULT AS IDENTITY",
                _ => "BIGINT GENERATED BY DEFAULT AS IDENTITY",
            });
        }
        plain(match c.ty {
            ColumnType::Bool => "BOOLEAN",
            ColumnType::I8 | ColumnType::U8 | ColumnType::I16 => "SMALLINT",
            ColumnType::U16 | ColumnType::I32 => "INTEGER",
            ColumnType::I64 | ColumnType::U32 => "BIGINT",
            ColumnType::U64 => "NUMERIC(20)",
            ColumnType::F32 => "REAL",
            ColumnType::F64 => "DOUBLE PRECISION",
            ColumnType::Text => "TEXT",
            ColumnType::Bytes => "BYTEA",
            ColumnType::Timestamp => "TIMESTAMPTZ",
            ColumnType::DateTime => "TIMESTAMP",
            ColumnType::Date => "DATE",
            ColumnType::Time => "TIME",
            ColumnType::Uuid => "UUID",
            ColumnType::Decimal => return plain(decimal("NUMERIC", c)),
            ColumnType::Json => "JSONB",
            ColumnType::List(element) => {
                let inner = ColumnDef::new(c.name, *element, false, c.role, false);
                return plain(format!("{}[]", Postgres::column_type(&inner, false).ty));
            }
            _ => "TEXT",
        })
    }
}

impl Dialect for MySql {
    const NAME: &'static str = "mysql";
    const UPSERT: crate::UpsertSyntax = crate::UpsertSyntax::OnDuplicateKey;
    /// MariaDB has no `FOR SHARE`; both have `LOCK IN SHARE MODE`.
    const ROW_LOCKS: Option<crate::RowLockSyntax> = Some(crate::RowLockSyntax {
        update: " FOR UPDATE",
        share: " LOCK IN SHARE MODE",
        skip_locked: " SKIP LOCKED",
        nowait: " NOWAIT",
    });
    const ALTER: crate::AlterSyntax = crate::AlterSyntax::MySql;
    /// Held by the connection until given back (or the connection closes),
    /// waiting up to ten minutes for another run.
    /// Named after the database, since MySQL's lock names are the server's.
    const MIGRATION_LOCK: Option<&'static str> = Some(
        "SELECT CAST(GET_LOCK(LEFT(CONCAT('keyway_migrations.', DATABASE()), 64), 600) AS CHAR)",
    );
    const MIGRATION_UNLOCK: Option<&'static str> =
        Some("SELECT RELEASE_LOCK(LEFT(CONCAT('keyway_migrations.', DATABASE()), 64))");
    const QUOTE: char = '`';
    const MAX_PARAMS: usize = 65_535;
    const RETURNING: bool = false;
    const JSON: JsonSyntax = JsonSyntax::MySql;
    const TABLE_SUFFIX: &'static str = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    const NO_LIMIT: &'static str = "18446744073709551615";
    /// MySQL has no `DEFAULT VALUES`.
    const DEFAULT_ROW: &'static str = " () VALUES ()";
    /// MySQL 8 has no `CREATE INDEX IF NOT EXISTS`.
    const INLINE_INDEXES: bool = true;

    const CATALOG: Option<crate::CatalogQueries> = Some(crate::MYSQL_CATALOG);

    fn placeholder(_: usize, out: &mut String) {
        out.push('?');
    }

    fn catalog_type(ty: &str) -> String {
        crate::introspect::mysql_type(ty)
    }

    /// Text that is part of a key or index is `VARCHAR(255)` (MySQL cannot
    /// index unbounded `TEXT`); other text is `LONGTEXT`. Instants are
    /// `DATETIME(6)` holding UTC.
    fn column_type(c: &ColumnDef, indexed: bool) -> ColumnSql {
        let ty = match c.ty {
            ColumnType::Timestamp | ColumnType::DateTime => "DATETIME(6)",
            ColumnType::Date => "DATE",
            ColumnType::Time => "TIME(6)",
            ColumnType::Uuid => "BINARY(16)",
            ColumnType::Decimal => return plain(decimal("DECIMAL", c)),
            ColumnType::Json | ColumnType::List(_) => "JSON",
            ColumnType::Bool => "BOOLEAN",
            ColumnType::I8 => "TINYINT",
            ColumnType::U8 => "TINYINT UNSIGNED",
            ColumnType::I16 => "SMALLINT",
            ColumnType::U16 => "SMALLINT UNSIGNED",
            ColumnType::I32 => "INT",
            ColumnType::I64 => "BIGINT",
            ColumnType::U32 => "INT UNSIGNED",
            ColumnType::U64 => "BIGINT UNSIGNED",
            ColumnType::F32 => "FLOAT",
            ColumnType::F64 => "DOUBLE",
            ColumnType::Text if indexed => "VARCHAR(255)",
            ColumnType::Text => "LONGTEXT",
            ColumnType::Bytes if indexed => "VARBINARY(255)",
            ColumnType::Bytes => "LONGBLOB",
            _ => "LONGTEXT",
        };
        if c.auto {
            return plain(match c.ty {
                ColumnType::I8 => "TINYINT AUTO_INCREMENT",
                ColumnType::U8 => "TINYINT UNSIGNED AUTO_INCREMENT",
                ColumnType::I16 => "SMALLINT AUTO_INCREMENT",
                ColumnType::U16 => "SMALLINT UNSIGNED AUTO_INCREMENT",
                ColumnType::I32 => "INT AUTO_INCREMENT",
                ColumnType::U32 => "INT UNSIGNED AUTO_INCREMENT",
                ColumnType::U64 => "BIGINT UNSIGNED AUTO_INCREMENT",
                _ => "BIGINT AUTO_INCREMENT",
            });
        }
        plain(ty)
    }
}

impl crate::RowLocking for Postgres {}
impl crate::RowLocking for MySql {}
