//! keyway on in-memory Turso against hand-written raw turso calls, and
//! against keyway on in-memory SQLite, in the same groups: the four core
//! groups (get by key, fetch 1,000, insert 1,000, eager 100 users x 10
//! todos).
//!
//! Every group has three ids: `keyway_turso` (the ORM on Turso),
//! `raw_turso` (the same work written by hand with the turso crate on a
//! connection of keyway's pool: cached prepared statements, rows mapped by
//! hand) and `keyway_sqlite` (the ORM on SQLite). All use tables created by
//! keyway's `create_schema`.
//!
//! Run with `cargo bench --bench turso`; results are in `BENCHMARKS.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use keyway::prelude::*;
use keyway::{Backend, Supports, Unindexed};
use keyway_sqlite::Sqlite;
use keyway_turso::Turso;
use tokio::runtime::Runtime;

#[path = "../tests/model/mod.rs"]
mod model;
mod raw_turso;

use model::{Todo, User};

/// Rows read by `get_by_key` and `fetch_1000`; rows per insert batch.
const ROWS: usize = 1_000;
const USERS: usize = 100;
const TODOS_PER_USER: usize = 10;

fn users(from: u64, n: usize) -> Vec<User> {
    (from..from + n as u64)
        .map(|i| User::new(&format!("user {i}"), &format!("user{i}@example.com")))
        .collect()
}

/// Both databases, each with `users` and `todos`.
async fn open() -> (Db<Turso>, Db<Sqlite>) {
    let turso = Turso::connect("turso::memory:").await.expect("Turso");
    let sqlite = Sqlite::memory().await.expect("SQLite");
    turso.create_schema::<(User, Todo)>().await.expect("schema");
    sqlite
        .create_schema::<(User, Todo)>()
        .await
        .expect("schema");
    (turso, sqlite)
}

async fn seed_users<B: Backend>(db: &Db<B>) -> Vec<i64> {
    db.insert_many(&users(0, ROWS)).await.expect("seed")
}

/// 100 users with 10 todos each.
async fn seed_todos<B: Backend>(db: &Db<B>) {
    let ids = db.insert_many(&users(0, USERS)).await.expect("users");
    let todos: Vec<Todo> = ids
        .iter()
        .flat_map(|&id| {
            (0..TODOS_PER_USER).map(move |t| Todo::new(id, &format!("todo {t}"), t as i16))
        })
        .collect();
    db.insert_many(&todos).await.expect("todos");
}

async fn clear<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.delete(User::query().filter(User::ID.gt(0)).delete())
        .await
        .expect("clear");
}

fn keyway_get<B: Backend>(
    group: &mut BenchmarkGroup<WallTime>,
    rt: &Runtime,
    id: &str,
    db: &Db<B>,
    ids: &[i64],
) {
    let mut at = 0;
    group.bench_function(id, |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % ids.len();
            let key = ids[at];
            async move { black_box(db.get::<User>(key).await.expect("get")) }
        })
    });
}

fn get_by_key(c: &mut Criterion, rt: &Runtime) {
    let ((turso, sqlite), turso_ids, sqlite_ids) = rt.block_on(async {
        let (turso, sqlite) = open().await;
        let t = seed_users(&turso).await;
        let s = seed_users(&sqlite).await;
        ((turso, sqlite), t, s)
    });
    let mut group = c.benchmark_group("turso_get_by_key");
    keyway_get(&mut group, rt, "keyway_turso", &turso, &turso_ids);
    let mut at = 0;
    group.bench_function("raw_turso", |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % turso_ids.len();
            let (db, id) = (&turso, turso_ids[at]);
            async move { black_box(raw_turso::get(db, id).await) }
        })
    });
    keyway_get(&mut group, rt, "keyway_sqlite", &sqlite, &sqlite_ids);
    group.finish();
}

fn fetch_1000(c: &mut Criterion, rt: &Runtime) {
    let (turso, sqlite) = rt.block_on(async {
        let (turso, sqlite) = open().await;
        seed_users(&turso).await;
        seed_users(&sqlite).await;
        (turso, sqlite)
    });
    let mut group = c.benchmark_group("turso_fetch_1000");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("keyway_turso", |b| {
        b.to_async(rt).iter(|| async {
            let all = turso.all(User::query()).await.expect("all");
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.bench_function("raw_turso", |b| {
        b.to_async(rt).iter(|| async {
            let all = raw_turso::all(&turso).await;
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.bench_function("keyway_sqlite", |b| {
        b.to_async(rt).iter(|| async {
            let all = sqlite.all(User::query()).await.expect("all");
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.finish();
}

/// Times `iters` inserts of 1,000 users, emptying the table (untimed)
/// after each; the users are built outside the timed region.
async fn time_batches<F, Fut, C>(iters: u64, insert: F, clear: C) -> Duration
where
    F: Fn(Vec<User>) -> Fut,
    Fut: Future<Output = Vec<i64>>,
    C: AsyncFn(),
{
    let mut total = Duration::ZERO;
    for i in 0..iters {
        let batch = users(i * ROWS as u64, ROWS);
        let start = Instant::now();
        let ids = insert(batch).await;
        total += start.elapsed();
        assert_eq!(ids.len(), ROWS);
        clear().await;
    }
    total
}

fn insert_1000(c: &mut Criterion, rt: &Runtime) {
    let (turso, sqlite) = rt.block_on(open());
    let mut group = c.benchmark_group("turso_insert_1000");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("keyway_turso", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &turso;
            time_batches(
                iters,
                move |batch| async move { db.insert_many(&batch).await.expect("insert") },
                async || clear(db).await,
            )
        })
    });
    group.bench_function("raw_turso", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &turso;
            time_batches(
                iters,
                move |batch| async move { raw_turso::insert_many(db, &batch).await },
                async || raw_turso::clear(db).await,
            )
        })
    });
    group.bench_function("keyway_sqlite", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let db = &sqlite;
            time_batches(
                iters,
                move |batch| async move { db.insert_many(&batch).await.expect("insert") },
                async || clear(db).await,
            )
        })
    });
    group.finish();
}

fn eager_100x10(c: &mut Criterion, rt: &Runtime) {
    let (turso, sqlite) = rt.block_on(async {
        let (turso, sqlite) = open().await;
        seed_todos(&turso).await;
        seed_todos(&sqlite).await;
        (turso, sqlite)
    });
    let mut group = c.benchmark_group("turso_eager_100x10");
    group.throughput(Throughput::Elements((USERS * TODOS_PER_USER) as u64));
    group.bench_function("keyway_turso", |b| {
        b.to_async(rt).iter(|| async {
            let users = turso
                .all(User::query().include(User::TODOS))
                .await
                .expect("eager");
            assert_eq!(users[0].get(User::TODOS).len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.bench_function("raw_turso", |b| {
        b.to_async(rt).iter(|| async {
            let users = raw_turso::eager(&turso).await;
            assert_eq!(users[0].1.len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.bench_function("keyway_sqlite", |b| {
        b.to_async(rt).iter(|| async {
            let users = sqlite
                .all(User::query().include(User::TODOS))
                .await
                .expect("eager");
            assert_eq!(users[0].get(User::TODOS).len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.finish();
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    get_by_key(&mut c, &rt);
    fetch_1000(&mut c, &rt);
    insert_1000(&mut c, &rt);
    eager_100x10(&mut c, &rt);
    c.final_summary();
}
