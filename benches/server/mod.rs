//! The benches every server backend runs, keyway against a hand-written raw
//! sqlx baseline in the same criterion group. A backend's bench file supplies
//! the database and the raw side ([`Raw`]); the groups, data and timing are
//! written once here, so PostgreSQL and MySQL are measured the same way.

pub mod raw;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use keyway::prelude::*;
use keyway::{Backend, Supports, Unindexed};
use tokio::runtime::Runtime;

use crate::model::{Account, Sku, Todo, User};

/// Rows read by `get_by_key` and `fetch_1000`, and rows per `insert_1000` batch.
pub const ROWS: usize = 1_000;
/// `insert_one` empties the table (untimed) after this many single inserts.
const CHUNK: u64 = 1_000;
/// The eager-loading data: 100 users with 10 todos each.
const USERS: usize = 100;
const TODOS_PER_USER: usize = 10;

/// The baseline: the same work written by hand against the driver keyway wraps.
pub trait Raw {
    /// `SELECT id, name, email FROM users WHERE id = ?`, mapped by hand.
    async fn get(&self, id: i64) -> User;
    /// Every user, mapped by hand.
    async fn all(&self) -> Vec<User>;
    /// One insert returning the generated id.
    async fn insert(&self, user: &User) -> i64;
    /// One multi-row insert returning the ids in row order.
    async fn insert_many(&self, users: &[User]) -> Vec<i64>;
    /// Every user, then their todos (`owner_id IN (...) ORDER BY owner_id, id`).
    async fn users_and_todos(&self) -> (Vec<User>, Vec<Todo>);
    /// One multi-row insert of skus that updates the rows that exist.
    async fn upsert_many(&self, skus: &[Sku]);
    /// `UPDATE ledger_accounts SET .., version = version + 1 WHERE id = ?
    /// AND version = ?`; whether it changed the row.
    async fn save_versioned(&self, account: &Account) -> bool;
}

pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Short runs: the machine has two cores and other work on them.
fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

fn users(from: u64, n: usize) -> Vec<User> {
    (from..from + n as u64)
        .map(|i| User::new(&format!("user {i}"), &format!("user{i}@example.com")))
        .collect()
}

async fn clear<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.delete(Todo::query().delete())
        .await
        .expect("empty todos");
    db.delete(User::query().delete())
        .await
        .expect("empty users");
}

/// Runs every group on `db` (with the `users` and `todos` tables) and `raw`,
/// then prints criterion's summary.
pub fn run_all<B, R>(rt: &Runtime, db: &Db<B>, raw: &R)
where
    B: Backend + Supports<Unindexed>,
    R: Raw,
{
    let mut c = criterion();
    reads(&mut c, rt, db, raw);
    insert_one(&mut c, rt, db, raw);
    insert_1000(&mut c, rt, db, raw);
    eager(&mut c, rt, db, raw);
    versioned_save(&mut c, rt, db, raw);
    upsert_1000(&mut c, rt, db, raw);
    c.final_summary();
}

/// `save` of a versioned entity against the same checked `UPDATE` by hand;
/// each side saves its own row, its struct's version following.
fn versioned_save<B: Backend + Supports<Unindexed>, R: Raw>(
    c: &mut Criterion,
    rt: &Runtime,
    db: &Db<B>,
    raw: &R,
) {
    let [mut mine, mut theirs] = rt.block_on(async {
        let mine = db.create(Account::new("keyway", 0)).await.expect("seed");
        let theirs = db.create(Account::new("raw", 0)).await.expect("seed");
        [mine, theirs]
    });
    let mut group = c.benchmark_group(format!("{}/versioned_save", B::SYSTEM));
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| {
            mine.balance += 1;
            let account = mine.clone();
            mine.version += 1;
            async move { db.save(&account).await.expect("save") }
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter(|| {
            theirs.balance += 1;
            let account = theirs.clone();
            theirs.version += 1;
            async move { assert!(raw.save_versioned(&account).await) }
        })
    });
    group.finish();
}

fn reads<B: Backend + Supports<Unindexed>, R: Raw>(
    c: &mut Criterion,
    rt: &Runtime,
    db: &Db<B>,
    raw: &R,
) {
    let ids = rt.block_on(async {
        clear(db).await;
        db.insert_many(&users(0, ROWS)).await.expect("seed")
    });
    let mut group = c.benchmark_group(format!("{}/get_by_key", B::SYSTEM));
    let mut at = 0;
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % ids.len();
            let id = ids[at];
            async move { black_box(db.get::<User>(id).await.expect("get")) }
        })
    });
    let mut at = 0;
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter(|| {
            at = (at + 1) % ids.len();
            let id = ids[at];
            async move { black_box(raw.get(id).await) }
        })
    });
    group.finish();

    let mut group = c.benchmark_group(format!("{}/fetch_1000", B::SYSTEM));
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
            let all = raw.all().await;
            assert_eq!(all.len(), ROWS);
            black_box(all)
        })
    });
    group.finish();
}

