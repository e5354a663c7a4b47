//! Golden tests: `INSERT`, `UPDATE` and `DELETE` on every dialect.

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::{assert_golden, assert_golden_each, list, lowered, p, row, text};
use keyway::prelude::*;
use keyway::{DeleteStmt, DeleteWrite, InsertStmt, TableDef, UpdateStmt, UpdateWrite, Value};
use keyway_sql::{
    Lowered, MySql, Postgres, Sqlite, delete, delete_returning, insert, update, update_returning,
};
use model::{Account, Kinds, Message, Todo, User};

fn lower_insert(stmt: InsertStmt) -> [Vec<Lowered>; 3] {
    [
        insert::<Sqlite>(stmt.clone()),
        insert::<Postgres>(stmt.clone()),
        insert::<MySql>(stmt),
    ]
}

/// An insert that fits in one statement per dialect.
fn lower_insert_one(stmt: InsertStmt) -> [Lowered; 3] {
    lower_insert(stmt).map(|mut v| {
        assert_eq!(v.len(), 1, "one statement expected");
        v.pop().expect("one statement")
    })
}

fn lower_update(stmt: UpdateStmt) -> [Lowered; 3] {
    [
        update::<Sqlite>(stmt.clone()),
        update::<Postgres>(stmt.clone()),
        update::<MySql>(stmt),
    ]
}

fn lower_delete(stmt: DeleteStmt) -> [Lowered; 3] {
    [
        delete::<Sqlite>(stmt.clone()),
        delete::<Postgres>(stmt.clone()),
        delete::<MySql>(stmt),
    ]
}

fn users(rows: &[User]) -> InsertStmt {
    InsertStmt {
        table: TableDef::of::<User>(),
        rows: rows.iter().map(row).collect(),
    }
}

/// The `auto` key is left out (whatever the row holds for it) and returned
/// where the dialect has `RETURNING`; MySQL reports it as the last insert id.
#[test]
fn insert_one_row() {
    let mut ann = User::new("Ann", "ann@example.com");
    ann.id = 42;
    assert_golden(
        lower_insert_one(users(&[ann])),
        [
            r#"INSERT INTO "users" ("name", "email") VALUES (?, ?) RETURNING "id""#,
            r#"INSERT INTO "users" ("name", "email") VALUES ($1, $2) RETURNING "id""#,
            "INSERT INTO `users` (`name`, `email`) VALUES (?, ?)",
        ],
        &[p("name", text("Ann")), p("email", text("ann@example.com"))],
    );
}

#[test]
fn insert_many_rows() {
    let stmt = users(&[
        User::new("Ann", "a@x"),
        User::new("Bob", "b@x"),
        User::new("Cy", "c@x"),
    ]);
    assert_golden(
        lower_insert_one(stmt),
        [
            r#"INSERT INTO "users" ("name", "email") VALUES (?, ?), (?, ?), (?, ?) RETURNING "id""#,
            r#"INSERT INTO "users" ("name", "email") VALUES ($1, $2), ($3, $4), ($5, $6) RETURNING "id""#,
            "INSERT INTO `users` (`name`, `email`) VALUES (?, ?), (?, ?), (?, ?)",
        ],
        &[
            p("name", text("Ann")),
            p("email", text("a@x")),
            p("name", text("Bob")),
            p("email", text("b@x")),
            p("name", text("Cy")),
            p("email", text("c@x")),
        ],
    );
}

/// The auto key sits first in `Todo`; a `None` is bound as NULL.
#[test]
fn insert_with_a_null_value() {
    let mut todo = Todo::new(3, "walk", 2);
    todo.note = None;
    let stmt = InsertStmt {
        table: TableDef::of::<Todo>(),
        rows: vec![row(&todo)],
    };
    assert_golden(
        lower_insert_one(stmt),
        [
            r#"INSERT INTO "todos" ("owner_id", "title", "done", "priority", "note") VALUES (?, ?, ?, ?, ?) RETURNING "id""#,
            r#"INSERT INTO "todos" ("owner_id", "title", "done", "priority", "note") VALUES ($1, $2, $3, $4, $5) RETURNING "id""#,
            "INSERT INTO `todos` (`owner_id`, `title`, `done`, `priority`, `note`) VALUES (?, ?, ?, ?, ?)",
        ],
        &[
            p("owner_id", Value::I64(3)),
            p("title", text("walk")),
            p("done", Value::Bool(false)),
            p("priority", Value::I16(2)),
            p("note", Value::Null),
        ],
    );
}

