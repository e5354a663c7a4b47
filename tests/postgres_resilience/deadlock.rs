//! Two keyway transactions locking two rows in opposite order: the server
//! ends one of them as a deadlock, which is a retryable
//! `Error::TransactionConflict`; both connections stay in the pool (no new
//! backend), and the loser run again commits.

use std::time::Duration;

use keyway::Error;
use keyway::prelude::*;
use tokio::sync::Barrier;

use crate::common::{Fixture, main_url};
use crate::model::User;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlock_is_a_retryable_conflict_and_keeps_the_connections() {
    let fx = Fixture::open(&main_url(), |o| {
        o.max_connections(2)
            .acquire_timeout(Duration::from_secs(10))
    })
    .await;
    fx.create_schema::<User>().await.unwrap();
    let a = fx.insert(&User::new("A", "a@example.com")).await.unwrap();
    let b = fx.insert(&User::new("B", "b@example.com")).await.unwrap();
    // Both connections open.
    let held = [
        fx.executor().acquire().await.unwrap(),
        fx.executor().acquire().await.unwrap(),
    ];
    held.into_iter().for_each(|conn| conn.release());
    let before = fx.backend_pids().await;
    assert_eq!(before.len(), 2, "{before:?}");

    let barrier = Barrier::new(2);
    let cross = async |first: i64, second: i64, name: &str| {
        fx.transaction(async |tx| {
            tx.update(User::update(first).set(User::NAME, name.to_owned()))
                .await?;
            // Both hold their first row before either asks for its second.
            barrier.wait().await;
            tx.update(User::update(second).set(User::NAME, name.to_owned()))
                .await?;
            Ok(())
        })
        .await
    };
    let both = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(cross(a, b, "first"), cross(b, a, "second"))
    })
    .await
    .expect("the deadlock was not resolved");
    let (loser, winner) = match both {
        (Ok(()), Err(e)) => (e, "first"),
        (Err(e), Ok(())) => (e, "second"),
        other => panic!("exactly one transaction should fail: {other:?}"),
    };
    assert!(
        matches!(&loser, Error::TransactionConflict { detail } if detail.contains("40P01")),
        "{loser:?}"
    );
    assert!(loser.is_retryable());
    // The winner committed both rows; the loser's work was rolled back.
    assert_eq!(fx.get::<User>(a).await.unwrap().name, winner);
    assert_eq!(fx.get::<User>(b).await.unwrap().name, winner);
    // Run again, alone, the loser commits.
    let again = if winner == "first" {
        cross(b, a, "second")
    } else {
        cross(a, b, "first")
    };
    let retried = tokio::time::timeout(Duration::from_secs(30), async {
        let (retried, _) = tokio::join!(again, barrier.wait());
        retried
    })
    .await
    .expect("the retry hung");
    retried.unwrap();
    assert_ne!(fx.get::<User>(a).await.unwrap().name, winner);
    assert_eq!(
        fx.backend_pids().await,
        before,
        "the pool opened a new connection"
    );
}
