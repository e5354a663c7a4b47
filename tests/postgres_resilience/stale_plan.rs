//! Statements kept on a connection while their table changes shape: once a
//! column's type changed, PostgreSQL refuses a kept statement ("cached plan
//! must not change result type"); keyway prepares it again once, and the
//! same calls go on answering, on the same connection.

use std::time::Duration;

use keyway::prelude::*;
use keyway_postgres::Postgres;

use crate::common::{Fixture, backend_pid, main_url, raw};
use crate::model::User;

async fn open() -> Fixture {
    let fx = Fixture::open(&main_url(), |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    fx
}

/// The same keyway calls each round (the same statement texts, kept on the
/// connection): round `n` inserts user `n` and reads it back every way.
async fn calls(db: &Db<Postgres>, n: u64) {
    let name = format!("u{n}");
    let id = db
        .insert(&User::new(&name, &format!("{name}@a")))
        .await
        .unwrap();
    assert_eq!(db.get::<User>(id).await.unwrap().name, name);
    let named = db
        .all(User::query().filter(User::NAME.eq(name.clone())))
        .await;
    assert_eq!(named.unwrap().len(), 1, "round {n}");
    assert_eq!(db.count(User::query()).await.unwrap(), n + 1);
    db.update(User::update(id).set(User::EMAIL, format!("{name}@b")))
        .await
        .unwrap();
    let found = db.first(User::query().filter(User::EMAIL.eq(format!("{name}@b"))));
    assert_eq!(found.await.unwrap().map(|u| u.id), Some(id), "round {n}");
    let emails: Vec<String> = db
        .all(User::query().order_by(User::ID.asc()).select(User::EMAIL))
        .await
        .unwrap();
    assert_eq!(emails.len() as u64, n + 1);
}

async fn pool_pid(fx: &Fixture) -> i32 {
    let mut conn = fx.executor().acquire().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    conn.release();
    pid
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_statements_are_prepared_again_after_ddl_on_their_connection() {
    let fx = open().await;
    calls(&fx, 0).await;
    calls(&fx, 1).await;
    let pid = pool_pid(&fx).await;

    // A statement of the driver's own, kept beside keyway's: what keyway's
    // would meet without the second preparation.
    let mut conn = fx.executor().acquire().await.unwrap();
    let control = conn
        .client()
        .prepare("SELECT name FROM users")
        .await
        .unwrap();
    assert_eq!(conn.client().query(&control, &[]).await.unwrap().len(), 2);
    // A new column: the kept statements name their columns, nothing changes.
    conn.batch_execute("ALTER TABLE users ADD COLUMN extra INTEGER")
        .await
        .unwrap();
    conn.release();
    calls(&fx, 2).await;

    // A column's type changes: every kept statement reading it is stale.
    let mut conn = fx.executor().acquire().await.unwrap();
    conn.batch_execute("ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(200)")
        .await
        .unwrap();
    let stale = conn.client().query(&control, &[]).await.unwrap_err();
    let message = stale.as_db_error().map(|db| db.message());
    assert_eq!(message, Some("cached plan must not change result type"));
    drop(control);
    conn.release();
    calls(&fx, 3).await;
    calls(&fx, 4).await;
    assert_eq!(pool_pid(&fx).await, pid, "the pool opened a new connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_statements_are_prepared_again_after_ddl_by_another_session() {
    let fx = open().await;
    calls(&fx, 0).await;
    calls(&fx, 1).await;
    let pid = pool_pid(&fx).await;
    let alter = format!(
        "ALTER TABLE {}.users ALTER COLUMN email TYPE VARCHAR(300), \
         ALTER COLUMN name TYPE VARCHAR(300)",
        fx.name
    );
    raw(&fx.admin, &alter, &[]).await;
    calls(&fx, 2).await;
    calls(&fx, 3).await;
    assert_eq!(pool_pid(&fx).await, pid, "the pool opened a new connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kept_statements_are_prepared_again_inside_a_transaction() {
    let fx = open().await;
    calls(&fx, 0).await;
    calls(&fx, 1).await;
    let pid = pool_pid(&fx).await;
    raw(
        &fx.admin,
        &format!(
            "ALTER TABLE {}.users ALTER COLUMN name TYPE VARCHAR(300)",
            fx.name
        ),
        &[],
    )
    .await;
    // The first statement of the transaction meets the stale plan. The
    // error aborted the transaction, so keyway cannot prepare it again in
    // there: the transaction may fail, as a conflict to run again, which
    // then answers.
    let read = async || {
        fx.transaction(async |tx| {
            let named = tx.all(User::query().filter(User::NAME.eq("u1"))).await?;
            let count = tx.count(User::query()).await?;
            Ok((named.len(), count))
        })
        .await
    };
    let read = match read().await {
        Err(e) if e.is_retryable() => read().await,
        other => other,
    };
    assert_eq!(read.unwrap(), (1, 2));
    calls(&fx, 2).await;
    assert_eq!(pool_pid(&fx).await, pid, "the pool opened a new connection");
}
