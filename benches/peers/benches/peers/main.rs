//! keyway against its peers on in-memory SQLite and on PostgreSQL, side by
//! side in one criterion run, on the same schema and the same rows.
//!
//! Every SQLite group has the ids `keyway`, `raw_rusqlite` (hand-written
//! rusqlite 0.39, the driver keyway runs on), `raw_sqlx09` (hand-written sqlx
//! 0.9, the driver SeaORM 2 runs on), `sea_orm`, `diesel` and `toasty`. Each
//! library has its own connection to its own in-memory database, and all of
//! them link the one bundled SQLite (`libsqlite3-sys` 0.37).
//!
//! The same groups run on PostgreSQL as `postgresql/<group>` (`pg.rs`); they
//! need the server at `KEYWAY_POSTGRES_URL` and are set up only when
//! criterion's filter selects one of them.
//!
//! Run with `cargo bench` from `benches/peers`; only the SQLite groups:
//! `cargo bench -- '^(get_by_key|fetch_1000|insert_1000|eager_100x10)/'`;
//! only PostgreSQL: `cargo bench -- '^postgresql/'`. Each group runs its
//! libraries one after another; `python3 rounds.py 7 [filter]` runs every
//! group 7 times, starting one library later each round (`order.rs`), and
//! prints each library's median over the rounds.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use keyway::prelude::*;
use keyway::{Backend, Supports, Unindexed};
use keyway_sqlite::Sqlite;
use tokio::runtime::Runtime;

// The keyway models, shared with keyway's own tests and benches.
#[path = "../../../../tests/model/mod.rs"]
mod model;

mod data;
mod dsl;
mod order;
mod pg;
mod raw;
mod raw_pg;
#[path = "../../../raw_rusqlite/mod.rs"]
mod raw_rusqlite;
mod raw_tokio_pg;
mod same;
mod sea;
mod toasty_orm;

use data::{BATCH, OWNERS, TODOS_PER_OWNER, USERS};
use model::{Todo, User};
use same::Expected;

/// The order in which a SQLite group's libraries run in the first round.
const ORDER: [&str; 6] = [
    "keyway",
    "raw_rusqlite",
    "raw_sqlx09",
    "sea_orm",
    "toasty",
    "diesel",
];

/// A private in-memory database for sqlx 0.9 (SeaORM and `raw_sqlx09`).
///
/// sqlx turns `sqlite::memory:` into a shared-cache database named
/// `sqlx-in-memory-N`, with `N` from a counter of its own. This is the same
/// kind of database (in memory, shared cache) under a name that no other
/// library in the process can hit.
fn memory_09(what: &str) -> String {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    format!("sqlite:file:keyway-peers-{what}-{n}?mode=memory")
}

/// One database per library.
struct Dbs {
    keyway: Db<Sqlite>,
    raw: Db<Sqlite>,
    raw09: sqlx09::SqlitePool,
    sea: sea_orm::DatabaseConnection,
    diesel: diesel::SqliteConnection,
    toasty: toasty::Db,
}

impl Dbs {
    /// Fresh databases with keyway's schema; with the seed rows if `seed`.
    async fn open(ddl: &[String], seed: bool) -> Dbs {
        let schema = data::schema_script(ddl);
        let rows = if seed {
            data::rows_script()
        } else {
            String::new()
        };
        let both = format!("{schema}{rows}");

        let keyway = Sqlite::memory().await.expect("open keyway database");
        keyway
            .create_schema::<(User, Todo)>()
            .await
            .expect("keyway schema");
        if seed {
            raw_rusqlite::script(&keyway, &rows).await;
        }
        let raw = raw_rusqlite::open().await;
        raw_rusqlite::script(&raw, &both).await;
        let raw09 = raw::v09::open(&memory_09("raw")).await;
        raw::v09::script(&raw09, &both).await;
        let sea = sea::open(&memory_09("sea")).await;
        sea::script(&sea, &both).await;
        let mut diesel = dsl::open();
        dsl::script(&mut diesel, &both);
        let mut toasty = toasty_orm::open("sqlite::memory:").await;
        toasty_orm::script(&mut toasty, &both).await;
        Dbs {
            keyway,
            raw,
            raw09,
            sea,
            diesel,
            toasty,
        }
    }
}

