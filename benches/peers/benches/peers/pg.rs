//! The same four groups on PostgreSQL, named `postgresql/<group>`, with
//! Toasty and a second raw baseline on tokio-postgres (`raw_tokio_postgres`)
//! added to the libraries of the SQLite run.
//!
//! Each library has two databases of its own on the server at
//! `KEYWAY_POSTGRES_URL` (default [`DEFAULT_URL`]):
//! `keyway_peers_<library>_read` (the seed rows) and
//! `keyway_peers_<library>_write` (empty, for `insert_1000`). They are
//! dropped (`WITH (FORCE)`) and created again when the first PostgreSQL
//! benchmark starts, and dropped at the end. In each of them keyway's
//! `create_schema::<(User, Todo)>()` creates the tables, so every library
//! runs on the same DDL, and the seed script goes in through the same setup
//! connection. Nothing here runs unless criterion's filter selects a
//! `postgresql/` benchmark: `cargo bench -- '^(get_by_key|fetch_1000|insert_1000|eager_100x10)/'`
//! runs the SQLite groups without a server. A selected PostgreSQL benchmark
//! with no server to reach panics, naming the URL.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use keyway::prelude::*;
use keyway_postgres::{Postgres, PostgresOptions};
use sqlx::Connection;
use tokio::runtime::Runtime;

use crate::data::{self, BATCH, OWNERS, TODOS_PER_OWNER, USERS};
use crate::model::{Todo, User};
use crate::same::{self, Expected};
use crate::toasty_orm;
use crate::{
    batch_rows, dsl, keyway_batch, keyway_eager, order, raw_pg, raw_tokio_pg, sea, time_batches,
};

/// The server the bench uses unless `KEYWAY_POSTGRES_URL` names another.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The order in which a group's libraries run in the first round.
const ORDER: [&str; 7] = [
    "keyway",
    "raw_sqlx",
    "raw_sqlx09",
    "raw_tokio_postgres",
    "sea_orm",
    "diesel",
    "toasty",
];

/// The libraries, in their databases' names and in [`Dbs`]' order.
const LIBRARIES: [&str; 7] = [
    "keyway",
    "raw_sqlx",
    "raw_sqlx09",
    "sea_orm",
    "diesel",
    "toasty",
    "raw_tokio_postgres",
];

/// One connection (or pool) per library, each on its own database.
struct Dbs {
    keyway: Db<Postgres>,
    raw: sqlx::PgPool,
    raw09: sqlx09::PgPool,
    sea: sea_orm::DatabaseConnection,
    diesel: diesel::PgConnection,
    toasty: toasty::Db,
    raw_tp: raw_tokio_pg::Raw,
}

impl Dbs {
    /// Opens each library on its database (`urls` in [`LIBRARIES`] order),
    /// each configured as described in `BENCHMARKS.md`.
    async fn open(urls: &[String]) -> Dbs {
        let keyway = PostgresOptions::new(&urls[0])
            .connect()
            .await
            .expect("open keyway database");
        Dbs {
            keyway,
            raw: raw_pg::v08::open(&urls[1]).await,
            raw09: raw_pg::v09::open(&urls[2]).await,
            sea: sea::open_server(&urls[3]).await,
            diesel: dsl::pg::open(&urls[4]),
            toasty: toasty_orm::open(&urls[5]).await,
            raw_tp: raw_tokio_pg::open(&urls[6]).await,
        }
    }

    async fn close(self) {
        self.keyway.executor().close().await;
        self.raw.close().await;
        self.raw09.close().await;
        self.sea.close().await.expect("close SeaORM");
        drop(self.diesel);
        drop(self.toasty);
        drop(self.raw_tp);
    }
}

/// The open databases: `read` for the read groups, `write` for inserts.
struct Pg {
    read: Dbs,
    write: Dbs,
    url: String,
    names: Vec<String>,
}

/// The PostgreSQL side, set up by the first selected PostgreSQL benchmark.
pub struct Lazy {
    url: String,
    pg: Option<Pg>,
}

