//! Queries beyond equality: a filter through a relation (`EXISTS`) and a
//! group-by with aggregates, keyway against the same statement written by
//! hand, on in-memory SQLite (raw rusqlite on the connection keyway's pool
//! holds) and on PostgreSQL (raw sqlx). 100 users x 10 todos; half the
//! users have an open todo.
//!
//! Run with `cargo bench --bench queries` (PostgreSQL at
//! `KEYWAY_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/test`;
//! the bench works in a schema of its own and drops it); results are in
//! `BENCHMARKS.md`.

use std::future::Future;
use std::hint::black_box;
use std::str::FromStr;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use keyway::prelude::*;
use keyway::{Backend, Grouped, Supports, Unindexed, count, sum};
use keyway_postgres::{PostgresOptions, PostgresSettings};
use keyway_sqlite::Sqlite;
use keyway_sqlite::rusqlite::Connection;
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{Connection as _, Executor as _, PgConnection, Row as _};

#[path = "../tests/model/mod.rs"]
mod model;

use model::{Todo, User};

const USERS: usize = 100;
const TODOS_PER_USER: usize = 10;

/// The users with an open todo, as keyway writes the statement.
const BUSY: &str = r#"SELECT "id", "name", "email" FROM "users" WHERE EXISTS (SELECT 1 FROM "todos" AS "keyway_l1" WHERE "keyway_l1"."owner_id" = "users"."id" AND "done" = "#;

/// Todos and the sum of their priorities per owner.
const PER_OWNER_SQLITE: &str =
    r#"SELECT "owner_id", COUNT(*), SUM("priority") FROM "todos" GROUP BY "owner_id""#;
const PER_OWNER_PG: &str = r#"SELECT "owner_id", COUNT(*), CAST(SUM("priority") AS BIGINT) FROM "todos" GROUP BY "owner_id""#;

fn busy() -> keyway::Select<User, keyway::Joined> {
    User::query().filter(User::TODOS.any(Todo::DONE.eq(false)))
}

type PerOwner = (i64, i64, Option<i64>);

async fn per_owner<B>(db: &Db<B>) -> Vec<PerOwner>
where
    B: Backend + Supports<Grouped<Unindexed>>,
{
    db.all(Todo::query().group_by(Todo::OWNER_ID).select((
        Todo::OWNER_ID,
        count(),
        sum(Todo::PRIORITY),
    )))
    .await
    .expect("group by")
}

async fn seed<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    db.create_schema::<(User, Todo)>().await.expect("schema");
    let users: Vec<User> = (0..USERS)
        .map(|i| User::new(&format!("user {i}"), &format!("u{i}@example.com")))
        .collect();
    let ids = db.insert_many(&users).await.expect("users");
    let todos: Vec<Todo> = ids
        .iter()
        .enumerate()
        .flat_map(|(u, &id)| {
            (0..TODOS_PER_USER).map(move |t| Todo {
                done: u % 2 == 0 || t > 0,
                ..Todo::new(id, &format!("todo {t}"), t as i16)
            })
        })
        .collect();
    db.insert_many(&todos).await.expect("todos");
}

fn raw_busy_sqlite(conn: &Connection) -> Vec<User> {
    let sql = format!("{BUSY}?)");
    let mut st = conn.prepare_cached(&sql).expect("prepare");
    st.query_map([false], |r| {
        Ok(User {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
        })
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn raw_per_owner_sqlite(conn: &Connection) -> Vec<PerOwner> {
    let mut st = conn.prepare_cached(PER_OWNER_SQLITE).expect("prepare");
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

async fn raw_busy_pg(pool: &PgPool) -> Vec<User> {
    let sql = format!("{BUSY}$1)");
    let rows = sqlx::query(&sql)
        .bind(false)
        .fetch_all(pool)
        .await
        .expect("query");
    rows.iter()
        .map(|r| User {
            id: r.get(0),
            name: r.get(1),
            email: r.get(2),
        })
        .collect()
}

async fn raw_per_owner_pg(pool: &PgPool) -> Vec<PerOwner> {
    let rows = sqlx::query(PER_OWNER_PG)
        .fetch_all(pool)
        .await
        .expect("query");
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// One group: keyway and the raw baseline (id `raw_id`), each checked to
/// give `n` rows.
fn pair<K, KF, R, RF, T, U>(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    (name, raw_id): (&str, &str),
    n: usize,
    keyway: K,
    raw: R,
) where
    K: Fn() -> KF,
    KF: Future<Output = Vec<T>>,
    R: Fn() -> RF,
    RF: Future<Output = Vec<U>>,
{
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("keyway", |b| {
        b.to_async(rt).iter(|| async {
            let rows = keyway().await;
            assert_eq!(rows.len(), n);
            black_box(rows)
        })
    });
    group.bench_function(raw_id, |b| {
        b.to_async(rt).iter(|| async {
            let rows = raw().await;
            assert_eq!(rows.len(), n);
            black_box(rows)
        })
    });
    group.finish();
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();

    let sqlite = rt.block_on(async {
        let db = Sqlite::memory().await.expect("open");
        seed(&db).await;
        db
    });
    let on_conn = |f: fn(&Connection) -> Vec<User>| {
        let db = &sqlite;
        move || async move { db.executor().with_connection(f).await.expect("connection") }
    };
    pair(
        &mut c,
        &rt,
        ("relation_filter/sqlite", "raw_rusqlite"),
        USERS / 2,
        || async { sqlite.all(busy()).await.expect("busy") },
        on_conn(raw_busy_sqlite),
    );
    pair(
        &mut c,
        &rt,
        ("group_by/sqlite", "raw_rusqlite"),
        USERS,
        || per_owner(&sqlite),
        || async {
            let f = raw_per_owner_sqlite;
            sqlite
                .executor()
                .with_connection(f)
                .await
                .expect("connection")
        },
    );

    let url = std::env::var("KEYWAY_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("kw_bench_queries_{}", std::process::id());
    let admin = async || {
        PgConnection::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {url} cannot be reached: {e}"))
    };
    let (pg, pool) = rt.block_on(async {
        let create = format!("CREATE SCHEMA {schema}");
        admin()
            .await
            .execute(create.as_str())
            .await
            .expect("schema");
        let db = PostgresOptions::new(&url)
            .settings(PostgresSettings::default().search_path(schema.clone()))
            .connect()
            .await
            .expect("connect");
        seed(&db).await;
        let options = PgConnectOptions::from_str(&url)
            .expect("PostgreSQL URL")
            .options([("search_path", schema.as_str())]);
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(10)
            .connect_with(options)
            .await
            .expect("connect the raw pool");
        (db, pool)
    });
    pair(
        &mut c,
        &rt,
        ("relation_filter/postgres", "raw_sqlx"),
        USERS / 2,
        || async { pg.all(busy()).await.expect("busy") },
        || raw_busy_pg(&pool),
    );
    pair(
        &mut c,
        &rt,
        ("group_by/postgres", "raw_sqlx"),
        USERS,
        || per_owner(&pg),
        || raw_per_owner_pg(&pool),
    );
    rt.block_on(async {
        let drop = format!("DROP SCHEMA {schema} CASCADE");
        admin().await.execute(drop.as_str()).await.expect("drop");
    });
    c.final_summary();
}