/// Before timing anything: every library reads what keyway reads.
async fn check_same_data(d: &mut Dbs) {
    let want = Expected::read(&d.keyway).await;
    want.check(
        "raw_rusqlite",
        same::users(&raw_rusqlite::all(&d.raw).await),
        same::tree_of(&raw_rusqlite::eager(&d.raw, OWNERS).await),
    );
    want.check(
        "raw_sqlx09",
        same::users(&raw::v09::all(&d.raw09).await),
        same::tree_of(&raw::v09::eager(&d.raw09).await),
    );
    want.check(
        "sea_orm",
        same::users(&sea::all(&d.sea).await),
        same::tree_of(&sea::eager(&d.sea).await),
    );
    want.check(
        "diesel",
        same::users(&dsl::all(&mut d.diesel)),
        same::tree_of(&dsl::eager(&mut d.diesel)),
    );
    let toasty = toasty_orm::eager(&mut d.toasty).await;
    want.check(
        "toasty",
        same::users(&toasty_orm::all(&mut d.toasty).await),
        same::tree(toasty.iter().map(|u| (u, toasty_orm::todos(u)))),
    );
}

fn get_by_key(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, d: &mut Dbs, round: usize) {
    let ids: Vec<i64> = (1..=USERS as i64).collect();
    let next = |at: &mut usize| {
        *at = (*at + 1) % ids.len();
        ids[*at]
    };

    let mut at = 0;
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => b.to_async(rt).iter(|| {
            let (db, id) = (&d.keyway, next(&mut at));
            async move { black_box(db.get::<User>(id).await.expect("get")) }
        }),
        "raw_rusqlite" => b.to_async(rt).iter(|| {
            let (db, id) = (&d.raw, next(&mut at));
            async move { black_box(raw_rusqlite::get(db, id).await) }
        }),
        "raw_sqlx09" => b.to_async(rt).iter(|| {
            let (pool, id) = (&d.raw09, next(&mut at));
            async move { black_box(raw::v09::get(pool, id).await) }
        }),
        "sea_orm" => b.to_async(rt).iter(|| {
            let (db, id) = (&d.sea, next(&mut at));
            async move { black_box(sea::get(db, id).await) }
        }),
        "toasty" => b.to_async(rt).iter(|| {
            let (mut db, id) = (d.toasty.clone(), next(&mut at));
            async move { black_box(toasty_orm::get(&mut db, id).await) }
        }),
        "diesel" => {
            let conn = &mut d.diesel;
            b.iter(|| black_box(dsl::get(conn, next(&mut at))))
        }
        other => unreachable!("no {other} in this group"),
    });
}

fn fetch_1000(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, d: &mut Dbs, round: usize) {
    g.throughput(Throughput::Elements(USERS as u64));
    let check = |n: usize| assert_eq!(n, USERS);
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => b.to_async(rt).iter(|| async {
            let all = d.keyway.all(User::query()).await.expect("all");
            check(all.len());
            black_box(all)
        }),
        "raw_rusqlite" => b.to_async(rt).iter(|| async {
            let all = raw_rusqlite::all(&d.raw).await;
            check(all.len());
            black_box(all)
        }),
        "raw_sqlx09" => b.to_async(rt).iter(|| async {
            let all = raw::v09::all(&d.raw09).await;
            check(all.len());
            black_box(all)
        }),
        "sea_orm" => b.to_async(rt).iter(|| async {
            let all = sea::all(&d.sea).await;
            check(all.len());
            black_box(all)
        }),
        "toasty" => b.to_async(rt).iter(|| async {
            let all = toasty_orm::all(&mut d.toasty.clone()).await;
            check(all.len());
            black_box(all)
        }),
        "diesel" => {
            let conn = &mut d.diesel;
            b.iter(|| {
                let all = dsl::all(conn);
                check(all.len());
                black_box(all)
            })
        }
        other => unreachable!("no {other} in this group"),
    });
}

/// The rows of one insert batch, as names and emails.
fn batch_rows() -> Vec<(String, String)> {
    (0..BATCH).map(data::batch_user).collect()
}

fn keyway_batch() -> Vec<User> {
    batch_rows()
        .into_iter()
        .map(|(name, email)| User::new(&name, &email))
        .collect()
}

/// Times `iters` inserts of one batch each: the batch is built (`build`)
/// before the clock starts, and after it stops the returned ids are counted
/// and the table emptied (`clear`), untimed.
pub(crate) async fn time_batches<B, I, C>(
    iters: u64,
    build: impl Fn() -> B,
    insert: impl Fn(B) -> I,
    clear: impl Fn() -> C,
) -> Duration
where
    I: Future<Output = Vec<i64>>,
    C: Future<Output = ()>,
{
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let batch = build();
        let start = Instant::now();
        let ids = insert(batch).await;
        total += start.elapsed();
        assert_eq!(ids.len(), BATCH);
        clear().await;
    }
    total
}

