//! Choosing the requests that answer a filter: GetItem, BatchGetItem, Query on
//! the table or a GSI (one per in-list value or OR branch), or an explicit Scan.

use std::collections::HashSet;

use keyway::{CmpOp, Error, Expr, Result, TableDef, TextTest, Value};

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
    pub(crate) sort: Option<SortCond>,
    /// The column whose order the sort key's is, if one's is.
    pub(crate) orders: Option<&'static str>,
    /// The columns the partition key fixes (one value each).
    pub(crate) fixed: Vec<&'static str>,
}

/// A key condition on a sort key.
#[derive(Debug, Clone)]
pub(crate) enum SortCond {
    /// `sort op value`
    Cmp(CmpOp, Value),
    /// `begins_with(sort, value)`: a case-sensitive `starts_with`.
    BeginsWith(Value),
}

/// One request of a plan (a read plans a few, once: their size is no matter).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
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
    pub(crate) fn one(request: Request) -> Self {
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
        return Ok(Plan::one(Request::Scan(typed(table, filter.cloned()))));
    }
    let filter = filter.ok_or_else(|| needs_scan(table))?;
    let gsis = gsis(table)?;
    plan_conjuncts(table, &gsis, conjuncts(filter))?.ok_or_else(|| needs_scan(table))
}

/// Plans a write's lookup: through a key or index when the filter has one, a
/// Scan otherwise (the type system allowed it: the query was `.scan()`ned).
pub(crate) fn plan_lookup(table: &TableDef, filter: Option<&Expr>) -> Result<Plan> {
    match filter {
        None => Ok(Plan::one(Request::Scan(typed(table, None)))),
        Some(f) => {
            let gsis = gsis(table)?;
            Ok(plan_conjuncts(table, &gsis, conjuncts(f))?
                .unwrap_or_else(|| Plan::one(Request::Scan(typed(table, Some(f.clone()))))))
        }
    }
}

/// `filter` and, for an entity in a shared table, that the item is of
/// its type.
pub(crate) fn typed(table: &TableDef, filter: Option<Expr>) -> Option<Expr> {
    let Some(layout) = table.layout else {
        return filter;
    };
    let is_type = Expr::Cmp {
        column: keyway::LAYOUT_TYPE,
        op: CmpOp::Eq,
        value: Value::Text(layout.entity_type.to_owned()),
    };
    Some(match filter {
        Some(f) => f.and(is_type),
        None => is_type,
    })
}

pub(crate) fn conjuncts(expr: &Expr) -> Vec<Expr> {
    match expr {
        Expr::And(parts) => parts.iter().flat_map(conjuncts).collect(),
        other => vec![other.clone()],
    }
}

pub(crate) fn and_of(mut rest: Vec<Expr>) -> Option<Expr> {
    match rest.len() {
        0 => None,
        1 => rest.pop(),
        _ => Some(Expr::And(rest)),
    }
}

pub(crate) fn find_eq(conj: &[Expr], col: &str) -> Option<usize> {
    conj.iter().position(|e| {
        matches!(e, Expr::Cmp { column, op: CmpOp::Eq, value } if *column == col && !value.is_null())
    })
}

pub(crate) fn find_in(conj: &[Expr], col: &str) -> Option<usize> {
    conj.iter()
        .position(|e| matches!(e, Expr::InList { column, .. } if *column == col))
}

pub(crate) fn take_value(conj: &mut Vec<Expr>, i: usize) -> Value {
    match conj.remove(i) {
        Expr::Cmp { value, .. } => value,
        _ => Value::Null,
    }
}

pub(crate) fn take_list(conj: &mut Vec<Expr>, i: usize) -> Vec<Value> {
    let Expr::InList { values, .. } = conj.remove(i) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| !v.is_null() && seen.insert(format!("{v:?}")))
        .collect()
}

/// Takes the first sort-key condition usable in a key condition: a
/// comparison but `<>`, or a case-sensitive `starts_with`.
fn take_sort(conj: &mut Vec<Expr>, sort: Option<&str>) -> Option<SortCond> {
    let sort = sort?;
    let i = conj.iter().position(|e| match e {
        Expr::Cmp { column, op, value } => *column == sort && *op != CmpOp::Ne && !value.is_null(),
        Expr::Text {
            column,
            test: TextTest::StartsWith,
            ignore_case: false,
            ..
        } => *column == sort,
        _ => false,
    })?;
    match conj.remove(i) {
        Expr::Cmp { op, value, .. } => Some(SortCond::Cmp(op, value)),
        Expr::Text { value, .. } => Some(SortCond::BeginsWith(value)),
        _ => None,
    }
}

