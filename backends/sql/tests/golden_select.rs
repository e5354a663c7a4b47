//! Golden tests: the shape of `SELECT` (columns, projection, count, order, limit,
//! offset) on every dialect.

mod common;
#[path = "../../../tests/model/mod.rs"]
mod model;

use common::{assert_golden, p, text};
use keyway::prelude::*;
use keyway::{Query, Select, SelectStmt, Selection, TableDef, Value};
use keyway_sql::{Lowered, MySql, Postgres, Sqlite, select};
use model::{Message, Todo, User};

fn lower(stmt: &SelectStmt) -> [Lowered; 3] {
    [
        select::<Sqlite>(stmt),
        select::<Postgres>(stmt),
        select::<MySql>(stmt),
    ]
}

#[test]
fn all_columns() {
    let q = Select::<User>::new();
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "name", "email" FROM "users""#,
            r#"SELECT "id", "name", "email" FROM "users""#,
            r#"SELECT `id`, `name`, `email` FROM `users`"#,
        ],
        &[],
    );
}

#[test]
fn all_columns_of_a_wide_table_in_declaration_order() {
    let q = Todo::query();
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos""#,
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos""#,
            r#"SELECT `id`, `owner_id`, `title`, `done`, `priority`, `note` FROM `todos`"#,
        ],
        &[],
    );
}

#[test]
fn order_by_several_columns() {
    let q = Todo::query()
        .order_by(Todo::PRIORITY.desc())
        .order_by(Todo::TITLE.asc())
        .order_by(Todo::ID.desc());
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" ORDER BY "priority" DESC, "title" ASC, "id" DESC"#,
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" ORDER BY "priority" DESC, "title" ASC, "id" DESC"#,
            r#"SELECT `id`, `owner_id`, `title`, `done`, `priority`, `note` FROM `todos` ORDER BY `priority` DESC, `title` ASC, `id` DESC"#,
        ],
        &[],
    );
}

#[test]
fn limit() {
    let q = User::query().limit(10);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 10"#,
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 10"#,
            r#"SELECT `id`, `name`, `email` FROM `users` LIMIT 10"#,
        ],
        &[],
    );
}

#[test]
fn limit_zero() {
    let q = User::query().limit(0);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 0"#,
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 0"#,
            r#"SELECT `id`, `name`, `email` FROM `users` LIMIT 0"#,
        ],
        &[],
    );
}

/// Each dialect spells "no limit" its own way: an offset needs a limit on
/// SQLite and MySQL.
#[test]
fn offset_alone() {
    let q = User::query().offset(20);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "name", "email" FROM "users" LIMIT -1 OFFSET 20"#,
            r#"SELECT "id", "name", "email" FROM "users" LIMIT ALL OFFSET 20"#,
            r#"SELECT `id`, `name`, `email` FROM `users` LIMIT 18446744073709551615 OFFSET 20"#,
        ],
        &[],
    );
}

#[test]
fn limit_and_offset() {
    let q = User::query().offset(20).limit(10);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 10 OFFSET 20"#,
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 10 OFFSET 20"#,
            r#"SELECT `id`, `name`, `email` FROM `users` LIMIT 10 OFFSET 20"#,
        ],
        &[],
    );
}

/// SQLite ("datatype mismatch") and PostgreSQL ("bigint out of range") reject a
/// count above `i64::MAX`; `limit(u64::MAX)` means "no limit" and is clamped.
#[test]
fn limit_and_offset_beyond_i64_are_clamped() {
    let q = User::query().limit(u64::MAX).offset(u64::MAX - 1);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 9223372036854775807 OFFSET 9223372036854775807"#,
            r#"SELECT "id", "name", "email" FROM "users" LIMIT 9223372036854775807 OFFSET 9223372036854775807"#,
            r#"SELECT `id`, `name`, `email` FROM `users` LIMIT 9223372036854775807 OFFSET 9223372036854775807"#,
        ],
        &[],
    );
    let q = User::query().offset(u64::MAX);
    let [sqlite, postgres, mysql] = lower(q.statement());
    assert!(sqlite.sql.ends_with(" LIMIT -1 OFFSET 9223372036854775807"));
    assert!(
        postgres
            .sql
            .ends_with(" LIMIT ALL OFFSET 9223372036854775807")
    );
    assert!(
        mysql
            .sql
            .ends_with(" LIMIT 18446744073709551615 OFFSET 9223372036854775807")
    );
}

