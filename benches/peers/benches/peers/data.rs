//! The one data set and schema every library runs on.
//!
//! The schema is keyway's: `create_schema::<(User, Todo)>()` runs on a scratch
//! database, its DDL is read back from `sqlite_master`, and that exact text
//! creates the tables of every other library's database. The rows are the same
//! `INSERT` script run through each library's own connection.

use keyway_sqlite::Sqlite;

use crate::model::{Todo, User};

/// Users in the read database; `get_by_key` cycles through their ids.
pub const USERS: usize = 1_000;
/// Rows per batch in `insert_1000`.
pub const BATCH: usize = 1_000;
/// Users that own todos (ids `1..=OWNERS`); `eager_100x10` loads exactly them.
pub const OWNERS: i64 = 100;
/// Todos per owner.
pub const TODOS_PER_OWNER: usize = 10;

/// The DDL keyway generates for `users` and `todos`, one statement per item.
pub async fn keyway_ddl() -> Vec<String> {
    let db = Sqlite::memory().await.expect("open scratch database");
    db.create_schema::<(User, Todo)>()
        .await
        .expect("create schema");
    db.executor()
        .with_connection(|conn| {
            conn.prepare(
                "SELECT sql FROM sqlite_master \
                 WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<keyway_sqlite::rusqlite::Result<Vec<String>>>()
        })
        .await
        .expect("a pooled connection")
        .expect("read schema")
}

/// The schema as one script (statements separated by `;`).
pub fn schema_script(ddl: &[String]) -> String {
    let mut script = String::new();
    for statement in ddl {
        script.push_str(statement);
        script.push_str(";\n");
    }
    script
}

/// Name and email of the `i`-th seeded user.
pub fn seed_user(i: usize) -> (String, String) {
    (format!("user {i}"), format!("user{i}@example.com"))
}

/// Name and email of the `i`-th user of an insert batch (the same every batch:
/// the table is emptied in between).
pub fn batch_user(i: usize) -> (String, String) {
    (format!("new {i}"), format!("new{i}@example.com"))
}

/// The rows, for tables created by [`schema_script`] (or by keyway itself):
/// `USERS` users (ids 1..=1000 on a fresh table), and `TODOS_PER_OWNER` todos
/// for each of the first `OWNERS` users.
pub fn rows_script() -> String {
    rows_script_with(|done| if done { "1" } else { "0" })
}

/// The same rows for PostgreSQL, whose `BOOLEAN` column takes no integers.
pub fn rows_script_pg() -> String {
    rows_script_with(|done| if done { "TRUE" } else { "FALSE" })
}

/// The rows, with `done` written by `boolean`.
fn rows_script_with(boolean: fn(bool) -> &'static str) -> String {
    let mut script = String::from("INSERT INTO users (name, email) VALUES ");
    for i in 0..USERS {
        let (name, email) = seed_user(i);
        if i > 0 {
            script.push_str(", ");
        }
        script.push_str(&format!("('{name}', '{email}')"));
    }
    script.push_str(";\nINSERT INTO todos (owner_id, title, done, priority, note) VALUES ");
    let mut first = true;
    for owner in 1..=OWNERS {
        for t in 0..TODOS_PER_OWNER {
            if !first {
                script.push_str(", ");
            }
            first = false;
            let done = boolean(t % 3 == 0);
            let note = if t % 2 == 0 {
                "NULL".to_string()
            } else {
                format!("'note {t}'")
            };
            script.push_str(&format!(
                "({owner}, 'todo {owner}.{t}', {done}, {t}, {note})"
            ));
        }
    }
    script.push_str(";\n");
    script
}
