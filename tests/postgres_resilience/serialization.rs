//! Serialization failures (SQLSTATE 40001) under `REPEATABLE READ` and
//! `SERIALIZABLE`, at a statement or at the commit: a retryable
//! `Error::TransactionConflict`, and the connection stays in the pool.

use std::time::Duration;

use keyway::Error;
use keyway::prelude::*;

use crate::common::{Fixture, main_url, with_option};
use crate::model::User;

/// A pool of two whose transactions default to `isolation` (the
/// session's `default_transaction_isolation`, given in the startup
/// `options`), with both connections open.
async fn open(isolation: &str) -> Fixture {
    let url = with_option(
        &main_url(),
        &format!("options=-c%20default_transaction_isolation%3D{isolation}"),
    );
    let fx = Fixture::open(&url, |o| {
        o.max_connections(2)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    let held = [
        fx.executor().acquire().await.unwrap(),
        fx.executor().acquire().await.unwrap(),
    ];
    held.into_iter().for_each(|conn| conn.release());
    assert_eq!(fx.backend_pids().await.len(), 2);
    fx
}

fn assert_conflict(err: &Error) {
    assert!(
        matches!(err, Error::TransactionConflict { detail } if detail.contains("40001")),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_update_under_repeatable_read_is_a_retryable_conflict() {
    let fx = open("repeatable%5C%20read").await;
    let before = fx.backend_pids().await;
    let a = fx.insert(&User::new("A", "a@example.com")).await.unwrap();
    let tx = fx.begin().await.unwrap();
    // The transaction's snapshot is taken by its first statement.
    assert_eq!(tx.get::<User>(a).await.unwrap().name, "A");
    fx.update(User::update(a).set(User::NAME, "outside".to_owned()))
        .await
        .unwrap();
    let err = tx
        .update(User::update(a).set(User::NAME, "inside".to_owned()))
        .await
        .unwrap_err();
    assert_conflict(&err);
    tx.rollback().await.unwrap();
    assert_eq!(fx.get::<User>(a).await.unwrap().name, "outside");
    // Run again, it commits.
    fx.transaction(async |tx| {
        let mut user = tx.get::<User>(a).await?;
        user.name = "inside".into();
        tx.save(&user).await
    })
    .await
    .unwrap();
    assert_eq!(fx.get::<User>(a).await.unwrap().name, "inside");
    assert_eq!(
        fx.backend_pids().await,
        before,
        "the pool opened a new connection"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_skew_under_serializable_is_a_retryable_conflict_at_commit() {
    let fx = open("serializable").await;
    let before = fx.backend_pids().await;
    let first = fx.begin().await.unwrap();
    let second = fx.begin().await.unwrap();
    // Each reads what the other writes.
    assert_eq!(first.count(User::query()).await.unwrap(), 0);
    assert_eq!(second.count(User::query()).await.unwrap(), 0);
    first
        .insert(&User::new("A", "a@example.com"))
        .await
        .unwrap();
    let failed = match second.insert(&User::new("B", "b@example.com")).await {
        Err(e) => {
            second.rollback().await.unwrap();
            first.commit().await.unwrap();
            e
        }
        Ok(_) => {
            first.commit().await.unwrap();
            // PostgreSQL finds the cycle when the second one commits.
            second.commit().await.unwrap_err()
        }
    };
    assert_conflict(&failed);
    assert_eq!(fx.count(User::query()).await.unwrap(), 1);
    // Run again, it commits.
    fx.transaction(async |tx| {
        tx.count(User::query()).await?;
        tx.insert(&User::new("B", "b@example.com")).await
    })
    .await
    .unwrap();
    assert_eq!(fx.count(User::query()).await.unwrap(), 2);
    assert_eq!(
        fx.backend_pids().await,
        before,
        "the pool opened a new connection"
    );
}