/// Times `iters` single inserts, emptying the table (untimed) every `CHUNK`
/// rows. The users are built outside the timed region, for both sides alike.
async fn time_single_inserts<B, F, Fut>(db: &Db<B>, iters: u64, insert: F) -> Duration
where
    B: Backend + Supports<Unindexed>,
    F: Fn(User) -> Fut,
    Fut: Future<Output = i64>,
{
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(CHUNK);
        let batch = users(0, n as usize);
        let start = Instant::now();
        for user in batch {
            black_box(insert(user).await);
        }
        total += start.elapsed();
        clear(db).await;
        left -= n;
    }
    total
}

fn insert_one<B: Backend + Supports<Unindexed>, R: Raw>(
    c: &mut Criterion,
    rt: &Runtime,
    db: &Db<B>,
    raw: &R,
) {
    rt.block_on(clear(db));
    let mut group = c.benchmark_group(format!("{}/insert_one", B::SYSTEM));
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter_custom(|iters| {
            time_single_inserts(db, iters, |user| async move {
                db.insert(&user).await.expect("insert")
            })
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter_custom(|iters| {
            time_single_inserts(db, iters, |user| async move { raw.insert(&user).await })
        })
    });
    group.finish();
}

/// Times `iters` batch inserts of `ROWS` rows, emptying the table (untimed)
/// after each. The users are built outside the timed region.
async fn time_batch_inserts<B, F, Fut>(db: &Db<B>, iters: u64, insert: F) -> Duration
where
    B: Backend + Supports<Unindexed>,
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
        clear(db).await;
    }
    total
}

fn insert_1000<B: Backend + Supports<Unindexed>, R: Raw>(
    c: &mut Criterion,
    rt: &Runtime,
    db: &Db<B>,
    raw: &R,
) {
    let mut group = c.benchmark_group(format!("{}/insert_1000", B::SYSTEM));
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter_custom(|iters| {
            time_batch_inserts(db, iters, |batch| async move {
                db.insert_many(&batch).await.expect("insert batch")
            })
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter_custom(|iters| {
            time_batch_inserts(
                db,
                iters,
                |batch| async move { raw.insert_many(&batch).await },
            )
        })
    });
    group.finish();
}

/// The raw eager load: the two queries by hand, children grouped per parent.
async fn raw_eager<R: Raw>(raw: &R) -> Vec<(User, Vec<Todo>)> {
    let (users, todos) = raw.users_and_todos().await;
    let mut by_owner: HashMap<i64, Vec<Todo>> = HashMap::with_capacity(users.len());
    for todo in todos {
        by_owner.entry(todo.owner_id).or_default().push(todo);
    }
    users
        .into_iter()
        .map(|u| {
            let todos = by_owner.remove(&u.id).unwrap_or_default();
            (u, todos)
        })
        .collect()
}

fn eager<B: Backend + Supports<Unindexed>, R: Raw>(
    c: &mut Criterion,
    rt: &Runtime,
    db: &Db<B>,
    raw: &R,
) {
    rt.block_on(async {
        clear(db).await;
        let ids = db.insert_many(&users(0, USERS)).await.expect("users");
        let todos: Vec<Todo> = ids
            .iter()
            .flat_map(|&id| {
                (0..TODOS_PER_USER).map(move |t| Todo::new(id, &format!("todo {t}"), t as i16))
            })
            .collect();
        db.insert_many(&todos).await.expect("todos");
    });
    let mut group = c.benchmark_group(format!("{}/eager_100x10", B::SYSTEM));
    group.throughput(Throughput::Elements((USERS * TODOS_PER_USER) as u64));
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| async {
            let users = db
                .all(User::query().include(User::TODOS))
                .await
                .expect("eager");
            assert_eq!(users.len(), USERS);
            assert_eq!(users[0].get(User::TODOS).len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter(|| async {
            let users = raw_eager(raw).await;
            assert_eq!(users.len(), USERS);
            assert_eq!(users[0].1.len(), TODOS_PER_USER);
            black_box(users)
        })
    });
    group.finish();
}

/// `upsert` of 1,000 rows that exist against the same statement by hand;
/// two batches of other values, in turn.
fn upsert_1000<B: Backend + Supports<Unindexed>, R: Raw>(
    c: &mut Criterion,
    rt: &Runtime,
    db: &Db<B>,
    raw: &R,
) {
    let batches = Sku::batches(ROWS);
    rt.block_on(db.upsert(Sku::upsert(&batches[0])))
        .expect("seed");
    let mut group = c.benchmark_group(format!("{}/upsert_1000", B::SYSTEM));
    group.throughput(Throughput::Elements(ROWS as u64));
    let mut round = 0;
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| {
            round += 1;
            let batch = &batches[round % 2];
            async move { black_box(db.upsert(Sku::upsert(batch)).await.expect("upsert")) }
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter(|| {
            round += 1;
            let batch = &batches[round % 2];
            async move { raw.upsert_many(batch).await }
        })
    });
    group.finish();
}
