//! The baseline of the Turso benches: the same work written by hand with
//! the turso crate, on a connection of keyway's pool (cached prepared
//! statements, rows mapped by hand).

use std::collections::HashMap;

use keyway::Db;
use keyway_turso::Turso;
use keyway_turso::turso::{Connection, Row, Value};

use crate::model::{Todo, User};

async fn with<T>(db: &Db<Turso>, f: impl AsyncFnOnce(&Connection) -> T) -> T {
    let conn = db.executor().acquire().await.expect("a pooled connection");
    let out = f(conn.connection()).await;
    conn.release();
    out
}

fn int(row: &Row, i: usize) -> i64 {
    match row.get_value(i).expect("a column") {
        Value::Integer(v) => v,
        other => panic!("not an integer: {other:?}"),
    }
}

fn text(row: &Row, i: usize) -> String {
    match row.get_value(i).expect("a column") {
        Value::Text(v) => v,
        other => panic!("not text: {other:?}"),
    }
}

fn user(row: &Row) -> User {
    User {
        id: int(row, 0),
        name: text(row, 1),
        email: text(row, 2),
    }
}

fn todo(row: &Row) -> Todo {
    Todo {
        id: int(row, 0),
        owner_id: int(row, 1),
        title: text(row, 2),
        done: int(row, 3) != 0,
        priority: int(row, 4) as i16,
        note: match row.get_value(5).expect("a column") {
            Value::Null => None,
            Value::Text(t) => Some(t),
            other => panic!("not text: {other:?}"),
        },
    }
}

async fn rows<T>(conn: &Connection, sql: &str, params: Vec<Value>, map: fn(&Row) -> T) -> Vec<T> {
    let mut statement = conn.prepare_cached(sql).await.expect("prepare");
    let mut rows = statement.query(params).await.expect("query");
    let mut out = Vec::new();
    while let Some(row) = rows.next().await.expect("a row") {
        out.push(map(&row));
    }
    out
}

pub async fn get(db: &Db<Turso>, id: i64) -> User {
    with(db, async |conn| {
        let sql = "SELECT `id`, `name`, `email` FROM `users` WHERE `id` = ?";
        rows(conn, sql, vec![Value::Integer(id)], user)
            .await
            .remove(0)
    })
    .await
}

pub async fn all(db: &Db<Turso>) -> Vec<User> {
    with(db, async |conn| {
        rows(
            conn,
            "SELECT `id`, `name`, `email` FROM `users`",
            Vec::new(),
            user,
        )
        .await
    })
    .await
}

/// One multi-row `INSERT ... RETURNING`, as keyway writes it.
pub async fn insert_many(db: &Db<Turso>, users: &[User]) -> Vec<i64> {
    with(db, async |conn| {
        let mut sql = String::from("INSERT INTO `users` (`name`, `email`) VALUES ");
        let mut params = Vec::with_capacity(users.len() * 2);
        for (i, u) in users.iter().enumerate() {
            sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
            params.push(Value::Text(u.name.clone()));
            params.push(Value::Text(u.email.clone()));
        }
        sql.push_str(" RETURNING `id`");
        rows(conn, &sql, params, |r| int(r, 0)).await
    })
    .await
}

/// The parents, then their children in one `IN (...)` query, grouped by
/// owner in the parents' order.
pub async fn eager(db: &Db<Turso>) -> Vec<(User, Vec<Todo>)> {
    with(db, async |conn| {
        let users = rows(conn, "SELECT `id`, `name`, `email` FROM `users`", Vec::new(), user).await;
        let mut sql = String::from(
            "SELECT `id`, `owner_id`, `title`, `done`, `priority`, `note` FROM `todos` WHERE `owner_id` IN (",
        );
        for i in 0..users.len() {
            sql.push_str(if i == 0 { "?" } else { ", ?" });
        }
        sql.push_str(") ORDER BY `owner_id` ASC, `id` ASC");
        let ids = users.iter().map(|u| Value::Integer(u.id)).collect();
        let mut by_owner: HashMap<i64, Vec<Todo>> = HashMap::with_capacity(users.len());
        for t in rows(conn, &sql, ids, todo).await {
            by_owner.entry(t.owner_id).or_default().push(t);
        }
        users
            .into_iter()
            .map(|u| {
                let todos = by_owner.remove(&u.id).unwrap_or_default();
                (u, todos)
            })
            .collect()
    })
    .await
}

pub async fn clear(db: &Db<Turso>) {
    with(db, async |conn| {
        conn.execute("DELETE FROM `users`", ())
            .await
            .expect("clear")
    })
    .await;
}
