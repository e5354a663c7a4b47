//! Golden tests: filters through relations lower to correlated `EXISTS`
//! subqueries, each level aliased, soft-deleted rows left out, `all` as
//! "no linked row for which the filter is not true".

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::{assert_golden, p, text};
use keyway::prelude::*;
use keyway::{DeleteStmt, SelectStmt, TableDef, Value};
use keyway_sql::{Lowered, MySql, Postgres, Sqlite, delete, select};
use model::{Memo, Tag, Todo, User};

const USERS: &str = r#"SELECT "id", "name", "email" FROM "users""#;

fn lower(stmt: &SelectStmt) -> [Lowered; 3] {
    [
        select::<Sqlite>(stmt),
        select::<Postgres>(stmt),
        select::<MySql>(stmt),
    ]
}

/// The three dialects' texts from one written with `"` quotes and `?`
/// placeholders: PostgreSQL numbers them, MySQL quotes with backticks.
fn dialects(sql: &str) -> [String; 3] {
    let mut pg = String::new();
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            pg.push_str(&format!("${n}"));
        } else {
            pg.push(c);
        }
    }
    [sql.to_owned(), pg, sql.replace('"', "`")]
}

#[track_caller]
fn assert_users_where(stmt: &SelectStmt, sql_where: &str, params: &[keyway_sql::Param]) {
    let want = dialects(&format!("{USERS}{sql_where}"));
    let got = lower(stmt);
    assert_golden(got, [&want[0], &want[1], &want[2]], params);
}

#[test]
fn any_none_and_all_through_a_has_many() {
    let q = User::query().filter(User::TODOS.any(Todo::DONE.eq(false)));
    assert_users_where(
        q.statement(),
        r#" WHERE EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" WHERE "keyway_l1"."owner_id" = "users"."id" AND "done" = ?)"#,
        &[p("done", Value::Bool(false))],
    );
    let q = User::query().filter(User::TODOS.none(Todo::DONE.eq(false)));
    assert_users_where(
        q.statement(),
        r#" WHERE NOT (EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" WHERE "keyway_l1"."owner_id" = "users"."id" AND "done" = ?))"#,
        &[p("done", Value::Bool(false))],
    );
    let q = User::query().filter(User::TODOS.all(Todo::PRIORITY.gt(1).and(Todo::DONE.eq(true))));
    assert_users_where(
        q.statement(),
        r#" WHERE NOT EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" WHERE "keyway_l1"."owner_id" = "users"."id" AND (("priority" > ? AND "done" = ?)) IS NOT TRUE)"#,
        &[p("priority", Value::I16(1)), p("done", Value::Bool(true))],
    );
}

#[test]
fn nested_levels_alternate_their_aliases() {
    let q = Tag::query().filter(Tag::TODO.is(Todo::OWNER.is(User::TODOS.any(Todo::DONE.eq(true)))));
    let want = dialects(concat!(
        r#"SELECT "id", "todo_id", "label" FROM "tags" WHERE EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" "#,
        r#"WHERE "keyway_l1"."id" = "tags"."todo_id" AND EXISTS (SELECT 1 FROM "users" AS "keyway_l2" "#,
        r#"WHERE "keyway_l2"."id" = "keyway_l1"."owner_id" AND EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" "#,
        r#"WHERE "keyway_l1"."owner_id" = "keyway_l2"."id" AND "done" = ?)))"#,
    ));
    assert_golden(
        lower(q.statement()),
        [&want[0], &want[1], &want[2]],
        &[p("done", Value::Bool(true))],
    );
}

#[test]
fn a_belongs_to_beside_the_rows_own_columns() {
    let q = Todo::query().filter(Todo::DONE.eq(false)).filter(
        Todo::OWNER
            .is(User::NAME.eq("Ann"))
            .or(Todo::PRIORITY.eq(9)),
    );
    let want = dialects(concat!(
        r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" WHERE "done" = ? AND "#,
        r#"(EXISTS (SELECT 1 FROM "users" AS "keyway_l1" WHERE "keyway_l1"."id" = "todos"."owner_id" AND "name" = ?) OR "priority" = ?)"#,
    ));
    assert_golden(
        lower(q.statement()),
        [&want[0], &want[1], &want[2]],
        &[
            p("done", Value::Bool(false)),
            p("name", text("Ann")),
            p("priority", Value::I16(9)),
        ],
    );
}

#[test]
fn soft_deleted_rows_are_not_linked() {
    let q = User::query().filter(User::MEMOS.any(Memo::TEXT.eq("tax")));
    assert_users_where(
        q.statement(),
        r#" WHERE EXISTS (SELECT 1 FROM "memos" AS "keyway_l1" WHERE "keyway_l1"."user_id" = "users"."id" AND "deleted_at" IS NULL AND "text" = ?)"#,
        &[p("text", text("tax"))],
    );
}

#[test]
fn a_delete_through_a_relation() {
    let filter = User::TODOS.none(Todo::DONE.eq(false)).into_expr();
    let stmt = DeleteStmt::new(TableDef::of::<User>(), Some(filter));
    let want = dialects(
        r#"DELETE FROM "users" WHERE NOT (EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" WHERE "keyway_l1"."owner_id" = "users"."id" AND "done" = ?))"#,
    );
    let got = [
        delete::<Sqlite>(stmt.clone()),
        delete::<Postgres>(stmt.clone()),
        delete::<MySql>(stmt),
    ];
    assert_golden(
        got,
        [&want[0], &want[1], &want[2]],
        &[p("done", Value::Bool(false))],
    );
}
