//! The SQLite baseline on keyway's own driver, shared by `benches/sqlite.rs`
//! and the peer bench: the same work written by hand with rusqlite 0.39
//! (re-exported by keyway-sqlite), on a connection of a keyway-sqlite pool
//! (`with_connection`, so it pays the same pool acquire as keyway): cached
//! prepared statements, rows mapped by hand into the shared `User` / `Todo`
//! structs. Each bench uses the part it needs.
#![allow(dead_code)]

use std::collections::HashMap;

use keyway::prelude::*;
use keyway_sqlite::Sqlite;
use keyway_sqlite::rusqlite::{self, Connection, Row};

use crate::model::{Account, Sku, Todo, User};

/// A private in-memory database, opened as keyway opens its own.
pub async fn open() -> Db<Sqlite> {
    Sqlite::memory().await.expect("open raw rusqlite database")
}

/// Runs `f` on the pool's connection.
pub async fn raw<T>(db: &Db<Sqlite>, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> T {
    db.executor()
        .with_connection(f)
        .await
        .expect("a pooled connection")
        .expect("raw rusqlite")
}

/// Runs a multi-statement script (schema, seed rows).
pub async fn script(db: &Db<Sqlite>, sql: &str) {
    raw(db, |conn| conn.execute_batch(sql)).await;
}

fn user(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
    })
}

fn todo(row: &Row<'_>) -> rusqlite::Result<Todo> {
    Ok(Todo {
        id: row.get(0)?,
        owner_id: row.get(1)?,
        title: row.get(2)?,
        done: row.get(3)?,
        priority: row.get(4)?,
        note: row.get(5)?,
    })
}

pub async fn get(db: &Db<Sqlite>, id: i64) -> User {
    raw(db, |conn| {
        conn.prepare_cached("SELECT id, name, email FROM users WHERE id = ?")?
            .query_row([id], user)
    })
    .await
}

pub async fn all(db: &Db<Sqlite>) -> Vec<User> {
    raw(db, |conn| {
        conn.prepare_cached("SELECT id, name, email FROM users")?
            .query_map([], user)?
            .collect()
    })
    .await
}

/// One multi-row `INSERT ... RETURNING id`, built and bound in the timed
/// region, the keys sorted into row order (as keyway does).
pub async fn insert_many(db: &Db<Sqlite>, users: &[User]) -> Vec<i64> {
    raw(db, |conn| {
        let mut sql = String::with_capacity(48 + users.len() * 8 + 16);
        sql.push_str("INSERT INTO users (name, email) VALUES ");
        for i in 0..users.len() {
            sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
        }
        sql.push_str(" RETURNING id");
        let mut statement = conn.prepare_cached(&sql)?;
        for (i, u) in users.iter().enumerate() {
            statement.raw_bind_parameter(2 * i + 1, &u.name)?;
            statement.raw_bind_parameter(2 * i + 2, &u.email)?;
        }
        let mut ids = Vec::with_capacity(users.len());
        let mut rows = statement.raw_query();
        while let Some(row) = rows.next()? {
            ids.push(row.get::<_, i64>(0)?);
        }
        ids.sort_unstable();
        Ok(ids)
    })
    .await
}

/// The users with `id <= max_id`, then their todos in one `IN (...)` query,
/// grouped per user in the users' order.
pub async fn eager(db: &Db<Sqlite>, max_id: i64) -> Vec<(User, Vec<Todo>)> {
    raw(db, |conn| {
        let users: Vec<User> = conn
            .prepare_cached("SELECT id, name, email FROM users WHERE id <= ?")?
            .query_map([max_id], user)?
            .collect::<rusqlite::Result<_>>()?;
        let mut sql = String::from(
            "SELECT id, owner_id, title, done, priority, note FROM todos WHERE owner_id IN (",
        );
        for i in 0..users.len() {
            sql.push_str(if i == 0 { "?" } else { ", ?" });
        }
        sql.push_str(") ORDER BY owner_id, id");
        let mut statement = conn.prepare_cached(&sql)?;
        let ids = rusqlite::params_from_iter(users.iter().map(|u| u.id));
        let mut by_owner: HashMap<i64, Vec<Todo>> = HashMap::with_capacity(users.len());
        for t in statement.query_map(ids, todo)? {
            let t = t?;
            by_owner.entry(t.owner_id).or_default().push(t);
        }
        Ok(users
            .into_iter()
            .map(|u| {
                let todos = by_owner.remove(&u.id).unwrap_or_default();
                (u, todos)
            })
            .collect())
    })
    .await
}

/// Empties `users` (untimed, between insert batches).
pub async fn clear(db: &Db<Sqlite>) {
    raw(db, |conn| conn.execute("DELETE FROM users", [])).await;
}

/// A versioned save by hand: every column but the key from the struct, the
/// version checked and bumped in the one statement, a stale version told
/// apart by the count of rows changed.
pub async fn save_versioned(db: &Db<Sqlite>, a: &Account) -> bool {
    raw(db, |conn| {
        conn.prepare_cached(
            "UPDATE ledger_accounts SET owner = ?, balance = ?, visits = ?, rating = ?, frozen = ?, \
             version = version + 1 WHERE id = ? AND version = ?",
        )?
        .execute(rusqlite::params![
            a.owner, a.balance, a.visits, a.rating, a.frozen, a.id, a.version
        ])
        .map(|n| n == 1)
    })
    .await
}

/// One multi-row `INSERT .. ON CONFLICT (code) DO UPDATE`, built and bound
/// in the timed region, as keyway sends it.
pub async fn upsert_many(db: &Db<Sqlite>, skus: &[Sku]) {
    raw(db, |conn| {
        let mut sql = String::with_capacity(64 + skus.len() * 18 + 160);
        sql.push_str("INSERT INTO skus (code, name, stock, note, version) VALUES ");
        for i in 0..skus.len() {
            sql.push_str(if i == 0 {
                "(?, ?, ?, ?, 1)"
            } else {
                ", (?, ?, ?, ?, 1)"
            });
        }
        sql.push_str(
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, stock = excluded.stock, \
             note = excluded.note, version = skus.version + 1",
        );
        let mut statement = conn.prepare_cached(&sql)?;
        for (i, s) in skus.iter().enumerate() {
            statement.raw_bind_parameter(4 * i + 1, &s.code)?;
            statement.raw_bind_parameter(4 * i + 2, &s.name)?;
            statement.raw_bind_parameter(4 * i + 3, s.stock)?;
            statement.raw_bind_parameter(4 * i + 4, &s.note)?;
        }
        statement.raw_execute().map(drop)
    })
    .await
}