/// No `auto` column: every column is written and nothing is returned.
#[test]
fn insert_without_auto_key_has_no_returning() {
    let msg = Message {
        channel: "general".into(),
        sent_at: 17,
        body: "hi".into(),
    };
    let stmt = InsertStmt {
        table: TableDef::of::<Message>(),
        rows: vec![row(&msg)],
    };
    assert_golden(
        lower_insert_one(stmt),
        [
            r#"INSERT INTO "messages" ("channel", "sent_at", "body") VALUES (?, ?, ?)"#,
            r#"INSERT INTO "messages" ("channel", "sent_at", "body") VALUES ($1, $2, $3)"#,
            "INSERT INTO `messages` (`channel`, `sent_at`, `body`) VALUES (?, ?, ?)",
        ],
        &[
            p("channel", text("general")),
            p("sent_at", Value::I64(17)),
            p("body", text("hi")),
        ],
    );
}

/// Every value type is bound as itself, in column order.
#[test]
fn insert_every_value_type() {
    let stmt = InsertStmt {
        table: TableDef::of::<Kinds>(),
        rows: vec![row(&Kinds::sample("k"))],
    };
    let columns = "key, flag, small, medium, large, unsigned_, huge, single, double_, text_, \
                   bytes_, maybe_int, maybe_text, maybe_bytes, maybe_double, tiny, octet, word";
    let quoted = |q: &str| {
        columns
            .split(", ")
            .map(|c| format!("{q}{c}{q}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let marks = vec!["?"; 18].join(", ");
    let numbered = (1..=18).map(|n| format!("${n}")).collect::<Vec<_>>();
    let sql = [
        format!(r#"INSERT INTO "kinds" ({}) VALUES ({marks})"#, quoted("\"")),
        format!(
            r#"INSERT INTO "kinds" ({}) VALUES ({})"#,
            quoted("\""),
            numbered.join(", ")
        ),
        format!("INSERT INTO `kinds` ({}) VALUES ({marks})", quoted("`")),
    ];
    assert_golden(
        lower_insert_one(stmt),
        [&sql[0], &sql[1], &sql[2]],
        &[
            p("key", text("k")),
            p("flag", Value::Bool(true)),
            p("small", Value::I16(-12)),
            p("medium", Value::I32(70_000)),
            p("large", Value::I64(1 << 40)),
            p("unsigned_", Value::U32(u32::MAX)),
            p("huge", Value::U64(1 << 62)),
            p("single", Value::F32(1.5)),
            p("double_", Value::F64(-2.25)),
            p("text_", text("plain")),
            p("bytes_", Value::Bytes(vec![0, 1, 2, 255])),
            p("maybe_int", Value::I64(7)),
            p("maybe_text", Value::Null),
            p("maybe_bytes", Value::Bytes(vec![])),
            p("maybe_double", Value::Null),
            // `i8` and `u8` bind as `I16`, `u16` as `I32`.
            p("tiny", Value::I16(-100)),
            p("octet", Value::I16(200)),
            p("word", Value::I32(60_000)),
        ],
    );
}

#[test]
fn insert_no_rows_is_no_statement() {
    for got in lower_insert(users(&[])) {
        assert!(got.is_empty());
    }
}

/// A table whose only column is its auto key: each row takes the defaults, one
/// statement per row. MySQL has no `DEFAULT VALUES`.
#[test]
fn insert_into_a_table_with_only_an_auto_key() {
    const ID: ColumnDef = Column::<User, i64, PrimaryKey>::new("id").auto().def();
    let table = TableDef {
        entity: "Counter",
        name: "counters",
        columns: &[ID],
        indexes: &[],
        foreign_keys: &[],
        layout: None,
    };
    let stmt = InsertStmt {
        table,
        rows: vec![vec![Value::I64(0)], vec![Value::I64(0)]],
    };
    let [sqlite, postgres, mysql] = lower_insert(stmt);
    let twice = |sql: &str| vec![lowered(sql, &[]), lowered(sql, &[])];
    assert_eq!(
        sqlite,
        twice(r#"INSERT INTO "counters" DEFAULT VALUES RETURNING "id""#)
    );
    assert_eq!(
        postgres,
        twice(r#"INSERT INTO "counters" DEFAULT VALUES RETURNING "id""#)
    );
    assert_eq!(mysql, twice("INSERT INTO `counters` () VALUES ()"));
}

#[test]
fn update_query_sets_columns_then_filters() {
    let stmt = Todo::query()
        .filter(Todo::OWNER_ID.eq(7))
        .filter(Todo::PRIORITY.lt(3))
        .update()
        .set(Todo::DONE, true)
        .set(Todo::NOTE, None::<String>)
        .into_stmt()
        .expect("valid update");
    assert_golden(
        lower_update(stmt),
        [
            r#"UPDATE "todos" SET "done" = ?, "note" = ? WHERE "owner_id" = ? AND "priority" < ?"#,
            r#"UPDATE "todos" SET "done" = $1, "note" = $2 WHERE "owner_id" = $3 AND "priority" < $4"#,
            "UPDATE `todos` SET `done` = ?, `note` = ? WHERE `owner_id` = ? AND `priority` < ?",
        ],
        &[
            p("done", Value::Bool(true)),
            p("note", Value::Null),
            p("owner_id", Value::I64(7)),
            p("priority", Value::I16(3)),
        ],
    );
}

/// Setting a column twice keeps one assignment, with the later value.
#[test]
fn update_by_key() {
    let stmt = User::update(5)
        .set(User::NAME, "Bo")
        .set(User::EMAIL, "bo@x")
        .set(User::NAME, "Bob")
        .into_stmt()
        .expect("valid update");
    assert_golden(
        lower_update(stmt),
        [
            r#"UPDATE "users" SET "name" = ?, "email" = ? WHERE "id" = ?"#,
            r#"UPDATE "users" SET "name" = $1, "email" = $2 WHERE "id" = $3"#,
            "UPDATE `users` SET `name` = ?, `email` = ? WHERE `id` = ?",
        ],
        &[
            p("name", text("Bob")),
            p("email", text("bo@x")),
            p("id", Value::I64(5)),
        ],
    );
}

#[test]
fn update_by_composite_key() {
    let stmt = Message::update(("general".to_owned(), 9))
        .set(Message::BODY, "edited")
        .into_stmt()
        .expect("valid update");
    assert_golden(
        lower_update(stmt),
        [
            r#"UPDATE "messages" SET "body" = ? WHERE "channel" = ? AND "sent_at" = ?"#,
            r#"UPDATE "messages" SET "body" = $1 WHERE "channel" = $2 AND "sent_at" = $3"#,
            "UPDATE `messages` SET `body` = ? WHERE `channel` = ? AND `sent_at` = ?",
        ],
        &[
            p("body", text("edited")),
            p("channel", text("general")),
            p("sent_at", Value::I64(9)),
        ],
    );
}

#[test]
fn update_every_row() {
    let stmt = Todo::query()
        .update()
        .set(Todo::DONE, false)
        .into_stmt()
        .expect("valid update");
    assert_golden(
        lower_update(stmt),
        [
            r#"UPDATE "todos" SET "done" = ?"#,
            r#"UPDATE "todos" SET "done" = $1"#,
            "UPDATE `todos` SET `done` = ?",
        ],
        &[p("done", Value::Bool(false))],
    );
}

#[test]
fn delete_with_filter() {
    let stmt = Todo::query()
        .filter(Todo::DONE.eq(true).or(Todo::NOTE.is_null()))
        .filter(Todo::OWNER_ID.in_list([1, 2]))
        .delete()
        .into_stmt()
        .expect("valid delete");
    let each = [
        p("done", Value::Bool(true)),
        p("owner_id", Value::I64(1)),
        p("owner_id", Value::I64(2)),
    ];
    let array = [
        p("done", Value::Bool(true)),
        list("owner_id", vec![Value::I64(1), Value::I64(2)]),
    ];
    assert_golden_each(
        lower_delete(stmt),
        [
            r#"DELETE FROM "todos" WHERE ("done" = ? OR "note" IS NULL) AND "owner_id" IN (?, ?)"#,
            r#"DELETE FROM "todos" WHERE ("done" = $1 OR "note" IS NULL) AND "owner_id" = ANY($2)"#,
            "DELETE FROM `todos` WHERE (`done` = ? OR `note` IS NULL) AND `owner_id` IN (?, ?)",
        ],
        [&each, &array, &each],
    );
}

#[test]
fn delete_by_key() {
    let stmt = Message::delete(("general".to_owned(), 9))
        .into_stmt()
        .expect("valid delete");
    assert_golden(
        lower_delete(stmt),
        [
            r#"DELETE FROM "messages" WHERE "channel" = ? AND "sent_at" = ?"#,
            r#"DELETE FROM "messages" WHERE "channel" = $1 AND "sent_at" = $2"#,
            "DELETE FROM `messages` WHERE `channel` = ? AND `sent_at` = ?",
        ],
        &[p("channel", text("general")), p("sent_at", Value::I64(9))],
    );
}

#[test]
fn delete_without_filter() {
    let stmt = User::query().delete().into_stmt().expect("valid delete");
    assert_golden(
        lower_delete(stmt),
        [
            r#"DELETE FROM "users""#,
            r#"DELETE FROM "users""#,
            "DELETE FROM `users`",
        ],
        &[],
    );
}

/// An empty-`IN` filter deletes nothing rather than being a syntax error.
#[test]
fn delete_with_empty_in_list() {
    let stmt = User::query()
        .filter(User::ID.in_list(Vec::<i64>::new()))
        .delete()
        .into_stmt()
        .expect("valid delete");
    assert_golden(
        lower_delete(stmt),
        [
            r#"DELETE FROM "users" WHERE 1 = 0"#,
            r#"DELETE FROM "users" WHERE 1 = 0"#,
            "DELETE FROM `users` WHERE 1 = 0",
        ],
        &[],
    );
}

/// A path inside a document: set in place (one expression per document
/// column), on the condition that the path's parent is an object.
#[test]
fn update_paths_inside_a_document() {
    use model::Reading;
    let stmt = Reading::query()
        .filter(Reading::LEVEL.eq(model::Level::Alarm))
        .update()
        .set_path(Reading::META.path(["labels", "color"]), "red")
        .set_path(Reading::META.path(["ratio"]), 0.5)
        .into_stmt()
        .expect("valid update");
    let [sqlite, postgres, mysql] = lower_update(stmt);
    assert_eq!(
        sqlite.sql,
        r#"UPDATE "readings" SET "meta" = json_set(json_set("meta", ?, json(?)), ?, json(?)) WHERE "level" = ? AND json_type("meta", ?) = 'object' AND json_type("meta", ?) = 'object'"#
    );
    assert_eq!(
        postgres.sql,
        r#"UPDATE "readings" SET "meta" = jsonb_set(jsonb_set("meta", $1, $2, true), $3, $4, true) WHERE "level" = $5 AND jsonb_typeof(("meta" -> $6)) = 'object' AND jsonb_typeof(("meta")) = 'object'"#
    );
    assert_eq!(
        mysql.sql,
        "UPDATE `readings` SET `meta` = JSON_SET(JSON_SET(`meta`, ?, JSON_EXTRACT(?, '$')), ?, JSON_EXTRACT(?, '$')) WHERE `level` = ? AND JSON_TYPE(JSON_EXTRACT(`meta`, ?)) = 'OBJECT' AND JSON_TYPE(JSON_EXTRACT(`meta`, ?)) = 'OBJECT'"
    );
    assert_eq!(
        postgres.params[0].value,
        keyway_sql::Bound::One(Value::List(vec![text("labels"), text("color")]))
    );
    assert_eq!(
        sqlite.params[0].value,
        keyway_sql::Bound::One(text(r#"$."labels"."color""#))
    );
    assert_eq!(
        sqlite.params[1].value,
        keyway_sql::Bound::One(Value::Json(r#""red""#.into()))
    );
}

/// An increment adds in the database; SQLite (and Turso) write the sum only
/// when it fits the column's type, NULL otherwise, which NOT NULL refuses.
/// A versioned entity's version goes up by 1 with every update, unguarded.
#[test]
fn update_with_increments() {
    let stmt = Account::update(3)
        .increment(Account::BALANCE, -5)
        .increment(Account::VISITS, 1)
        .increment(Account::RATING, 0.5)
        .into_stmt()
        .expect("valid update");
    let once = [
        p("balance", Value::I64(-5)),
        p("visits", Value::I32(1)),
        p("rating", Value::F64(0.5)),
        p("version", Value::I64(1)),
        p("id", Value::I64(3)),
    ];
    // SQLite binds each integer amount twice, in the guard and in the sum;
    // a version's once (it never nears the end of its range).
    let twice = [0, 0, 1, 1, 2, 3, 4].map(|i| once[i].clone());
    assert_golden_each(
        lower_update(stmt),
        [
            concat!(
                r#"UPDATE "ledger_accounts" SET "balance" = CASE WHEN typeof("balance" + ?) = 'integer' THEN "balance" + ? END, "#,
                r#""visits" = CASE WHEN "visits" + ? BETWEEN -2147483648 AND 2147483647 THEN "visits" + ? END, "#,
                r#""rating" = "rating" + ?, "#,
                r#""version" = "version" + ? WHERE "id" = ?"#,
            ),
            r#"UPDATE "ledger_accounts" SET "balance" = "balance" + $1, "visits" = "visits" + $2, "rating" = "rating" + $3, "version" = "version" + $4 WHERE "id" = $5"#,
            "UPDATE `ledger_accounts` SET `balance` = `balance` + ?, `visits` = `visits` + ?, `rating` = `rating` + ?, `version` = `version` + ? WHERE `id` = ?",
        ],
        [&twice, &once, &once],
    );
}

/// `only_if` and a version check join the key in the `WHERE` clause, an
/// `OR` in parentheses.
#[test]
fn conditional_update_and_delete() {
    let stmt = Account::update(3)
        .set(Account::OWNER, "Ann")
        .if_version(4)
        .only_if(Account::FROZEN.eq(false).or(Account::BALANCE.gt(0)))
        .into_stmt()
        .expect("valid update");
    let [sqlite, postgres, mysql] = lower_update(stmt);
    assert_eq!(
        sqlite.sql,
        r#"UPDATE "ledger_accounts" SET "owner" = ?, "version" = "version" + ? WHERE "id" = ? AND "version" = ? AND ("frozen" = ? OR "balance" > ?)"#
    );
    assert_eq!(
        postgres.sql,
        r#"UPDATE "ledger_accounts" SET "owner" = $1, "version" = "version" + $2 WHERE "id" = $3 AND "version" = $4 AND ("frozen" = $5 OR "balance" > $6)"#
    );
    assert_eq!(
        mysql.sql,
        "UPDATE `ledger_accounts` SET `owner` = ?, `version` = `version` + ? WHERE `id` = ? AND `version` = ? AND (`frozen` = ? OR `balance` > ?)"
    );
    let stmt = Todo::delete(7)
        .only_if(Todo::DONE.eq(false))
        .into_stmt()
        .expect("valid delete");
    assert_golden(
        lower_delete(stmt),
        [
            r#"DELETE FROM "todos" WHERE "id" = ? AND "done" = ?"#,
            r#"DELETE FROM "todos" WHERE "id" = $1 AND "done" = $2"#,
            "DELETE FROM `todos` WHERE `id` = ? AND `done` = ?",
        ],
        &[p("id", Value::I64(7)), p("done", Value::Bool(false))],
    );
}

/// `.returning()`: the update or delete, then every column in `COLUMNS`
/// order. (MariaDB runs the delete's form; an update there, and both on
/// MySQL, lock, write and read again instead.)
#[test]
fn update_and_delete_returning() {
    let stmt = User::update(5)
        .set(User::NAME, "Bob")
        .returning()
        .into_stmt()
        .expect("valid update");
    assert_golden(
        [
            update_returning::<Sqlite>(stmt.clone()),
            update_returning::<Postgres>(stmt.clone()),
            update_returning::<MySql>(stmt),
        ],
        [
            r#"UPDATE "users" SET "name" = ? WHERE "id" = ? RETURNING "id", "name", "email""#,
            r#"UPDATE "users" SET "name" = $1 WHERE "id" = $2 RETURNING "id", "name", "email""#,
            "UPDATE `users` SET `name` = ? WHERE `id` = ? RETURNING `id`, `name`, `email`",
        ],
        &[p("name", text("Bob")), p("id", Value::I64(5))],
    );
    let stmt = User::query()
        .filter(User::NAME.eq("Bob"))
        .delete()
        .returning()
        .into_stmt()
        .expect("valid delete");
    assert_golden(
        [
            delete_returning::<Sqlite>(stmt.clone()),
            delete_returning::<Postgres>(stmt.clone()),
            delete_returning::<MySql>(stmt),
        ],
        [
            r#"DELETE FROM "users" WHERE "name" = ? RETURNING "id", "name", "email""#,
            r#"DELETE FROM "users" WHERE "name" = $1 RETURNING "id", "name", "email""#,
            "DELETE FROM `users` WHERE `name` = ? RETURNING `id`, `name`, `email`",
        ],
        &[p("name", text("Bob"))],
    );
}

/// An upsert asked which rows it inserted: PostgreSQL's statement returns
/// each row's target and `xmax = 0`; the other dialects' statement is
/// unchanged (keyway upserts row by row there to know).
#[test]
fn upsert_reporting_inserts() {
    use keyway::UpsertStmt;
    let stmt = UpsertStmt {
        table: TableDef::of::<User>(),
        rows: vec![vec![Value::I64(0), text("Ann"), text("ann@x")]],
        target: vec!["email"],
        update: vec!["name"],
        report: true,
    };
    let [pg] = <[Lowered; 1]>::try_from(keyway_sql::upsert::<Postgres>(stmt.clone())).unwrap();
    assert_eq!(
        pg.sql,
        r#"INSERT INTO "users" ("name", "email") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name" RETURNING "email", (xmax = 0)"#
    );
    let [lite] = <[Lowered; 1]>::try_from(keyway_sql::upsert::<Sqlite>(stmt)).unwrap();
    assert!(!lite.sql.contains("RETURNING"), "{}", lite.sql);
}
