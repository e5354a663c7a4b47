//! Golden tests: a multi-row insert is split into as few statements as each
//! dialect's parameter limit allows, and no row is lost, repeated or reordered.

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::row;
use keyway::{InsertStmt, TableDef, Value};
use keyway_sql::{
    Bound, Dialect, InsertPlan, Lowered, MySql, Postgres, Sqlite, insert, insert_planned,
};
use model::{Kinds, User};

fn users(n: usize) -> InsertStmt {
    InsertStmt {
        table: TableDef::of::<User>(),
        rows: (0..n)
            .map(|i| row(&User::new(&format!("u{i}"), &format!("u{i}@x"))))
            .collect(),
    }
}

fn kinds(n: usize) -> InsertStmt {
    InsertStmt {
        table: TableDef::of::<Kinds>(),
        rows: (0..n)
            .map(|i| row(&Kinds::sample(&format!("k{i}"))))
            .collect(),
    }
}

/// The values every row should bind, in order: the row minus its auto column.
fn expected_values(stmt: &InsertStmt) -> Vec<Value> {
    let auto = stmt.table.auto_column().map(|(i, _)| i);
    stmt.rows
        .iter()
        .flat_map(|r| {
            r.iter()
                .enumerate()
                .filter(move |(i, _)| Some(*i) != auto)
                .map(|(_, v)| v.clone())
        })
        .collect()
}

/// Lowers `stmt` for `D` and checks the statements hold `rows_each` rows each,
/// stay within the limit, number their placeholders from 1, and together bind
/// every value exactly once in order.
#[track_caller]
fn assert_chunks<D: Dialect>(stmt: InsertStmt, rows_each: &[usize]) -> Vec<Lowered> {
    let want = expected_values(&stmt);
    let per_row = want.len() / stmt.rows.len();
    let columns: Vec<_> = stmt
        .table
        .columns
        .iter()
        .filter(|c| !c.auto)
        .map(|c| c.name)
        .collect();
    let got = insert::<D>(stmt);
    let sizes: Vec<_> = got.iter().map(|l| l.params.len() / per_row).collect();
    assert_eq!(sizes, rows_each, "{}: rows per statement", D::NAME);
    for l in &got {
        assert!(
            l.params.len() <= D::MAX_PARAMS,
            "{}: over the limit",
            D::NAME
        );
        assert_eq!(l.params.len() % per_row, 0, "{}: a row was split", D::NAME);
        let marks = l
            .sql
            .matches(if D::NAME == "postgresql" { '$' } else { '?' });
        assert_eq!(marks.count(), l.params.len(), "{}: placeholders", D::NAME);
        if D::NAME == "postgresql" {
            let last = format!("${}", l.params.len());
            assert!(
                l.sql.contains(&format!("{last})")),
                "{}: numbering",
                D::NAME
            );
            assert!(!l.sql.contains(&format!("${})", l.params.len() + 1)));
        }
        for (i, param) in l.params.iter().enumerate() {
            assert_eq!(param.column, columns[i % per_row], "{}: column", D::NAME);
        }
    }
    let all: Vec<Value> = got
        .iter()
        .flat_map(|l| l.params.iter().map(|p| one(&p.value)))
        .collect();
    assert_eq!(all.len(), want.len(), "{}: values lost", D::NAME);
    assert!(all == want, "{}: values reordered or changed", D::NAME);
    got
}

