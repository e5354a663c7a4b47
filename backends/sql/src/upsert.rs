//! `INSERT .. ON CONFLICT` and `INSERT .. ON DUPLICATE KEY UPDATE`: an
//! upsert in one statement per batch.

use keyway::{ColumnType, InsertStmt, TableDef, UpsertStmt};

use crate::mutation::{InsertPlan, insert_planned};
use crate::writer::SqlWriter;
use crate::{Dialect, Lowered};

/// How a dialect writes an upsert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpsertSyntax {
    /// `ON CONFLICT (target) DO UPDATE SET c = excluded.c` / `DO NOTHING`
    /// (SQLite, Turso, PostgreSQL).
    OnConflict,
    /// `ON DUPLICATE KEY UPDATE c = VALUES(c)` (MySQL, MariaDB). It cannot
    /// name its index, so its first assignment keeps the target as it is
    /// when the row found has the new row's target, and writes NULL
    /// otherwise: a row that matched another unique index is refused by
    /// the target's NOT NULL, never written over.
    OnDuplicateKey,
}

/// Lowers an upsert into as few statements as the dialect's parameter
/// limit allows: the rows' insert, then what a row that exists gets.
///
/// ```
/// # mod model { include!("../../../examples/todo/model/user.rs"); }
/// # use model::User;
/// use keyway::{TableDef, UpsertStmt, Value};
/// let stmt = UpsertStmt {
///     table: TableDef::of::<User>(),
///     rows: vec![vec![Value::I64(0), Value::Text("Ann".into()), Value::Text("ann@x".into())]],
///     target: vec!["email"],
///     update: vec!["name"],
///     report: false,
/// };
/// let pg = keyway_sql::upsert::<keyway_sql::Postgres>(stmt.clone());
/// assert_eq!(
///     pg[0].sql,
///     r#"INSERT INTO "users" ("name", "email") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name""#
/// );
/// let my = keyway_sql::upsert::<keyway_sql::MySql>(stmt);
/// assert_eq!(
///     my[0].sql,
///     "INSERT INTO `users` (`name`, `email`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `email` = IF(`email` <=> VALUES(`email`), `email`, NULL), `name` = VALUES(`name`)"
/// );
/// ```
pub fn upsert<D: Dialect>(stmt: UpsertStmt) -> Vec<Lowered> {
    let mut tail = conflict::<D>(&stmt);
    // Where the statement can tell, each row's target and whether it was
    // inserted (a row an upsert ignored is not returned).
    if let (true, Some(inserted)) = (stmt.report, D::UPSERT_INSERTED) {
        let mut w = SqlWriter::<D>::new();
        w.push(" RETURNING ")
            .ident_list(stmt.target.iter().copied())
            .push(", ")
            .push(inserted);
        tail.push_str(&w.finish().sql);
    }
    let insert = InsertStmt {
        table: stmt.table,
        rows: stmt.rows,
    };
    let plan = InsertPlan {
        returning: false,
        max_rows: usize::MAX,
    };
    let mut lowered = insert_planned::<D>(insert, plan);
    for statement in &mut lowered {
        statement.sql.push_str(&tail);
    }
    lowered
}

/// The columns an upsert writes to a row that exists, as stored: an
/// embedded struct's fields each a column.
fn stored_columns(table: &TableDef, columns: &[&'static str]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for name in columns {
        match table.column(name).map(|c| c.ty) {
            Some(ColumnType::Struct(fields)) => {
                out.extend(fields.iter().map(|f| keyway::leaf_name(name, f.name)));
            }
            _ => out.push(*name),
        }
    }
    out
}

fn conflict<D: Dialect>(stmt: &UpsertStmt) -> String {
    let table = &stmt.table;
    let update = stored_columns(table, &stmt.update);
    let version = table
        .version_column()
        .filter(|_| !update.is_empty())
        .map(|(_, c)| c.name);
    let mut w = SqlWriter::<D>::new();
    match D::UPSERT {
        UpsertSyntax::OnConflict => {
            w.push(" ON CONFLICT (")
                .ident_list(stmt.target.iter().copied())
                .push(")");
            if update.is_empty() {
                w.push(" DO NOTHING");
            } else {
                w.push(" DO UPDATE SET ");
                for (i, c) in update.iter().enumerate() {
                    if i > 0 {
                        w.push(", ");
                    }
                    w.ident(c).push(" = excluded.").ident(c);
                }
                if let Some(v) = version {
                    w.push(", ").ident(v).push(" = ").ident(table.name);
                    w.push(".").ident(v).push(" + 1");
                }
            }
        }
        UpsertSyntax::OnDuplicateKey => {
            let first = stmt.target[0];
            w.push(" ON DUPLICATE KEY UPDATE ")
                .ident(first)
                .push(" = IF(");
            for (i, t) in stmt.target.iter().enumerate() {
                if i > 0 {
                    w.push(" AND ");
                }
                w.ident(t).push(" <=> VALUES(").ident(t).push(")");
            }
            w.push(", ").ident(first).push(", NULL)");
            for c in &update {
                w.push(", ").ident(c).push(" = VALUES(").ident(c).push(")");
            }
            if let Some(v) = version {
                w.push(", ").ident(v).push(" = ").ident(v).push(" + 1");
            }
        }
    }
    w.finish().sql
}