#[test]
fn filter_order_limit_offset_together() {
    let q = Todo::query()
        .filter(Todo::OWNER_ID.eq(7))
        .filter(Todo::DONE.eq(false))
        .order_by(Todo::PRIORITY.desc())
        .limit(5)
        .offset(15);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" WHERE "owner_id" = ? AND "done" = ? ORDER BY "priority" DESC LIMIT 5 OFFSET 15"#,
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" WHERE "owner_id" = $1 AND "done" = $2 ORDER BY "priority" DESC LIMIT 5 OFFSET 15"#,
            r#"SELECT `id`, `owner_id`, `title`, `done`, `priority`, `note` FROM `todos` WHERE `owner_id` = ? AND `done` = ? ORDER BY `priority` DESC LIMIT 5 OFFSET 15"#,
        ],
        &[p("owner_id", Value::I64(7)), p("done", Value::Bool(false))],
    );
}

#[test]
fn projection_of_two_columns() {
    let q = User::query().select((User::NAME, User::EMAIL));
    let (stmt, _, _) = q.into_parts();
    assert_eq!(stmt.selection, Selection::Columns(vec!["name", "email"]));
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT "name", "email" FROM "users""#,
            r#"SELECT "name", "email" FROM "users""#,
            r#"SELECT `name`, `email` FROM `users`"#,
        ],
        &[],
    );
}

#[test]
fn projection_of_one_column_with_filter_order_and_limit() {
    let q = Todo::query()
        .filter(Todo::TITLE.ne("x"))
        .select(Todo::PRIORITY)
        .order_by(Todo::PRIORITY.asc())
        .limit(3);
    let (stmt, _, _) = q.into_parts();
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT "priority" FROM "todos" WHERE "title" <> ? ORDER BY "priority" ASC LIMIT 3"#,
            r#"SELECT "priority" FROM "todos" WHERE "title" <> $1 ORDER BY "priority" ASC LIMIT 3"#,
            r#"SELECT `priority` FROM `todos` WHERE `title` <> ? ORDER BY `priority` ASC LIMIT 3"#,
        ],
        &[p("title", text("x"))],
    );
}

#[test]
fn projection_keeps_the_given_order_and_repeats() {
    let q = User::query().select((User::EMAIL, User::ID, User::EMAIL));
    let (stmt, _, _) = q.into_parts();
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT "email", "id", "email" FROM "users""#,
            r#"SELECT "email", "id", "email" FROM "users""#,
            r#"SELECT `email`, `id`, `email` FROM `users`"#,
        ],
        &[],
    );
}

#[test]
fn count_all() {
    let mut stmt = SelectStmt::new(TableDef::of::<User>());
    stmt.selection = Selection::Count;
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT COUNT(*) FROM "users""#,
            r#"SELECT COUNT(*) FROM "users""#,
            r#"SELECT COUNT(*) FROM `users`"#,
        ],
        &[],
    );
}

#[test]
fn count_with_filter() {
    let mut stmt = User::query()
        .filter(User::NAME.eq("Ann"))
        .statement()
        .clone();
    stmt.selection = Selection::Count;
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT COUNT(*) FROM "users" WHERE "name" = ?"#,
            r#"SELECT COUNT(*) FROM "users" WHERE "name" = $1"#,
            r#"SELECT COUNT(*) FROM `users` WHERE `name` = ?"#,
        ],
        &[p("name", text("Ann"))],
    );
}

#[test]
fn composite_key_lookup() {
    let q = Message::query()
        .filter(Message::CHANNEL.eq("general"))
        .filter(Message::SENT_AT.ge(1_000))
        .order_by(Message::SENT_AT.desc())
        .limit(50);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "channel", "sent_at", "body" FROM "messages" WHERE "channel" = ? AND "sent_at" >= ? ORDER BY "sent_at" DESC LIMIT 50"#,
            r#"SELECT "channel", "sent_at", "body" FROM "messages" WHERE "channel" = $1 AND "sent_at" >= $2 ORDER BY "sent_at" DESC LIMIT 50"#,
            r#"SELECT `channel`, `sent_at`, `body` FROM `messages` WHERE `channel` = ? AND `sent_at` >= ? ORDER BY `sent_at` DESC LIMIT 50"#,
        ],
        &[
            p("channel", text("general")),
            p("sent_at", Value::I64(1_000)),
        ],
    );
}

/// `.scan()` is a DynamoDB opt-in: SQL is the same with or without it.
#[test]
fn scan_changes_nothing() {
    let plain = User::query().filter(User::NAME.eq("Ann"));
    let scanned = plain.clone().scan();
    assert!(scanned.statement().scan);
    assert_eq!(lower(plain.statement()), lower(scanned.statement()));
}