pub(crate) fn queries(
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
                orders: sort_column,
                fixed: vec![partition],
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
    let direct = match crate::layout::of(table)? {
        Some(layout) => crate::plan_shared::direct(table, &layout, gsis, &mut conj)?,
        None => direct(table, gsis, &mut conj)?,
    };
    if direct.is_some() {
        return Ok(direct);
    }
    either(table, gsis, &conj)
}

/// A plan through the table's key or one index, if the conjuncts allow one.
fn direct(table: &TableDef, gsis: &[Gsi], conj: &mut Vec<Expr>) -> Result<Option<Plan>> {
    let (pk, sk) = primary_key(table)?;
    let sk_name = sk.map(|c| c.name);
    if let Some(i) = find_eq(conj, pk.name) {
        let pv = take_value(conj, i);
        match sk_name {
            Some(s) => {
                if let (Some(j), 1) = (find_eq(conj, s), conj.len()) {
                    let sv = take_value(conj, j);
                    return Ok(Some(Plan::one(Request::Get(vec![(pk.name, pv), (s, sv)]))));
                }
            }
            None if conj.is_empty() => {
                return Ok(Some(Plan::one(Request::Get(vec![(pk.name, pv)]))));
            }
            None => {}
        }
        return Ok(Some(queries(
            None,
            pk.name,
            sk_name,
            vec![pv],
            std::mem::take(conj),
        )));
    }
    if let Some(i) = find_in(conj, pk.name) {
        let values = take_list(conj, i);
        if sk.is_none() && conj.is_empty() {
            return Ok(Some(Plan::one(Request::BatchGet(values))));
        }
        return Ok(Some(queries(
            None,
            pk.name,
            sk_name,
            values,
            std::mem::take(conj),
        )));
    }
    for g in gsis {
        if let Some(i) = find_eq(conj, g.partition.name) {
            let v = take_value(conj, i);
            let sort = g.sort.map(|c| c.name);
            return Ok(Some(queries(
                Some(&g.name),
                g.partition.name,
                sort,
                vec![v],
                std::mem::take(conj),
            )));
        }
    }
    for g in gsis {
        if let Some(i) = find_in(conj, g.partition.name) {
            let values = take_list(conj, i);
            let sort = g.sort.map(|c| c.name);
            return Ok(Some(queries(
                Some(&g.name),
                g.partition.name,
                sort,
                values,
                std::mem::take(conj),
            )));
        }
    }
    Ok(None)
}

