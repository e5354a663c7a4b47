//! Golden tests: the condition tree (`WHERE`) on every dialect — comparisons,
//! `IN`, `NULL` tests, and `AND` / `OR` / `NOT` nesting.

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::{assert_golden_each, list, p, text};
use keyway::prelude::*;
use keyway::{CmpOp, Expr, SelectStmt, TableDef, Value};
use keyway_sql::{Lowered, MySql, Param, Postgres, Sqlite, select};
use model::{Todo, User};

const TODO: &str = r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos""#;
const TODO_MY: &str = "SELECT `id`, `owner_id`, `title`, `done`, `priority`, `note` FROM `todos`";

/// Lowers a `SELECT * FROM todos WHERE ...` and checks the `WHERE` clause of
/// each dialect (`[sqlite, postgres, mysql]`) and the parameters.
#[track_caller]
fn assert_where(filter: Option<Expr>, wheres: [&str; 3], params: &[Param]) {
    assert_where_each(filter, wheres, [params; 3]);
}

/// As `assert_where`, with each dialect's own parameters.
#[track_caller]
fn assert_where_each(filter: Option<Expr>, wheres: [&str; 3], params: [&[Param]; 3]) {
    let mut stmt = SelectStmt::new(TableDef::of::<Todo>());
    stmt.filter = filter;
    let got: [Lowered; 3] = [
        select::<Sqlite>(&stmt),
        select::<Postgres>(&stmt),
        select::<MySql>(&stmt),
    ];
    let sql = [
        format!("{TODO}{}", wheres[0]),
        format!("{TODO}{}", wheres[1]),
        format!("{TODO_MY}{}", wheres[2]),
    ];
    assert_golden_each(got, [&sql[0], &sql[1], &sql[2]], params);
}

fn cmp(column: &'static str, op: CmpOp, value: Value) -> Expr {
    Expr::Cmp { column, op, value }
}

#[test]
fn no_filter_has_no_where() {
    assert_where(None, [""; 3], &[]);
}

#[test]
fn every_comparison_operator() {
    let q = Todo::query()
        .filter(Todo::OWNER_ID.eq(7))
        .filter(Todo::PRIORITY.ne(1))
        .filter(Todo::PRIORITY.lt(9))
        .filter(Todo::PRIORITY.le(8))
        .filter(Todo::PRIORITY.gt(2))
        .filter(Todo::PRIORITY.ge(3));
    assert_where(
        q.statement().filter.clone(),
        [
            r#" WHERE "owner_id" = ? AND "priority" <> ? AND "priority" < ? AND "priority" <= ? AND "priority" > ? AND "priority" >= ?"#,
            r#" WHERE "owner_id" = $1 AND "priority" <> $2 AND "priority" < $3 AND "priority" <= $4 AND "priority" > $5 AND "priority" >= $6"#,
            " WHERE `owner_id` = ? AND `priority` <> ? AND `priority` < ? AND `priority` <= ? AND `priority` > ? AND `priority` >= ?",
        ],
        &[
            p("owner_id", Value::I64(7)),
            p("priority", Value::I16(1)),
            p("priority", Value::I16(9)),
            p("priority", Value::I16(8)),
            p("priority", Value::I16(2)),
            p("priority", Value::I16(3)),
        ],
    );
}

#[test]
fn in_list() {
    let f = Todo::OWNER_ID.in_list([1, 2, 3]).into_expr();
    let each = [
        p("owner_id", Value::I64(1)),
        p("owner_id", Value::I64(2)),
        p("owner_id", Value::I64(3)),
    ];
    let array = [list(
        "owner_id",
        vec![Value::I64(1), Value::I64(2), Value::I64(3)],
    )];
    assert_where_each(
        Some(f),
        [
            r#" WHERE "owner_id" IN (?, ?, ?)"#,
            r#" WHERE "owner_id" = ANY($1)"#,
            " WHERE `owner_id` IN (?, ?, ?)",
        ],
        [&each, &array, &each],
    );
}

#[test]
fn in_list_of_one_text_value_after_another_parameter() {
    let q = Todo::query()
        .filter(Todo::DONE.eq(true))
        .filter(Todo::TITLE.in_list(["a"]));
    let each = [p("done", Value::Bool(true)), p("title", text("a"))];
    let array = [p("done", Value::Bool(true)), list("title", vec![text("a")])];
    assert_where_each(
        q.statement().filter.clone(),
        [
            r#" WHERE "done" = ? AND "title" IN (?)"#,
            r#" WHERE "done" = $1 AND "title" = ANY($2)"#,
            " WHERE `done` = ? AND `title` IN (?)",
        ],
        [&each, &array, &each],
    );
}