impl Lazy {
    /// Nothing is opened yet: only the URL is read.
    pub fn from_env() -> Lazy {
        let url = std::env::var("KEYWAY_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_URL.into());
        Lazy { url, pg: None }
    }

    /// The databases, created, seeded and checked on first use.
    fn get(&mut self, rt: &Runtime) -> &mut Pg {
        let url = &self.url;
        self.pg.get_or_insert_with(|| rt.block_on(Pg::open(url)))
    }

    /// Closes every connection and drops the databases, if they were made.
    pub fn finish(self, rt: &Runtime) {
        if let Some(pg) = self.pg {
            rt.block_on(pg.drop_all());
        }
    }
}

/// `url` with its database (the path) replaced by `name`, and
/// `sslmode=disable` added unless `url` names an `sslmode`.
///
/// Every library here can use TLS (keyway and raw tokio-postgres through
/// tokio-postgres-rustls, raw sqlx and SeaORM through sqlx's rustls, Diesel
/// through libpq, Toasty through its own rustls), and each one's default is
/// `prefer`: TLS whenever the server offers it, as Debian's does. Without
/// an `sslmode` the run is plain TCP for all of them; `sslmode=require`
/// in `KEYWAY_POSTGRES_URL` makes it TLS for all (checked by
/// [`check_tls`]).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) if query.contains("sslmode=") => (base, format!("?{query}")),
        Some((base, query)) => (base, format!("?{query}&sslmode=disable")),
        None => (url, "?sslmode=disable".to_string()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    format!("{}/{name}{query}", &base[..path])
}

/// A connection to the database `url` names, for creating and dropping the
/// bench's databases.
async fn admin(url: &str) -> sqlx::PgConnection {
    sqlx::PgConnection::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "PostgreSQL at {url} cannot be reached: {e}\n\
             The postgresql/ groups need a server (set KEYWAY_POSTGRES_URL); \
             to run only the SQLite groups: \
             cargo bench -- '^(get_by_key|fetch_1000|insert_1000|eager_100x10)/'"
        )
    })
}

/// Drops and creates the database `name`, creates keyway's tables in it and,
/// if `rows` is given, runs that script; returns the database's URL.
async fn fresh_database(
    admin: &mut sqlx::PgConnection,
    url: &str,
    name: &str,
    rows: Option<&str>,
) -> String {
    let drop = format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#);
    sqlx::raw_sql(&drop)
        .execute(&mut *admin)
        .await
        .expect("drop old database");
    let create = format!(r#"CREATE DATABASE "{name}""#);
    sqlx::raw_sql(&create)
        .execute(&mut *admin)
        .await
        .expect("create database");
    let db_url = with_database(url, name);
    let setup = PostgresOptions::new(&db_url)
        .max_connections(1)
        .connect()
        .await
        .expect("open setup connection");
    setup
        .create_schema::<(User, Todo)>()
        .await
        .expect("keyway schema");
    if let Some(rows) = rows {
        let mut conn = setup.executor().acquire().await.expect("setup connection");
        conn.batch_execute(rows).await.expect("seed rows");
        // Settled before any library is timed: the statistics gathered and
        // the new rows vacuumed now, not by autovacuum during the first
        // library's run.
        conn.batch_execute("VACUUM ANALYZE")
            .await
            .expect("vacuum the seed rows");
        conn.release();
    }
    setup.executor().close().await;
    db_url
}

impl Pg {
    async fn open(url: &str) -> Pg {
        let mut admin = admin(url).await;
        let rows = data::rows_script_pg();
        let mut names = Vec::new();
        let mut read_urls = Vec::new();
        let mut write_urls = Vec::new();
        for lib in LIBRARIES {
            let read = format!("keyway_peers_{lib}_read");
            read_urls.push(fresh_database(&mut admin, url, &read, Some(&rows)).await);
            let write = format!("keyway_peers_{lib}_write");
            write_urls.push(fresh_database(&mut admin, url, &write, None).await);
            names.extend([read, write]);
        }
        admin.close().await.expect("close admin connection");
        let mut pg = Pg {
            read: Dbs::open(&read_urls).await,
            write: Dbs::open(&write_urls).await,
            url: url.into(),
            names,
        };
        check_same_data(&mut pg.read).await;
        check_tls(url, "after setup", true).await;
        pg
    }

    async fn drop_all(self) {
        check_tls(&self.url, "at the end", false).await;
        self.read.close().await;
        self.write.close().await;
        let mut admin = admin(&self.url).await;
        for name in &self.names {
            let drop = format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#);
            sqlx::raw_sql(&drop)
                .execute(&mut admin)
                .await
                .expect("drop database");
        }
        admin.close().await.expect("close admin connection");
    }
}

/// Whether the run's connections must be TLS (`Some(true)`), must be plain
/// TCP (`Some(false)`), or may be either (`None`: `prefer`, `allow`), by
/// the `sslmode` that [`with_database`] gives every library.
fn tls_expected(url: &str) -> Option<bool> {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let mode = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("sslmode="))
        .unwrap_or("disable");
    match mode {
        "disable" => Some(false),
        "require" | "verify-ca" | "verify-full" => Some(true),
        _ => None,
    }
}

