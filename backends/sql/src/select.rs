//! `SELECT` and the condition tree.

use keyway::{
    CmpOp, Direction, Expr, Linked, LockMode, LockWait, Quantifier, SelectItem, SelectStmt,
    Selection, Value,
};

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
        Selection::Aggregate(a) => {
            for (i, item) in a.items.iter().enumerate() {
                if i > 0 {
                    w.push(", ");
                }
                match item {
                    SelectItem::Column(c) => {
                        w.ident(c);
                    }
                    SelectItem::Aggregate(agg) => crate::aggregate_sql::write(w, agg),
                }
            }
        }
    }
    w.push(" FROM ").ident(stmt.table.name);
    where_clause(w, stmt.table.name, stmt.filter.as_ref());
    if let Selection::Aggregate(a) = &stmt.selection {
        if !a.group_by.is_empty() {
            w.push(" GROUP BY ").idents(a.group_by.iter().copied());
        }
        if let Some(having) = &a.having {
            w.push(" HAVING ");
            and_part(w, Scope::top(stmt.table.name), having);
        }
    }
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

/// The table a condition's columns belong to: the statement's own, or a
/// linked table's in an `EXISTS` subquery ([`Expr::Linked`]).
#[derive(Clone, Copy)]
pub(crate) struct Scope {
    /// How the table is named here: the statement's table, or the
    /// subquery's alias.
    name: &'static str,
    /// How deep the subquery is (0: the statement itself).
    depth: usize,
}

/// A subquery's alias by depth: two alternate, so that each names its own
/// table while its parent, the only table it refers to, keeps another name.
const ALIASES: [&str; 2] = ["keyway_l1", "keyway_l2"];

impl Scope {
    /// The statement's own table.
    pub(crate) fn top(table: &'static str) -> Self {
        Scope {
            name: table,
            depth: 0,
        }
    }

    fn inner(self) -> Self {
        Scope {
            name: ALIASES[self.depth % 2],
            depth: self.depth + 1,
        }
    }
}

pub(crate) fn where_clause<'v>(
    w: &mut impl Out<'v>,
    table: &'static str,
    filter: Option<&'v Expr>,
) {
    if let Some(expr) = filter {
        w.push(" WHERE ");
        // The top-level conjunction needs no parentheses.
        and_part(w, Scope::top(table), expr);
    }
}

/// One part of a conjunction: `expr`, in parentheses where it needs them.
pub(crate) fn and_part<'v>(w: &mut impl Out<'v>, scope: Scope, expr: &'v Expr) {
    match expr {
        Expr::And(parts) if !parts.is_empty() => {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    w.push(" AND ");
                }
                condition(w, scope, part);
            }
        }
        _ => condition(w, scope, expr),
    }
}

/// `[NOT] EXISTS (SELECT 1 FROM linked AS alias WHERE alias.column =
/// outer.column AND rows AND filter)`: for `All`, no linked row for which
/// the filter is not true.
fn linked<'v>(w: &mut impl Out<'v>, outer: Scope, l: &'v Linked) {
    let scope = outer.inner();
    if l.quantifier == Quantifier::All {
        w.push("NOT ");
    }
    w.push("EXISTS (SELECT 1 FROM ")
        .ident(l.table.name)
        .push(" AS ")
        .ident(scope.name)
        .push(" WHERE ")
        .ident(scope.name)
        .push(".")
        .ident(l.column)
        .push(" = ")
        .ident(outer.name)
        .push(".")
        .ident(l.outer);
    if let Some(rows) = &l.rows {
        w.push(" AND ");
        condition(w, scope, rows);
    }
    w.push(" AND ");
    match l.quantifier {
        Quantifier::Any => condition(w, scope, &l.filter),
        Quantifier::All => {
            w.push("(");
            condition(w, scope, &l.filter);
            w.push(") IS NOT TRUE");
        }
    }
    w.push(")");
}

/// A comparison operator, with a space either side.
pub(crate) fn op_text(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => " = ",
        CmpOp::Ne => " <> ",
        CmpOp::Lt => " < ",
        CmpOp::Le => " <= ",
        CmpOp::Gt => " > ",
        CmpOp::Ge => " >= ",
    }
}

fn condition<'v>(w: &mut impl Out<'v>, scope: Scope, expr: &'v Expr) {
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
                    w.push(op_text(*op));
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
        Expr::Linked(l) => linked(w, scope, l),
        Expr::Aggregate { agg, op, value } => {
            crate::aggregate_sql::write(w, agg);
            w.push(op_text(*op));
            w.param(agg.column.unwrap_or("count"), value);
        }
        Expr::Text {
            column,
            ignore_case,
            like,
            glob,
            ..
        } => crate::text_filter::write(w, column, *ignore_case, like, glob),
        Expr::And(parts) => group(w, scope, parts, " AND ", "1 = 1"),
        Expr::Or(parts) => group(w, scope, parts, " OR ", "1 = 0"),
        Expr::Not(inner) => {
            w.push("NOT (");
            condition(w, scope, inner);
            w.push(")");
        }
    }
}

fn group<'v>(
    w: &mut impl Out<'v>,
    scope: Scope,
    parts: &'v [Expr],
    joiner: &'static str,
    empty: &'static str,
) {
    if parts.is_empty() {
        w.push(empty);
        return;
    }
    w.push("(");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            w.push(joiner);
        }
        condition(w, scope, part);
    }
    w.push(")");
}
