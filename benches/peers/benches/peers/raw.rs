//! The same work written by hand against sqlx's SQLite driver, with the row
//! mapping done by hand into the shared `User` / `Todo` structs: on sqlx 0.9,
//! what SeaORM 2 runs on (`raw_sqlx09`), so that SeaORM can be read against
//! the driver under it. (It was also instantiated for sqlx 0.8 while keyway's
//! SQLite backend ran on it; sqlx 0.8's SQLite cannot share the one
//! `libsqlite3-sys` with rusqlite 0.39.)

macro_rules! raw_sqlx {
    ($sqlx:ident) => {
        use std::collections::HashMap;

        use $sqlx::sqlite::{SqlitePoolOptions, SqliteRow};
        use $sqlx::{Row, SqlitePool};

        use crate::data::OWNERS;
        use crate::model::{Todo, User};

        /// A private in-memory database (`url` names one), pooled as keyway
        /// pools its own (`Sqlite::memory()`): the connection is kept open for
        /// the whole run.
        pub async fn open(url: &str) -> SqlitePool {
            SqlitePoolOptions::new()
                .max_connections(4)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect(url)
                .await
                .expect("open raw sqlx database")
        }

        /// Runs a multi-statement script (schema, seed rows).
        pub async fn script(pool: &SqlitePool, sql: &str) {
            $sqlx::raw_sql(dynamic(sql))
                .execute(pool)
                .await
                .expect("script");
        }

        fn user(row: &SqliteRow) -> User {
            User {
                id: row.get(0),
                name: row.get(1),
                email: row.get(2),
            }
        }

        fn todo(row: &SqliteRow) -> Todo {
            Todo {
                id: row.get(0),
                owner_id: row.get(1),
                title: row.get(2),
                done: row.get(3),
                priority: row.get(4),
                note: row.get(5),
            }
        }

        pub async fn get(pool: &SqlitePool, id: i64) -> User {
            let row = $sqlx::query("SELECT id, name, email FROM users WHERE id = ?")
                .bind(id)
                .fetch_optional(pool)
                .await
                .expect("get");
            user(&row.expect("row exists"))
        }

        pub async fn all(pool: &SqlitePool) -> Vec<User> {
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
        pub async fn insert_many(pool: &SqlitePool, users: &[User]) -> Vec<i64> {
            let mut sql = String::with_capacity(48 + users.len() * 8 + 16);
            sql.push_str("INSERT INTO users (name, email) VALUES ");
            for i in 0..users.len() {
                sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
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
        pub async fn eager(pool: &SqlitePool) -> Vec<(User, Vec<Todo>)> {
            let users: Vec<User> = $sqlx::query("SELECT id, name, email FROM users WHERE id <= ?")
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
                sql.push_str(if i == 0 { "?" } else { ", ?" });
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
        pub async fn clear(pool: &SqlitePool) {
            $sqlx::query("DELETE FROM users")
                .execute(pool)
                .await
                .expect("empty users");
        }
    };
}

/// On sqlx 0.9, the driver SeaORM 2 runs on.
pub mod v09 {
    /// SQL text built at run time (0.9 asks for it to be marked as such).
    fn dynamic(sql: &str) -> sqlx09::AssertSqlSafe<&str> {
        sqlx09::AssertSqlSafe(sql)
    }

    raw_sqlx!(sqlx09);
}
