//! Plans for an entity in a shared table: its key templates and overloaded
//! indexes as key conditions.
//!
//! A full key is a GetItem of `{PK, SK}`. A partition template whose
//! columns the filter fixes (`eq`, or one `in_list`) is a Query of that
//! partition per value; the sort template becomes a key condition as far
//! as the filter fixes it: `SK = ..` when all of it, `begins_with(SK, ..)`
//! for a prefix (its leading text, the columns given by `eq`, then a
//! case-sensitive `starts_with`), or a comparison when the template is text
//! and one column. Every Query and Scan also says `_et = :type`, as items of
//! other entities share the partitions.

use keyway::{CmpOp, Expr, LAYOUT_PK, LAYOUT_SK, Layout, Piece, Result, TableDef, TextTest, Value};

use crate::layout::{attribute, columns as template_columns, pieces, render, serving, text};
use crate::plan::{
    KeyCond, Plan, Request, SortCond, and_of, find_eq, find_in, take_list, take_value, typed,
};
use crate::schema::Gsi;

/// One key schema of the shared table the entity's items are in.
struct Path {
    index: Option<&'static str>,
    partition: (&'static str, &'static str),
    sort: (&'static str, &'static str),
}

fn paths(layout: &Layout) -> Vec<Path> {
    let table = Path {
        index: None,
        partition: (LAYOUT_PK, layout.partition),
        sort: (LAYOUT_SK, layout.sort),
    };
    let indexes = layout.indexes.iter().map(|i| Path {
        index: Some(i.name),
        partition: (attribute(i.name, "PK"), i.partition),
        sort: (attribute(i.name, "SK"), i.sort),
    });
    std::iter::once(table).chain(indexes).collect()
}

/// The plan of the conjuncts through the entity's key, a layout index or
/// an index of its own, if one applies; `conj` is left as it was when none
/// does.
pub(crate) fn direct(
    table: &TableDef,
    layout: &Layout,
    gsis: &[Gsi],
    conj: &mut Vec<Expr>,
) -> Result<Option<Plan>> {
    let keys: Vec<&'static str> = table.key_columns().map(|c| c.name).collect();
    if conj.len() == keys.len() && keys.iter().all(|k| find_eq(conj, k).is_some()) {
        let parts = keys
            .iter()
            .map(|k| {
                let i = find_eq(conj, k).unwrap_or_default();
                (*k, take_value(conj, i))
            })
            .collect();
        return Ok(Some(Plan::one(Request::Get(parts))));
    }
    if let ([key], [_]) = (keys.as_slice(), conj.as_slice())
        && let Some(i) = find_in(conj, key)
    {
        return Ok(Some(Plan::one(Request::BatchGet(take_list(conj, i)))));
    }
    for path in paths(layout) {
        if let Some(plan) = through(table, &path, conj)? {
            return Ok(Some(plan));
        }
    }
    for g in gsis
        .iter()
        .filter(|g| serving(table, layout, g.partition.name).is_none())
    {
        let at = find_eq(conj, g.partition.name).or_else(|| find_in(conj, g.partition.name));
        let Some(i) = at else { continue };
        let values = match &conj[i] {
            Expr::InList { .. } => take_list(conj, i),
            _ => vec![take_value(conj, i)],
        };
        let sort = g.sort.map(|c| c.name);
        let rest = std::mem::take(conj);
        let mut plan = crate::plan::queries(Some(&g.name), g.partition.name, sort, values, rest);
        for r in &mut plan.requests {
            if let Request::Query { residual, .. } = r {
                *residual = typed(table, residual.take());
            }
        }
        return Ok(Some(plan));
    }
    Ok(None)
}

