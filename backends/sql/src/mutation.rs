//! `INSERT`, `UPDATE`, `DELETE`.

use keyway::{ColumnType, DeleteStmt, Expr, InsertStmt, PathSet, TableDef, UpdateStmt, Value};

use crate::out::Out;
use crate::select::{Scope, and_part, where_clause};
use crate::writer::SqlWriter;
use crate::{Dialect, JsonSyntax, Lowered};

/// How an insert is split and whether its statements return the generated keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertPlan {
    /// Whether to append `RETURNING` with the `auto` column.
    pub returning: bool,
    /// The most rows one statement holds (the parameter limit may lower it).
    pub max_rows: usize,
}

impl InsertPlan {
    /// The dialect's default: `RETURNING` where it has it, as many rows per
    /// statement as the parameter limit allows.
    pub const fn of<D: Dialect>() -> Self {
        InsertPlan {
            returning: D::RETURNING,
            max_rows: usize::MAX,
        }
    }
}

/// Lowers an insert into as few multi-row statements as the dialect's
/// parameter limit allows. The `auto` column is left to the database and, where
/// the dialect has `RETURNING`, returned.
pub fn insert<D: Dialect>(stmt: InsertStmt) -> Vec<Lowered> {
    insert_planned::<D>(stmt, InsertPlan::of::<D>())
}

/// Lowers an insert as [`insert`] does, but split and returning as `plan`
/// says: a backend that learns at run time whether the server has `RETURNING`
/// (MariaDB does, MySQL does not) or that needs one row per statement.
pub fn insert_planned<D: Dialect>(stmt: InsertStmt, plan: InsertPlan) -> Vec<Lowered> {
    let stmt = flat_insert(stmt);
    let table = stmt.table;
    let auto = table.auto_column().map(|(i, c)| (i, c.name));
    let per_row = table.columns.len() - usize::from(auto.is_some());
    let rows_per_stmt = rows_per_insert::<D>(&table, plan);
    let mut out = Vec::with_capacity(stmt.rows.len().div_ceil(rows_per_stmt));
    let mut rows = stmt.rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut w = SqlWriter::<D>::new();
        w.push("INSERT INTO ").ident(table.name);
        if per_row == 0 {
            // Only an auto key: the row takes the defaults (one row per statement).
            rows.next();
            w.push(D::DEFAULT_ROW);
        } else {
            let names = table
                .columns
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != auto.map(|a| a.0));
            w.push(" (")
                .idents(names.map(|(_, c)| c.name))
                .push(") VALUES ");
            for (r, row) in rows.by_ref().take(rows_per_stmt).enumerate() {
                w.push(if r == 0 { "(" } else { ", (" });
                let mut first = true;
                for (i, value) in row.into_iter().enumerate() {
                    if Some(i) == auto.map(|a| a.0) {
                        continue;
                    }
                    if !first {
                        w.push(", ");
                    }
                    first = false;
                    w.bind(table.columns[i].name, value);
                }
                w.push(")");
            }
        }
        if let (Some((_, name)), true) = (auto, plan.returning) {
            w.push(" RETURNING ").ident(name);
        }
        out.push(w.finish());
    }
    out
}

/// The most rows one insert statement into `table` holds: as many as the
/// dialect's parameter limit allows (one for a table whose only column is its
/// `auto` key), at most `plan.max_rows`.
pub fn rows_per_insert<D: Dialect>(table: &TableDef, plan: InsertPlan) -> usize {
    let table = table.flat();
    let auto = table.auto_column().is_some();
    let per_row = table.columns.len() - usize::from(auto);
    if per_row == 0 {
        return 1;
    }
    (D::MAX_PARAMS / per_row).clamp(1, plan.max_rows.max(1))
}

/// Lowers an update (`SET` only the given columns).
pub fn update<D: Dialect>(stmt: UpdateStmt) -> Lowered {
    let mut w = SqlWriter::<D>::new();
    write_update(&mut w, &stmt);
    w.finish()
}

/// Lowers an update that returns every column of the rows it wrote
/// (`UPDATE .. RETURNING`, in [`Selection::Entity`](keyway::Selection::Entity) order).
pub fn update_returning<D: Dialect>(stmt: UpdateStmt) -> Lowered {
    let mut w = SqlWriter::<D>::new();
    write_update(&mut w, &stmt);
    w.push(" RETURNING ").columns(stmt.table.columns);
    w.finish()
}

