//! Query: the items of one partition of the table or of a GSI, page by page.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::Select;
use keyway::{CmpOp, Expr, Result, TableDef};

use crate::names::Names;
use crate::plan::{KeyCond, SortCond};

/// What one Query asks for.
pub(crate) struct QuerySpec<'a> {
    pub(crate) table: &'a str,
    pub(crate) def: &'a TableDef,
    pub(crate) key: &'a KeyCond,
    pub(crate) filter: Option<&'a Expr>,
    pub(crate) projection: Option<&'a [&'a str]>,
    pub(crate) forward: bool,
    pub(crate) limit: Option<i32>,
    pub(crate) count: bool,
}

fn op_text(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Ne => "<>",
    }
}

/// The request of the first page (KeyConditionExpression, FilterExpression,
/// ProjectionExpression, ScanIndexForward, Select=COUNT for counts).
pub(crate) fn build(client: &Client, spec: QuerySpec<'_>) -> Result<QueryFluentBuilder> {
    let mut names = Names::of(spec.def);
    let (pcol, pval) = &spec.key.partition;
    let mut key = format!(
        "{} = {}",
        names.name(pcol),
        names.value(pcol, pval.clone())?
    );
    if let (Some(scol), Some(sort)) = (spec.key.sort_column, &spec.key.sort) {
        let (SortCond::Cmp(_, v) | SortCond::BeginsWith(v)) = sort;
        let n = names.name(scol);
        let v = names.value(scol, v.clone())?;
        key.push_str(&match sort {
            SortCond::Cmp(op, _) => format!(" AND {n} {} {v}", op_text(*op)),
            SortCond::BeginsWith(_) => format!(" AND begins_with({n}, {v})"),
        });
    }
    let filter = spec.filter.map(|f| names.condition(f)).transpose()?;
    let projection = match spec.count {
        true => None,
        false => spec.projection.map(|p| names.projection(p.iter().copied())),
    };
    tracing::debug!(
        db.statement = "Query",
        table = spec.table,
        index = spec.key.index.as_deref().unwrap_or(""),
        key_condition = key.as_str(),
        filter = filter.as_deref().unwrap_or("")
    );
    let mut b = client
        .query()
        .table_name(spec.table)
        .set_index_name(spec.key.index.clone())
        .key_condition_expression(key)
        .set_filter_expression(filter)
        .scan_index_forward(spec.forward)
        .set_limit(spec.limit);
    if spec.count {
        b = b.select(Select::Count);
    } else {
        b = b.set_projection_expression(projection);
    }
    // GSIs cannot be read consistently; the table can.
    if spec.key.index.is_none() {
        b = b.consistent_read(true);
    }
    Ok(b.set_expression_attribute_names(names.take_names())
        .set_expression_attribute_values(names.take_values()))
}
