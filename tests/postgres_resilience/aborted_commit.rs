//! A statement that fails inside a transaction aborts the whole transaction
//! on PostgreSQL: a caller who handles the error and commits must not be
//! told the transaction committed when the server rolled it back.

use std::time::Duration;

use keyway::Error;
use keyway::prelude::*;

use crate::common::{Fixture, bounded, main_url, with_option};
use crate::model::User;

async fn open(url: &str) -> Fixture {
    let fx = Fixture::open(url, |o| {
        o.max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    fx
}

/// Whether the commit's answer and the table agree: `kept` was written in
/// the transaction before the failure.
async fn assert_commit_tells_the_truth(fx: &Fixture, committed: Result<(), Error>, kept: &str) {
    let stored = fx
        .count(User::query().filter(User::EMAIL.eq(kept)))
        .await
        .unwrap();
    assert_eq!(
        committed.is_ok(),
        stored == 1,
        "commit answered {committed:?}, yet the row written before the failure is {}",
        if stored == 1 { "stored" } else { "gone" }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_after_a_handled_unique_violation_tells_the_truth() {
    let fx = open(&main_url()).await;
    fx.insert(&User::new("A", "a@example.com")).await.unwrap();
    let tx = fx.begin().await.unwrap();
    tx.insert(&User::new("B", "b@example.com")).await.unwrap();
    let duplicate = tx.insert(&User::new("A again", "a@example.com")).await;
    assert!(
        matches!(duplicate, Err(Error::UniqueViolation { .. })),
        "{duplicate:?}"
    );
    let committed = tx.commit().await;
    assert_commit_tells_the_truth(&fx, committed, "b@example.com").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_after_a_handled_lock_timeout_tells_the_truth() {
    let fx = open(&with_option(&main_url(), "options=-c%20lock_timeout%3D200")).await;
    let a = fx.insert(&User::new("A", "a@example.com")).await.unwrap();
    let mut holder = fx.admin.executor().acquire().await.unwrap();
    // Another session holds the row.
    let lock = format!(
        "BEGIN; SELECT * FROM {}.users WHERE id = {a} FOR UPDATE",
        fx.name
    );
    holder.batch_execute(&lock).await.unwrap();
    let tx = fx.begin().await.unwrap();
    tx.insert(&User::new("B", "b@example.com")).await.unwrap();
    let rename = User::update(a).set(User::NAME, "renamed".to_owned());
    let waited = bounded("the update", tx.update(rename)).await;
    assert!(matches!(waited, Err(Error::Timeout(_))), "{waited:?}");
    let committed = tx.commit().await;
    holder.batch_execute("ROLLBACK").await.unwrap();
    holder.release();
    assert_commit_tells_the_truth(&fx, committed, "b@example.com").await;
}