/// `IN ()` is a syntax error on every dialect; an empty list matches nothing.
#[test]
fn empty_in_list_is_false() {
    let f = Todo::OWNER_ID.in_list(Vec::<i64>::new()).into_expr();
    assert_where(Some(f), [" WHERE 1 = 0"; 3], &[]);
}

#[test]
fn empty_in_list_inside_and_or_not() {
    let none = || Todo::OWNER_ID.in_list(Vec::<i64>::new());
    let q = Todo::query()
        .filter(Todo::TITLE.eq("a"))
        .filter(none())
        .filter(Todo::DONE.eq(true).or(none()))
        .filter(none().not());
    assert_where(
        q.statement().filter.clone(),
        [
            r#" WHERE "title" = ? AND 1 = 0 AND ("done" = ? OR 1 = 0) AND NOT (1 = 0)"#,
            r#" WHERE "title" = $1 AND 1 = 0 AND ("done" = $2 OR 1 = 0) AND NOT (1 = 0)"#,
            " WHERE `title` = ? AND 1 = 0 AND (`done` = ? OR 1 = 0) AND NOT (1 = 0)",
        ],
        &[p("title", text("a")), p("done", Value::Bool(true))],
    );
}

#[test]
fn is_null_and_is_not_null() {
    assert_where(
        Some(Todo::NOTE.is_null().into_expr()),
        [
            r#" WHERE "note" IS NULL"#,
            r#" WHERE "note" IS NULL"#,
            " WHERE `note` IS NULL",
        ],
        &[],
    );
    assert_where(
        Some(Todo::NOTE.is_not_null().into_expr()),
        [
            r#" WHERE "note" IS NOT NULL"#,
            r#" WHERE "note" IS NOT NULL"#,
            " WHERE `note` IS NOT NULL",
        ],
        &[],
    );
}

/// `= NULL` is never true; `eq(None)` means "is absent" and binds nothing, so
/// the placeholders after it are numbered without a gap.
#[test]
fn eq_none_is_null_and_ne_none_is_not_null() {
    let q = Todo::query()
        .filter(Todo::OWNER_ID.eq(1))
        .filter(Todo::NOTE.eq(None::<String>))
        .filter(Todo::TITLE.eq("t"))
        .filter(Todo::NOTE.ne(None::<String>));
    assert_where(
        q.statement().filter.clone(),
        [
            r#" WHERE "owner_id" = ? AND "note" IS NULL AND "title" = ? AND "note" IS NOT NULL"#,
            r#" WHERE "owner_id" = $1 AND "note" IS NULL AND "title" = $2 AND "note" IS NOT NULL"#,
            " WHERE `owner_id` = ? AND `note` IS NULL AND `title` = ? AND `note` IS NOT NULL",
        ],
        &[p("owner_id", Value::I64(1)), p("title", text("t"))],
    );
}

#[test]
fn eq_some_on_an_option_column_binds_the_value() {
    let q = Todo::query()
        .filter(Todo::NOTE.eq("n"))
        .filter(Todo::NOTE.ne(Some("m".to_owned())));
    assert_where(
        q.statement().filter.clone(),
        [
            r#" WHERE "note" = ? AND "note" <> ?"#,
            r#" WHERE "note" = $1 AND "note" <> $2"#,
            " WHERE `note` = ? AND `note` <> ?",
        ],
        &[p("note", text("n")), p("note", text("m"))],
    );
}

#[test]
fn and_or_not_nesting() {
    let either = Todo::DONE
        .eq(true)
        .or(Todo::PRIORITY.ge(5).and(Todo::NOTE.is_not_null()));
    let q = Todo::query()
        .filter(either)
        .filter(Todo::TITLE.eq("x").not());
    assert_where(
        q.statement().filter.clone(),
        [
            r#" WHERE ("done" = ? OR ("priority" >= ? AND "note" IS NOT NULL)) AND NOT ("title" = ?)"#,
            r#" WHERE ("done" = $1 OR ("priority" >= $2 AND "note" IS NOT NULL)) AND NOT ("title" = $3)"#,
            " WHERE (`done` = ? OR (`priority` >= ? AND `note` IS NOT NULL)) AND NOT (`title` = ?)",
        ],
        &[
            p("done", Value::Bool(true)),
            p("priority", Value::I16(5)),
            p("title", text("x")),
        ],
    );
}

