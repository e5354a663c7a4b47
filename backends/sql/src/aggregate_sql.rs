//! Aggregates in a `SELECT` and a `HAVING` clause. Each reads back as the
//! Rust type keyway gives it: PostgreSQL's sum of integers (a `numeric`)
//! is cast to `BIGINT`, which fails rather than wraps past its range, and
//! an average is cast to a float on PostgreSQL and MySQL.

use keyway::{AggFunc, Aggregate};

use crate::JsonSyntax;
use crate::out::Out;

/// Writes one aggregate.
pub(crate) fn write<'v>(w: &mut impl Out<'v>, agg: &Aggregate) {
    let syntax = w.json_syntax();
    let (open, close) = match (agg.func, syntax) {
        (AggFunc::Count, _) => ("COUNT(", ")"),
        (AggFunc::CountDistinct, _) => ("COUNT(DISTINCT ", ")"),
        (AggFunc::Sum, JsonSyntax::Postgres) if agg.ty.is_integer() => {
            ("CAST(SUM(", ") AS BIGINT)")
        }
        (AggFunc::Sum, _) => ("SUM(", ")"),
        (AggFunc::Min, _) => ("MIN(", ")"),
        (AggFunc::Max, _) => ("MAX(", ")"),
        (AggFunc::Avg, JsonSyntax::Postgres) => ("CAST(AVG(", ") AS DOUBLE PRECISION)"),
        (AggFunc::Avg, JsonSyntax::MySql) => ("(AVG(", ") + 0E0)"),
        (AggFunc::Avg, JsonSyntax::Sqlite) => ("AVG(", ")"),
    };
    w.push(open);
    match agg.column {
        Some(c) => w.ident(c),
        None => w.push("*"),
    };
    w.push(close);
}