/// Checks from the server's side that every library's connections are
/// encrypted as the URL's `sslmode` says: `pg_stat_ssl` for each backend
/// connected to one of the bench's databases (each library has its own, so
/// the database names the library). Prints one line per database to stderr;
/// panics on a connection of the wrong kind, or (`each_read`) on a library
/// with no connection to its read database.
async fn check_tls(url: &str, when: &str, each_read: bool) {
    let mut admin = admin(url).await;
    let rows: Vec<(String, bool, Option<String>, i64)> = sqlx::query_as(
        "SELECT a.datname::text, s.ssl, s.version, count(*) \
         FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid \
         WHERE a.datname LIKE 'keyway_peers_%' \
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .fetch_all(&mut admin)
    .await
    .expect("read pg_stat_ssl");
    admin.close().await.expect("close admin connection");
    let want = tls_expected(url);
    eprintln!("postgresql: TLS {when} ({url}), from pg_stat_ssl:");
    for (db, ssl, version, n) in &rows {
        let how = match (ssl, version) {
            (true, Some(v)) => v.as_str(),
            (true, None) => "TLS",
            (false, _) => "plain TCP",
        };
        eprintln!("  {db}: {n} connection(s), {how}");
    }
    for (db, ssl, _, n) in &rows {
        if let Some(want) = want {
            assert_eq!(
                *ssl,
                want,
                "{n} connection(s) to {db} are {}, and {url} asks for {}",
                if *ssl { "TLS" } else { "plain TCP" },
                if want { "TLS" } else { "plain TCP" },
            );
        }
    }
    if each_read {
        for lib in LIBRARIES {
            let read = format!("keyway_peers_{lib}_read");
            assert!(
                rows.iter().any(|(db, ..)| *db == read),
                "{lib} has no connection to {read}: its TLS cannot be checked"
            );
        }
    }
}

/// Before timing anything: every library reads what keyway reads.
async fn check_same_data(d: &mut Dbs) {
    let want = Expected::read(&d.keyway).await;
    want.check(
        "raw_sqlx",
        same::users(&raw_pg::v08::all(&d.raw).await),
        same::tree_of(&raw_pg::v08::eager(&d.raw).await),
    );
    want.check(
        "raw_sqlx09",
        same::users(&raw_pg::v09::all(&d.raw09).await),
        same::tree_of(&raw_pg::v09::eager(&d.raw09).await),
    );
    want.check(
        "raw_tokio_postgres",
        same::users(&raw_tokio_pg::all(&d.raw_tp).await),
        same::tree_of(&raw_tokio_pg::eager(&d.raw_tp).await),
    );
    want.check(
        "sea_orm",
        same::users(&sea::all(&d.sea).await),
        same::tree_of(&sea::eager(&d.sea).await),
    );
    want.check(
        "diesel",
        same::users(&dsl::pg::all(&mut d.diesel)),
        same::tree_of(&dsl::pg::eager(&mut d.diesel)),
    );
    let toasty = toasty_orm::eager(&mut d.toasty).await;
    want.check(
        "toasty",
        same::users(&toasty_orm::all(&mut d.toasty).await),
        same::tree(toasty.iter().map(|u| (u, toasty_orm::todos(u)))),
    );
}

fn get_by_key(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, pg: &mut Lazy, round: usize) {
    let ids: Vec<i64> = (1..=USERS as i64).collect();
    let next = |at: &mut usize| {
        *at = (*at + 1) % ids.len();
        ids[*at]
    };

    let mut at = 0;
    order::run(g, &ORDER, round, |library, b| {
        match library {
            "keyway" => {
                let d = &pg.get(rt).read;
                b.to_async(rt).iter(|| {
                    let (db, id) = (&d.keyway, next(&mut at));
                    async move { black_box(db.get::<User>(id).await.expect("get")) }
                })
            }
            "raw_sqlx" => {
                let d = &pg.get(rt).read;
                b.to_async(rt).iter(|| {
                    let (pool, id) = (&d.raw, next(&mut at));
                    async move { black_box(raw_pg::v08::get(pool, id).await) }
                })
            }
            "raw_sqlx09" => {
                let d = &pg.get(rt).read;
                b.to_async(rt).iter(|| {
                    let (pool, id) = (&d.raw09, next(&mut at));
                    async move { black_box(raw_pg::v09::get(pool, id).await) }
                })
            }
            "raw_tokio_postgres" => {
                let d = &pg.get(rt).read;
                b.to_async(rt).iter(|| {
                    let (raw, id) = (&d.raw_tp, next(&mut at));
                    async move { black_box(raw_tokio_pg::get(raw, id).await) }
                })
            }
            "sea_orm" => {
                let d = &pg.get(rt).read;
                b.to_async(rt).iter(|| {
                    let (db, id) = (&d.sea, next(&mut at));
                    async move { black_box(sea::get(db, id).await) }
                })
            }
            "diesel" => {
                let conn = &mut pg.get(rt).read.diesel;
                b.iter(|| black_box(dsl::pg::get(conn, next(&mut at))))
            }
            "toasty" => {
                let d = &pg.get(rt).read;
                b.to_async(rt).iter(|| {
                    // Toasty's `Db` is a handle on a shared pool (an `Arc`); its
                    // queries take it by `&mut`, so each one gets a clone.
                    let (mut db, id) = (d.toasty.clone(), next(&mut at));
                    async move { black_box(toasty_orm::get(&mut db, id).await) }
                })
            }
            other => unreachable!("no {other} in this group"),
        }
    });
}

fn fetch_1000(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, pg: &mut Lazy, round: usize) {
    g.throughput(Throughput::Elements(USERS as u64));
    let check = |n: usize| assert_eq!(n, USERS);
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let all = d.keyway.all(User::query()).await.expect("all");
                check(all.len());
                black_box(all)
            })
        }
        "raw_sqlx" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let all = raw_pg::v08::all(&d.raw).await;
                check(all.len());
                black_box(all)
            })
        }
        "raw_sqlx09" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let all = raw_pg::v09::all(&d.raw09).await;
                check(all.len());
                black_box(all)
            })
        }
        "raw_tokio_postgres" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let all = raw_tokio_pg::all(&d.raw_tp).await;
                check(all.len());
                black_box(all)
            })
        }
        "sea_orm" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let all = sea::all(&d.sea).await;
                check(all.len());
                black_box(all)
            })
        }
        "diesel" => {
            let conn = &mut pg.get(rt).read.diesel;
            b.iter(|| {
                let all = dsl::pg::all(conn);
                check(all.len());
                black_box(all)
            })
        }
        "toasty" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let all = toasty_orm::all(&mut d.toasty.clone()).await;
                check(all.len());
                black_box(all)
            })
        }
        other => unreachable!("no {other} in this group"),
    });
}