/// `iters` batches of `BATCH` users: each library's input is built before the
/// clock starts, the ids are checked and the table emptied after it stops.
fn insert_1000(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, d: &mut Dbs, round: usize) {
    g.throughput(Throughput::Elements(BATCH as u64));
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => {
            let d = &*d;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { d.keyway.insert_many(&b).await.expect("insert batch") },
                    || raw_rusqlite::clear(&d.keyway),
                )
            })
        }
        "raw_rusqlite" => {
            let d = &*d;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { raw_rusqlite::insert_many(&d.raw, &b).await },
                    || raw_rusqlite::clear(&d.raw),
                )
            })
        }
        "raw_sqlx09" => {
            let d = &*d;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    keyway_batch,
                    |b| async move { raw::v09::insert_many(&d.raw09, &b).await },
                    || raw::v09::clear(&d.raw09),
                )
            })
        }
        "sea_orm" => {
            let d = &*d;
            b.to_async(rt).iter_custom(|iters| {
                time_batches(
                    iters,
                    || sea::batch(&batch_rows()),
                    |b| async move { sea::insert_many(&d.sea, b).await },
                    || sea::clear(&d.sea),
                )
            })
        }
        "toasty" => b
            .to_async(rt)
            .iter_custom(|iters| toasty_orm::time_inserts(&d.toasty, iters)),
        "diesel" => {
            let conn = &mut d.diesel;
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let batch = dsl::batch(&batch_rows());
                    let start = Instant::now();
                    let ids = dsl::insert_many(conn, &batch);
                    total += start.elapsed();
                    assert_eq!(ids.len(), BATCH);
                    dsl::clear(conn);
                }
                total
            })
        }
        other => unreachable!("no {other} in this group"),
    });
}

/// keyway's side of `eager_100x10`: the first `OWNERS` users with their
/// todos, checked.
pub(crate) async fn keyway_eager<B: Backend + Supports<Unindexed>>(db: &Db<B>) {
    let users = db
        .all(
            User::query()
                .filter(User::ID.le(OWNERS))
                .include(User::TODOS),
        )
        .await
        .expect("eager");
    assert_eq!(users.len(), OWNERS as usize);
    assert_eq!(users[0].get(User::TODOS).len(), TODOS_PER_OWNER);
    black_box(users);
}

fn eager_100x10(g: &mut BenchmarkGroup<'_, WallTime>, rt: &Runtime, d: &mut Dbs, round: usize) {
    g.throughput(Throughput::Elements(OWNERS as u64 * TODOS_PER_OWNER as u64));
    let check = |users: usize, first_todos: usize| {
        assert_eq!(users, OWNERS as usize);
        assert_eq!(first_todos, TODOS_PER_OWNER);
    };
    order::run(g, &ORDER, round, |library, b| match library {
        "keyway" => b.to_async(rt).iter(|| keyway_eager(&d.keyway)),
        "raw_rusqlite" => b.to_async(rt).iter(|| async {
            let users = raw_rusqlite::eager(&d.raw, OWNERS).await;
            check(users.len(), users[0].1.len());
            black_box(users)
        }),
        "raw_sqlx09" => b.to_async(rt).iter(|| async {
            let users = raw::v09::eager(&d.raw09).await;
            check(users.len(), users[0].1.len());
            black_box(users)
        }),
        "sea_orm" => b.to_async(rt).iter(|| async {
            let users = sea::eager(&d.sea).await;
            check(users.len(), users[0].1.len());
            black_box(users)
        }),
        "toasty" => b.to_async(rt).iter(|| async {
            let users = toasty_orm::eager(&mut d.toasty.clone()).await;
            check(users.len(), toasty_orm::todos(&users[0]).len());
            black_box(users)
        }),
        "diesel" => {
            let conn = &mut d.diesel;
            b.iter(|| {
                let users = dsl::eager(conn);
                check(users.len(), users[0].1.len());
                black_box(users)
            })
        }
        other => unreachable!("no {other} in this group"),
    });
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (mut read, mut write) = rt.block_on(async {
        let ddl = data::keyway_ddl().await;
        let mut read = Dbs::open(&ddl, true).await;
        check_same_data(&mut read).await;
        let write = Dbs::open(&ddl, false).await;
        (read, write)
    });

    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut pg = pg::Lazy::from_env();
    for round in 0..order::rounds() {
        type Group = fn(&mut BenchmarkGroup<'_, WallTime>, &Runtime, &mut Dbs, usize);
        let groups: [(&str, Group); 4] = [
            ("get_by_key", get_by_key),
            ("fetch_1000", fetch_1000),
            ("insert_1000", insert_1000),
            ("eager_100x10", eager_100x10),
        ];
        for (name, group) in groups {
            let dbs = if name == "insert_1000" {
                &mut write
            } else {
                &mut read
            };
            let mut g = c.benchmark_group(order::group_name(name, round));
            group(&mut g, &rt, dbs, round);
            g.finish();
        }
        pg::groups(&mut c, &rt, &mut pg, round);
    }
    pg.finish(&rt);
    c.final_summary();
}
