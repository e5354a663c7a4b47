//! Expression text with every attribute name aliased (`#n0`) and every value a
//! placeholder (`:v0`), so reserved words and hostile strings are inert.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{CmpOp, Expr, Result, Value};

use crate::marshal::to_attr;

/// The names and values of one request's expressions.
#[derive(Debug, Default)]
pub(crate) struct Names {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    entity: &'static str,
}

/// DynamoDB's `IN` takes at most 100 operands.
const IN_MAX: usize = 100;

/// A condition that never holds (DynamoDB has no `false` literal).
fn never(n: &str) -> String {
    format!("(attribute_exists({n}) AND attribute_not_exists({n}))")
}

impl Names {
    pub(crate) fn new(entity: &'static str) -> Self {
        Names {
            entity,
            ..Names::default()
        }
    }

    /// The alias of attribute `name`.
    pub(crate) fn name(&mut self, name: &str) -> String {
        if let Some((alias, _)) = self.names.iter().find(|(_, n)| n.as_str() == name) {
            return alias.clone();
        }
        let alias = format!("#n{}", self.names.len());
        self.names.insert(alias.clone(), name.to_owned());
        alias
    }

    /// The placeholder of `value`, encoded for `column`.
    pub(crate) fn value(&mut self, column: &str, value: Value) -> Result<String> {
        let placeholder = format!(":v{}", self.values.len());
        let attr = to_attr(value, self.entity, column)?.unwrap_or(AttributeValue::Null(true));
        self.values.insert(placeholder.clone(), attr);
        Ok(placeholder)
    }

    /// The placeholder of an already encoded attribute value.
    pub(crate) fn attr(&mut self, attr: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), attr);
        placeholder
    }

    /// The aliases, for `ExpressionAttributeNames` (`None` when empty).
    pub(crate) fn take_names(&mut self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| std::mem::take(&mut self.names))
    }

    /// The placeholders, for `ExpressionAttributeValues` (`None` when empty).
    pub(crate) fn take_values(&mut self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| std::mem::take(&mut self.values))
    }

    /// A `ProjectionExpression` of `columns`.
    pub(crate) fn projection<'c>(&mut self, columns: impl IntoIterator<Item = &'c str>) -> String {
        let aliases: Vec<String> = columns.into_iter().map(|c| self.name(c)).collect();
        aliases.join(", ")
    }

    /// A condition expression for `expr`, with SQL's treatment of NULL: a
    /// comparison with NULL or with a missing attribute does not hold.
    pub(crate) fn condition(&mut self, expr: &Expr) -> Result<String> {
        Ok(match expr {
            Expr::Cmp { column, op, value } => {
                let n = self.name(column);
                if value.is_null() {
                    return Ok(match op {
                        CmpOp::Eq => format!("attribute_not_exists({n})"),
                        CmpOp::Ne => format!("attribute_exists({n})"),
                        _ => never(&n),
                    });
                }
                let v = self.value(column, value.clone())?;
                match op {
                    CmpOp::Eq => format!("{n} = {v}"),
                    CmpOp::Ne => format!("(attribute_exists({n}) AND {n} <> {v})"),
                    CmpOp::Lt => format!("{n} < {v}"),
                    CmpOp::Le => format!("{n} <= {v}"),
                    CmpOp::Gt => format!("{n} > {v}"),
                    CmpOp::Ge => format!("{n} >= {v}"),
                }
            }
            Expr::InList { column, values } => {
                let n = self.name(column);
                let present: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
                if present.is_empty() {
                    return Ok(never(&n));
                }
                let mut groups = Vec::new();
                for chunk in present.chunks(IN_MAX) {
                    let mut ps = Vec::with_capacity(chunk.len());
                    for v in chunk {
                        ps.push(self.value(column, (*v).clone())?);
                    }
                    groups.push(format!("{n} IN ({})", ps.join(", ")));
                }
                format!("({})", groups.join(" OR "))
            }
            Expr::IsNull { column, negated } => {
                let n = self.name(column);
                if *negated {
                    format!("attribute_exists({n})")
                } else {
                    format!("attribute_not_exists({n})")
                }
            }
            Expr::And(parts) => self.join(parts, " AND ")?,
            Expr::Or(parts) => self.join(parts, " OR ")?,
            Expr::Not(inner) => format!("(NOT {})", self.condition(inner)?),
        })
    }

    fn join(&mut self, parts: &[Expr], sep: &str) -> Result<String> {
        let mut out = Vec::with_capacity(parts.len());
        for p in parts {
            out.push(self.condition(p)?);
        }
        Ok(format!("({})", out.join(sep)))
    }
}