/// `iters` batches of `BATCH` users: each library's input is built before the
/// clock starts, the ids are checked and the table emptied after it stops.
fn insert_1000(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, pg: &mut Lazy, round: usize) {
    g.throughput(Throughput::Elements(BATCH as u64));
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => {
            let d = &pg.get(rt).write;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { d.keyway.insert_many(&b).await.expect("insert batch") },
                    || async {
                        d.keyway
                            .delete(User::query().delete())
                            .await
                            .expect("empty users");
                    },
                )
            })
        }
        "raw_sqlx" => {
            let d = &pg.get(rt).write;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { raw_pg::v08::insert_many(&d.raw, &b).await },
                    || raw_pg::v08::clear(&d.raw),
                )
            })
        }
        "raw_sqlx09" => {
            let d = &pg.get(rt).write;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { raw_pg::v09::insert_many(&d.raw09, &b).await },
                    || raw_pg::v09::clear(&d.raw09),
                )
            })
        }
        "raw_tokio_postgres" => {
            let d = &pg.get(rt).write;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { raw_tokio_pg::insert_many(&d.raw_tp, &b).await },
                    || raw_tokio_pg::clear(&d.raw_tp),
                )
            })
        }
        "sea_orm" => {
            let d = &pg.get(rt).write;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    || sea::batch(&batch_rows()),
                    |b| async move { sea::insert_many(&d.sea, b).await },
                    || sea::clear(&d.sea),
                )
            })
        }
        "diesel" => {
            let conn = &mut pg.get(rt).write.diesel;
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let batch = dsl::pg::batch(&batch_rows());
                    let start = Instant::now();
                    let ids = dsl::pg::insert_many(conn, &batch);
                    total += start.elapsed();
                    assert_eq!(ids.len(), BATCH);
                    dsl::pg::clear(conn);
                }
                total
            })
        }
        "toasty" => {
            let d = &pg.get(rt).write;
            b.to_async(rt)
                .iter_custom(|iters| toasty_orm::time_inserts(&d.toasty, iters))
        }
        other => unreachable!("no {other} in this group"),
    });
}

