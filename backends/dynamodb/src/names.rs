//! Expression text with every attribute name aliased (`#n0`) and every value a
//! placeholder (`:v0`), so reserved words and hostile strings are inert.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use keyway::{CmpOp, Error, Expr, JsonTest, Result, TableDef, TextTest, Value};

use crate::embedded::to_attr_of;
use crate::marshal::to_attr;

/// The names and values of one request's expressions.
#[derive(Debug, Default)]
pub(crate) struct Names {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    entity: &'static str,
    /// The table, whose embedded structs' fields are document paths.
    table: Option<TableDef>,
}

/// DynamoDB's `IN` takes at most 100 operands.
pub(crate) const IN_MAX: usize = 100;

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

    /// Names for expressions about `table`: a field of an embedded struct
    /// (its SQL column name) is the document path `#column.#field`.
    pub(crate) fn of(table: &TableDef) -> Self {
        Names {
            table: Some(*table),
            ..Names::new(table.entity)
        }
    }

    /// The alias of attribute `name`, or the aliased path of an embedded
    /// struct's field.
    pub(crate) fn name(&mut self, name: &str) -> String {
        let field = self.table.as_ref().and_then(|t| match t.column(name) {
            Some(_) => None,
            None => t.embedded_field(name),
        });
        match field {
            Some((whole, field)) => {
                format!("{}.{}", self.alias(whole.name), self.alias(field.name))
            }
            None => self.alias(name),
        }
    }

    /// The aliased document path of `keys` inside `column` (`#n0.#n1.#n2`).
    pub(crate) fn doc_path<'k>(
        &mut self,
        column: &str,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> String {
        let mut at = self.name(column);
        for key in keys {
            at.push('.');
            at.push_str(&self.alias(key));
        }
        at
    }

    /// The alias of one attribute name.
    fn alias(&mut self, name: &str) -> String {
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
        let def = self.table.as_ref().and_then(|t| t.sql_column(column));
        let attr = match def {
            Some(def) => to_attr_of(def, value, self.entity)?,
            None => to_attr(value, self.entity, column)?,
        };
        let attr = attr.unwrap_or(AttributeValue::Null(true));
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
            Expr::Json {
                column,
                path,
                test,
                value,
                ..
            } => self.json(column, path, *test, value)?,
            Expr::Contains { column, value, .. } => self.function("contains", column, value)?,
            Expr::And(parts) => self.join(parts, " AND ")?,
            Expr::Or(parts) => self.join(parts, " OR ")?,
            Expr::Not(inner) => format!("(NOT {})", self.condition(inner)?),
            Expr::Text {
                column,
                test: TextTest::StartsWith,
                ignore_case: false,
                value,
                ..
            } => self.function("begins_with", column, value)?,
            Expr::Text {
                column,
                test: TextTest::Contains,
                ignore_case: false,
                value,
                ..
            } => self.function("contains", column, value)?,
            Expr::Text { column, .. } => {
                return Err(Error::Unsupported {
                    backend: "dynamodb",
                    detail: format!(
                        "a condition expression has no `ends_with`, pattern or case-insensitive \
                         match (of `{column}`): keyway evaluates those on the items a read \
                         returns, and cannot in a write's `only_if`"
                    ),
                });
            }
            Expr::Linked(l) => return Err(crate::linked::unread(l.table.entity)),
            Expr::Aggregate { .. } => return Err(crate::read::no_aggregates()),
        })
    }

    /// `function(#column, :value)`: `contains`, `begins_with`.
    fn function(&mut self, function: &str, column: &str, value: &Value) -> Result<String> {
        let n = self.name(column);
        let v = self.value(column, value.clone())?;
        Ok(format!("{function}({n}, {v})"))
    }

    /// A path filter into a document stored as a native map: the path's
    /// names aliased (`#n0.#n1`), its value of the scalar's type.
    fn json(
        &mut self,
        column: &str,
        path: &[Value],
        test: JsonTest,
        value: &Value,
    ) -> Result<String> {
        let mut at = self.name(column);
        for key in path {
            match key {
                Value::Text(k) => {
                    at.push('.');
                    at.push_str(&self.alias(k));
                }
                Value::Unencodable(why) => {
                    return Err(Value::unencodable(self.entity, column, why));
                }
                other => return Err(Value::unencodable(self.entity, column, other.kind())),
            }
        }
        if let Value::Unencodable(why) = value {
            return Err(Value::unencodable(self.entity, column, why));
        }
        let type_of = |value: &Value| match value {
            Value::Text(_) => "S",
            Value::Bool(_) => "BOOL",
            _ => "N",
        };
        Ok(match (test, value) {
            (JsonTest::Exists, _) => format!("attribute_exists({at})"),
            (JsonTest::Object, _) => {
                let map = self.attr(AttributeValue::S("M".into()));
                format!("attribute_type({at}, {map})")
            }
            (JsonTest::Contains, _) => {
                let list = self.attr(AttributeValue::S("L".into()));
                let v = self.value(column, value.clone())?;
                format!("(attribute_type({at}, {list}) AND contains({at}, {v}))")
            }
            // DynamoDB orders no booleans: false < true, spelled out.
            (JsonTest::Cmp(op), Value::Bool(b)) => {
                let ty = self.attr(AttributeValue::S("BOOL".into()));
                let guard = format!("attribute_type({at}, {ty})");
                let is = |names: &mut Self, v: bool| {
                    let p = names.attr(AttributeValue::Bool(v));
                    format!("({guard} AND {at} = {p})")
                };
                match (op, *b) {
                    (CmpOp::Eq, v) => is(self, v),
                    (CmpOp::Ne, v) | (CmpOp::Lt, v @ true) | (CmpOp::Gt, v @ false) => is(self, !v),
                    (CmpOp::Le, true) | (CmpOp::Ge, false) => guard,
                    (CmpOp::Le, false) => is(self, false),
                    (CmpOp::Ge, true) => is(self, true),
                    (CmpOp::Lt, false) | (CmpOp::Gt, true) => never(&at),
                }
            }
            (JsonTest::Cmp(op), _) => {
                let ty = self.attr(AttributeValue::S(type_of(value).into()));
                let v = self.value(column, value.clone())?;
                let op = match op {
                    CmpOp::Eq => "=",
                    CmpOp::Ne => "<>",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                };
                format!("(attribute_type({at}, {ty}) AND {at} {op} {v})")
            }
            (_, _) => never(&at),
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