/// The Queries of `path`'s partitions, if the filter fixes its partition
/// template: one per value of its `in_list` column, if it has one.
fn through(table: &TableDef, path: &Path, conj: &mut Vec<Expr>) -> Result<Option<Plan>> {
    let columns: Vec<&'static str> = template_columns(path.partition.1).collect();
    // A template of text alone fixes no partition by the filter; a column
    // that may be NULL leaves items out of an index unless the filter
    // says it is not.
    if columns.is_empty() || !complete(table, path, conj) {
        return Ok(None);
    }
    let mut listed = None;
    for c in &columns {
        if find_eq(conj, c).is_some() {
            continue;
        }
        match find_in(conj, c) {
            Some(_) if listed.is_none() => listed = Some(*c),
            _ => return Ok(None),
        }
    }
    // The equalities stay in the filter too: the key only narrows the read.
    let mut fixed: Vec<(&'static str, Value)> = Vec::new();
    for c in columns.iter().filter(|c| Some(**c) != listed) {
        if let Some(Expr::Cmp { value, .. }) = find_eq(conj, c).map(|i| &conj[i]) {
            fixed.push((c, value.clone()));
        }
    }
    let choices = match listed {
        Some(c) => {
            let i = find_in(conj, c).unwrap_or_default();
            take_list(conj, i)
        }
        None => vec![Value::Null],
    };
    let sort = sort_cond(table, path.sort.1, conj)?;
    let orders = ordered_column(path.sort.1);
    let rest = std::mem::take(conj);
    let mut requests = Vec::with_capacity(choices.len());
    for choice in choices {
        let mut rest = rest.clone();
        if let Some(c) = listed {
            rest.push(Expr::Cmp {
                column: c,
                op: CmpOp::Eq,
                value: choice.clone(),
            });
        }
        let residual = typed(table, and_of(rest));
        let value_of = |c: &str| match fixed.iter().find(|(f, _)| *f == c) {
            Some((_, v)) => Some(v.clone()),
            None => (Some(c) == listed).then(|| choice.clone()),
        };
        // A NULL in a partition template matches no item.
        let Some(partition) = render(table.entity, path.partition.1, &value_of)? else {
            continue;
        };
        requests.push(Request::Query {
            key: KeyCond {
                index: path.index.map(str::to_owned),
                partition: (path.partition.0, Value::Text(partition)),
                sort_column: Some(path.sort.0),
                sort: sort.clone(),
                orders,
                fixed: columns.clone(),
            },
            residual,
        });
    }
    Ok(Some(Plan {
        requests,
        dedupe: false,
    }))
}

/// Whether every item the filter matches is in `path`: the table's own key
/// holds them all; an index, those whose template columns are not NULL.
fn complete(table: &TableDef, path: &Path, conj: &[Expr]) -> bool {
    if path.index.is_none() {
        return true;
    }
    template_columns(path.partition.1)
        .chain(template_columns(path.sort.1))
        .all(|c| table.column(c).is_some_and(|d| !d.nullable) || not_null(conj, c))
}

/// Whether a conjunct holds only where `column` is not NULL.
fn not_null(conj: &[Expr], column: &str) -> bool {
    conj.iter().any(|e| match e {
        Expr::Cmp {
            column: c,
            op,
            value,
        } => *c == column && *op != CmpOp::Ne && !value.is_null(),
        Expr::InList { column: c, values } => *c == column && values.iter().all(|v| !v.is_null()),
        Expr::Text { column: c, .. } => *c == column,
        Expr::IsNull {
            column: c,
            negated: true,
        } => *c == column,
        _ => false,
    })
}

/// The column a sort template of text and one column orders by.
fn ordered_column(template: &'static str) -> Option<&'static str> {
    match pieces(template).as_slice() {
        [Piece::Text(_), Piece::Column(c)] | [Piece::Column(c)] => Some(c),
        _ => None,
    }
}

/// The key condition a sort template takes from the conjuncts (which keep
/// every condition: the key condition only narrows what is read).
fn sort_cond(table: &TableDef, template: &'static str, conj: &[Expr]) -> Result<Option<SortCond>> {
    let pieces = pieces(template);
    let mut prefix = String::new();
    let mut open = None;
    for piece in &pieces {
        match piece {
            Piece::Text(t) => prefix.push_str(t),
            Piece::Column(c) => {
                if let Some(i) = find_eq(conj, c) {
                    let Expr::Cmp { value, .. } = &conj[i] else {
                        return Ok(None);
                    };
                    match text(table.entity, c, value)? {
                        Some(t) => prefix.push_str(&t),
                        None => return Ok(None),
                    }
                    continue;
                }
                open = Some(*c);
                break;
            }
        }
    }
    let Some(column) = open else {
        return Ok(Some(SortCond::Cmp(CmpOp::Eq, Value::Text(prefix))));
    };
    let starts = conj.iter().find_map(|e| match e {
        Expr::Text {
            column: c,
            test: TextTest::StartsWith,
            ignore_case: false,
            value: Value::Text(v),
            ..
        } if *c == column => Some(v.clone()),
        _ => None,
    });
    if let Some(start) = starts {
        prefix.push_str(&start);
        return Ok(Some(SortCond::BeginsWith(Value::Text(prefix))));
    }
    // A range on the one column of `text{column}`.
    if ordered_column(template) == Some(column) {
        let range = conj.iter().find_map(|e| match e {
            Expr::Cmp {
                column: c,
                op,
                value,
            } if *c == column && !value.is_null() && !matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                Some((*op, value))
            }
            _ => None,
        });
        if let Some((op, value)) = range
            && let Some(t) = text(table.entity, column, value)?
        {
            return Ok(Some(SortCond::Cmp(op, Value::Text(format!("{prefix}{t}")))));
        }
    }
    Ok((!prefix.is_empty()).then_some(SortCond::BeginsWith(Value::Text(prefix))))
}

#[cfg(test)]
mod tests {
    use keyway::{ColumnDef, ColumnRole, ColumnType, LayoutIndex};

    use super::*;
    use crate::plan::plan;

    const COLS: &[ColumnDef] = &[
        ColumnDef::new(
            "user_id",
            ColumnType::I64,
            false,
            ColumnRole::PrimaryKey,
            false,
        ),
        ColumnDef::new("name", ColumnType::Text, false, ColumnRole::SortKey, false),
        ColumnDef::new("team", ColumnType::Text, true, ColumnRole::Indexed, false),
        ColumnDef::new("level", ColumnType::I64, false, ColumnRole::Indexed, false),
    ];
    const INDEXES: &[LayoutIndex] = &[
        LayoutIndex::new("GSI1", "TEAM#{team}", "BADGE#{name}"),
        LayoutIndex::new("GSI2", "LEVEL#{level}", "TEAM#{team}"),
    ];

    fn table() -> TableDef {
        TableDef {
            entity: "Badge",
            name: "badges",
            columns: COLS,
            indexes: &[],
            foreign_keys: &[],
            layout: Some(
                Layout::new("app", "Badge")
                    .key("USER#{user_id}", "BADGE#{name}")
                    .indexes(INDEXES),
            ),
        }
    }

    fn eq(column: &'static str, value: Value) -> Expr {
        Expr::Cmp {
            column,
            op: CmpOp::Eq,
            value,
        }
    }

    fn text(column: &'static str, test: TextTest, value: &str) -> Expr {
        Expr::Text {
            column,
            test,
            ignore_case: false,
            value: Value::Text(value.into()),
            like: Value::Text(format!("{value}%")),
            glob: Value::Text(format!("{value}*")),
        }
    }

    /// The one request's key condition, as text.
    fn key_of(filter: Expr) -> String {
        let p = plan(&table(), Some(&filter), false).unwrap();
        match p.requests.as_slice() {
            [Request::Get(parts)] => format!("get {parts:?}"),
            [Request::Query { key, residual }] => format!(
                "{} {}={:?} {:?} type:{}",
                key.index.as_deref().unwrap_or("table"),
                key.partition.0,
                key.partition.1,
                key.sort,
                residual
                    .as_ref()
                    .is_some_and(|r| format!("{r:?}").contains("_et"))
            ),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn templates_become_key_conditions() {
        let user = || eq("user_id", Value::I64(7));
        let pk = "\"USER#00000000000000000007\"";
        assert!(key_of(user().and(eq("name", Value::Text("gold".into())))).starts_with("get"));
        assert_eq!(
            key_of(user()),
            format!("table PK=Text({pk}) Some(BeginsWith(Text(\"BADGE#\"))) type:true")
        );
        assert_eq!(
            key_of(user().and(text("name", TextTest::StartsWith, "go"))),
            format!("table PK=Text({pk}) Some(BeginsWith(Text(\"BADGE#go\"))) type:true")
        );
        let after = Expr::Cmp {
            column: "name",
            op: CmpOp::Gt,
            value: Value::Text("gold".into()),
        };
        assert_eq!(
            key_of(user().and(after)),
            format!("table PK=Text({pk}) Some(Cmp(Gt, Text(\"BADGE#gold\"))) type:true")
        );
        assert_eq!(
            key_of(eq("team", Value::Text("red".into()))),
            "GSI1 GSI1PK=Text(\"TEAM#red\") Some(BeginsWith(Text(\"BADGE#\"))) type:true"
        );
        // GSI2 leaves out the badges of no team: a level is looked up in
        // the entity's own index, unless the filter names a team.
        assert_eq!(
            key_of(eq("level", Value::I64(3))),
            "badges_level_idx level=I64(3) None type:true"
        );
        let of_team = eq("level", Value::I64(3)).and(Expr::IsNull {
            column: "team",
            negated: true,
        });
        assert!(key_of(of_team).starts_with("GSI2 GSI2PK=Text(\"LEVEL#"));
        // The sort key alone reaches no partition.
        let name = eq("name", Value::Text("gold".into()));
        assert!(plan(&table(), Some(&name), false).is_err());
        // Several partitions: one Query each.
        let users = Expr::InList {
            column: "user_id",
            values: vec![Value::I64(1), Value::I64(2)],
        };
        let p = plan(
            &table(),
            Some(&users.and(eq("team", Value::Text("x".into())))),
            false,
        );
        assert_eq!(p.unwrap().requests.len(), 2);
    }
}
