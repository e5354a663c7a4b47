//! keyway on PostgreSQL against hand-written raw sqlx, in the same groups
//! (`benches/server/mod.rs`): get by key, fetch 1,000 rows, insert one,
//! insert 1,000, eager load of 100 users x 10 todos.
//!
//! Run with `cargo bench --bench postgres` (server at `KEYWAY_POSTGRES_URL`,
//! default `postgres://postgres@127.0.0.1:5432/test`; the bench works in a
//! schema of its own and drops it); results are in `BENCHMARKS.md`.

use std::str::FromStr;

use keyway_postgres::{PostgresOptions, PostgresSettings};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};

#[path = "../tests/model/mod.rs"]
mod model;
mod server;

use model::{Account, Sku, Todo, User};
use server::raw::SqlxRaw;

/// The hand-written upsert's conflict clause.
const UPSERT: &str = " ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
    stock = excluded.stock, note = excluded.note, version = skus.version + 1";

fn main() {
    let url = std::env::var("KEYWAY_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("kw_bench_{}", std::process::id());
    let admin = async || {
        PgConnection::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {url} cannot be reached: {e}"))
    };
    let rt = server::runtime();
    let (db, pool) = rt.block_on(async {
        let create = format!("CREATE SCHEMA {schema}");
        admin()
            .await
            .execute(create.as_str())
            .await
            .expect("create the bench schema");
        let db = PostgresOptions::new(&url)
            .settings(PostgresSettings::default().search_path(schema.clone()))
            .connect()
            .await
            .expect("connect");
        db.create_schema::<(User, Todo, Account, Sku)>()
            .await
            .expect("schema");
        let options = PgConnectOptions::from_str(&url)
            .expect("PostgreSQL URL")
            .options([("search_path", schema.as_str())]);
        let pool = server::raw::pool_options::<sqlx::Postgres>()
            .connect_with(options)
            .await
            .expect("connect the raw pool");
        (db, pool)
    });
    let raw = SqlxRaw {
        pool,
        mark: |n| format!("${n}"),
        affected: |r| r.rows_affected(),
        upsert: UPSERT,
    };
    server::run_all(&rt, &db, &raw);
    rt.block_on(async {
        let drop = format!("DROP SCHEMA {schema} CASCADE");
        admin()
            .await
            .execute(drop.as_str())
            .await
            .expect("drop the bench schema");
    });
}
