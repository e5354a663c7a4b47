//! Eager loading on in-memory SQLite: 100 users x 10 todos, keyway's
//! `include` against the same two queries written by hand with raw rusqlite
//! (cached prepared statements, rows mapped by hand) on the connection
//! keyway's pool holds.
//!
//! Run with `cargo bench --bench sqlite_relations`; results are in `BENCHMARKS.md`.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use keyway::prelude::*;
use keyway_sqlite::Sqlite;
use keyway_sqlite::rusqlite::{self, Connection, Row};

#[path = "../tests/model/mod.rs"]
mod model;

use model::{Todo, User};

const USERS: usize = 100;
const TODOS_PER_USER: usize = 10;

fn raw_todo(row: &Row<'_>) -> rusqlite::Result<Todo> {
    Ok(Todo {
        id: row.get(0)?,
        owner_id: row.get(1)?,
        title: row.get(2)?,
        done: row.get(3)?,
        priority: row.get(4)?,
        note: row.get(5)?,
    })
}

/// The baseline: the parents, then their children in one `IN (...)` query,
/// grouped by owner in the parents' order.
fn raw_eager(conn: &Connection) -> rusqlite::Result<Vec<(User, Vec<Todo>)>> {
    let users: Vec<User> = conn
        .prepare_cached(r#"SELECT "id", "name", "email" FROM "users""#)?
        .query_map([], |r| {
            Ok(User {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut sql = String::from(
        r#"SELECT "id", "owner_id", "title", "done", "priority", "note" FROM "todos" WHERE "owner_id" IN ("#,
    );
    for i in 0..users.len() {
        sql.push_str(if i == 0 { "?" } else { ", ?" });
    }
    sql.push_str(r#") ORDER BY "owner_id" ASC, "id" ASC"#);
    let mut statement = conn.prepare_cached(&sql)?;
    for (i, u) in users.iter().enumerate() {
        statement.raw_bind_parameter(i + 1, u.id)?;
    }
    let mut by_owner: HashMap<i64, Vec<Todo>> = HashMap::with_capacity(users.len());
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next()? {
        let todo = raw_todo(row)?;
        by_owner.entry(todo.owner_id).or_default().push(todo);
    }
    Ok(users
        .into_iter()
        .map(|u| {
            let todos = by_owner.remove(&u.id).unwrap_or_default();
            (u, todos)
        })
        .collect())
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let db = rt.block_on(async {
        let db = Sqlite::memory().await.expect("open");
        db.create_schema::<(User, Todo)>().await.expect("schema");
        let users: Vec<User> = (0..USERS)
            .map(|i| User::new(&format!("user {i}"), &format!("u{i}@example.com")))
            .collect();
        let ids = db.insert_many(&users).await.expect("users");
        let todos: Vec<Todo> = ids
            .iter()
            .flat_map(|&id| {
                (0..TODOS_PER_USER).map(move |t| Todo::new(id, &format!("todo {t}"), t as i16))
            })
            .collect();
        db.insert_many(&todos).await.expect("todos");
        db
    });
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    let mut group = c.benchmark_group("eager_100x10");
    group.throughput(Throughput::Elements((USERS * TODOS_PER_USER) as u64));
    group.bench_function("keyway", |b| {
        b.to_async(&rt).iter(|| async {
            let users = db
                .all(User::query().include(User::TODOS))
                .await
                .expect("eager");
            assert_eq!(users.len(), USERS);
            assert_eq!(users[0].get(User::TODOS).len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.bench_function("raw_rusqlite", |b| {
        b.to_async(&rt).iter(|| async {
            let users = db
                .executor()
                .with_connection(raw_eager)
                .await
                .expect("a pooled connection")
                .expect("raw eager");
            assert_eq!(users.len(), USERS);
            assert_eq!(users[0].1.len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.finish();
    c.final_summary();
}