pub(crate) fn write_update<'v>(w: &mut impl Out<'v>, stmt: &'v UpdateStmt) {
    w.push("UPDATE ").ident(stmt.table.name).push(" SET ");
    let first = &mut true;
    for (column, value) in &stmt.set {
        match stmt.table.column(column).map(|c| c.ty) {
            // An embedded struct, set whole: each of its fields' columns.
            Some(ColumnType::Struct(fields)) => {
                for (i, field) in fields.iter().enumerate() {
                    let leaf = match value {
                        Value::Struct(values) => values.get(i).unwrap_or(&MISFIT),
                        Value::Unencodable(_) => value,
                        Value::Null => &NULL,
                        _ => &MISFIT,
                    };
                    assign(w, first, keyway::leaf_name(column, field.name), leaf);
                }
            }
            _ => assign(w, first, column, value),
        }
    }
    // Each document's path sets, in one expression per column.
    for (i, p) in stmt.paths.iter().enumerate() {
        if stmt.paths[..i].iter().any(|q| q.column == p.column) {
            continue;
        }
        let sets: Vec<&PathSet> = stmt.paths[i..]
            .iter()
            .filter(|q| q.column == p.column)
            .collect();
        if !std::mem::take(first) {
            w.push(", ");
        }
        crate::json_filter::set_paths(w, p.column, &sets);
    }
    for (column, amount) in &stmt.add {
        if !std::mem::take(first) {
            w.push(", ");
        }
        // A version goes up by 1 per write: it never reaches the end of its range.
        let ty = stmt
            .table
            .column(column)
            .filter(|c| !c.version)
            .map(|c| c.ty);
        add(w, column, amount, ty);
    }
    conditional_where(
        w,
        stmt.table.name,
        stmt.filter.as_ref(),
        stmt.condition.as_ref(),
    );
}

/// `WHERE filter AND condition`, either or both absent.
fn conditional_where<'v>(
    w: &mut impl Out<'v>,
    table: &'static str,
    filter: Option<&'v Expr>,
    condition: Option<&'v Expr>,
) {
    where_clause(w, table, filter.or(condition));
    if let (Some(_), Some(condition)) = (filter, condition) {
        w.push(" AND ");
        and_part(w, Scope::top(table), condition);
    }
}

/// `"column" = "column" + $n`. SQLite and Turso would store a sum out of
/// the column's range (an `i64` overflow becomes a float, an `i32` column
/// keeps any integer): there the sum is written only when it fits, and
/// NULL otherwise, which the column's NOT NULL refuses (keyway reports it
/// as [`Error::OutOfRange`](keyway::Error::OutOfRange)).
fn add<'v>(w: &mut impl Out<'v>, column: &'static str, amount: &'v Value, ty: Option<ColumnType>) {
    w.ident(column).push(" = ");
    let guarded = w.json_syntax() == JsonSyntax::Sqlite;
    fn sum<'v>(w: &mut impl Out<'v>, column: &'static str, amount: &'v Value) {
        w.ident(column).push(" + ").param(column, amount);
    }
    match (guarded, ty) {
        (true, Some(ColumnType::I64)) => {
            w.push("CASE WHEN typeof(");
            sum(w, column, amount);
            w.push(") = 'integer' THEN ");
            sum(w, column, amount);
            w.push(" END");
        }
        (true, Some(ColumnType::I32)) => {
            w.push("CASE WHEN ");
            sum(w, column, amount);
            w.push(" BETWEEN -2147483648 AND 2147483647 THEN ");
            sum(w, column, amount);
            w.push(" END");
        }
        _ => sum(w, column, amount),
    }
}

/// `"column" = $n`, after a comma unless it is the `first`.
fn assign<'v>(w: &mut impl Out<'v>, first: &mut bool, column: &'static str, value: &'v Value) {
    if !std::mem::take(first) {
        w.push(", ");
    }
    w.ident(column).push(" = ").param(column, value);
}

/// The value of each field of an absent embedded struct.
static NULL: Value = Value::Null;
/// The value of each field of a value that is no struct of the column's
/// fields (never built by keyway's updates, which check it): refused.
static MISFIT: Value = Value::Unencodable(String::new());

/// `stmt` as the SQL backends store it: each embedded struct's fields as
/// columns of their own ([`TableDef::flat`]). The same statement when the
/// table embeds none.
pub fn flat_insert(stmt: InsertStmt) -> InsertStmt {
    if !stmt.table.has_embedded() {
        return stmt;
    }
    let table = stmt.table.flat();
    let rows = stmt
        .rows
        .into_iter()
        .map(|row| {
            let mut flat = Vec::with_capacity(table.columns.len());
            for (column, value) in stmt.table.columns.iter().zip(row) {
                match column.ty {
                    ColumnType::Struct(fields) => {
                        keyway::flatten_struct(fields, value, |v| flat.push(v))
                    }
                    _ => flat.push(value),
                }
            }
            flat
        })
        .collect();
    InsertStmt { table, rows }
}

/// Lowers a delete.
pub fn delete<D: Dialect>(stmt: DeleteStmt) -> Lowered {
    let mut w = SqlWriter::<D>::new();
    write_delete(&mut w, &stmt);
    w.finish()
}

/// Lowers a delete that returns every column of the rows it removed
/// (`DELETE .. RETURNING`).
pub fn delete_returning<D: Dialect>(stmt: DeleteStmt) -> Lowered {
    let mut w = SqlWriter::<D>::new();
    write_delete(&mut w, &stmt);
    w.push(" RETURNING ").columns(stmt.table.columns);
    w.finish()
}

pub(crate) fn write_delete<'v>(w: &mut impl Out<'v>, stmt: &'v DeleteStmt) {
    w.push("DELETE FROM ").ident(stmt.table.name);
    conditional_where(
        w,
        stmt.table.name,
        stmt.filter.as_ref(),
        stmt.condition.as_ref(),
    );
}