/// A locking read: `FOR UPDATE` / `FOR SHARE` with `SKIP LOCKED` or
/// `NOWAIT` after the limit on PostgreSQL and MySQL (MariaDB has no `FOR
/// SHARE`: `LOCK IN SHARE MODE`); SQLite, which locks the whole database,
/// reads as without one.
#[test]
fn locking_reads() {
    use keyway::{LockMode, LockWait, RowLock};
    let mut stmt = Todo::query()
        .filter(Todo::DONE.eq(false))
        .limit(1)
        .statement()
        .clone();
    stmt.selection = Selection::Columns(vec!["id"]);
    stmt.lock = Some(RowLock {
        mode: LockMode::Update,
        wait: LockWait::SkipLocked,
    });
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT "id" FROM "todos" WHERE "done" = ? LIMIT 1"#,
            r#"SELECT "id" FROM "todos" WHERE "done" = $1 LIMIT 1 FOR UPDATE SKIP LOCKED"#,
            "SELECT `id` FROM `todos` WHERE `done` = ? LIMIT 1 FOR UPDATE SKIP LOCKED",
        ],
        &[p("done", Value::Bool(false))],
    );
    stmt.lock = Some(RowLock {
        mode: LockMode::Share,
        wait: LockWait::NoWait,
    });
    stmt.limit = None;
    assert_golden(
        lower(&stmt),
        [
            r#"SELECT "id" FROM "todos" WHERE "done" = ?"#,
            r#"SELECT "id" FROM "todos" WHERE "done" = $1 FOR SHARE NOWAIT"#,
            "SELECT `id` FROM `todos` WHERE `done` = ? LOCK IN SHARE MODE NOWAIT",
        ],
        &[p("done", Value::Bool(false))],
    );
}

/// Aggregates per group: a sum of integers cast to `BIGINT` on PostgreSQL
/// (whose sum of `bigint` is a `numeric`), an average cast to a float on
/// PostgreSQL and MySQL; `HAVING` binds its values.
#[test]
fn group_by_having_and_aggregates() {
    use keyway::{avg, count, count_distinct, max, sum};
    let q = model::Todo::query()
        .filter(model::Todo::DONE.eq(false))
        .group_by(model::Todo::OWNER_ID)
        .having(count().gt(1).and(sum(model::Todo::PRIORITY).le(9)))
        .select((
            model::Todo::OWNER_ID,
            count(),
            count_distinct(model::Todo::TITLE),
            sum(model::Todo::PRIORITY),
            max(model::Todo::PRIORITY),
            avg(model::Todo::PRIORITY),
        ))
        .order_by(model::Todo::OWNER_ID.asc())
        .limit(3);
    assert_golden(
        lower(q.statement()),
        [
            r#"SELECT "owner_id", COUNT(*), COUNT(DISTINCT "title"), SUM("priority"), MAX("priority"), AVG("priority") FROM "todos" WHERE "done" = ? GROUP BY "owner_id" HAVING COUNT(*) > ? AND SUM("priority") <= ? ORDER BY "owner_id" ASC LIMIT 3"#,
            r#"SELECT "owner_id", COUNT(*), COUNT(DISTINCT "title"), CAST(SUM("priority") AS BIGINT), MAX("priority"), CAST(AVG("priority") AS DOUBLE PRECISION) FROM "todos" WHERE "done" = $1 GROUP BY "owner_id" HAVING COUNT(*) > $2 AND CAST(SUM("priority") AS BIGINT) <= $3 ORDER BY "owner_id" ASC LIMIT 3"#,
            "SELECT `owner_id`, COUNT(*), COUNT(DISTINCT `title`), SUM(`priority`), MAX(`priority`), (AVG(`priority`) + 0E0) FROM `todos` WHERE `done` = ? GROUP BY `owner_id` HAVING COUNT(*) > ? AND SUM(`priority`) <= ? ORDER BY `owner_id` ASC LIMIT 3",
        ],
        &[
            p("done", Value::Bool(false)),
            p("count", Value::I64(1)),
            p("priority", Value::I64(9)),
        ],
    );
}

/// The first page of a paginated query: the query's order, the key as the
/// last tiebreak, and one row past the page size (which says whether a
/// next page exists). The pages after it add the cursor's keyset to the
/// filter (`pages_in_a_column_order` in the suite shows it).
#[test]
fn first_page() {
    let q = Todo::query()
        .filter(Todo::DONE.eq(false))
        .order_by(Todo::PRIORITY.desc())
        .paginate(20);
    assert_golden(
        lower(&q.statement().unwrap()),
        [
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" WHERE "done" = ? ORDER BY "priority" DESC, "id" ASC LIMIT 21"#,
            r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" WHERE "done" = $1 ORDER BY "priority" DESC, "id" ASC LIMIT 21"#,
            "SELECT `id`, `owner_id`, `title`, `done`, `priority`, `note` FROM `todos` WHERE `done` = ? ORDER BY `priority` DESC, `id` ASC LIMIT 21",
        ],
        &[p("done", Value::Bool(false))],
    );
}
