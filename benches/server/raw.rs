//! The raw sqlx baseline, written once for every server database: plain SQL
//! text with the database's placeholders, rows mapped by hand.

use std::time::Duration;

use sqlx::pool::PoolOptions;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

use super::Raw;
use crate::model::{Account, Sku, Todo, User};

/// A sqlx pool with keyway's defaults (`SqlOptions::new`): at most 10
/// connections, none kept open when idle, and a ping only before using a
/// connection that sat idle for a second or more. sqlx's pool also pings
/// every connection given back, which keyway's own pool does not.
pub fn pool_options<DB: Database>() -> PoolOptions<DB> {
    PoolOptions::new()
        .max_connections(10)
        .min_connections(0)
        .idle_timeout(Some(Duration::from_secs(600)))
        .max_lifetime(Some(Duration::from_secs(1800)))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= Duration::from_secs(1) {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

/// Hand-written sqlx on `pool`; `mark(n)` is the `n`-th placeholder (1-based).
/// Columns are read with `try_get_unchecked`, the fastest way sqlx offers (and
/// the one that works on MySQL, which reports `utf8mb4_bin` text as `BLOB`).
pub struct SqlxRaw<DB: Database> {
    pub pool: Pool<DB>,
    pub mark: fn(usize) -> String,
    /// The rows a statement changed (each driver's own result type).
    pub affected: fn(&DB::QueryResult) -> u64,
    /// What follows an insert of skus to update the rows that exist.
    pub upsert: &'static str,
}

impl<DB: Database> SqlxRaw<DB> {
    /// `(m1, m2), (m3, m4), ...`: `rows` rows of `width` placeholders.
    fn values(&self, rows: usize, width: usize) -> String {
        let mut sql = String::with_capacity(rows * width * 5);
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..width {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&(self.mark)(r * width + c + 1));
            }
            sql.push(')');
        }
        sql
    }
}

/// Column `i` of `row`, unchecked.
fn get<'r, R: Row, T: Decode<'r, R::Database>>(row: &'r R, i: usize) -> T
where
    usize: ColumnIndex<R>,
{
    row.try_get_unchecked(i).expect("column")
}

fn user<R: Row>(row: &R) -> User
where
    usize: ColumnIndex<R>,
    i64: for<'r> Decode<'r, R::Database>,
    String: for<'r> Decode<'r, R::Database>,
{
    User {
        id: get(row, 0),
        name: get(row, 1),
        email: get(row, 2),
    }
}

impl<DB: Database> Raw for SqlxRaw<DB>
where
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    usize: ColumnIndex<DB::Row>,
    i64: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB>,
    i16: Type<DB> + for<'r> Decode<'r, DB>,
    i32: Type<DB> + for<'q> Encode<'q, DB>,
    f64: Type<DB> + for<'q> Encode<'q, DB>,
    bool: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB>,
    String: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB>,
    Option<String>: Type<DB> + for<'q> Encode<'q, DB>,
{
    async fn get(&self, id: i64) -> User {
        let sql = format!(
            "SELECT id, name, email FROM users WHERE id = {}",
            (self.mark)(1)
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .expect("get");
        user(&row)
    }

    async fn all(&self) -> Vec<User> {
        let rows = sqlx::query("SELECT id, name, email FROM users")
            .fetch_all(&self.pool)
            .await
            .expect("all");
        rows.iter().map(user).collect()
    }

    async fn insert(&self, u: &User) -> i64 {
        let sql = format!(
            "INSERT INTO users (name, email) VALUES {} RETURNING id",
            self.values(1, 2)
        );
        let row = sqlx::query(&sql)
            .bind(&u.name)
            .bind(&u.email)
            .fetch_one(&self.pool)
            .await
            .expect("insert");
        get(&row, 0)
    }

    async fn insert_many(&self, users: &[User]) -> Vec<i64> {
        let sql = format!(
            "INSERT INTO users (name, email) VALUES {} RETURNING id",
            self.values(users.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for u in users {
            query = query.bind(&u.name).bind(&u.email);
        }
        let rows = query.fetch_all(&self.pool).await.expect("insert batch");
        let mut ids: Vec<i64> = rows.iter().map(|r| get(r, 0)).collect();
        ids.sort_unstable();
        ids
    }

    async fn upsert_many(&self, skus: &[Sku]) {
        let mut sql = format!(
            "INSERT INTO skus (code, name, stock, note, version) VALUES {}",
            self.values(skus.len(), 5)
        );
        sql.push_str(self.upsert);
        let mut query = sqlx::query(&sql);
        for s in skus {
            query = query
                .bind(&s.code)
                .bind(&s.name)
                .bind(s.stock)
                .bind(&s.note)
                .bind(1i64);
        }
        query.execute(&self.pool).await.expect("upsert batch");
    }

    async fn save_versioned(&self, a: &Account) -> bool {
        let m = self.mark;
        let sql = format!(
            "UPDATE ledger_accounts SET owner = {}, balance = {}, visits = {}, rating = {}, frozen = {}, \
             version = version + 1 WHERE id = {} AND version = {}",
            m(1),
            m(2),
            m(3),
            m(4),
            m(5),
            m(6),
            m(7)
        );
        let done = sqlx::query(&sql)
            .bind(&a.owner)
            .bind(a.balance)
            .bind(a.visits)
            .bind(a.rating)
            .bind(a.frozen)
            .bind(a.id)
            .bind(a.version)
            .execute(&self.pool)
            .await
            .expect("save");
        (self.affected)(&done) == 1
    }

    async fn users_and_todos(&self) -> (Vec<User>, Vec<Todo>) {
        let users = self.all().await;
        let marks: Vec<String> = (1..=users.len()).map(self.mark).collect();
        let sql = format!(
            "SELECT id, owner_id, title, done, priority, note FROM todos \
             WHERE owner_id IN ({}) ORDER BY owner_id ASC, id ASC",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for u in &users {
            query = query.bind(u.id);
        }
        let todos = query
            .fetch_all(&self.pool)
            .await
            .expect("todos")
            .iter()
            .map(|r| Todo {
                id: get(r, 0),
                owner_id: get(r, 1),
                title: get(r, 2),
                done: get(r, 3),
                priority: get(r, 4),
                note: get(r, 5),
            })
            .collect();
        (users, todos)
    }
}
