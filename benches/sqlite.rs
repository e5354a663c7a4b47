//! keyway on in-memory SQLite against hand-written raw sqlx, in the same groups.
//!
//! Every group has two ids: `keyway` (the ORM) and `raw_sqlx` (the same work
//! written directly against the pool keyway wraps, `db.executor().pool()`). Both
//! sides use a table created by keyway's `create_schema::<User>()`.
//!
//! Run with `cargo bench --bench sqlite`; results are in `BENCHMARKS.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use keyway::prelude::*;
use keyway_sqlite::Sqlite;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use tokio::runtime::Runtime;

// The shared models (their module allows what the bench leaves unused).
#[path = "../tests/model/mod.rs"]
mod model;

use model::User;

/// Rows in the table read by `get_by_key` and `fetch_1000`, and rows per batch
/// in `insert_1000`.
const ROWS: usize = 1_000;

/// `insert_one` empties the table (untimed) after this many single inserts.
const CHUNK: u64 = 1_000;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A fresh in-memory database with the `users` table, created by keyway.
async fn fresh() -> Db<Sqlite> {
    let db = Sqlite::memory().await.expect("open in-memory SQLite");
    db.create_schema::<User>().await.expect("create users");
    db
}

fn users(from: u64, n: usize) -> Vec<User> {
    (from..from + n as u64)
        .map(|i| User::new(&format!("user {i}"), &format!("user{i}@example.com")))
        .collect()
}

/// The hand-written row mapping of the raw baseline.
fn raw_user(row: &SqliteRow) -> User {
    User {
        id: row.get(0),
        name: row.get(1),
        email: row.get(2),
    }
}

async fn clear(pool: &SqlitePool) {
    sqlx::query("DELETE FROM users")
        .execute(pool)
        .await
        .expect("empty users");
}

fn get_by_key(c: &mut Criterion, rt: &Runtime) {
    let (db, ids) = rt.block_on(async {
        let db = fresh().await;
        let ids = db.insert_many(&users(0, ROWS)).await.expect("seed");
        (db, ids)
    });
    let pool = db.executor().pool().clone();
    let mut group = c.benchmark_group("get_by_key");

    let mut at = 0;
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % ids.len();
            let (db, id) = (&db, ids[at]);
            async move { black_box(db.get::<User>(id).await.expect("get")) }
        })
    });

    let mut at = 0;
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % ids.len();
            let (pool, id) = (&pool, ids[at]);
            async move {
                let row = sqlx::query("SELECT id, name, email FROM users WHERE id = ?")
                    .bind(id)
                    .fetch_optional(pool)
                    .await
                    .expect("get");
                black_box(raw_user(&row.expect("row exists")))
            }
        })
    });
    group.finish();
}

fn fetch_1000(c: &mut Criterion, rt: &Runtime) {
    let db = rt.block_on(async {
        let db = fresh().await;
        db.insert_many(&users(0, ROWS)).await.expect("seed");
        db
    });
    let pool = db.executor().pool().clone();
    let mut group = c.benchmark_group("fetch_1000");
    group.throughput(Throughput::Elements(ROWS as u64));

    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| async {
            let all = db.all(User::query()).await.expect("all");
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });

    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter(|| async {
            let rows = sqlx::query("SELECT id, name, email FROM users")
                .fetch_all(&pool)
                .await
                .expect("all");
            let all = rows.iter().map(raw_user).collect::<Vec<_>>();
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.finish();
}

/// Times `iters` single inserts, emptying the table (untimed) every `CHUNK`
/// rows. The users are built outside the timed region, for both sides alike.
async fn time_single_inserts<F, Fut>(pool: &SqlitePool, iters: u64, insert: F) -> Duration
where
    F: Fn(User) -> Fut,
    Fut: Future<Output = i64>,
{
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(CHUNK);
        // Emails are unique within a chunk, and the table is empty between chunks.
        let batch = users(0, n as usize);
        let start = Instant::now();
        for user in batch {
            black_box(insert(user).await);
        }
        total += start.elapsed();
        clear(pool).await;
        left -= n;
    }
    total
}

fn insert_one(c: &mut Criterion, rt: &Runtime) {
    let db = rt.block_on(fresh());
    let pool = db.executor().pool().clone();
    let mut group = c.benchmark_group("insert_one");

    group.bench_function("keyway", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let (db, pool) = (&db, &pool);
            async move {
                time_single_inserts(pool, iters, |user| async move {
                    db.insert(&user).await.expect("insert")
                })
                .await
            }
        })
    });

    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let pool = &pool;
            async move {
                time_single_inserts(pool, iters, |user| async move {
                    let row =
                        sqlx::query("INSERT INTO users (name, email) VALUES (?, ?) RETURNING id")
                            .bind(&user.name)
                            .bind(&user.email)
                            .fetch_one(pool)
                            .await
                            .expect("insert");
                    row.get::<i64, _>(0)
                })
                .await
            }
        })
    });
    group.finish();
}

/// The raw batch insert: one hand-built multi-row `INSERT ... RETURNING id`,
/// the keys sorted into row order as keyway does.
async fn raw_insert_many(pool: &SqlitePool, users: &[User]) -> Vec<i64> {
    let mut sql = String::with_capacity(48 + users.len() * 8 + 16);
    sql.push_str("INSERT INTO users (name, email) VALUES ");
    for i in 0..users.len() {
        sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
    }
    sql.push_str(" RETURNING id");
    let mut query = sqlx::query(&sql);
    for user in users {
        query = query.bind(&user.name).bind(&user.email);
    }
    let rows = query.fetch_all(pool).await.expect("insert batch");
    let mut ids = rows.iter().map(|r| r.get::<i64, _>(0)).collect::<Vec<_>>();
    ids.sort_unstable();
    ids
}

/// Times `iters` batch inserts of `ROWS` rows, emptying the table (untimed)
/// after each. The users are built outside the timed region.
async fn time_batch_inserts<F, Fut>(pool: &SqlitePool, iters: u64, insert: F) -> Duration
where
    F: Fn(Vec<User>) -> Fut,
    Fut: Future<Output = Vec<i64>>,
{
    let mut total = Duration::ZERO;
    for i in 0..iters {
        let batch = users(i * ROWS as u64, ROWS);
        let start = Instant::now();
        let ids = insert(batch).await;
        total += start.elapsed();
        assert_eq!(ids.len(), ROWS);
        clear(pool).await;
    }
    total
}

fn insert_1000(c: &mut Criterion, rt: &Runtime) {
    let db = rt.block_on(fresh());
    let pool = db.executor().pool().clone();
    let mut group = c.benchmark_group("insert_1000");
    group.throughput(Throughput::Elements(ROWS as u64));

    group.bench_function("keyway", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let (db, pool) = (&db, &pool);
            async move {
                time_batch_inserts(pool, iters, |batch| async move {
                    db.insert_many(&batch).await.expect("insert batch")
                })
                .await
            }
        })
    });

    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let pool = &pool;
            async move {
                time_batch_inserts(pool, iters, |batch| async move {
                    raw_insert_many(pool, &batch).await
                })
                .await
            }
        })
    });
    group.finish();
}

fn main() {
    let rt = runtime();
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    get_by_key(&mut c, &rt);
    fetch_1000(&mut c, &rt);
    insert_one(&mut c, &rt);
    insert_1000(&mut c, &rt);
    c.final_summary();
}
