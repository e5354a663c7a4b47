//! Scan: every item of a table, page by page; only for `.scan()` queries and
//! for writes whose filter names no key or index.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;
use aws_sdk_dynamodb::types::Select;
use keyway::{Expr, Result, TableDef};

use crate::names::Names;

/// The request of the first page (FilterExpression, ProjectionExpression,
/// Select=COUNT for counts; `limit` is a page size, sent only without a
/// filter, since DynamoDB applies it before filtering).
pub(crate) fn build(
    client: &Client,
    table: &str,
    def: &TableDef,
    filter: Option<&Expr>,
    projection: Option<&[&str]>,
    limit: Option<i32>,
    count: bool,
) -> Result<ScanFluentBuilder> {
    let mut names = Names::of(def);
    let filter = filter.map(|f| names.condition(f)).transpose()?;
    let projection = match count {
        true => None,
        false => projection.map(|p| names.projection(p.iter().copied())),
    };
    tracing::debug!(
        db.statement = "Scan",
        table,
        filter = filter.as_deref().unwrap_or("")
    );
    let mut b = client
        .scan()
        .table_name(table)
        .consistent_read(true)
        .set_limit(if filter.is_some() { None } else { limit })
        .set_filter_expression(filter);
    if count {
        b = b.select(Select::Count);
    } else {
        b = b.set_projection_expression(projection);
    }
    Ok(b.set_expression_attribute_names(names.take_names())
        .set_expression_attribute_values(names.take_values()))
}
