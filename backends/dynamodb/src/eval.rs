//! Conditions evaluated on fetched items, for what an expression cannot say:
//! a Query's filter may not name the key attributes it queries, and merged
//! results are ordered by their key attributes.

use std::cmp::Ordering;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{CmpOp, Expr, JsonTest, Result, TableDef, TextTest, Value};

use crate::embedded::attr;
use crate::marshal::{Item, to_attr};

fn number(n: &str) -> Option<(Option<i128>, f64)> {
    let f = n.parse::<f64>().ok()?;
    Some((n.parse::<i128>().ok(), f))
}

/// Orders two attribute values of the same column the way DynamoDB does
/// (numbers by value, strings and binary bytewise); `None` when incomparable.
pub(crate) fn compare(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::N(x), AttributeValue::N(y)) => {
            // Exactly, as decimals, where both fit in 38 digits.
            if let (Some(x), Some(y)) = (keyway::Numeric::parse(x), keyway::Numeric::parse(y))
                && let Some(ord) = x.cmp_value(y)
            {
                return Some(ord);
            }
            let ((xi, xf), (yi, yf)) = (number(x)?, number(y)?);
            match (xi, yi) {
                (Some(xi), Some(yi)) => Some(xi.cmp(&yi)),
                _ => xf.partial_cmp(&yf),
            }
        }
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.as_ref().cmp(y.as_ref())),
        (AttributeValue::Bool(x), AttributeValue::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Orders items by the given columns; a missing attribute sorts first.
pub(crate) fn compare_items(
    a: &Item,
    b: &Item,
    order: &[(&str, bool)],
    table: &TableDef,
) -> Ordering {
    for (column, ascending) in order {
        let ord = match (attr(table, a, column), attr(table, b, column)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => compare(x, y).unwrap_or(Ordering::Equal),
        };
        let ord = if *ascending { ord } else { ord.reverse() };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// Whether `expr` holds for `item` (missing attributes compare as NULL: false).
pub(crate) fn holds(expr: &Expr, item: &Item, table: &TableDef) -> Result<bool> {
    let entity = table.entity;
    Ok(match expr {
        Expr::Cmp { column, op, value } => {
            let Some(want) = to_attr(value.clone(), entity, column)? else {
                return Ok(match op {
                    CmpOp::Eq => attr(table, item, column).is_none(),
                    CmpOp::Ne => attr(table, item, column).is_some(),
                    _ => false,
                });
            };
            let Some(ord) = attr(table, item, column).and_then(|have| compare(have, &want)) else {
                return Ok(false);
            };
            match op {
                CmpOp::Eq => ord == Ordering::Equal,
                CmpOp::Ne => ord != Ordering::Equal,
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Le => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                CmpOp::Ge => ord != Ordering::Less,
            }
        }
        Expr::InList { column, values } => {
            for v in values {
                let e = Expr::Cmp {
                    column,
                    op: CmpOp::Eq,
                    value: v.clone(),
                };
                if !v.is_null() && holds(&e, item, table)? {
                    return Ok(true);
                }
            }
            false
        }
        Expr::IsNull { column, negated } => attr(table, item, column).is_some() == *negated,
        Expr::And(parts) => {
            for p in parts {
                if !holds(p, item, table)? {
                    return Ok(false);
                }
            }
            true
        }
        Expr::Or(parts) => {
            for p in parts {
                if holds(p, item, table)? {
                    return Ok(true);
                }
            }
            false
        }
        Expr::Json {
            column,
            path,
            test,
            value,
            ..
        } => {
            let mut at = attr(table, item, column);
            for key in path {
                let Value::Text(key) = key else {
                    return Err(Value::unencodable(
                        entity,
                        column,
                        "a document key cannot be addressed",
                    ));
                };
                at = match at {
                    Some(AttributeValue::M(fields)) => fields.get(key),
                    _ => None,
                };
            }
            let Some(have) = at else { return Ok(false) };
            match test {
                JsonTest::Exists => return Ok(true),
                JsonTest::Object => return Ok(matches!(have, AttributeValue::M(_))),
                _ => {}
            }
            let Some(want) = to_attr(value.clone(), entity, column)? else {
                return Ok(false);
            };
            match test {
                JsonTest::Contains => list_holds(have, &want),
                JsonTest::Cmp(op) => match compare(have, &want) {
                    Some(ord) => match op {
                        CmpOp::Eq => ord == Ordering::Equal,
                        CmpOp::Ne => ord != Ordering::Equal,
                        CmpOp::Lt => ord == Ordering::Less,
                        CmpOp::Le => ord != Ordering::Greater,
                        CmpOp::Gt => ord == Ordering::Greater,
                        CmpOp::Ge => ord != Ordering::Less,
                    },
                    None => false,
                },
                _ => false,
            }
        }
        Expr::Contains { column, value, .. } => {
            let Some(want) = to_attr(value.clone(), entity, column)? else {
                return Ok(false);
            };
            attr(table, item, column).is_some_and(|have| list_holds(have, &want))
        }
        Expr::Not(inner) => !holds(inner, item, table)?,
        Expr::Text {
            column,
            test,
            ignore_case,
            value,
            ..
        } => match (attr(table, item, column), value) {
            (Some(AttributeValue::S(text)), Value::Text(v)) => {
                keyway::text_matches(*test, v, *ignore_case, text)
            }
            _ => false,
        },
        Expr::Linked(_) => return Err(crate::linked::unread(entity)),
        Expr::Aggregate { .. } => return Err(crate::read::no_aggregates()),
    })
}

/// Whether `have` is a list holding an element equal to `want`.
fn list_holds(have: &AttributeValue, want: &AttributeValue) -> bool {
    match have {
        AttributeValue::L(items) => items
            .iter()
            .any(|i| compare(i, want) == Some(Ordering::Equal)),
        _ => false,
    }
}

/// The columns `expr` names.
pub(crate) fn columns(expr: &Expr, out: &mut Vec<&'static str>) {
    match expr {
        Expr::Cmp { column, .. }
        | Expr::InList { column, .. }
        | Expr::IsNull { column, .. }
        | Expr::Json { column, .. }
        | Expr::Contains { column, .. }
        | Expr::Text { column, .. } => out.push(column),
        Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| columns(p, out)),
        Expr::Not(inner) => columns(inner, out),
        Expr::Linked(l) => out.push(l.outer),
        Expr::Aggregate { agg, .. } => out.extend(agg.column),
    }
}

/// Whether a condition expression can say `expr`: DynamoDB has
/// `begins_with` and `contains` (case sensitive), and no `ends_with`,
/// pattern or case folding; an `IN` of more than 100 values (a relation
/// filter's related keys) would grow the expression past DynamoDB's 4 KB.
/// What it cannot say is evaluated on the items fetched.
pub(crate) fn expressible(expr: &Expr) -> bool {
    match expr {
        Expr::InList { values, .. } => values.len() <= crate::names::IN_MAX,
        Expr::Text {
            test, ignore_case, ..
        } => !ignore_case && matches!(test, TextTest::StartsWith | TextTest::Contains),
        Expr::And(parts) | Expr::Or(parts) => parts.iter().all(expressible),
        Expr::Not(inner) => expressible(inner),
        _ => true,
    }
}
