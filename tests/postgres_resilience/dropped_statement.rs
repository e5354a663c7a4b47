//! A statement whose future is dropped before its answer arrived (a
//! `tokio::time::timeout` around it, a `select!` that took another branch):
//! the server stops running it soon after, and the connection's next
//! statement gets its own answer, never what the dropped one left unread.

use std::time::Duration;

use futures::StreamExt;
use keyway::Value;
use keyway::prelude::*;

use crate::common::{Fixture, backend_pid, eventually, main_url, unlock};
use crate::model::User;

const SLEEP: &str = "SELECT pg_sleep(30)";

async fn open() -> Fixture {
    Fixture::open(&main_url(), |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await
}

/// Runs `pg_sleep(30)` on `conn` and drops it after 300 ms; waits until the
/// server is seen running it.
async fn drop_a_sleep(fx: &Fixture, conn: &mut crate::common::Conn) {
    let sleeping = tokio::time::timeout(Duration::from_millis(300), conn.query(SLEEP, &[])).await;
    assert!(sleeping.is_err(), "pg_sleep(30) answered: {sleeping:?}");
    let seen = eventually(Duration::from_secs(5), || async {
        fx.active(Some(SLEEP)).await == 1
    });
    assert!(seen.await, "pg_sleep is not seen running");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_statement_is_cancelled_before_the_next_one_on_its_connection() {
    let fx = open().await;
    let mut conn = fx.executor().acquire().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    drop_a_sleep(&fx, &mut conn).await;
    // Used again at once: the sleep is cancelled first, and the answer is
    // this statement's own.
    let next = tokio::time::timeout(
        Duration::from_secs(15),
        conn.query("SELECT $1::int8 + 1", &[Value::I64(41)]),
    )
    .await
    .expect("the next statement waited for the dropped one");
    let rows = next.unwrap();
    assert_eq!(rows[0].get::<i64>(0).unwrap(), 42);
    assert_eq!(fx.active(Some(SLEEP)).await, 0);
    assert_eq!(backend_pid(&mut conn).await, pid);
    conn.release();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_given_back_after_a_dropped_statement_is_cancelled_and_reused() {
    let fx = open().await;
    let mut conn = fx.executor().acquire().await.unwrap();
    let pid = backend_pid(&mut conn).await;
    drop_a_sleep(&fx, &mut conn).await;
    // Dropped: the way back to the pool (the ping) cancels the sleep.
    drop(conn);
    assert!(fx.settles(Some(SLEEP)).await, "pg_sleep still runs");
    let mut conn = fx.executor().acquire().await.unwrap();
    assert_eq!(backend_pid(&mut conn).await, pid);
    let rows = conn.query("SELECT 'own answer'::text", &[]).await.unwrap();
    assert_eq!(rows[0].get::<String>(0).unwrap(), "own answer");
    conn.release();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_keyway_statement_is_cancelled_on_the_server() {
    let fx = open().await;
    fx.create_schema::<User>().await.unwrap();
    let id = fx
        .insert(&User::new("Ann", "ann@example.com"))
        .await
        .unwrap();
    let lock = fx.lock_table("users").await;
    let waited = tokio::time::timeout(Duration::from_millis(500), fx.count(User::query())).await;
    assert!(
        waited.is_err(),
        "the count did not wait for the lock: {waited:?}"
    );
    // Cancelled on the server while the lock is still held.
    assert!(fx.settles(None).await, "the count still waits for the lock");
    unlock(lock).await;
    assert_eq!(fx.get::<User>(id).await.unwrap().email, "ann@example.com");
    assert_eq!(fx.count(User::query()).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_dropped_midway_leaves_nothing_for_the_next_statement() {
    let fx = open().await;
    fx.create_schema::<User>().await.unwrap();
    let users: Vec<User> = (0..3_000)
        .map(|i| User::new(&format!("u{i}"), &format!("u{i}@example.com")))
        .collect();
    let ids = fx.insert_many(&users).await.unwrap();
    for round in 0..3 {
        let mut rows = fx.stream(User::query().order_by(User::ID.asc()));
        for expected in &ids[..5] {
            assert_eq!(rows.next().await.unwrap().unwrap().id, *expected);
        }
        drop(rows);
        let last = *ids.last().unwrap();
        let got = fx.get::<User>(last).await;
        assert_eq!(got.unwrap().name, "u2999", "round {round}");
        assert_eq!(
            fx.count(User::query()).await.unwrap(),
            3_000,
            "round {round}"
        );
    }
}
