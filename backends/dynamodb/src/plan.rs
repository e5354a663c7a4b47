//! Choosing the requests that answer a filter: GetItem, BatchGetItem, Query on
//! the table or a GSI (one per in-list value or OR branch), or an explicit Scan.

use std::collections::HashSet;

use keyway::{CmpOp, Error, Expr, Result, TableDef, Value};

use crate::schema::{Gsi, gsis, primary_key};

/// The key condition of one Query.
#[derive(Debug, Clone)]
pub(crate) struct KeyCond {
    /// The GSI queried, or `None` for the table.
    pub(crate) index: Option<String>,
    /// The partition key column and its value.
    pub(crate) partition: (&'static str, Value),
    /// The sort key column of the key schema queried, if it has one.
    pub(crate) sort_column: Option<&'static str>,
    /// The condition on that sort key, if the filter has one.
    pub(crate) sort: Option<(CmpOp, Value)>,
}

/// One request of a plan.
#[derive(Debug, Clone)]
pub(crate) enum Request {
    /// GetItem of one full key (column, value pairs in key order).
    Get(Vec<(&'static str, Value)>),
    /// BatchGetItem of scalar keys.
    BatchGet(Vec<Value>),
    /// Query with a key condition; `residual` is every other condition.
    Query {
        key: KeyCond,
        residual: Option<Expr>,
    },
    /// Scan with a filter.
    Scan(Option<Expr>),
}

/// The requests answering one filter.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) requests: Vec<Request>,
    /// Whether requests may return the same item (OR branches): merge by key.
    pub(crate) dedupe: bool,
}

impl Plan {
    fn one(request: Request) -> Self {
        Plan {
            requests: vec![request],
            dedupe: false,
        }
    }
}

/// The error for a read that no key or index can answer.
pub(crate) fn needs_scan(table: &TableDef) -> Error {
    Error::Unsupported {
        backend: "dynamodb",
        detail: format!(
            "this query on `{}` has no condition on a key or index that DynamoDB can use \
             (`eq` / `in_list` with non-NULL values); add one, or call `.scan()`",
            table.entity
        ),
    }
}

/// Plans a read. With `scan` the read is a Scan; otherwise it must reach its
/// items through a key or an index.
pub(crate) fn plan(table: &TableDef, filter: Option<&Expr>, scan: bool) -> Result<Plan> {
    if scan {
        return Ok(Plan::one(Request::Scan(filter.cloned())));
    }
    let filter = filter.ok_or_else(|| needs_scan(table))?;
    let gsis = gsis(table)?;
    plan_conjuncts(table, &gsis, conjuncts(filter))?.ok_or_else(|| needs_scan(table))
}

/// Plans a write's lookup: through a key or index when the filter has one, a
/// Scan otherwise (the type system allowed it: the query was `.scan()`ned).
pub(crate) fn plan_lookup(table: &TableDef, filter: Option<&Expr>) -> Result<Plan> {
    match filter {
        None => Ok(Plan::one(Request::Scan(None))),
        Some(f) => {
            let gsis = gsis(table)?;
            Ok(plan_conjuncts(table, &gsis, conjuncts(f))?
                .unwrap_or_else(|| Plan::one(Request::Scan(Some(f.clone())))))
        }
    }
}

fn conjuncts(expr: &Expr) -> Vec<Expr> {
    match expr {
        Expr::And(parts) => parts.iter().flat_map(conjuncts).collect(),
        other => vec![other.clone()],
    }
}

fn and_of(mut rest: Vec<Expr>) -> Option<Expr> {
    match rest.len() {
        0 => None,
        1 => rest.pop(),
        _ => Some(Expr::And(rest)),
    }
}

fn find_eq(conj: &[Expr], col: &str) -> Option<usize> {
    conj.iter().position(|e| {
        matches!(e, Expr::Cmp { column, op: CmpOp::Eq, value } if *column == col && !value.is_null())
    })
}

fn find_in(conj: &[Expr], col: &str) -> Option<usize> {
    conj.iter()
        .position(|e| matches!(e, Expr::InList { column, .. } if *column == col))
}

fn take_value(conj: &mut Vec<Expr>, i: usize) -> Value {
    match conj.remove(i) {
        Expr::Cmp { value, .. } => value,
        _ => Value::Null,
    }
}

fn take_list(conj: &mut Vec<Expr>, i: usize) -> Vec<Value> {
    let Expr::InList { values, .. } = conj.remove(i) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| !v.is_null() && seen.insert(format!("{v:?}")))
        .collect()
}

/// Takes the first sort-key condition usable in a key condition.
fn take_sort(conj: &mut Vec<Expr>, sort: Option<&str>) -> Option<(CmpOp, Value)> {
    let sort = sort?;
    let i = conj.iter().position(|e| {
        matches!(e, Expr::Cmp { column, op, value }
            if *column == sort && *op != CmpOp::Ne && !value.is_null())
    })?;
    match conj.remove(i) {
        Expr::Cmp { op, value, .. } => Some((op, value)),
        _ => None,
    }
}

fn queries(
    index: Option<&str>,
    partition: &'static str,
    sort_column: Option<&'static str>,
    values: Vec<Value>,
    mut rest: Vec<Expr>,
) -> Plan {
    let sort = take_sort(&mut rest, sort_column);
    let residual = and_of(rest);
    let requests = values
        .into_iter()
        .map(|v| Request::Query {
            key: KeyCond {
                index: index.map(str::to_owned),
                partition: (partition, v),
                sort_column,
                sort: sort.clone(),
            },
            residual: residual.clone(),
        })
        .collect();
    Plan {
        requests,
        dedupe: false,
    }
}

fn plan_conjuncts(table: &TableDef, gsis: &[Gsi], mut conj: Vec<Expr>) -> Result<Option<Plan>> {
    let (pk, sk) = primary_key(table)?;
    let sk_name = sk.map(|c| c.name);
    if let Some(i) = find_eq(&conj, pk.name) {
        let pv = take_value(&mut conj, i);
        match sk_name {
            Some(s) => {
                if let (Some(j), 1) = (find_eq(&conj, s), conj.len()) {
                    let sv = take_value(&mut conj, j);
                    return Ok(Some(Plan::one(Request::Get(vec![(pk.name, pv), (s, sv)]))));
                }
            }
            None if conj.is_empty() => {
                return Ok(Some(Plan::one(Request::Get(vec![(pk.name, pv)]))));
            }
            None => {}
        }
        return Ok(Some(queries(None, pk.name, sk_name, vec![pv], conj)));
    }
    if let Some(i) = find_in(&conj, pk.name) {
        let values = take_list(&mut conj, i);
        if sk.is_none() && conj.is_empty() {
            return Ok(Some(Plan::one(Request::BatchGet(values))));
        }
        return Ok(Some(queries(None, pk.name, sk_name, values, conj)));
    }
    for g in gsis {
        if let Some(i) = find_eq(&conj, g.partition.name) {
            let v = take_value(&mut conj, i);
            let sort = g.sort.map(|c| c.name);
            return Ok(Some(queries(
                Some(&g.name),
                g.partition.name,
                sort,
                vec![v],
                conj,
            )));
        }
    }
    for g in gsis {
        if let Some(i) = find_in(&conj, g.partition.name) {
            let values = take_list(&mut conj, i);
            let sort = g.sort.map(|c| c.name);
            return Ok(Some(queries(
                Some(&g.name),
                g.partition.name,
                sort,
                values,
                conj,
            )));
        }
    }
    // An OR whose every branch is indexed: one plan per branch, merged.
    for (i, e) in conj.iter().enumerate() {
        let Expr::Or(branches) = e else { continue };
        let rest: Vec<Expr> = conj
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, e)| e.clone())
            .collect();
        let mut requests = Vec::new();
        let mut all = true;
        for b in branches {
            let mut parts = conjuncts(b);
            parts.extend(rest.iter().cloned());
            match plan_conjuncts(table, gsis, parts)? {
                Some(p) => requests.extend(p.requests),
                None => {
                    all = false;
                    break;
                }
            }
        }
        if all {
            return Ok(Some(Plan {
                requests,
                dedupe: true,
            }));
        }
    }
    Ok(None)
}
