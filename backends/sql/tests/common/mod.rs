//! Helpers shared by the golden tests: expected parameters and a three-dialect
//! comparison.
#![allow(dead_code)]

use keyway::{Entity, Value};
use keyway_sql::{Bound, Lowered, Param};

/// The parameter bound for `column`.
pub fn p(column: &'static str, value: Value) -> Param {
    Param {
        value: Bound::One(value),
        column,
    }
}

/// An `IN` list of `column` bound as one array (PostgreSQL).
pub fn list(column: &'static str, values: Vec<Value>) -> Param {
    Param {
        value: Bound::List(values),
        column,
    }
}

/// A text value.
pub fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// The values `entity` writes, in column order (an `InsertStmt` row).
pub fn row<E: Entity>(entity: &E) -> Vec<Value> {
    let mut out = Vec::new();
    keyway::write_row(entity, &mut out).unwrap();
    out
}

/// The expected lowering: the SQL text and the parameters.
pub fn lowered(sql: &str, params: &[Param]) -> Lowered {
    Lowered {
        sql: sql.to_owned(),
        params: params.to_vec(),
    }
}

/// Asserts the three lowerings `[sqlite, postgres, mysql]` have the given texts
/// and all bind `params`.
#[track_caller]
pub fn assert_golden(got: [Lowered; 3], sql: [&str; 3], params: &[Param]) {
    assert_golden_each(got, sql, [params; 3]);
}

/// As [`assert_golden`], with each dialect's own parameters (PostgreSQL binds
/// an `IN` list as one array).
#[track_caller]
pub fn assert_golden_each(got: [Lowered; 3], sql: [&str; 3], params: [&[Param]; 3]) {
    for (((got, sql), params), dialect) in got
        .into_iter()
        .zip(sql)
        .zip(params)
        .zip(["sqlite", "postgres", "mysql"])
    {
        assert_eq!(got, lowered(sql, params), "{dialect}");
    }
}