/// An OR whose every branch is indexed: one plan per branch, merged.
fn either(table: &TableDef, gsis: &[Gsi], conj: &[Expr]) -> Result<Option<Plan>> {
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

#[cfg(test)]
mod tests {
    use keyway::{ColumnDef, ColumnRole, ColumnType, IndexDef};

    use super::*;

    const fn col(name: &'static str, role: ColumnRole) -> ColumnDef {
        ColumnDef::new(name, ColumnType::I64, false, role, false)
    }

    const COLS: &[ColumnDef] = &[
        col("id", ColumnRole::PrimaryKey),
        col("owner", ColumnRole::Indexed),
        col("a", ColumnRole::Plain),
        col("b", ColumnRole::Plain),
    ];
    const SORTED: &[ColumnDef] = &[
        col("ch", ColumnRole::PrimaryKey),
        col("at", ColumnRole::SortKey),
        col("body", ColumnRole::Plain),
    ];
    const PAIR: &[IndexDef] = &[IndexDef::non_unique("by_a_b", &["a", "b"])];

    fn table(columns: &'static [ColumnDef], indexes: &'static [IndexDef]) -> TableDef {
        TableDef {
            entity: "T",
            name: "t",
            columns,
            indexes,
            foreign_keys: &[],
            layout: None,
        }
    }

    fn cmp(column: &'static str, op: CmpOp, v: i64) -> Expr {
        Expr::Cmp {
            column,
            op,
            value: Value::I64(v),
        }
    }

    fn kinds(p: &Plan) -> Vec<String> {
        p.requests
            .iter()
            .map(|r| match r {
                Request::Get(k) => format!("get{}", k.len()),
                Request::BatchGet(v) => format!("batch{}", v.len()),
                Request::Query { key, residual } => format!(
                    "query:{}:{}:{}",
                    key.index.as_deref().unwrap_or("table"),
                    key.sort.is_some(),
                    residual.is_some()
                ),
                Request::Scan(_) => "scan".into(),
            })
            .collect()
    }

    fn plan_of(t: &TableDef, e: Expr) -> Vec<String> {
        kinds(&plan(t, Some(&e), false).unwrap())
    }

    #[test]
    fn key_and_index_paths() {
        let t = table(COLS, PAIR);
        assert_eq!(plan_of(&t, cmp("id", CmpOp::Eq, 1)), ["get1"]);
        let with_rest = cmp("id", CmpOp::Eq, 1).and(cmp("a", CmpOp::Lt, 3));
        assert_eq!(plan_of(&t, with_rest), ["query:table:false:true"]);
        let keys = Expr::InList {
            column: "id",
            values: vec![Value::I64(1), Value::I64(2), Value::I64(1), Value::Null],
        };
        assert_eq!(plan_of(&t, keys), ["batch2"]);
        let owner = plan_of(&t, cmp("owner", CmpOp::Eq, 7));
        assert_eq!(owner, ["query:t_owner_idx:false:false"]);
        let owners = Expr::InList {
            column: "owner",
            values: vec![Value::I64(1), Value::I64(2)],
        };
        assert_eq!(plan_of(&t, owners).len(), 2);
        let pair = cmp("a", CmpOp::Eq, 1).and(cmp("b", CmpOp::Ge, 2));
        assert_eq!(plan_of(&t, pair), ["query:by_a_b:true:false"]);
        let either = cmp("id", CmpOp::Eq, 1).or(cmp("owner", CmpOp::Eq, 2));
        let p = plan(&t, Some(&either), false).unwrap();
        assert!(p.dedupe);
        assert_eq!(kinds(&p), ["get1", "query:t_owner_idx:false:false"]);
    }

    #[test]
    fn sort_keys_and_refusals() {
        let t = table(SORTED, &[]);
        let text = |v: &str| Expr::Cmp {
            column: "ch",
            op: CmpOp::Eq,
            value: Value::Text(v.into()),
        };
        assert_eq!(plan_of(&t, text("c")), ["query:table:false:false"]);
        let full = text("c").and(cmp("at", CmpOp::Eq, 5));
        assert_eq!(plan_of(&t, full), ["get2"]);
        let range = text("c")
            .and(cmp("at", CmpOp::Ge, 5))
            .and(cmp("at", CmpOp::Lt, 9));
        assert_eq!(plan_of(&t, range), ["query:table:true:true"]);
        let sort_only = cmp("at", CmpOp::Eq, 5);
        assert!(plan(&t, Some(&sort_only), false).is_err());
        assert!(plan(&t, None, false).is_err());
        let null = Expr::Cmp {
            column: "ch",
            op: CmpOp::Eq,
            value: Value::Null,
        };
        assert!(plan(&t, Some(&null), false).is_err());
        let half = text("c").or(cmp("body", CmpOp::Eq, 1));
        assert!(plan(&t, Some(&half), false).is_err());
        assert_eq!(kinds(&plan(&t, Some(&sort_only), true).unwrap()), ["scan"]);
        let lookup = plan_lookup(&t, Some(&sort_only)).unwrap();
        assert_eq!(kinds(&lookup), ["scan"]);
    }

    #[test]
    fn starts_with_on_the_sort_key_is_a_key_condition() {
        let t = table(SORTED, &[]);
        let chan = Expr::Cmp {
            column: "ch",
            op: CmpOp::Eq,
            value: Value::Text("c".into()),
        };
        let prefix = |ignore_case| Expr::Text {
            column: "at",
            test: TextTest::StartsWith,
            ignore_case,
            value: Value::Text("2026-".into()),
            like: Value::Text("2026-%".into()),
            glob: Value::Text("2026-*".into()),
        };
        let p = plan(&t, Some(&chan.clone().and(prefix(false))), false).unwrap();
        assert_eq!(kinds(&p), ["query:table:true:false"]);
        let p = plan(&t, Some(&chan.and(prefix(true))), false).unwrap();
        assert_eq!(
            kinds(&p),
            ["query:table:false:true"],
            "ignoring case: filtered"
        );
    }
}
