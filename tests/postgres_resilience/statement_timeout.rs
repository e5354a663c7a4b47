//! keyway's statement timeout: past it the call fails with a timeout, the
//! statement is cancelled on the server (its backend stops running it), and
//! the connection serves the next statement (a pool of one is not stuck).

use std::time::{Duration, Instant};

use keyway::Error;
use keyway::prelude::*;
use keyway_postgres::PostgresSettings;

use crate::common::{Fixture, backend_pid, bounded, eventually, main_url, unlock};
use crate::model::User;

const SLEEP: &str = "SELECT pg_sleep(30)";

async fn open() -> Fixture {
    Fixture::open(&main_url(), |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .settings(PostgresSettings::default().statement_timeout(Duration::from_millis(500)))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_sql_past_the_statement_timeout_is_cancelled_on_the_server() {
    let fx = open().await;
    fx.create_schema::<User>().await.unwrap();
    let mut conn = fx.executor().acquire().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    let start = Instant::now();
    let err = bounded("pg_sleep(30)", conn.query(SLEEP, &[]))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    // Nothing is cancelled while the connection is still lent: the server
    // still sleeps (so the check below can see the difference).
    let sleeping = eventually(Duration::from_secs(5), || async {
        fx.active(Some(SLEEP)).await == 1
    });
    assert!(sleeping.await, "pg_sleep is not seen running");
    // Given back, it goes through the ping, which cancels the statement.
    drop(conn);
    assert!(fx.settles(Some(SLEEP)).await, "pg_sleep still runs");
    // The pool's one slot is free, on the same connection.
    assert_eq!(fx.count(User::query()).await.unwrap(), 0);
    let mut conn = fx.executor().acquire().await.unwrap();
    assert_eq!(backend_pid(&mut conn).await, pid);
    conn.release();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyway_statement_past_the_statement_timeout_is_cancelled_on_the_server() {
    let fx = open().await;
    fx.create_schema::<User>().await.unwrap();
    let id = fx
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let mut conn = fx.executor().acquire().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    conn.release();
    // The count waits for the lock until keyway gives up.
    let lock = fx.lock_table("users").await;
    let start = Instant::now();
    let counted = bounded("the count", fx.count(User::query())).await;
    assert!(matches!(counted, Err(Error::Timeout(_))), "{counted:?}");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    // Cancelled on the server while the lock is still held: the backend
    // no longer waits for it.
    assert!(fx.settles(None).await, "the count still waits for the lock");
    unlock(lock).await;
    // The pool's one slot is free, on the same connection.
    assert_eq!(fx.get::<User>(id).await.unwrap().name, "Ann");
    assert_eq!(fx.count(User::query()).await.unwrap(), 1);
    let mut conn = fx.executor().acquire().await.unwrap();
    assert_eq!(backend_pid(&mut conn).await, pid);
    conn.release();
}
