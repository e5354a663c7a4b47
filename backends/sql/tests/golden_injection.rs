//! Values never reach the SQL text, only the parameters; identifiers are always
//! quoted, with an embedded quote character doubled.

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::row;
use keyway::prelude::*;
use keyway::{
    ColumnRole, ColumnType, DeleteWrite, InsertStmt, SelectStmt, TableDef, UpdateWrite, Value,
};
use keyway_sql::{Bound, Dialect, Lowered, MySql, Postgres, Sqlite, create_table, drop_table};
use model::{Todo, User};

const HOSTILE: &[&str] = &[
    "'; DROP TABLE users; --",
    "\" OR \"1\" = \"1",
    "` OR 1 = 1 #",
    "Robert'); DELETE FROM todos WHERE ('1' = '1",
    "nul\0byte",
    "🦀 emoji \u{202e}rtl",
    "$1 ? ?? $2 :name @p1",
    "*/ /* -- \n; \\",
    "",
];

/// Every kind of statement carrying `value` wherever a value can go, lowered
/// for `D`.
fn statements<D: Dialect>(value: &str) -> Vec<Lowered> {
    let v = || value.to_owned();
    let q = Todo::query()
        .filter(Todo::TITLE.eq(v()))
        .filter(Todo::NOTE.ne(v()).or(Todo::TITLE.in_list([v(), v()])))
        .filter(Todo::TITLE.ge(v()).not());
    let mut out = vec![keyway_sql::select::<D>(q.statement())];
    let users = InsertStmt {
        table: TableDef::of::<User>(),
        rows: vec![row(&User::new(value, value)), row(&User::new(value, value))],
    };
    out.extend(keyway_sql::insert::<D>(users));
    let todo = Todo {
        note: Some(v()),
        ..Todo::new(1, value, 2)
    };
    let todos = InsertStmt {
        table: TableDef::of::<Todo>(),
        rows: vec![row(&todo)],
    };
    out.extend(keyway_sql::insert::<D>(todos));
    let upd = q
        .clone()
        .update()
        .set(Todo::TITLE, v())
        .set(Todo::NOTE, v())
        .into_stmt()
        .expect("valid update");
    out.push(keyway_sql::update::<D>(upd));
    out.push(keyway_sql::delete::<D>(
        q.delete().into_stmt().expect("valid delete"),
    ));
    out
}

/// `bound` with the benign text `"x"` replaced by `hostile`, in a list
/// (one array parameter on PostgreSQL) as in one value.
fn substituted(bound: &Bound, hostile: &str) -> Bound {
    let swap = |v: &Value| match v {
        Value::Text(x) if x == "x" => Value::Text(hostile.to_owned()),
        other => other.clone(),
    };
    match bound {
        Bound::One(v) => Bound::One(swap(v)),
        Bound::List(vs) => Bound::List(vs.iter().map(swap).collect()),
    }
}

fn check<D: Dialect>() {
    let benign = statements::<D>("x");
    for hostile in HOSTILE {
        let got = statements::<D>(hostile);
        assert_eq!(got.len(), benign.len());
        for (g, b) in got.iter().zip(&benign) {
            // The text does not depend on the value at all ...
            assert_eq!(g.sql, b.sql, "{}: {hostile:?}", D::NAME);
            assert!(!g.sql.contains(['\0', ';', '\'', '\n', '\\']), "{}", g.sql);
            assert!(!g.sql.contains("--") && !g.sql.contains("/*"), "{}", g.sql);
            if !hostile.is_empty() {
                assert!(!g.sql.contains(hostile), "{}: {hostile:?} in text", D::NAME);
            }
            // ... and the value is bound verbatim wherever the benign one was.
            assert_eq!(g.params.len(), b.params.len());
            for (gp, bp) in g.params.iter().zip(&b.params) {
                assert_eq!(gp.column, bp.column);
                assert_eq!(gp.value, substituted(&bp.value, hostile));
            }
        }
    }
}

#[test]
fn hostile_text_is_only_ever_a_parameter_on_sqlite() {
    check::<Sqlite>();
}

#[test]
fn hostile_text_is_only_ever_a_parameter_on_postgres() {
    check::<Postgres>();
}

#[test]
fn hostile_text_is_only_ever_a_parameter_on_mysql() {
    check::<MySql>();
}

#[test]
fn hostile_bytes_are_only_ever_a_parameter() {
    let bytes = b"'; DROP TABLE t; --\0\xff".to_vec();
    let mut stmt = SelectStmt::new(TableDef::of::<User>());
    stmt.filter = Some(keyway::Expr::Cmp {
        column: "name",
        op: keyway::CmpOp::Eq,
        value: Value::Bytes(bytes.clone()),
    });
    let got = keyway_sql::select::<Sqlite>(&stmt);
    assert_eq!(
        got.sql,
        r#"SELECT "id", "name", "email" FROM "users" WHERE "name" = ?"#
    );
    assert_eq!(got.params[0].value, Bound::One(Value::Bytes(bytes)));
}

/// Names a declaration could never pass (`TableDef::validate` rejects them)
/// still cannot end their quotes: the quote character is doubled.
#[test]
fn identifier_quotes_are_doubled() {
    const COLUMNS: &[ColumnDef] = &[
        ColumnDef::new(
            "a\"b",
            ColumnType::I64,
            false,
            ColumnRole::PrimaryKey,
            false,
        ),
        ColumnDef::new("c`d", ColumnType::Text, true, ColumnRole::Plain, false),
    ];
    let table = TableDef {
        entity: "Weird",
        name: "t\"x`y",
        columns: COLUMNS,
        indexes: &[],
        foreign_keys: &[],
        layout: None,
    };
    assert!(table.validate(1).is_err());
    let stmt = SelectStmt::new(table);
    assert_eq!(
        keyway_sql::select::<Sqlite>(&stmt).sql,
        r#"SELECT "a""b", "c`d" FROM "t""x`y""#
    );
    assert_eq!(
        keyway_sql::select::<Postgres>(&stmt).sql,
        r#"SELECT "a""b", "c`d" FROM "t""x`y""#
    );
    assert_eq!(
        keyway_sql::select::<MySql>(&stmt).sql,
        r#"SELECT `a"b`, `c``d` FROM `t"x``y`"#
    );
    assert_eq!(
        drop_table::<MySql>(&table),
        r#"DROP TABLE IF EXISTS `t"x``y`"#
    );
    assert_eq!(
        create_table::<Postgres>(&table),
        [
            r#"CREATE TABLE IF NOT EXISTS "t""x`y" ("a""b" BIGINT NOT NULL, "c`d" TEXT, PRIMARY KEY ("a""b"))"#
        ]
    );
}
