//! Golden tests: the insert plans a backend picks at run time (MariaDB's
//! `RETURNING`, MySQL's one row per statement) on the MySQL dialect.

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::row;
use keyway::{InsertStmt, TableDef};
use keyway_sql::{InsertPlan, MySql, Postgres, insert, insert_planned};
use model::{Kinds, User};

fn users(n: usize) -> InsertStmt {
    InsertStmt {
        table: TableDef::of::<User>(),
        rows: (0..n)
            .map(|i| row(&User::new(&format!("u{i}"), &format!("u{i}@x"))))
            .collect(),
    }
}

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
        assert_eq!(l.params[0].value, keyway::Value::Text(format!("u{i}")));
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