#[test]
fn top_level_or_is_parenthesised_and_flattened() {
    let f = Todo::OWNER_ID
        .eq(1)
        .or(Todo::OWNER_ID.eq(2))
        .or(Todo::OWNER_ID.eq(3));
    assert_where(
        Some(f.into_expr()),
        [
            r#" WHERE ("owner_id" = ? OR "owner_id" = ? OR "owner_id" = ?)"#,
            r#" WHERE ("owner_id" = $1 OR "owner_id" = $2 OR "owner_id" = $3)"#,
            " WHERE (`owner_id` = ? OR `owner_id` = ? OR `owner_id` = ?)",
        ],
        &[
            p("owner_id", Value::I64(1)),
            p("owner_id", Value::I64(2)),
            p("owner_id", Value::I64(3)),
        ],
    );
}

#[test]
fn not_of_a_group_and_double_not() {
    let f = Todo::DONE
        .eq(true)
        .or(Todo::PRIORITY.gt(4))
        .not()
        .and(Todo::TITLE.eq("y").not().not());
    assert_where(
        Some(f.into_expr()),
        [
            r#" WHERE NOT (("done" = ? OR "priority" > ?)) AND NOT (NOT ("title" = ?))"#,
            r#" WHERE NOT (("done" = $1 OR "priority" > $2)) AND NOT (NOT ("title" = $3))"#,
            " WHERE NOT ((`done` = ? OR `priority` > ?)) AND NOT (NOT (`title` = ?))",
        ],
        &[
            p("done", Value::Bool(true)),
            p("priority", Value::I16(4)),
            p("title", text("y")),
        ],
    );
}

/// Trees built by hand: empty groups have a neutral value, and an unflattened
/// conjunction inside the top-level one keeps its parentheses.
#[test]
fn hand_built_trees() {
    let a = || cmp("owner_id", CmpOp::Eq, Value::I64(1));
    assert_where(Some(Expr::And(vec![])), [" WHERE 1 = 1"; 3], &[]);
    assert_where(Some(Expr::Or(vec![])), [" WHERE 1 = 0"; 3], &[]);
    assert_where(
        Some(Expr::Or(vec![Expr::And(vec![]), a()])),
        [
            r#" WHERE (1 = 1 OR "owner_id" = ?)"#,
            r#" WHERE (1 = 1 OR "owner_id" = $1)"#,
            " WHERE (1 = 1 OR `owner_id` = ?)",
        ],
        &[p("owner_id", Value::I64(1))],
    );
    assert_where(
        Some(Expr::And(vec![Expr::And(vec![a(), a()]), a()])),
        [
            r#" WHERE ("owner_id" = ? AND "owner_id" = ?) AND "owner_id" = ?"#,
            r#" WHERE ("owner_id" = $1 AND "owner_id" = $2) AND "owner_id" = $3"#,
            " WHERE (`owner_id` = ? AND `owner_id` = ?) AND `owner_id` = ?",
        ],
        &[
            p("owner_id", Value::I64(1)),
            p("owner_id", Value::I64(1)),
            p("owner_id", Value::I64(1)),
        ],
    );
}

/// Placeholders count up across every part of the tree, `IN` lists (one
/// array each on PostgreSQL) included.
#[test]
fn postgres_numbering_runs_through_the_whole_tree() {
    let q = User::query()
        .filter(User::EMAIL.in_list(["a@x", "b@x"]))
        .filter(User::NAME.eq("n").or(User::ID.in_list([4, 5])));
    let got = select::<Postgres>(q.statement());
    assert_eq!(
        got.sql,
        r#"SELECT "id", "name", "email" FROM "users" WHERE "email" = ANY($1) AND ("name" = $2 OR "id" = ANY($3))"#
    );
    let columns: Vec<_> = got.params.iter().map(|p| p.column).collect();
    assert_eq!(columns, ["email", "name", "id"]);
    assert_eq!(
        got.params[2],
        list("id", vec![Value::I64(4), Value::I64(5)])
    );
}

