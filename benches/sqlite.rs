//! keyway on in-memory SQLite against hand-written raw rusqlite, in the same groups.
//!
//! Every group has two ids: `keyway` (the ORM) and `raw_rusqlite` (the same
//! work written by hand with rusqlite 0.39 on the connection keyway's pool
//! holds, through `db.executor().with_connection`: cached prepared statements,
//! rows mapped by hand). Both sides use a table created by keyway's
//! `create_schema::<User>()`.
//!
//! Run with `cargo bench --bench sqlite`; results are in `BENCHMARKS.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use keyway::prelude::*;
use keyway_sqlite::Sqlite;
use tokio::runtime::Runtime;

// The shared models (their module allows what the bench leaves unused).
#[path = "../tests/model/mod.rs"]
mod model;
mod raw_rusqlite;

use model::{Account, Sku, User};

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

fn get_by_key(c: &mut Criterion, rt: &Runtime) {
    let (db, ids) = rt.block_on(async {
        let db = fresh().await;
        let ids = db.insert_many(&users(0, ROWS)).await.expect("seed");
        (db, ids)
    });
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
    group.bench_function("raw_rusqlite", |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % ids.len();
            let (db, id) = (&db, ids[at]);
            async move { black_box(raw_rusqlite::get(db, id).await) }
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
    let mut group = c.benchmark_group("fetch_1000");
    group.throughput(Throughput::Elements(ROWS as u64));

    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| async {
            let all = db.all(User::query()).await.expect("all");
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });

    group.bench_function("raw_rusqlite", |b| {
        b.to_async(rt).iter(|| async {
            let all = raw_rusqlite::all(&db).await;
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.finish();
}

/// Times `iters` single inserts, emptying the table (untimed) every `CHUNK`
/// rows. The users are built outside the timed region, for both sides alike.
async fn time_single_inserts<F, Fut>(db: &Db<Sqlite>, iters: u64, insert: F) -> Duration
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
        raw_rusqlite::clear(db).await;
        left -= n;
    }
    total
}

fn insert_one(c: &mut Criterion, rt: &Runtime) {
    let db = rt.block_on(fresh());
    let mut group = c.benchmark_group("insert_one");

    group.bench_function("keyway", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &db;
            async move {
                time_single_inserts(db, iters, |user| async move {
                    db.insert(&user).await.expect("insert")
                })
                .await
            }
        })
    });

    group.bench_function("raw_rusqlite", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &db;
            async move {
                time_single_inserts(db, iters, |user| async move {
                    raw_rusqlite::raw(db, |conn| {
                        conn.prepare_cached(
                            "INSERT INTO users (name, email) VALUES (?, ?) RETURNING id",
                        )?
                        .query_row([&user.name, &user.email], |row| row.get::<_, i64>(0))
                    })
                    .await
                })
                .await
            }
        })
    });
    group.finish();
}

/// Times `iters` batch inserts of `ROWS` rows, emptying the table (untimed)
/// after each. The users are built outside the timed region.
async fn time_batch_inserts<F, Fut>(db: &Db<Sqlite>, iters: u64, insert: F) -> Duration
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
        raw_rusqlite::clear(db).await;
    }
    total
}

fn insert_1000(c: &mut Criterion, rt: &Runtime) {
    let db = rt.block_on(fresh());
    let mut group = c.benchmark_group("insert_1000");
    group.throughput(Throughput::Elements(ROWS as u64));

    group.bench_function("keyway", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &db;
            async move {
                time_batch_inserts(db, iters, |batch| async move {
                    db.insert_many(&batch).await.expect("insert batch")
                })
                .await
            }
        })
    });

    group.bench_function("raw_rusqlite", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &db;
            async move {
                time_batch_inserts(db, iters, |batch| async move {
                    raw_rusqlite::insert_many(db, &batch).await
                })
                .await
            }
        })
    });
    group.finish();
}

/// `save` of a versioned entity (the version checked and bumped in the
/// statement) against the same `UPDATE ... WHERE id = ? AND version = ?`
/// by hand. Each side saves its own row, its struct's version following.
fn versioned_save(c: &mut Criterion, rt: &Runtime) {
    let (db, ids) = rt.block_on(async {
        let db = Sqlite::memory().await.expect("open in-memory SQLite");
        db.create_schema::<Account>()
            .await
            .expect("create accounts");
        let mine = db.create(Account::new("keyway", 0)).await.expect("seed");
        let raw = db.create(Account::new("raw", 0)).await.expect("seed");
        (db, [mine, raw])
    });
    let [mut mine, mut raw] = ids;
    let mut group = c.benchmark_group("versioned_save");
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| {
            mine.balance += 1;
            let (db, account) = (&db, mine.clone());
            mine.version += 1;
            async move { db.save(&account).await.expect("save") }
        })
    });
    group.bench_function("raw_rusqlite", |b| {
        b.to_async(rt).iter(|| {
            raw.balance += 1;
            let (db, account) = (&db, raw.clone());
            raw.version += 1;
            async move { assert!(raw_rusqlite::save_versioned(db, &account).await) }
        })
    });
    group.finish();
}

/// `upsert` of 1,000 rows that exist (one `INSERT .. ON CONFLICT DO
/// UPDATE`) against the same statement by hand.
fn upsert_1000(c: &mut Criterion, rt: &Runtime) {
    let batches = Sku::batches(ROWS);
    let db = rt.block_on(async {
        let db = Sqlite::memory().await.expect("open in-memory SQLite");
        db.create_schema::<Sku>().await.expect("create skus");
        db.upsert(Sku::upsert(&batches[0])).await.expect("seed");
        db
    });
    let mut group = c.benchmark_group("upsert_1000");
    group.throughput(Throughput::Elements(ROWS as u64));
    let mut round = 0;
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| {
            round += 1;
            let (db, batch) = (&db, &batches[round % 2]);
            async move { black_box(db.upsert(Sku::upsert(batch)).await.expect("upsert")) }
        })
    });
    group.bench_function("raw_rusqlite", |b| {
        b.to_async(rt).iter(|| {
            round += 1;
            let (db, batch) = (&db, &batches[round % 2]);
            async move { raw_rusqlite::upsert_many(db, batch).await }
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
    versioned_save(&mut c, &rt);
    upsert_1000(&mut c, &rt);
    c.final_summary();
}
