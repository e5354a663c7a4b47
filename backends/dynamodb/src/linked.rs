//! Filters through relations: DynamoDB has no subqueries, so the linked
//! rows are read first ([`keyway::resolve_linked`]) through their key or
//! index where the filter has one, by a Scan where the query was
//! `.scan()`ned (the type-state allows nothing else).

use keyway::{DeleteStmt, Error, Executor, Expr, Result, SelectStmt, UpdateStmt};

/// Whether a read of linked rows must scan: its filter reaches them through
/// no key or index.
fn must_scan(stmt: &SelectStmt) -> bool {
    crate::plan::plan(&stmt.table, stmt.filter.as_ref(), false).is_err()
}

/// `filter` with its relation filters read and replaced.
pub(crate) async fn resolve<X: Executor>(x: &X, filter: Option<Expr>) -> Result<Option<Expr>> {
    match filter {
        Some(f) if f.has_linked() => Ok(Some(keyway::resolve_linked(x, f, &must_scan).await?)),
        other => Ok(other),
    }
}

/// A read with its relation filters read and replaced.
pub(crate) async fn select<X: Executor>(x: &X, mut stmt: SelectStmt) -> Result<SelectStmt> {
    stmt.filter = resolve(x, stmt.filter.take()).await?;
    Ok(stmt)
}

/// An update with its relation filters read and replaced.
pub(crate) async fn update<X: Executor>(x: &X, mut stmt: UpdateStmt) -> Result<UpdateStmt> {
    refuse_in_condition(stmt.condition.as_ref())?;
    stmt.filter = resolve(x, stmt.filter.take()).await?;
    Ok(stmt)
}

/// A delete with its relation filters read and replaced.
pub(crate) async fn delete<X: Executor>(x: &X, mut stmt: DeleteStmt) -> Result<DeleteStmt> {
    refuse_in_condition(stmt.condition.as_ref())?;
    stmt.filter = resolve(x, stmt.filter.take()).await?;
    Ok(stmt)
}

/// A write's condition (`.only_if`) is checked by DynamoDB on the item
/// alone: a relation filter there is refused.
fn refuse_in_condition(condition: Option<&Expr>) -> Result<()> {
    if condition.is_some_and(Expr::has_linked) {
        return Err(Error::Unsupported {
            backend: "dynamodb",
            detail: "a filter through a relation in a write's `only_if` condition: DynamoDB \
                     checks a condition on the item alone; read the related rows in a \
                     transaction first"
                .into(),
        });
    }
    Ok(())
}

/// The error for a relation filter that reached an expression or an
/// evaluation unread: every path reads them first.
pub(crate) fn unread(table: &str) -> Error {
    Error::Invalid {
        what: "relation filter",
        detail: format!("a filter through a relation on `{table}` was not read before the request"),
    }
}
