//! The PostgreSQL baseline: the same work as `raw.rs`, written by hand
//! against sqlx's PostgreSQL driver (`$n` placeholders), the rows mapped by
//! hand into the shared `User` / `Todo` structs.
//!
//! Written once and instantiated for sqlx 0.8 (keyway's driver: `raw_sqlx`)
//! and sqlx 0.9 (SeaORM's: `raw_sqlx09`).

macro_rules! raw_sqlx_pg {
    ($sqlx:ident) => {
        use std::collections::HashMap;
        use std::fmt::Write as _;
        use std::time::Duration;

        use $sqlx::postgres::{PgPoolOptions, PgRow};
        use $sqlx::{PgPool, Row};

        use crate::data::OWNERS;
        use crate::model::{Todo, User};

        /// A pool on `url`, configured as keyway's `PostgresOptions::new`
        /// configures its own: at most 10 connections, none kept open when
        /// idle, a ping before use only for a connection idle for 1 s or more
        /// (keyway's `test_after_idle` default).
        pub async fn open(url: &str) -> PgPool {
            PgPoolOptions::new()
                .max_connections(10)
                .min_connections(0)
                .acquire_timeout(Duration::from_secs(30))
                .idle_timeout(Some(Duration::from_secs(600)))
                .max_lifetime(Some(Duration::from_secs(1800)))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for >= Duration::from_secs(1) {
                            $sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect(url)
                .await
                .unwrap_or_else(|e| panic!("open raw sqlx pool on {url}: {e}"))
        }

        fn user(row: &PgRow) -> User {
            User {
                id: row.get(0),
                name: row.get(1),
                email: row.get(2),
            }
        }

        fn todo(row: &PgRow) -> Todo {
            Todo {
                id: row.get(0),
                owner_id: row.get(1),
                title: row.get(2),
                done: row.get(3),
                priority: row.get(4),
                note: row.get(5),
            }
        }

        pub async fn get(pool: &PgPool, id: i64) -> User {
            let row = $sqlx::query("SELECT id, name, email FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
                .expect("get");
            user(&row.expect("row exists"))
        }

        pub async fn all(pool: &PgPool) -> Vec<User> {
            $sqlx::query("SELECT id, name, email FROM users")
                .fetch_all(pool)
                .await
                .expect("all")
                .iter()
                .map(user)
                .collect()
        }

        /// One multi-row `INSERT ... RETURNING id`, built and bound in the
        /// timed region, the keys sorted into row order (as keyway does).
        pub async fn insert_many(pool: &PgPool, users: &[User]) -> Vec<i64> {
            let mut sql = String::with_capacity(48 + users.len() * 16 + 16);
            sql.push_str("INSERT INTO users (name, email) VALUES ");
            for i in 0..users.len() {
                let sep = if i == 0 { "" } else { ", " };
                let _ = write!(sql, "{sep}(${}, ${})", 2 * i + 1, 2 * i + 2);
            }
            sql.push_str(" RETURNING id");
            let mut query = $sqlx::query(dynamic(&sql));
            for u in users {
                query = query.bind(&u.name).bind(&u.email);
            }
            let rows = query.fetch_all(pool).await.expect("insert batch");
            let mut ids = rows.iter().map(|r| r.get::<i64, _>(0)).collect::<Vec<_>>();
            ids.sort_unstable();
            ids
        }

        /// The users with `id <= OWNERS`, then their todos in one `IN (...)`
        /// query, grouped per user in the users' order.
        pub async fn eager(pool: &PgPool) -> Vec<(User, Vec<Todo>)> {
            let users: Vec<User> = $sqlx::query("SELECT id, name, email FROM users WHERE id <= $1")
                .bind(OWNERS)
                .fetch_all(pool)
                .await
                .expect("users")
                .iter()
                .map(user)
                .collect();
            let mut sql = String::from(
                "SELECT id, owner_id, title, done, priority, note FROM todos WHERE owner_id IN (",
            );
            for i in 0..users.len() {
                let sep = if i == 0 { "" } else { ", " };
                let _ = write!(sql, "{sep}${}", i + 1);
            }
            sql.push_str(") ORDER BY owner_id, id");
            let mut query = $sqlx::query(dynamic(&sql));
            for u in &users {
                query = query.bind(u.id);
            }
            let mut by_owner: HashMap<i64, Vec<Todo>> = HashMap::with_capacity(users.len());
            for row in query.fetch_all(pool).await.expect("todos").iter() {
                let t = todo(row);
                by_owner.entry(t.owner_id).or_default().push(t);
            }
            users
                .into_iter()
                .map(|u| {
                    let todos = by_owner.remove(&u.id).unwrap_or_default();
                    (u, todos)
                })
                .collect()
        }

        /// Empties `users` (untimed, between insert batches).
        pub async fn clear(pool: &PgPool) {
            $sqlx::query("DELETE FROM users")
                .execute(pool)
                .await
                .expect("empty users");
        }
    };
}

/// On sqlx 0.8.6, the driver keyway runs on.
pub mod v08 {
    /// SQL text built at run time (0.8 takes any `&str`).
    fn dynamic(sql: &str) -> &str {
        sql
    }

    raw_sqlx_pg!(sqlx);
}

/// On sqlx 0.9, the driver SeaORM 2 runs on.
pub mod v09 {
    /// SQL text built at run time (0.9 asks for it to be marked as such).
    fn dynamic(sql: &str) -> sqlx09::AssertSqlSafe<&str> {
        sqlx09::AssertSqlSafe(sql)
    }

    raw_sqlx_pg!(sqlx09);
}