#[test]
fn sqlite_splits_at_32766_parameters() {
    assert_eq!(Sqlite::MAX_PARAMS, 32_766);
    let got = assert_chunks::<Sqlite>(users(16_384), &[16_383, 1]);
    assert!(
        got[0]
            .sql
            .starts_with(r#"INSERT INTO "users" ("name", "email") VALUES (?, ?), (?, ?), "#)
    );
    assert!(got[0].sql.ends_with(r#"(?, ?), (?, ?) RETURNING "id""#));
    assert_eq!(got[0].params.len(), 32_766);
    assert_eq!(
        got[1].sql,
        r#"INSERT INTO "users" ("name", "email") VALUES (?, ?) RETURNING "id""#
    );
    assert_eq!(
        got[1].params[0].value,
        Bound::One(Value::Text("u16383".into()))
    );
    assert_eq!(
        got[1].params[1].value,
        Bound::One(Value::Text("u16383@x".into()))
    );
}

#[test]
fn sqlite_exactly_at_the_limit_is_one_statement() {
    let got = assert_chunks::<Sqlite>(users(16_383), &[16_383]);
    assert_eq!(got[0].params.len(), Sqlite::MAX_PARAMS);
}

#[test]
fn postgres_and_mysql_fit_what_sqlite_splits() {
    assert_chunks::<Postgres>(users(16_384), &[16_384]);
    assert_chunks::<MySql>(users(16_384), &[16_384]);
}

/// Each PostgreSQL statement numbers its placeholders from `$1` again.
#[test]
fn postgres_and_mysql_split_at_65535_parameters() {
    assert_eq!(Postgres::MAX_PARAMS, 65_535);
    assert_eq!(MySql::MAX_PARAMS, 65_535);
    let pg = assert_chunks::<Postgres>(users(32_768), &[32_767, 1]);
    assert!(
        pg[0]
            .sql
            .starts_with(r#"INSERT INTO "users" ("name", "email") VALUES ($1, $2), ($3, $4), "#)
    );
    assert!(
        pg[0]
            .sql
            .ends_with(r#"($65531, $65532), ($65533, $65534) RETURNING "id""#)
    );
    assert_eq!(
        pg[1].sql,
        r#"INSERT INTO "users" ("name", "email") VALUES ($1, $2) RETURNING "id""#
    );
    let my = assert_chunks::<MySql>(users(32_768), &[32_767, 1]);
    assert!(my[0].sql.ends_with("(?, ?), (?, ?)"));
    assert_eq!(
        my[1].sql,
        "INSERT INTO `users` (`name`, `email`) VALUES (?, ?)"
    );
}

/// A wide row (18 columns, no auto key): the limit is not a multiple of the
/// row width, and no row is ever split across statements.
#[test]
fn wide_rows_split_on_row_boundaries() {
    // 32766 / 18 = 1820 rows (32760 parameters); 65535 / 18 = 3640 rows.
    assert_chunks::<Sqlite>(kinds(5_000), &[1_820, 1_820, 1_360]);
    assert_chunks::<Postgres>(kinds(5_000), &[3_640, 1_360]);
    assert_chunks::<MySql>(kinds(5_000), &[3_640, 1_360]);
}

// The plans a backend picks at run time (MariaDB's `RETURNING`, MySQL's one
// row per statement) on the MySQL dialect.

#[test]
fn the_default_plan_is_the_dialects() {
    assert_eq!(
        InsertPlan::of::<MySql>(),
        InsertPlan {
            returning: false,
            max_rows: usize::MAX
        }
    );
    assert!(InsertPlan::of::<Postgres>().returning);
    assert_eq!(
        insert_planned::<MySql>(users(3), InsertPlan::of::<MySql>()),
        insert::<MySql>(users(3))
    );
}

#[test]
fn mariadb_returns_the_keys_of_a_multi_row_insert() {
    let plan = InsertPlan {
        returning: true,
        max_rows: usize::MAX,
    };
    let got = insert_planned::<MySql>(users(2), plan);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].sql,
        "INSERT INTO `users` (`name`, `email`) VALUES (?, ?), (?, ?) RETURNING `id`"
    );
    assert_eq!(got[0].params.len(), 4);
}

#[test]
fn one_row_per_statement_keeps_every_row_in_order() {
    let plan = InsertPlan {
        returning: false,
        max_rows: 1,
    };
    let got = insert_planned::<MySql>(users(3), plan);
    assert_eq!(got.len(), 3);
    for (i, l) in got.iter().enumerate() {
        assert_eq!(l.sql, "INSERT INTO `users` (`name`, `email`) VALUES (?, ?)");
        assert_eq!(l.params[0].value, Bound::One(Value::Text(format!("u{i}"))));
    }
}

#[test]
fn a_table_without_an_auto_key_never_returns() {
    let stmt = InsertStmt {
        table: TableDef::of::<Kinds>(),
        rows: vec![row(&Kinds::sample("k"))],
    };
    let plan = InsertPlan {
        returning: true,
        max_rows: 1,
    };
    let got = insert_planned::<MySql>(stmt, plan);
    assert!(!got[0].sql.contains("RETURNING"), "{}", got[0].sql);
}

#[test]
fn a_zero_row_cap_still_makes_progress() {
    let plan = InsertPlan {
        returning: false,
        max_rows: 0,
    };
    assert_eq!(insert_planned::<MySql>(users(2), plan).len(), 2);
}

/// The one value an insert parameter binds (an insert binds no list).
fn one(bound: &Bound) -> Value {
    match bound {
        Bound::One(v) => v.clone(),
        Bound::List(vs) => panic!("an insert bound a list: {vs:?}"),
    }
}
