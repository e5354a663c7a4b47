//! `SELECT` and the condition tree.

use keyway::{CmpOp, Direction, Expr, LockMode, LockWait, SelectStmt, Selection, Value};

use crate::out::Out;
use crate::writer::SqlWriter;
use crate::{Dialect, Lowered};

/// Lowers a read.
///
/// ```
/// use keyway::{Column, ColumnDef, Entity, PrimaryKey, Result, RowReader, RowWriter, Select};
/// # pub struct User { id: i64, name: String }
/// # impl User {
/// #     const ID: Column<User, i64, PrimaryKey> = Column::new("id");
/// #     const NAME: Column<User, String> = Column::new("name");
/// # }
/// # impl Entity for User {
/// #     type Key = i64;
/// #     const TABLE: &'static str = "users";
/// #     const COLUMNS: &'static [ColumnDef] = &[User::ID.def(), User::NAME.def()];
/// #     fn key(&self) -> i64 { self.id }
/// #     fn write(&self, row: &mut impl RowWriter<Self>) { row.put(User::ID, &self.id); row.put(User::NAME, &self.name); }
/// #     fn read(row: &mut impl RowReader<Self>) -> Result<Self> { Ok(User { id: row.get(User::ID)?, name: row.get(User::NAME)? }) }
/// # }
/// let q = Select::<User>::new().filter(User::NAME.eq("Ann")).limit(5);
/// let sql = keyway_sql::select::<keyway_sql::Postgres>(q.statement());
/// assert_eq!(sql.sql, r#"SELECT "id", "name" FROM "users" WHERE "name" = $1 LIMIT 5"#);
/// ```
pub fn select<D: Dialect>(stmt: &SelectStmt) -> Lowered {
    let mut w = SqlWriter::<D>::new();
    write_select(&mut w, stmt, D::NO_LIMIT);
    w.finish()
}

/// Writes a read to `w`; `no_limit` is the dialect's `LIMIT` for an offset alone.
pub(crate) fn write_select<'v>(w: &mut impl Out<'v>, stmt: &'v SelectStmt, no_limit: &'static str) {
    w.push("SELECT ");
    match &stmt.selection {
        Selection::Count => {
            w.push("COUNT(*)");
        }
        Selection::Columns(cols) => {
            w.idents(cols.iter().copied());
        }
        Selection::Entity => {
            w.columns(stmt.table.columns);
        }
    }
    w.push(" FROM ").ident(stmt.table.name);
    where_clause(w, stmt.filter.as_ref());
    for (i, (column, dir)) in stmt.order.iter().enumerate() {
        w.push(if i == 0 { " ORDER BY " } else { ", " });
        w.ident(column).push(match dir {
            Direction::Asc => " ASC",
            Direction::Desc => " DESC",
        });
    }
    // SQLite and PostgreSQL take a signed 64-bit count and reject a larger
    // literal; no table holds more rows, so clamping changes no result.
    let (limit, offset) = (stmt.limit.map(row_count), stmt.offset.map(row_count));
    match (limit, offset) {
        (Some(limit), offset) => {
            w.push(" LIMIT ").number(limit);
            if let Some(offset) = offset {
                w.push(" OFFSET ").number(offset);
            }
        }
        (None, Some(offset)) => {
            w.push(" LIMIT ")
                .push(no_limit)
                .push(" OFFSET ")
                .number(offset);
        }
        (None, None) => {}
    }
    if let (Some(lock), Some(syntax)) = (stmt.lock, w.row_locks()) {
        w.push(match lock.mode {
            LockMode::Update => syntax.update,
            LockMode::Share => syntax.share,
        });
        match lock.wait {
            LockWait::Wait => {}
            LockWait::SkipLocked => {
                w.push(syntax.skip_locked);
            }
            LockWait::NoWait => {
                w.push(syntax.nowait);
            }
        }
    }
}

/// A `LIMIT` / `OFFSET` count, at most `i64::MAX`.
fn row_count(n: u64) -> u64 {
    n.min(i64::MAX.unsigned_abs())
}

pub(crate) fn where_clause<'v>(w: &mut impl Out<'v>, filter: Option<&'v Expr>) {
    if let Some(expr) = filter {
        w.push(" WHERE ");
        // The top-level conjunction needs no parentheses.
        and_part(w, expr);
    }
}

/// One part of a conjunction: `expr`, in parentheses where it needs them.
pub(crate) fn and_part<'v>(w: &mut impl Out<'v>, expr: &'v Expr) {
    match expr {
        Expr::And(parts) if !parts.is_empty() => {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    w.push(" AND ");
                }
                condition(w, part);
            }
        }
        _ => condition(w, expr),
    }
}

fn condition<'v>(w: &mut impl Out<'v>, expr: &'v Expr) {
    match expr {
        Expr::Cmp { column, op, value } => {
            w.ident(column);
            match (op, value) {
                // `= NULL` is never true in SQL; comparing an optional column with
                // `None` means "is absent".
                (CmpOp::Eq, Value::Null) => {
                    w.push(" IS NULL");
                }
                (CmpOp::Ne, Value::Null) => {
                    w.push(" IS NOT NULL");
                }
                _ => {
                    w.push(match op {
                        CmpOp::Eq => " = ",
                        CmpOp::Ne => " <> ",
                        CmpOp::Lt => " < ",
                        CmpOp::Le => " <= ",
                        CmpOp::Gt => " > ",
                        CmpOp::Ge => " >= ",
                    });
                    w.param(column, value);
                }
            }
        }
        Expr::InList { values, .. } if values.is_empty() => {
            w.push("1 = 0");
        }
        Expr::InList { column, values } => {
            w.in_list(column, values);
        }
        Expr::IsNull { column, negated } => {
            w.ident(column)
                .push(if *negated { " IS NOT NULL" } else { " IS NULL" });
        }
        Expr::Json {
            column,
            path,
            path_text,
            test,
            value,
            json,
        } => crate::json_filter::write(
            w,
            &crate::json_filter::JsonFilter {
                column,
                path,
                path_text,
                test: *test,
                value,
                json,
            },
        ),
        Expr::Contains {
            column,
            value,
            scalar,
            json,
        } => crate::json_filter::contains(w, column, value, scalar, json),
        Expr::And(parts) => group(w, parts, " AND ", "1 = 1"),
        Expr::Or(parts) => group(w, parts, " OR ", "1 = 0"),
        Expr::Not(inner) => {
            w.push("NOT (");
            condition(w, inner);
            w.push(")");
        }
    }
}

fn group<'v>(w: &mut impl Out<'v>, parts: &'v [Expr], joiner: &'static str, empty: &'static str) {
    if parts.is_empty() {
        w.push(empty);
        return;
    }
    w.push("(");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            w.push(joiner);
        }
        condition(w, part);
    }
    w.push(")");
}
