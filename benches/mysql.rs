//! keyway on MySQL / MariaDB against hand-written raw sqlx, in the same groups
//! (`benches/server/mod.rs`): get by key, fetch 1,000 rows, insert one,
//! insert 1,000, eager load of 100 users x 10 todos.
//!
//! Run with `cargo bench --bench mysql` (server at `KEYWAY_MYSQL_URL`, default
//! `mysql://root@127.0.0.1:3306/test`; the bench works in a database of its
//! own and drops it); results are in `BENCHMARKS.md`. The baseline inserts
//! with `RETURNING`, as keyway does on MariaDB.

use keyway_mysql::MySqlOptions;
use sqlx::{Connection, Executor, MySqlConnection};

#[path = "../tests/model/mod.rs"]
mod model;
#[path = "../tests/suite/scratch.rs"]
#[allow(dead_code)]
mod scratch;
mod server;

use model::{Account, Sku, Todo, User};
use server::raw::SqlxRaw;

/// The hand-written upsert's conflict clause.
const UPSERT: &str = " ON DUPLICATE KEY UPDATE name = VALUES(name), stock = VALUES(stock), \
    note = VALUES(note), version = version + 1";

fn main() {
    let url = std::env::var("KEYWAY_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    let name = format!("kw_bench_{}", std::process::id());
    let admin = async || {
        MySqlConnection::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("MySQL at {url} cannot be reached: {e}"))
    };
    let rt = server::runtime();
    let (db, pool) = rt.block_on(async {
        let create = format!("CREATE DATABASE {name}");
        admin()
            .await
            .execute(create.as_str())
            .await
            .expect("create the bench database");
        let db = MySqlOptions::new(scratch::with_database(&url, &name))
            .connect()
            .await
            .expect("connect");
        db.create_schema::<(User, Todo, Account, Sku)>()
            .await
            .expect("schema");
        let pool = server::raw::pool_options::<sqlx::MySql>()
            .connect(&scratch::with_database(&url, &name))
            .await
            .expect("connect the raw pool");
        (db, pool)
    });
    let raw = SqlxRaw {
        pool,
        mark: |_| "?".to_owned(),
        affected: |r| r.rows_affected(),
        upsert: UPSERT,
    };
    server::run_all(&rt, &db, &raw);
    rt.block_on(async {
        let drop = format!("DROP DATABASE {name}");
        admin()
            .await
            .execute(drop.as_str())
            .await
            .expect("drop the bench database");
    });
}
