//! Filters through relations for a backend without subqueries (DynamoDB):
//! each [`Expr::Linked`] is read first and becomes a list of the values the
//! tested row's column may (or may not) hold.

use std::collections::HashSet;

use futures::future::BoxFuture;

use crate::load_keys::hash_key;
use crate::{
    ColumnType, Decoder, Error, Executor, Expr, Linked, Quantifier, Result, SelectStmt, Selection,
    Value, ValueReader,
};

/// Replaces every [`Expr::Linked`] in `expr` by the same test on the tested
/// row's own column: `any` by `column IN (the values of the linked rows
/// matching the filter)`, `all` by `NOT column IN (those failing it)`.
/// `scan` says whether the read of a table's linked rows must scan it (its
/// filter reaches them through no key or index). Nested relation filters
/// are read innermost first.
pub fn resolve_linked<'a, X, S>(x: &'a X, expr: Expr, scan: &'a S) -> BoxFuture<'a, Result<Expr>>
where
    X: Executor,
    S: Fn(&SelectStmt) -> bool + Sync,
{
    Box::pin(async move {
        Ok(match expr {
            Expr::Linked(l) => linked(x, *l, scan).await?,
            Expr::And(parts) => Expr::And(each(x, parts, scan).await?),
            Expr::Or(parts) => Expr::Or(each(x, parts, scan).await?),
            Expr::Not(inner) => Expr::Not(Box::new(resolve_linked(x, *inner, scan).await?)),
            other => other,
        })
    })
}

async fn each<X, S>(x: &X, parts: Vec<Expr>, scan: &S) -> Result<Vec<Expr>>
where
    X: Executor,
    S: Fn(&SelectStmt) -> bool + Sync,
{
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        out.push(resolve_linked(x, part, scan).await?);
    }
    Ok(out)
}

async fn linked<X, S>(x: &X, l: Linked, scan: &S) -> Result<Expr>
where
    X: Executor,
    S: Fn(&SelectStmt) -> bool + Sync,
{
    let filter = resolve_linked(x, l.filter, scan).await?;
    let rows = match l.rows {
        Some(rows) => Some(resolve_linked(x, rows, scan).await?),
        None => None,
    };
    let wanted = match l.quantifier {
        Quantifier::Any => filter,
        Quantifier::All => Expr::Not(Box::new(filter)),
    };
    let ty = l
        .table
        .column(l.column)
        .map(|c| c.ty)
        .ok_or_else(|| Error::Invalid {
            what: "relation filter",
            detail: format!("`{}` has no column `{}`", l.table.entity, l.column),
        })?;
    let mut stmt = SelectStmt::new(l.table);
    stmt.selection = Selection::Columns(vec![l.column]);
    stmt.filter = Expr::both(rows, Some(wanted));
    stmt.scan = scan(&stmt);
    let decoder = ColumnValue {
        ty,
        entity: l.table.entity,
        column: l.column,
    };
    let found = x.fetch_all(stmt, decoder).await?;
    let mut seen = HashSet::new();
    let values = found
        .into_iter()
        .filter(|v| hash_key(v).is_some_and(|k| seen.insert(k)))
        .collect();
    let list = Expr::InList {
        column: l.outer,
        values,
    };
    Ok(match l.quantifier {
        Quantifier::Any => list,
        Quantifier::All => Expr::Not(Box::new(list)),
    })
}

/// Reads one column's raw value.
struct ColumnValue {
    ty: ColumnType,
    entity: &'static str,
    column: &'static str,
}

impl Decoder for ColumnValue {
    type Output = Value;
    fn decode(&self, row: &mut impl ValueReader) -> Result<Value> {
        row.next_value(self.ty).map_err(|source| Error::Decode {
            entity: self.entity,
            column: self.column.into(),
            source,
        })
    }
}