fn eager_100x10(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, pg: &mut Lazy, round: usize) {
    g.throughput(Throughput::Elements(OWNERS as u64 * TODOS_PER_OWNER as u64));
    let check = |users: usize, first_todos: usize| {
        assert_eq!(users, OWNERS as usize);
        assert_eq!(first_todos, TODOS_PER_OWNER);
    };
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| keyway_eager(&d.keyway))
        }
        "raw_sqlx" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let users = raw_pg::v08::eager(&d.raw).await;
                check(users.len(), users[0].1.len());
                black_box(users)
            })
        }
        "raw_sqlx09" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let users = raw_pg::v09::eager(&d.raw09).await;
                check(users.len(), users[0].1.len());
                black_box(users)
            })
        }
        "raw_tokio_postgres" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let users = raw_tokio_pg::eager(&d.raw_tp).await;
                check(users.len(), users[0].1.len());
                black_box(users)
            })
        }
        "sea_orm" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let users = sea::eager(&d.sea).await;
                check(users.len(), users[0].1.len());
                black_box(users)
            })
        }
        "diesel" => {
            let conn = &mut pg.get(rt).read.diesel;
            b.iter(|| {
                let users = dsl::pg::eager(conn);
                check(users.len(), users[0].1.len());
                black_box(users)
            })
        }
        "toasty" => {
            let d = &pg.get(rt).read;
            b.to_async(rt).iter(|| async {
                let users = toasty_orm::eager(&mut d.toasty.clone()).await;
                check(users.len(), toasty_orm::todos(&users[0]).len());
                black_box(users)
            })
        }
        other => unreachable!("no {other} in this group"),
    });
}

/// The four groups of one round, as `postgresql/<group>` (see [`order`]).
pub fn groups(c: &mut Criterion, rt: &Runtime, pg: &mut Lazy, round: usize) {
    type Group = fn(&mut BenchmarkGroup<'_, WallTime>, &Runtime, &mut Lazy, usize);
    let groups: [(&str, Group); 4] = [
        ("get_by_key", get_by_key),
        ("fetch_1000", fetch_1000),
        ("insert_1000", insert_1000),
        ("eager_100x10", eager_100x10),
    ];
    for (name, group) in groups {
        let mut g = c.benchmark_group(order::group_name(&format!("postgresql/{name}"), round));
        group(&mut g, rt, pg, round);
        g.finish();
    }
}