/// A path filter into a JSON document: the value there of the scalar's
/// kind, compared in each dialect's JSON syntax; keys and values bound.
#[test]
fn json_path_filters() {
    use model::Reading;
    let lower = |filter: keyway::Filter<Reading, keyway::Unindexed>| {
        let mut stmt = SelectStmt::new(TableDef::of::<Reading>());
        stmt.filter = Some(filter.into_expr());
        [
            select::<Sqlite>(&stmt),
            select::<Postgres>(&stmt),
            select::<MySql>(&stmt),
        ]
        .map(|l| l.sql[l.sql.find(" WHERE ").expect("a WHERE")..].to_owned())
    };
    let path = r#"$."labels"."color""#;
    let [sqlite, postgres, mysql] = lower(Reading::META.path(["labels", "color"]).eq("red"));
    assert_eq!(
        sqlite,
        r#" WHERE (json_type("meta", ?) IN ('text') AND json_extract("meta", ?) = ?)"#
    );
    assert_eq!(
        postgres,
        r#" WHERE (jsonb_typeof(("meta" -> $1 -> $2)) = 'string' AND (("meta" -> $3 -> $4) #>> '{}') COLLATE "C" = $5)"#
    );
    assert_eq!(
        mysql,
        " WHERE (JSON_TYPE(JSON_EXTRACT(`meta`, ?)) IN ('STRING') AND CAST(JSON_UNQUOTE(JSON_EXTRACT(`meta`, ?)) AS BINARY) = CAST(? AS BINARY))"
    );
    let mut stmt = SelectStmt::new(TableDef::of::<Reading>());
    stmt.filter = Some(
        Reading::META
            .path(["labels", "color"])
            .eq("red")
            .into_expr(),
    );
    let params = select::<Sqlite>(&stmt).params;
    assert_eq!(
        params[0].value,
        keyway_sql::Bound::One(Value::Text(path.into()))
    );
    assert_eq!(
        params[2].value,
        keyway_sql::Bound::One(Value::Text("red".into()))
    );
    let [sqlite, postgres, mysql] = lower(Reading::META.path(["tags"]).contains(3));
    assert!(
        sqlite.contains("json_each(\"meta\", ?) AS e WHERE e.type IN ('integer', 'real')"),
        "{sqlite}"
    );
    assert!(
        postgres.contains(r#"= 'array' AND ("meta" -> $2) @> $3"#),
        "{postgres}"
    );
    assert!(
        mysql.contains("JSON_OVERLAPS(JSON_EXTRACT(`meta`, ?), ?) = 1"),
        "{mysql}"
    );
    let [sqlite, postgres, mysql] = lower(Reading::META.has_key("labels"));
    assert_eq!(sqlite, r#" WHERE json_type("meta", ?) IS NOT NULL"#);
    assert_eq!(postgres, r#" WHERE ("meta" -> $1) IS NOT NULL"#);
    assert_eq!(mysql, " WHERE JSON_CONTAINS_PATH(`meta`, 'one', ?) = 1");
}

/// Text matching: GLOB on SQLite (whose LIKE ignores case), LIKE with
/// keyway's own escape elsewhere; ignoring case lowers ASCII letters only.
#[test]
fn text_matching() {
    let f = Todo::TITLE.starts_with("50%_off*").into_expr();
    assert_where_each(
        Some(f),
        [
            r#" WHERE "title" GLOB ?"#,
            r#" WHERE "title" LIKE $1 ESCAPE '!'"#,
            " WHERE `title` LIKE ? ESCAPE '!'",
        ],
        [
            &[p("title", text("50%_off[*]*"))],
            &[p("title", text("50!%!_off*%"))],
            &[p("title", text("50!%!_off*%"))],
        ],
    );
    let f = Todo::TITLE.like_ignore_case(r"Fix\_%!").into_expr();
    let pattern = [p("title", text("fix!_%!!"))];
    let mut my = String::from(" WHERE ");
    my.push_str(&"REPLACE(".repeat(26));
    my.push_str("`title`");
    for c in 'A'..='Z' {
        my.push_str(&format!(", '{c}', '{}')", c.to_ascii_lowercase()));
    }
    my.push_str(" LIKE ? ESCAPE '!'");
    assert_where_each(
        Some(f),
        [
            r#" WHERE "title" LIKE ? ESCAPE '!'"#,
            r#" WHERE translate("title", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE $1 ESCAPE '!'"#,
            &my,
        ],
        [&pattern, &pattern, &pattern],
    );
}
